import { useEffect, useState } from 'preact/hooks';
import { ApiError, graphql } from '../../api/graphql';
import type { PageProps } from '../../navigation/page';
import { telHref } from '../responder/answer';
import { type Problem, problemsOf, problemText, ruleText } from '../provider/problems';
import { DECLINE_REASONS, labelOf, localToday, OUTCOMES, REASONS, STATUSES, URGENCIES } from './referral-words';
import {
  AcceptReferralDocument,
  DeclineReferralDocument,
  type ReferralDeclineReason,
  type ReferralOutcome,
  type ReferralsQuery,
  ReferralsDocument,
  type ReferralStatus,
  RecordReferralOutcomeDocument,
  ReferralPatientCandidatesDocument,
  type ReferralPatientCandidatesQuery,
  RegisterReferredPatientDocument,
} from './referrals.generated';
import './referrals.css';

type Referral = ReferralsQuery['referrals']['nodes'][number];
type Candidate = ReferralPatientCandidatesQuery['patients']['nodes'][number];
const norm = (s: string | null | undefined) => (s ?? '').normalize('NFKD').replace(/[\u0300-\u036f]/g, '').trim().toLowerCase();

/**
 * The organisation's patients who may be the referred person: the same family name, and the same
 * date of birth when the referral has one. Read a page at a time (the API has no search for
 * provider staff yet, as on Patients) and kept in memory only.
 */
async function candidatesFor(session: PageProps['session'], r: Referral): Promise<Candidate[]> {
  const found: Candidate[] = [];
  let after: string | undefined;
  for (let page = 0; page < 50; page += 1) {
    const result = (await graphql(session, ReferralPatientCandidatesDocument, { first: 100, after })).patients;
    found.push(...result.nodes.filter((p) => norm(p.familyName) === norm(r.familyName) && (!r.dateOfBirth || p.dateOfBirth === r.dateOfBirth)));
    if (!result.pageInfo.hasNextPage || !result.pageInfo.endCursor) break;
    after = result.pageInfo.endCursor;
  }
  return found;
}
const PAGE = 50;
const FILTERS: Array<{ value: ReferralStatus | ''; label: string }> = [
  { value: 'RECEIVED', label: 'Received: to accept or decline' },
  { value: 'ACCEPTED', label: 'Accepted: outcome to record' },
  { value: 'CLOSED', label: 'Closed' },
  { value: 'DECLINED', label: 'Declined' },
  { value: '', label: 'All' },
];

/**
 * Provider staff's queue of referrals from partner agencies: the person's details, accept (linking
 * a patient: registered here, or the existing record when one may be the same person), decline
 * with a reason, and record what became of it. Everything in memory; nothing in the address.
 */
export function ReferralsPage({ session }: PageProps) {
  const [status, setStatus] = useState<ReferralStatus | ''>('RECEIVED');
  const [items, setItems] = useState<Referral[] | undefined>();
  const [next, setNext] = useState<string | null>(null);
  const [problem, setProblem] = useState('');
  const [message, setMessage] = useState('');

  const load = async (after?: string) => {
    setProblem('');
    try {
      const page = (await graphql(session, ReferralsDocument, { status: status || null, first: PAGE, after })).referrals;
      setItems((current) => [...(after ? (current ?? []) : []), ...page.nodes]);
      setNext(page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null);
    } catch (error) {
      setProblem(problemText(error));
    }
  };
  useEffect(() => void load(), [session, status]);

  const done = (text: string) => {
    setMessage(text);
    void load();
  };

  return (
    <>
      <h1>Referrals</h1>
      <p>People that partner agencies referred to your organisation, with their agreement. Call them back, then accept or decline, and record what became of it.</p>
      <p class="status" role="status">
        {message}
      </p>
      {problem && (
        <div class="error-summary" role="alert">
          <h2>There is a problem</h2>
          <p>{problem}</p>
        </div>
      )}
      <div class="field">
        <label for="referral-status-filter">Status</label>
        <select id="referral-status-filter" value={status} onChange={(e) => setStatus((e.currentTarget as HTMLSelectElement).value as ReferralStatus | '')}>
          {FILTERS.map((f) => (
            <option key={f.value} value={f.value}>
              {f.label}
            </option>
          ))}
        </select>
      </div>
      {items?.length === 0 && <p>No referrals here.</p>}
      {items?.map((r) => <ReferralCard key={r.id} referral={r} session={session} onDone={done} />)}
      {next && (
        <button type="button" class="button secondary" onClick={() => void load(next)}>
          Show more
        </button>
      )}
    </>
  );
}

interface CardProps {
  referral: Referral;
  session: PageProps['session'];
  onDone: (message: string) => void;
}

function ReferralCard({ referral: r, session, onDone }: CardProps) {
  const name = `${r.givenName ?? ''} ${r.familyName ?? ''}`.trim();
  const [dateOfBirth, setDateOfBirth] = useState(r.dateOfBirth ?? '');
  const [duplicateOf, setDuplicateOf] = useState<string | undefined>();
  const [candidates, setCandidates] = useState<Candidate[] | undefined>();
  const [declineReason, setDeclineReason] = useState<ReferralDeclineReason>('NOT_ELIGIBLE');
  const [outcome, setOutcome] = useState<ReferralOutcome>('CONTACTED');
  const [occurredOn, setOccurredOn] = useState(localToday());
  const [problems, setProblems] = useState<Problem[]>([]);
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  const id = (field: string) => `referral-${r.id}-${field}`;

  const run = async (work: () => Promise<string>) => {
    if (busy) return;
    setBusy(true);
    setProblem('');
    setProblems([]);
    try {
      onDone(await work());
    } catch (error) {
      if (error instanceof ApiError && error.code === 'POSSIBLE_DUPLICATE') {
        setDuplicateOf(typeof error.extensions.existingPatientId === 'string' ? error.extensions.existingPatientId : undefined);
      } else if (error instanceof ApiError && error.code === 'REFERRAL_STATUS_CONFLICT') {
        setProblem('Someone else has already worked this referral. The list has been refreshed.');
      } else if (problemsOf(error).length) setProblems(problemsOf(error));
      else setProblem(problemText(error));
    } finally {
      setBusy(false);
    }
  };

  const accept = (patientId: string) => graphql(session, AcceptReferralDocument, { input: { referralId: r.id, patientId } }).then(() => `Accepted: ${name} is linked to a patient record.`);
  const registerAndAccept = (confirmDistinctPerson?: boolean) => {
    // Checked here, before any request: the problem is the missing date, not the service (this
    // used to say "The service could not answer" beside "Enter date of birth").
    if (!dateOfBirth) {
      setProblem('');
      setProblems([{ field: 'dateOfBirth', rule: 'REQUIRED' }]);
      document.getElementById(id('dob'))?.focus();
      return Promise.resolve(undefined);
    }
    return run(async () => {
      const patient = await graphql(session, RegisterReferredPatientDocument, {
        input: { givenName: r.givenName ?? '', familyName: r.familyName ?? '', dateOfBirth, aliases: [], confirmDistinctPerson },
      });
      return accept(patient.registerPatient.id);
    }).catch(() => undefined);
  };
  const errorOf = (field: string) => problems.find((p) => p.field === field || p.field.endsWith(`.${field}`));

  return (
    <section class="referral-card" aria-labelledby={id('heading')}>
      <h2 id={id('heading')}>{name || 'Referral'}</h2>
      <dl>
        <dt>From</dt>
        <dd>{r.agency.name}</dd>
        <dt>Made</dt>
        <dd>{new Date(r.createdAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}</dd>
        <dt>Reason</dt>
        <dd>{labelOf(REASONS, r.reason)}</dd>
        <dt>Urgency</dt>
        <dd>{labelOf(URGENCIES, r.urgency)}</dd>
        <dt>Date of birth</dt>
        <dd>{r.dateOfBirth ?? 'Not known'}</dd>
        <dt>Callback phone</dt>
        <dd>{r.callbackPhone ? <a href={telHref(r.callbackPhone)}>{r.callbackPhone}</a> : 'None given'}</dd>
        <dt>Incident number</dt>
        <dd>{r.incidentNumber}</dd>
        <dt>Note</dt>
        <dd>{r.note ?? 'None'}</dd>
        <dt>Status</dt>
        <dd>{STATUSES[r.status]}</dd>
        {r.declineReason && (
          <>
            <dt>Declined because</dt>
            <dd>{labelOf(DECLINE_REASONS, r.declineReason)}</dd>
          </>
        )}
        {r.outcome && (
          <>
            <dt>Outcome</dt>
            <dd>
              {labelOf(OUTCOMES, r.outcome)} ({r.outcomeOccurredOn})
            </dd>
          </>
        )}
      </dl>
      {problem && (
        <p class="field-error" role="alert">
          {problem}
        </p>
      )}
      {problems.length > 0 && (
        <div class="error-summary" role="alert">
          <h3>There is a problem</h3>
          <ul>
            {problems.map((p) => (
              <li key={p.field}>{ruleText(p.field.endsWith('occurredOn') ? 'Occurred on' : 'Date of birth', p)}</li>
            ))}
          </ul>
        </div>
      )}
      {r.status === 'RECEIVED' && (
        <>
          <h3>Accept</h3>
          {!r.dateOfBirth && (
            <div class={errorOf('dateOfBirth') ? 'field field-error-state' : 'field'}>
              <label for={id('dob')}>Date of birth</label>
              <p class="hint" id={id('dob-hint')}>
                Needed to register the person; ask them when you call.
              </p>
              <input id={id('dob')} type="date" value={dateOfBirth} onInput={(e) => setDateOfBirth((e.currentTarget as HTMLInputElement).value)} aria-describedby={id('dob-hint')} />
            </div>
          )}
          {duplicateOf ? (
            <div class="notice" role="alert">
              <p>A patient who may be this person is already registered.</p>
              <div class="actions">
                <button type="button" class="button" disabled={busy} onClick={() => void run(() => accept(duplicateOf))}>
                  Link to the existing patient
                </button>
                <button type="button" class="button secondary" disabled={busy} onClick={() => void registerAndAccept(true)}>
                  Register as a different person
                </button>
              </div>
            </div>
          ) : (
            <div class="actions">
              <button type="button" class="button" disabled={busy} onClick={() => void registerAndAccept()}>
                Accept and link patient
              </button>
              <button type="button" class="button secondary" disabled={busy} onClick={() => void candidatesFor(session, r).then(setCandidates, (error) => setProblem(problemText(error)))}>
                Find existing patient
              </button>
            </div>
          )}
          {candidates && (
            <div role="status">
              {candidates.length === 0 ? (
                <p>No patient of your organisation has this family name{r.dateOfBirth ? ' and date of birth' : ''}. Accept to register the person.</p>
              ) : (
                <ul class="choices">
                  {candidates.map((c) => (
                    <li key={c.id}>
                      <button type="button" class="button secondary" disabled={busy} onClick={() => void run(() => accept(c.id))}>
                        Link to {c.givenName} {c.familyName}, born {c.dateOfBirth}
                      </button>
                    </li>
                  ))}
                </ul>
              )}
            </div>
          )}
          <h3>Decline</h3>
          <div class="field">
            <label for={id('decline-reason')}>Reason</label>
            <select id={id('decline-reason')} value={declineReason} onChange={(e) => setDeclineReason((e.currentTarget as HTMLSelectElement).value as ReferralDeclineReason)}>
              {DECLINE_REASONS.map((d) => (
                <option key={d.value} value={d.value}>
                  {d.label}
                </option>
              ))}
            </select>
          </div>
          <div class="actions">
            <button type="button" class="button secondary" disabled={busy} onClick={() => void run(() => graphql(session, DeclineReferralDocument, { input: { referralId: r.id, reason: declineReason } }).then(() => `Declined the referral of ${name}.`))}>
              Decline
            </button>
          </div>
        </>
      )}
      {r.status === 'ACCEPTED' && (
        <>
          <h3>Record outcome</h3>
          <div class="field">
            <label for={id('outcome')}>Outcome</label>
            <select id={id('outcome')} value={outcome} onChange={(e) => setOutcome((e.currentTarget as HTMLSelectElement).value as ReferralOutcome)}>
              {OUTCOMES.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </div>
          <div class={errorOf('occurredOn') ? 'field field-error-state' : 'field'}>
            <label for={id('occurred-on')}>Occurred on</label>
            <input id={id('occurred-on')} type="date" value={occurredOn} max={localToday()} onInput={(e) => setOccurredOn((e.currentTarget as HTMLInputElement).value)} aria-invalid={errorOf('occurredOn') ? true : undefined} />
          </div>
          <div class="actions">
            <button
              type="button"
              class="button"
              disabled={busy}
              onClick={() => void run(() => graphql(session, RecordReferralOutcomeDocument, { input: { referralId: r.id, outcome, occurredOn } }).then(() => `Recorded the outcome for ${name}; the referral is closed.`))}
            >
              Record outcome
            </button>
          </div>
        </>
      )}
    </section>
  );
}
