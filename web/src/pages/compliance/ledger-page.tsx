import { useEffect, useRef, useState } from 'preact/hooks';
import { graphql } from '../../api/graphql';
import type { Session } from '../../auth/session';
import type { PageProps } from '../../navigation/page';
import { AuditLedgerStateDocument, type AuditLedgerStateQuery, VerifyAuditLogDocument, type VerifyAuditLogQuery } from './compliance.generated';
import { VERIFICATION_REASONS as REASONS } from './event-words';
import { problemText, when } from './problems';
import './compliance.css';

type Verification = VerifyAuditLogQuery['verifyAuditLog'];
type LedgerState = AuditLedgerStateQuery['auditLedgerState'];

/**
 * The kinds of witness (`AuditLedgerState.witnessedBy`) in words: "directory" meant nothing to a
 * compliance officer. An unknown kind is shown as the service names it.
 */
const WITNESS_WORDS: Record<string, string> = {
  directory: 'a folder outside the database (AUDIT_WITNESS_DIR)',
  url: "another organisation's witness service (AUDIT_WITNESS_URL)",
  log: "the service's log",
};
const witnessWords = (names: readonly string[]) => {
  const words = names.map((n) => WITNESS_WORDS[n] ?? n).join('; ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/**
 * The ledger as it stands, before anyone verifies it: the last signed checkpoint and the witnesses
 * that hold it outside the database, the events waiting to be sealed, and the last verification
 * this officer may see in the log. Reading it is audited.
 */
function LedgerStateView({ state }: { state: LedgerState }) {
  const checkpoint = state.lastCheckpoint;
  const last = state.lastVerification;
  return (
    <dl class="summary">
      <dt>Last checkpoint</dt>
      <dd>
        {checkpoint
          ? `Checkpoint ${checkpoint.checkpoint}, sealing sequences ${checkpoint.firstSequence} to ${checkpoint.lastSequence} (${checkpoint.eventCount} events), signed ${when(checkpoint.sealedAt)} with key ${checkpoint.keyId}`
          : 'None yet: nothing has been sealed.'}
      </dd>
      <dt>Witnessed by</dt>
      <dd>{state.witnessedBy.length ? witnessWords(state.witnessedBy) : 'No witness holds it yet.'}</dd>
      {state.unavailableWitnesses.length > 0 && (
        <>
          <dt>Witnesses not reachable</dt>
          <dd>{witnessWords(state.unavailableWitnesses)}</dd>
        </>
      )}
      <dt>Events not sealed yet</dt>
      <dd>{state.eventsNotSealed === 0 ? 'None' : `${state.eventsNotSealed}, the oldest waiting ${Math.ceil(state.oldestNotSealedSeconds)} seconds`}</dd>
      <dt>Last verification</dt>
      <dd>
        {last
          ? `${when(last.verifiedAt)} by ${last.verifiedBy}: ${
              last.valid ? 'intact' : `not intact, first bad sequence ${last.firstInvalidSequence ?? 'not known'}${last.reason ? ` (${REASONS[last.reason] ?? last.reason})` : ''}`
            }${last.fromSequence || last.toSequence ? `, sequences ${last.fromSequence ?? 'first'} to ${last.toSequence ?? 'last'}` : ''}`
          : 'None you may see yet.'}
      </dd>
    </dl>
  );
}

function useLedgerState(session: Session): { state?: LedgerState; problem: string; reload: () => Promise<void> } {
  const [state, setState] = useState<LedgerState | undefined>();
  const [problem, setProblem] = useState('');
  const reload = async () => {
    try {
      setState((await graphql(session, AuditLedgerStateDocument)).auditLedgerState);
      setProblem('');
    } catch (error) {
      setProblem(problemText(error));
    }
  };
  useEffect(() => {
    void reload();
  }, [session]);
  return { state, problem, reload };
}

/**
 * The tamper-evident ledger behind the audit log (C18): verify now recomputes the hash chain,
 * checks every checkpoint signature and the witnesses' copies, and says where it first fails.
 */
export function LedgerPage({ session }: PageProps) {
  const [result, setResult] = useState<{ verification: Verification; at: string } | undefined>();
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const ledger = useLedgerState(session);

  const verify = async () => {
    setBusy(true);
    setProblem('');
    try {
      const answer = await graphql(session, VerifyAuditLogDocument);
      setResult({ verification: answer.verifyAuditLog, at: new Date().toISOString() });
      setTimeout(() => heading.current?.focus(), 0);
      // The verification is now the last one in the log.
      void ledger.reload();
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
      <section aria-labelledby="ledger-state-heading">
        <h2 id="ledger-state-heading">Ledger state</h2>
        {ledger.problem ? (
          <p class="notice error" role="alert">
            {ledger.problem}
          </p>
        ) : ledger.state ? (
          <LedgerStateView state={ledger.state} />
        ) : (
          <p>Loading the ledger’s state…</p>
        )}
      </section>
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
            <dd>{v.unavailableWitnesses.length === 0 ? 'None' : witnessWords(v.unavailableWitnesses)}</dd>
          </dl>
        </section>
      )}
    </>
  );
}
