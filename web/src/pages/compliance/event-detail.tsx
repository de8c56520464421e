import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { graphql } from '../../api/graphql';
import type { Session } from '../../auth/session';
import { AuditEventDetailDocument, type AuditEventDetailQuery } from './compliance.generated';
import { BASIS_WORDS, CATEGORY_WORDS, list, OUTCOME_WORDS, PURPOSE_WORDS, ROLE_WORDS, words } from './event-words';
import { INTEGRITY_WORDS, problemText, when } from './problems';

type Detail = NonNullable<AuditEventDetailQuery['auditEvent']>;

/** Whether the ledger sealed the row, and by which checkpoint, in one sentence. */
function sealing(event: Detail): string {
  const checkpoint = event.sealedBy;
  switch (event.integrity) {
    case 'VERIFIED':
      return checkpoint
        ? `Sealed by checkpoint ${checkpoint.checkpoint} (sequences ${checkpoint.firstSequence} to ${checkpoint.lastSequence}), signed ${when(checkpoint.sealedAt)}; the event is unchanged since.`
        : 'Sealed and unchanged.';
    case 'PENDING':
      return 'Not sealed yet: the next checkpoint seals it within seconds.';
    case 'FAILED':
      return checkpoint
        ? `Does not match what checkpoint ${checkpoint.checkpoint} (sequences ${checkpoint.firstSequence} to ${checkpoint.lastSequence}) sealed: altered, inserted behind the checkpoint, or the checkpoint is not genuine. Verify the ledger.`
        : 'Does not match what the ledger sealed. Verify the ledger.';
    default:
      return event.integrity;
  }
}

/**
 * One audit event in words (opened from the audit log by keyboard or pointer): what happened,
 * who did it and for which organisation, the incident, purpose and legal basis, what was
 * disclosed, the request and sequence, and whether the ledger sealed it unchanged. Reading it is
 * itself an audit event. The heading takes the focus; "Back to the events" returns it to the row.
 */
export function EventDetail({ session, id, onClose }: { session: Session; id: string; onClose: () => void }) {
  const [event, setEvent] = useState<Detail | null | undefined>();
  const [problem, setProblem] = useState('');
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    let current = true;
    graphql(session, AuditEventDetailDocument, { id }).then(
      (answer) => current && setEvent(answer.auditEvent),
      (error: unknown) => current && setProblem(problemText(error)),
    );
    return () => {
      current = false;
    };
  }, [session, id]);
  useLayoutEffect(() => {
    heading.current?.focus();
  }, [event, problem]);

  const back = (
    <div class="actions">
      <button type="button" class="button secondary" onClick={onClose}>
        Back to the events
      </button>
    </div>
  );
  if (problem || event === null) {
    return (
      <section aria-labelledby="event-heading">
        <h2 id="event-heading" tabIndex={-1} ref={heading}>
          Event
        </h2>
        <p class="notice error" role="alert">
          {problem || 'This event is not in the log you may read.'}
        </p>
        {back}
      </section>
    );
  }
  if (!event) return <p role="status">Loading the event…</p>;
  return (
    <section aria-labelledby="event-heading" class="event-detail">
      <h2 id="event-heading" tabIndex={-1} ref={heading}>
        {`Event ${event.sequence}`}
      </h2>
      <p class="verdict">{event.description}</p>
      <dl class="summary">
        <dt>When</dt>
        <dd>{when(event.occurredAt)}</dd>
        <dt>Who</dt>
        <dd>
          {event.actorName ?? event.actorSubject}
          {event.actorName && <span class="hint">{` (sign-in ${event.actorSubject})`}</span>}
          <br />
          {list(ROLE_WORDS, event.actorRoles)}
        </dd>
        <dt>Organisation</dt>
        <dd>{event.actorOrganizationName ? `${event.actorOrganizationName} (${event.actorOrganizationKey})` : event.actorOrganizationKey}</dd>
        <dt>Records of</dt>
        <dd>
          {event.subjectOrganizationKeys.length
            ? event.subjectOrganizationKeys.map((key, i) => (event.subjectOrganizationNames[i] && event.subjectOrganizationNames[i] !== key ? `${event.subjectOrganizationNames[i]} (${key})` : key)).join(', ')
            : 'No organisation’s records'}
        </dd>
        <dt>Action and outcome</dt>
        <dd>{`${event.action}: ${words(OUTCOME_WORDS, event.outcome)}`}</dd>
        <dt>Incident</dt>
        <dd>{event.incidentNumber ?? '—'}</dd>
        <dt>Purpose</dt>
        <dd>{words(PURPOSE_WORDS, event.purpose)}</dd>
        <dt>Legal basis</dt>
        <dd>{words(BASIS_WORDS, event.basis)}</dd>
        <dt>Disclosed categories</dt>
        <dd>{list(CATEGORY_WORDS, event.disclosedCategories)}</dd>
        <dt>Patient records</dt>
        <dd>{event.patientIds.length ? event.patientIds.join(', ') : '—'}</dd>
        <dt>Consents</dt>
        <dd>{event.consentIds.length ? event.consentIds.join(', ') : '—'}</dd>
        <dt>Policy rule</dt>
        <dd>{event.policyRule ? `${event.policyRule} (the rule of the access policy that allowed it)` : 'None (refused, or the service acting itself)'}</dd>
        <dt>Request id</dt>
        <dd>{event.requestId ?? '—'}</dd>
        <dt>Sequence</dt>
        <dd>{event.sequence}</dd>
        <dt>Integrity</dt>
        <dd class={event.integrity === 'FAILED' ? 'integrity-failed' : undefined}>
          {INTEGRITY_WORDS[event.integrity] ?? event.integrity}
          <br />
          {sealing(event)}
        </dd>
      </dl>
      <details>
        <summary>Details as recorded (ids and codes)</summary>
        <pre class="recorded">{JSON.stringify(event.details, null, 2)}</pre>
      </details>
      {back}
    </section>
  );
}
