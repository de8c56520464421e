import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, graphql } from '../../api/graphql';
import type { PageProps } from '../../navigation/page';
import { type Problem, problemText, problemsOf, ruleText, sentenceCase } from '../provider/problems';
import {
  AcceptPartnershipDocument,
  type AgreementFragment,
  EndPartnershipDocument,
  type PartnershipCounterpartsQuery,
  PartnershipCounterpartsDocument,
  type PartnershipKind,
  PartnershipsDocument,
  type PartnershipStatus,
  ProposePartnershipDocument,
} from './admin.generated';
import { PageStatus } from '../page-status';
import './admin.css';

type Agreement = AgreementFragment;
type Counterpart = PartnershipCounterpartsQuery['organizations'][number];

const KIND_WORDS: Record<PartnershipKind, string> = {
  MOU: 'Memorandum of understanding',
  DATA_SHARING_AGREEMENT: 'Data-sharing agreement',
  QSOA: 'Qualified service organization agreement',
};
const STATUS_WORDS: Record<PartnershipStatus, string> = {
  PROPOSED: 'Proposed',
  IN_FORCE: 'In force',
  ENDED: 'Ended',
  EXPIRED: 'Expired',
};

/** Labels are the input fields in sentence case (DESIGN.md); a picker of organisations drops "key", as for recipients. */
const LABELS: Record<string, string> = {
  counterpartOrganizationKey: 'Counterpart organization',
  kind: 'Kind',
  effectiveFrom: 'Effective from',
  expiresAt: 'Expires at',
  documentReference: 'Document reference',
  documentSha256: 'Document SHA-256',
  signatories: 'Signatories',
};
const labelOf = (field: string) => LABELS[field.split('.')[0]] ?? sentenceCase(field);

const day = (instant: string) => new Date(instant).toLocaleDateString(undefined, { dateStyle: 'medium' });
/** A `date` input's value as the start of that day where the admin is. */
const startOfDay = (value: string) => new Date(`${value}T00:00:00`).toISOString();
const today = () => {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
};

/**
 * Partnership agreements (issue 15): the ones the admin's organisation is a side of, with their
 * status as of now; proposing one to a counterpart of the other kind (a treatment provider
 * proposes to a responder agency, and the reverse); accepting the other side's proposal; ending
 * one, which stops consents naming the agency and every disclosure under it at once.
 */
export function AgreementsPage({ session, me }: PageProps) {
  const [agreements, setAgreements] = useState<Agreement[] | undefined>();
  const [counterparts, setCounterparts] = useState<Counterpart[]>([]);
  const [status, setStatus] = useState('');
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  const [ending, setEnding] = useState<string | null>(null);
  const own = me.organization;
  const party = own.kind === 'TREATMENT_PROVIDER' || own.kind === 'RESPONDER_AGENCY';
  const otherKind = own.kind === 'TREATMENT_PROVIDER' ? 'RESPONDER_AGENCY' : 'TREATMENT_PROVIDER';

  const load = async () => {
    try {
      setAgreements((await graphql(session, PartnershipsDocument)).partnerships);
    } catch (error) {
      setProblem(problemText(error));
    }
  };
  useEffect(() => {
    void load();
    if (party) {
      void graphql(session, PartnershipCounterpartsDocument)
        .then((r) => setCounterparts(r.organizations.filter((o) => o.kind === otherKind)))
        .catch((error) => setProblem(problemText(error)));
    }
  }, []);

  const counterpartOf = (a: Agreement) => (a.provider.key === own.key ? a.agency : a.provider);

  const act = async (work: () => Promise<string>) => {
    setProblem('');
    setStatus('');
    setBusy(true);
    try {
      setStatus(await work());
      await load();
    } catch (error) {
      setProblem(error instanceof ApiError && error.code === 'BAD_USER_INPUT' ? refusalWords(error) : problemText(error));
    } finally {
      setBusy(false);
    }
  };

  const accept = (a: Agreement) =>
    act(async () => {
      await graphql(session, AcceptPartnershipDocument, { id: a.id });
      return `The agreement with ${counterpartOf(a).name} is accepted.`;
    });
  const end = (a: Agreement) =>
    act(async () => {
      const declining = a.status === 'PROPOSED' && !a.acceptedAt;
      const reason = declining ? (a.proposedByOrganizationKey === own.key ? 'WITHDRAWN' : 'DECLINED') : 'TERMINATED';
      await graphql(session, EndPartnershipDocument, { input: { id: a.id, reason } });
      setEnding(null);
      return `The agreement with ${counterpartOf(a).name} is ended. Consents can no longer name the agency under it, and nothing more is disclosed under it.`;
    });

  const sorted = [...(agreements ?? [])];

  return (
    <>
      <h1>Agreements</h1>
      <p>
        Signed agreements between a treatment provider and a responder agency. A consent may name an agency, and a responder's lookup may show a program's record, only
        while an agreement between the two is in force.
      </p>
      <PageStatus busy={busy} status={status} problem={problem} />
      {!agreements && !problem && <p>Loading agreements…</p>}
      {agreements && (
        <section aria-labelledby="agreements-heading">
          <h2 id="agreements-heading">{`Agreements of ${own.name}`}</h2>
          {sorted.length === 0 ? (
            <p>There are no agreements yet.</p>
          ) : (
            <div class="table-wrap">
              <table class="records">
                <caption>Agreements, newest proposal first, with their status now</caption>
                <thead>
                  <tr>
                    <th scope="col">With</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Status</th>
                    <th scope="col">Effective</th>
                    <th scope="col">Document</th>
                    <th scope="col">Actions</th>
                  </tr>
                </thead>
                <tbody>
                  {sorted.map((a) => {
                    const other = counterpartOf(a);
                    const awaitingUs = a.status === 'PROPOSED' && !a.acceptedAt && a.proposedByOrganizationKey !== own.key;
                    const open = a.status === 'PROPOSED' || a.status === 'IN_FORCE';
                    return (
                      <tr key={a.id}>
                        <th scope="row">{other.name}</th>
                        <td>{KIND_WORDS[a.kind]}</td>
                        <td>
                          <strong>{STATUS_WORDS[a.status]}</strong>
                          {a.status === 'PROPOSED' && (
                            <span class="hint">{a.acceptedAt ? ' (accepted, not yet effective)' : awaitingUs ? ' (waiting for you to accept)' : ` (waiting for ${other.name})`}</span>
                          )}
                        </td>
                        <td>{`From ${day(a.effectiveFrom)}${a.expiresAt ? ` until ${day(a.expiresAt)}` : ', no end date'}${a.endedAt ? `; ended ${day(a.endedAt)}` : ''}`}</td>
                        <td>
                          <span>{a.documentReference}</span>
                          <br />
                          <span class="hint">{`SHA-256 ${a.documentSha256.slice(0, 12)}…`}</span>
                          <br />
                          <span class="hint">{`Signed by ${a.signatories.join('; ')}`}</span>
                        </td>
                        <td>
                          <div class="actions">
                            {awaitingUs && (
                              <button type="button" class="button" disabled={busy} aria-label={`Accept agreement with ${other.name}`} onClick={() => void accept(a)}>
                                Accept
                              </button>
                            )}
                            {open && ending !== a.id && (
                              <button type="button" class="button secondary" disabled={busy} aria-label={`End agreement with ${other.name}`} onClick={() => setEnding(a.id)}>
                                End
                              </button>
                            )}
                          </div>
                          {ending === a.id && (
                            <div role="group" aria-label={`Confirm ending the agreement with ${other.name}`}>
                              <p>{a.status === 'IN_FORCE' ? 'Sharing under it stops at once.' : 'The proposal will not be accepted.'}</p>
                              <div class="actions">
                                <button type="button" class="button warning" disabled={busy} onClick={() => void end(a)}>
                                  End agreement now
                                </button>
                                <button type="button" class="button secondary" disabled={busy} onClick={() => setEnding(null)}>
                                  Keep it
                                </button>
                              </div>
                            </div>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}
      {party ? (
        <ProposeForm session={session} counterparts={counterparts} otherKind={otherKind} onProposed={async (a) => {
          setStatus(`Agreement proposed to ${counterpartOf(a).name}. Their administrator accepts it.`);
          await load();
        }} />
      ) : (
        <p>Agreements are between a treatment provider and a responder agency: your organisation is neither, so it has none.</p>
      )}
    </>
  );
}

/** A refusal of an accept or end, in words (ids and codes only come back; never a value). */
function refusalWords(error: ApiError): string {
  switch (error.extensions.reason) {
    case 'OTHER_SIDE_ACCEPTS':
      return "Your organisation proposed this agreement: the other side's administrator accepts it.";
    case 'ALREADY_ACCEPTED':
      return 'This agreement was accepted already.';
    case 'ALREADY_ENDED':
      return 'This agreement was ended already.';
    case 'ALREADY_EXPIRED':
      return 'This agreement has expired already.';
    default:
      return 'This agreement is not there any more.';
  }
}

function ProposeForm({
  session,
  counterparts,
  otherKind,
  onProposed,
}: {
  session: PageProps['session'];
  counterparts: Counterpart[];
  otherKind: string;
  onProposed: (a: Agreement) => Promise<void>;
}) {
  const [values, setValues] = useState({ counterpartOrganizationKey: '', kind: 'DATA_SHARING_AGREEMENT', effectiveFrom: today(), expiresAt: '', documentReference: '', documentSha256: '', signatories: '' });
  const [problems, setProblems] = useState<Problem[]>([]);
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  const summary = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (problems.length) summary.current?.focus();
  }, [problems]);
  const set = (name: keyof typeof values) => (e: Event) => setValues({ ...values, [name]: (e.currentTarget as HTMLInputElement).value });
  const errorFor = (name: string) => problems.find((p) => p.field === name || p.field.startsWith(`${name}.`));
  const invalid = (name: string) => (errorFor(name) ? { 'aria-invalid': true as const, 'aria-describedby': `${name}-error` } : {});
  // A list is chosen from, not typed in: "Choose the counterpart organization", not "Enter …".
  const problemWords = (field: string, p: Problem) =>
    p.rule === 'REQUIRED' && field === 'counterpartOrganizationKey' ? 'Choose the counterpart organization' : ruleText(labelOf(field), p);
  const ErrorText = ({ name }: { name: string }) => {
    const p = errorFor(name);
    return p ? (
      <p class="field-error" id={`${name}-error`}>
        {problemWords(name, p)}
      </p>
    ) : null;
  };

  // A new administrator rarely knows how to compute a file's SHA-256: Web Crypto does it here.
  const digestOf = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    if (!file) return;
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await file.arrayBuffer()));
    const hex = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
    setValues((v) => ({ ...v, documentSha256: hex }));
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    setProblem('');
    // What the API cannot even parse when empty is asked for here; everything else is the API's to judge.
    const missing: Problem[] = [
      ...(values.counterpartOrganizationKey ? [] : [{ field: 'counterpartOrganizationKey', rule: 'REQUIRED' }]),
      ...(values.effectiveFrom ? [] : [{ field: 'effectiveFrom', rule: 'REQUIRED' }]),
    ];
    setProblems(missing);
    if (missing.length) return;
    setBusy(true);
    try {
      const proposed = await graphql(session, ProposePartnershipDocument, {
        input: {
          counterpartOrganizationKey: values.counterpartOrganizationKey,
          kind: values.kind as PartnershipKind,
          effectiveFrom: startOfDay(values.effectiveFrom),
          expiresAt: values.expiresAt ? startOfDay(values.expiresAt) : null,
          documentReference: values.documentReference,
          documentSha256: values.documentSha256.trim(),
          signatories: values.signatories.split('\n').map((s) => s.trim()).filter(Boolean),
        },
      });
      setValues({ ...values, counterpartOrganizationKey: '', expiresAt: '', documentReference: '', documentSha256: '', signatories: '' });
      await onProposed(proposed.proposePartnership);
    } catch (error) {
      const found = problemsOf(error);
      if (found.length) setProblems(found);
      else setProblem(problemText(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby="propose-heading">
      <h2 id="propose-heading">Propose an agreement</h2>
      <p>Record a signed agreement. The other side's administrator accepts it; it is in force from the day it takes effect until it expires or either side ends it.</p>
      {problems.length > 0 && (
        <div class="error-summary" role="alert" aria-labelledby="propose-problems" tabIndex={-1} ref={summary}>
          <h2 id="propose-problems">There is a problem</h2>
          <ul>
            {problems.map((p) => (
              <li key={`${p.field}-${p.rule}`}>
                <a href={`#${p.field.split('.')[0]}`}>{problemWords(p.field, p)}</a>
              </li>
            ))}
          </ul>
        </div>
      )}
      {problem && (
        <p class="notice error" role="alert">
          {problem}
        </p>
      )}
      <div class={`field${errorFor('counterpartOrganizationKey') ? ' field-error-state' : ''}`}>
        <label for="counterpartOrganizationKey">Counterpart organization</label>
        <p class="hint" id="counterpartOrganizationKey-hint">
          {otherKind === 'RESPONDER_AGENCY' ? 'The responder agency the agreement is with.' : 'The treatment provider the agreement is with.'}
        </p>
        <ErrorText name="counterpartOrganizationKey" />
        <select id="counterpartOrganizationKey" value={values.counterpartOrganizationKey} onChange={set('counterpartOrganizationKey')} {...invalid('counterpartOrganizationKey')}>
          <option value="">Choose an organisation</option>
          {counterparts.map((o) => (
            <option key={o.key} value={o.key}>
              {o.name}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="kind">Kind</label>
        <select id="kind" value={values.kind} onChange={set('kind')}>
          {(Object.keys(KIND_WORDS) as PartnershipKind[]).map((k) => (
            <option key={k} value={k}>
              {KIND_WORDS[k]}
            </option>
          ))}
        </select>
      </div>
      <div class={`field${errorFor('effectiveFrom') ? ' field-error-state' : ''}`}>
        <label for="effectiveFrom">Effective from</label>
        <ErrorText name="effectiveFrom" />
        <input id="effectiveFrom" type="date" value={values.effectiveFrom} onInput={set('effectiveFrom')} {...invalid('effectiveFrom')} />
      </div>
      <div class={`field${errorFor('expiresAt') ? ' field-error-state' : ''}`}>
        <label for="expiresAt">Expires at</label>
        <p class="hint">The agreement ends at the start of this day. Leave it empty if the agreement has no end date.</p>
        <ErrorText name="expiresAt" />
        <input id="expiresAt" type="date" value={values.expiresAt} onInput={set('expiresAt')} {...invalid('expiresAt')} />
      </div>
      <div class={`field${errorFor('documentReference') ? ' field-error-state' : ''}`}>
        <label for="documentReference">Document reference</label>
        <p class="hint">Where the signed document is kept, for example its file number. Never anything about a patient.</p>
        <ErrorText name="documentReference" />
        <input id="documentReference" type="text" autoComplete="off" value={values.documentReference} onInput={set('documentReference')} {...invalid('documentReference')} />
      </div>
      <div class={`field${errorFor('documentSha256') ? ' field-error-state' : ''}`}>
        <label for="documentSha256">Document SHA-256</label>
        <p class="hint">The signed file's SHA-256 digest: 64 characters, 0-9 and a-f.</p>
        <ErrorText name="documentSha256" />
        <input id="documentSha256" type="text" autoComplete="off" spellcheck={false} value={values.documentSha256} onInput={set('documentSha256')} {...invalid('documentSha256')} />
      </div>
      <div class="field">
        <label for="signedFile">Signed file</label>
        <p class="hint" id="signedFile-hint">
          Or pick the signed file to fill in its SHA-256: it is worked out in this browser; the file is not sent anywhere.
        </p>
        <input id="signedFile" type="file" aria-describedby="signedFile-hint" onChange={(event) => void digestOf(event.currentTarget as HTMLInputElement)} />
      </div>
      <div class={`field${errorFor('signatories') ? ' field-error-state' : ''}`}>
        <label for="signatories">Signatories</label>
        <p class="hint">One per line: name and title.</p>
        <ErrorText name="signatories" />
        <textarea id="signatories" rows={3} value={values.signatories} onInput={set('signatories')} {...invalid('signatories')} />
      </div>
      <div class="actions">
        <button type="submit" class="button" disabled={busy}>
          Propose agreement
        </button>
      </div>
    </form>
  );
}
