import { useRef, useState } from 'preact/hooks';
import { graphql } from '../../api/graphql';
import type { PageProps } from '../../navigation/page';
import { VerifyAuditLogDocument, type VerifyAuditLogQuery } from './compliance.generated';
import { problemText, when } from './problems';
import './compliance.css';

type Verification = VerifyAuditLogQuery['verifyAuditLog'];

/** The verification's reason codes (schema.gql, AuditVerification.reason) in words. */
const REASONS: Record<string, string> = {
  CHECKPOINT_SIGNATURE_INVALID: 'A checkpoint’s signature does not verify.',
  CHECKPOINT_ALTERED: 'A checkpoint was changed after it was signed.',
  CHECKPOINT_MISSING: 'A checkpoint is missing, or the database holds less than a witness holds.',
  HEAD_MISMATCH: 'A checkpoint differs from the one a witness holds.',
  EVENT_ALTERED: 'An event was changed after it was sealed.',
  EVENT_MISSING: 'An event that was sealed is missing.',
  EVENT_INSERTED_BEHIND_CHECKPOINT: 'An event was inserted behind a checkpoint.',
  CHAIN_MISMATCH: 'The hash chain does not link up.',
};

/**
 * The tamper-evident ledger behind the audit log (C18): verify now recomputes the hash chain,
 * checks every checkpoint signature and the witnesses' copies, and says where it first fails.
 */
export function LedgerPage({ session }: PageProps) {
  const [result, setResult] = useState<{ verification: Verification; at: string } | undefined>();
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  const verify = async () => {
    setBusy(true);
    setProblem('');
    try {
      const answer = await graphql(session, VerifyAuditLogDocument);
      setResult({ verification: answer.verifyAuditLog, at: new Date().toISOString() });
      setTimeout(() => heading.current?.focus(), 0);
    } catch (error) {
      setProblem(problemText(error));
    } finally {
      setBusy(false);
    }
  };

  const v = result?.verification;
  return (
    <>
      <h1>Ledger</h1>
      <p>
        Every audit event is chained to the one before it and sealed by signed checkpoints, copied to witnesses outside the database. Verifying recomputes the whole chain and checks
        every signature.
      </p>
      <div class="actions">
        <button type="button" class="button" disabled={busy} onClick={() => void verify()}>
          Verify now
        </button>
      </div>
      {problem && (
        <p class="notice error" role="alert">
          {problem}
        </p>
      )}
      <p class="status" role="status">
        {busy ? 'Verifying the ledger…' : v ? (v.valid ? 'The ledger verified.' : 'The ledger did not verify.') : ''}
      </p>
      {v && result && (
        <section aria-labelledby="verification-heading" class={v.valid ? 'notice' : 'notice error'}>
          <h2 id="verification-heading" tabIndex={-1} ref={heading}>
            Result of {when(result.at)}
          </h2>
          <p class="verdict">{v.valid ? 'Intact: every sealed event is as it was sealed.' : 'Not intact: the ledger does not match what was sealed.'}</p>
          <dl class="summary">
            {!v.valid && (
              <>
                <dt>First bad sequence</dt>
                <dd>{v.firstInvalidSequence ?? 'Not known'}</dd>
                <dt>Why</dt>
                <dd>{v.reason ? (REASONS[v.reason] ?? v.reason) : 'Not given'}</dd>
              </>
            )}
            <dt>Checkpoints checked</dt>
            <dd>{v.checkpointsChecked}</dd>
            <dt>Events checked</dt>
            <dd>{v.eventsChecked}</dd>
            <dt>Witness copies compared</dt>
            <dd>{v.receiptsChecked}</dd>
            <dt>Events not sealed yet</dt>
            <dd>{v.unsealedEvents === 0 ? 'None' : `${v.unsealedEvents} (sealed within seconds)`}</dd>
            <dt>Witnesses not reachable</dt>
            <dd>{v.unavailableWitnesses.length === 0 ? 'None' : v.unavailableWitnesses.join(', ')}</dd>
          </dl>
        </section>
      )}
    </>
  );
}
