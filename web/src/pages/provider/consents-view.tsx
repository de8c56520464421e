import { Fragment, type Ref } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { graphql } from '../../api/graphql';
import type { Session } from '../../auth/session';
import {
  type ConsentPurpose,
  type ConsentViewFragment,
  type DataCategory,
  type PatientSummaryFragment,
  PatientConsentsDocument,
  RecordConsentDocument,
  type RevocationMethod,
  RevokeConsentDocument,
  type SignerRelationship,
} from './provider.generated';
import { day, localNow, type Problem, problemsOf, problemText, ruleText, sentenceCase, when } from './problems';

type Consent = ConsentViewFragment;
type Organization = { key: string; name: string };

const PURPOSES: Array<{ value: ConsentPurpose; label: string }> = [
  { value: 'CRISIS_RESPONSE', label: 'Crisis response: so crisis responders can reach the care team' },
  { value: 'CARE_COORDINATION', label: 'Care coordination' },
];
const CATEGORIES: Array<{ value: DataCategory; label: string }> = [
  { value: 'TREATMENT_STATUS', label: 'Treatment status: whether the person is in treatment, and since when' },
  { value: 'CARE_TEAM_CONTACT', label: 'Care team contact: names, roles and phone numbers' },
  { value: 'ENGAGEMENT_NOTES', label: 'Engagement notes: how to approach the person' },
  { value: 'REFERRAL_OUTCOME', label: 'Referral outcome: what became of a referral the agency made (accepted, contacted, engaged or not)' },
];
const RELATIONSHIPS: Array<{ value: SignerRelationship; label: string }> = [
  { value: 'SELF', label: 'The patient' },
  { value: 'PARENT', label: 'Parent' },
  { value: 'GUARDIAN', label: 'Guardian' },
  { value: 'HEALTH_CARE_PROXY', label: 'Health care proxy' },
  { value: 'PERSONAL_REPRESENTATIVE', label: 'Personal representative' },
];
const STATUS_WORDS: Record<string, string> = {
  ACTIVE: 'In force',
  EXPIRED: 'Expired',
  NOT_YET_EFFECTIVE: 'Not in force yet',
  PARTIALLY_REVOKED: 'Revoked for some recipients',
  REVOKED: 'Revoked',
  SUPERSEDED: 'Replaced by a newer version',
};
const purposeWords = (p: string) => PURPOSES.find((x) => x.value === p)?.label ?? p;
const categoryWords = (c: string) => CATEGORIES.find((x) => x.value === c)?.label.split(':')[0] ?? c;
const relationshipWords = (r: string) => RELATIONSHIPS.find((x) => x.value === r)?.label ?? r;

type Mode = { kind: 'list' } | { kind: 'record' } | { kind: 'print'; consent: Consent } | { kind: 'revoke'; consent: Consent };

/** A patient's consents: record one (every §2.31 element in plain words), print it for signature, revoke it. */
export function ConsentsView({ session, patient, status: initialStatus, onBack }: { session: Session; patient: PatientSummaryFragment; status: string; onBack: () => void }) {
  const [consents, setConsents] = useState<Consent[] | undefined>();
  const [recipients, setRecipients] = useState<Organization[]>([]);
  const [mode, setMode] = useState<Mode>({ kind: 'list' });
  const [status, setStatus] = useState(initialStatus);
  const [problem, setProblem] = useState('');
  const heading = useRef<HTMLHeadingElement>(null);

  const load = async () => {
    try {
      const result = await graphql(session, PatientConsentsDocument, { patientId: patient.id });
      setConsents(result.consents);
      setRecipients(result.recipientOrganizations);
    } catch (error) {
      setProblem(problemText(error));
    }
  };
  useEffect(() => {
    void load();
  }, [patient.id]);
  useEffect(() => {
    heading.current?.focus();
  }, [mode]);

  const done = (message: string, consent: Consent) => {
    setStatus(message);
    setConsents((list) => [consent, ...(list ?? []).filter((c) => c.id !== consent.id)]);
    void load();
    setMode({ kind: 'list' });
  };

  if (mode.kind === 'print') return <PrintView consent={mode.consent} patient={patient} onBack={() => setMode({ kind: 'list' })} headingRef={heading} />;

  return (
    <>
      <h1>Patients</h1>
      <p class="status" role="status">
        {status}
      </p>
      {problem && (
        <p class="notice error" role="alert">
          {problem}
        </p>
      )}
      <h2 tabIndex={-1} ref={heading}>{`${patient.givenName} ${patient.familyName}, born ${patient.dateOfBirth}`}</h2>
      {mode.kind === 'record' && (
        <ConsentForm session={session} patient={patient} recipients={recipients} onDone={(c) => done('Consent recorded.', c)} onCancel={() => setMode({ kind: 'list' })} />
      )}
      {mode.kind === 'revoke' && <RevokeForm session={session} consent={mode.consent} onDone={(c) => done('Consent revoked.', c)} onCancel={() => setMode({ kind: 'list' })} />}
      {mode.kind === 'list' && (
        <>
          <div class="actions">
            <button type="button" class="button" onClick={() => setMode({ kind: 'record' })}>
              Record consent
            </button>
            <button type="button" class="button secondary" onClick={onBack}>
              Back to patients
            </button>
          </div>
          <section aria-labelledby="consents-heading">
            <h2 id="consents-heading">Consents</h2>
            {!consents && <p>Loading consents…</p>}
            {consents && consents.length === 0 && <p>No consent recorded for this patient.</p>}
            {consents?.map((c) => (
              <article class="consent-card" key={c.id} aria-labelledby={`consent-${c.id}`}>
                <h3 id={`consent-${c.id}`}>{`Consent version ${c.version}: ${STATUS_WORDS[c.status] ?? c.status}`}</h3>
                <p>{c.scopeDescription}</p>
                <dl class="summary">
                  <dt>Recipients</dt>
                  <dd>{c.recipients.map((r) => (r.revokedAt ? `${r.organization.name} (revoked ${day(r.revokedAt)})` : r.organization.name)).join(', ')}</dd>
                  <dt>Until</dt>
                  <dd>{day(c.expiresAt)}</dd>
                  <dt>Signed</dt>
                  <dd>{`${day(c.signedAt)} by ${c.signedBy.name} (${relationshipWords(c.signedBy.relationship)})`}</dd>
                  {c.revocations.map((r, i) => (
                    <Fragment key={i}>
                      <dt>Revoked</dt>
                      <dd>{`${r.whole ? 'Wholly' : `For ${r.recipientOrganizationKeys.join(', ')}`}, ${r.method === 'WRITTEN' ? 'in writing' : 'electronically'}, received ${when(r.receivedAt)}`}</dd>
                    </Fragment>
                  ))}
                </dl>
                <div class="actions">
                  <button type="button" class="button secondary" aria-describedby={`consent-${c.id}`} onClick={() => setMode({ kind: 'print', consent: c })}>
                    Print
                  </button>
                  {(c.status === 'ACTIVE' || c.status === 'PARTIALLY_REVOKED' || c.status === 'NOT_YET_EFFECTIVE') && (
                    <button type="button" class="button warning" aria-describedby={`consent-${c.id}`} onClick={() => setMode({ kind: 'revoke', consent: c })}>
                      Revoke consent
                    </button>
                  )}
                </div>
              </article>
            ))}
          </section>
        </>
      )}
    </>
  );
}

/** Inline errors from `extensions.problems`, each under its field, and a summary that takes the focus. */
function useProblems() {
  const [problems, setProblems] = useState<Problem[]>([]);
  const summary = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (problems.length) summary.current?.focus();
  }, [problems]);
  const errorFor = (name: string) => problems.find((p) => p.field === name || p.field.startsWith(`${name}.`) || p.field.startsWith(`${name}[`));
  const Summary = () =>
    problems.length > 0 ? (
      <div class="error-summary" role="alert" aria-labelledby="form-problems" tabIndex={-1} ref={summary}>
        <h2 id="form-problems">There is a problem</h2>
        <ul>
          {problems.map((p) => (
            <li key={`${p.field}-${p.rule}`}>{problemWords(p)}</li>
          ))}
        </ul>
      </div>
    ) : null;
  return { problems, setProblems, errorFor, Summary };
}

const LABELS: Record<string, string> = { 'signedBy.name': 'Name of the signer', 'signedBy.relationship': 'Relationship' };

/** An acknowledgement not ticked is something the patient was not told yet: said so, not as a bad value. */
function problemWords(p: Problem, label = LABELS[p.field] ?? sentenceCase(p.field)): string {
  if (p.field.startsWith('acknowledgements.')) return `Tell the patient, then tick "${sentenceCase(p.field)}"`;
  return ruleText(label, p);
}

function ErrorText({ id, label, problem }: { id: string; label: string; problem?: Problem }) {
  return problem ? (
    <p class="field-error" id={`${id}-error`}>
      {problemWords(problem, label)}
    </p>
  ) : null;
}

function ConsentForm({ session, patient, recipients, onDone, onCancel }: { session: Session; patient: PatientSummaryFragment; recipients: Organization[]; onDone: (c: Consent) => void; onCancel: () => void }) {
  const [purpose, setPurpose] = useState<ConsentPurpose>('CRISIS_RESPONSE');
  const [categories, setCategories] = useState<DataCategory[]>(['TREATMENT_STATUS', 'CARE_TEAM_CONTACT']);
  const [chosen, setChosen] = useState<string[]>([]);
  const [effectiveFrom, setEffectiveFrom] = useState('');
  const [expiresAt, setExpiresAt] = useState('');
  const [expirationEvent, setExpirationEvent] = useState('');
  const [signerName, setSignerName] = useState(`${patient.givenName} ${patient.familyName}`);
  const [relationship, setRelationship] = useState<SignerRelationship>('SELF');
  const [signedAt, setSignedAt] = useState(localNow());
  const [acks, setAcks] = useState({ rightToRevoke: false, redisclosureRestricted: false, treatmentNotConditioned: false });
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState('');
  const { setProblems, errorFor, Summary } = useProblems();

  const toggle = <T,>(list: T[], value: T) => (list.includes(value) ? list.filter((v) => v !== value) : [...list, value]);
  const invalid = (name: string) => (errorFor(name) ? { 'aria-invalid': true, 'aria-describedby': `${name}-error` } : {});

  const submit = async (event: Event) => {
    event.preventDefault();
    setProblem('');
    // The dates the API cannot even parse when empty are asked for here; everything else is the API's to judge.
    const missing: Problem[] = [
      ...(expiresAt ? [] : [{ field: 'expiresAt', rule: 'REQUIRED' }]),
      ...(signedAt ? [] : [{ field: 'signedAt', rule: 'REQUIRED' }]),
    ];
    setProblems(missing);
    if (missing.length) return;
    setBusy(true);
    try {
      const result = await graphql(session, RecordConsentDocument, {
        input: {
          patientId: patient.id,
          purpose,
          dataCategories: categories,
          recipientOrganizationKeys: chosen,
          effectiveFrom: effectiveFrom ? new Date(`${effectiveFrom}T00:00:00`).toISOString() : undefined,
          expiresAt: new Date(`${expiresAt}T23:59:00`).toISOString(),
          expirationEvent: expirationEvent.trim() || undefined,
          signedBy: { name: signerName.trim(), relationship },
          signedAt: new Date(signedAt).toISOString(),
          acknowledgements: acks,
        },
      });
      onDone(result.recordConsent);
    } catch (error) {
      const found = problemsOf(error);
      if (found.length) setProblems(found);
      else setProblem(problemText(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} autoComplete="off" noValidate aria-labelledby="consent-form-heading">
      <h2 id="consent-form-heading">Record consent</h2>
      <p>Go through each part with the patient. Every part is required by 42 CFR 2.31 unless it says optional.</p>
      <Summary />
      {problem && (
        <p class="notice error" role="alert">
          {problem}
        </p>
      )}
      <p>
        <strong>Who may disclose:</strong> your program. <strong>About whom:</strong> {`${patient.givenName} ${patient.familyName}`}.
      </p>
      <div class={errorFor('purpose') ? 'field field-error-state' : 'field'}>
        <label for="purpose">Purpose</label>
        <p class="hint">Why the information may be shared.</p>
        <ErrorText id="purpose" label="Purpose" problem={errorFor('purpose')} />
        <select id="purpose" value={purpose} onChange={(e) => setPurpose(e.currentTarget.value as ConsentPurpose)} {...invalid('purpose')}>
          {PURPOSES.map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
        </select>
      </div>
      <fieldset class={errorFor('dataCategories') ? 'field field-error-state' : 'field'} {...invalid('dataCategories')}>
        <legend>Data categories</legend>
        <p class="hint">What may be shared: only what the patient agrees to.</p>
        <ErrorText id="dataCategories" label="Data categories" problem={errorFor('dataCategories')} />
        {CATEGORIES.map((c) => (
          <label class="check" key={c.value}>
            <input type="checkbox" checked={categories.includes(c.value)} onChange={() => setCategories(toggle(categories, c.value))} />
            <span>{c.label}</span>
          </label>
        ))}
      </fieldset>
      <fieldset class={errorFor('recipientOrganizationKeys') ? 'field field-error-state' : 'field'} {...invalid('recipientOrganizationKeys')}>
        <legend>Recipient organizations</legend>
        <p class="hint">Who may receive it: each organisation named one by one.</p>
        <ErrorText id="recipientOrganizationKeys" label="Recipient organizations" problem={errorFor('recipientOrganizationKeys')} />
        {recipients.length === 0 && <p>No responder agency is available to name. Ask your administrator.</p>}
        {recipients.map((o) => (
          <label class="check" key={o.key}>
            <input type="checkbox" checked={chosen.includes(o.key)} onChange={() => setChosen(toggle(chosen, o.key))} />
            <span>{o.name}</span>
          </label>
        ))}
      </fieldset>
      <div class={errorFor('effectiveFrom') ? 'field field-error-state' : 'field'}>
        <label for="effectiveFrom">Effective from</label>
        <p class="hint">Optional: when it starts to apply. Leave empty for now.</p>
        <ErrorText id="effectiveFrom" label="Effective from" problem={errorFor('effectiveFrom')} />
        <input id="effectiveFrom" type="date" value={effectiveFrom} onInput={(e) => setEffectiveFrom(e.currentTarget.value)} {...invalid('effectiveFrom')} />
      </div>
      <div class={errorFor('expiresAt') ? 'field field-error-state' : 'field'}>
        <label for="expiresAt">Expires at</label>
        <p class="hint">The day it ends.</p>
        <ErrorText id="expiresAt" label="Expires at" problem={errorFor('expiresAt')} />
        <input id="expiresAt" type="date" value={expiresAt} onInput={(e) => setExpiresAt(e.currentTarget.value)} {...invalid('expiresAt')} />
      </div>
      <div class={errorFor('expirationEvent') ? 'field field-error-state' : 'field'}>
        <label for="expirationEvent">Expiration event</label>
        <p class="hint">Optional: an event that ends it earlier, for example "discharge from the program".</p>
        <ErrorText id="expirationEvent" label="Expiration event" problem={errorFor('expirationEvent')} />
        <input id="expirationEvent" type="text" value={expirationEvent} onInput={(e) => setExpirationEvent(e.currentTarget.value)} {...invalid('expirationEvent')} />
      </div>
      <fieldset class="field">
        <legend>Signed by</legend>
        <div class={errorFor('signedBy.name') ? 'field field-error-state' : 'field'}>
          <label for="signedBy.name">Name of the signer</label>
          <ErrorText id="signedBy.name" label="Name of the signer" problem={errorFor('signedBy.name')} />
          <input id="signedBy.name" type="text" value={signerName} onInput={(e) => setSignerName(e.currentTarget.value)} {...invalid('signedBy.name')} />
        </div>
        <div class="field">
          <label for="signedBy.relationship">Relationship</label>
          <select id="signedBy.relationship" value={relationship} onChange={(e) => setRelationship(e.currentTarget.value as SignerRelationship)}>
            {RELATIONSHIPS.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
        </div>
      </fieldset>
      <div class={errorFor('signedAt') ? 'field field-error-state' : 'field'}>
        <label for="signedAt">Signed at</label>
        <p class="hint">When it was signed; not in the future.</p>
        <ErrorText id="signedAt" label="Signed at" problem={errorFor('signedAt')} />
        <input id="signedAt" type="datetime-local" value={signedAt} onInput={(e) => setSignedAt(e.currentTarget.value)} {...invalid('signedAt')} />
      </div>
      <fieldset class={errorFor('acknowledgements') ? 'field field-error-state' : 'field'}>
        <legend>Acknowledgements</legend>
        <p class="hint">Tell the patient each of these, then tick it.</p>
        <ErrorText id="acknowledgements" label="Acknowledgements" problem={errorFor('acknowledgements')} />
        <label class="check">
          <input type="checkbox" checked={acks.rightToRevoke} onChange={(e) => setAcks({ ...acks, rightToRevoke: e.currentTarget.checked })} />
          <span>Right to revoke: they may take this consent back at any time, in writing, except for what was already shared</span>
        </label>
        <label class="check">
          <input type="checkbox" checked={acks.redisclosureRestricted} onChange={(e) => setAcks({ ...acks, redisclosureRestricted: e.currentTarget.checked })} />
          <span>Redisclosure restricted: whoever receives it may not pass it on, except as the law allows</span>
        </label>
        <label class="check">
          <input type="checkbox" checked={acks.treatmentNotConditioned} onChange={(e) => setAcks({ ...acks, treatmentNotConditioned: e.currentTarget.checked })} />
          <span>Treatment not conditioned: their treatment does not depend on signing</span>
        </label>
      </fieldset>
      <div class="actions">
        <button type="submit" class="button" disabled={busy}>
          Record consent
        </button>
        <button type="button" class="button secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function RevokeForm({ session, consent, onDone, onCancel }: { session: Session; consent: Consent; onDone: (c: Consent) => void; onCancel: () => void }) {
  const [method, setMethod] = useState<RevocationMethod>('WRITTEN');
  const [receivedAt, setReceivedAt] = useState(localNow());
  const [only, setOnly] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState('');
  const { setProblems, errorFor, Summary } = useProblems();
  const open = consent.recipients.filter((r) => !r.revokedAt);

  const submit = async (event: Event) => {
    event.preventDefault();
    setProblem('');
    setProblems(receivedAt ? [] : [{ field: 'receivedAt', rule: 'REQUIRED' }]);
    if (!receivedAt) return;
    setBusy(true);
    try {
      const result = await graphql(session, RevokeConsentDocument, {
        input: { consentId: consent.id, method, receivedAt: new Date(receivedAt).toISOString(), recipientOrganizationKeys: only.length ? only : undefined },
      });
      onDone(result.revokeConsent);
    } catch (error) {
      const found = problemsOf(error);
      if (found.length) setProblems(found);
      else setProblem(problemText(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} autoComplete="off" noValidate aria-labelledby="revoke-heading">
      <h2 id="revoke-heading">{`Revoke consent version ${consent.version}`}</h2>
      <p>From the moment it is recorded, nothing more is disclosed under it. What was already disclosed stays in the accounting.</p>
      <Summary />
      {problem && (
        <p class="notice error" role="alert">
          {problem}
        </p>
      )}
      <div class="field">
        <label for="method">Method</label>
        <select id="method" value={method} onChange={(e) => setMethod(e.currentTarget.value as RevocationMethod)}>
          <option value="WRITTEN">In writing</option>
          <option value="ELECTRONIC">Electronically</option>
        </select>
      </div>
      <div class={errorFor('receivedAt') ? 'field field-error-state' : 'field'}>
        <label for="receivedAt">Received at</label>
        <p class="hint">When your program received it; not in the future.</p>
        <ErrorText id="receivedAt" label="Received at" problem={errorFor('receivedAt')} />
        <input id="receivedAt" type="datetime-local" value={receivedAt} onInput={(e) => setReceivedAt(e.currentTarget.value)} />
      </div>
      <fieldset class="field">
        <legend>Recipient organizations</legend>
        <p class="hint">To revoke for some recipients only, tick them. Leave all unticked to revoke the whole consent.</p>
        {open.map((r) => (
          <label class="check" key={r.organization.key}>
            <input type="checkbox" checked={only.includes(r.organization.key)} onChange={() => setOnly(only.includes(r.organization.key) ? only.filter((k) => k !== r.organization.key) : [...only, r.organization.key])} />
            <span>{r.organization.name}</span>
          </label>
        ))}
      </fieldset>
      <div class="actions">
        <button type="submit" class="button warning" disabled={busy}>
          Revoke consent
        </button>
        <button type="button" class="button secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The consent on one printed page, for the patient's signature, with the receipt to hand them. */
function PrintView({ consent, patient, onBack, headingRef }: { consent: Consent; patient: PatientSummaryFragment; onBack: () => void; headingRef: Ref<HTMLHeadingElement> }) {
  return (
    <section class="print-view" aria-labelledby="print-heading">
      <div class="actions no-print">
        <button type="button" class="button" onClick={() => window.print()}>
          Print this page
        </button>
        <button type="button" class="button secondary" onClick={onBack}>
          Back to consents
        </button>
      </div>
      <h1 id="print-heading" tabIndex={-1} ref={headingRef}>
        Consent to disclose substance use disorder records (42 CFR Part 2)
      </h1>
      <dl class="summary">
        <dt>Patient</dt>
        <dd>{`${patient.givenName} ${patient.familyName}, born ${patient.dateOfBirth}`}</dd>
        <dt>Who may disclose</dt>
        <dd>{consent.disclosingOrganization.name}</dd>
        <dt>What may be disclosed</dt>
        <dd>{consent.dataCategories.map(categoryWords).join(', ')}</dd>
        <dt>To whom</dt>
        <dd>{consent.recipients.map((r) => r.organization.name).join(', ')}</dd>
        <dt>Why</dt>
        <dd>{purposeWords(consent.purpose)}</dd>
        <dt>From</dt>
        <dd>{day(consent.effectiveFrom)}</dd>
        <dt>Until</dt>
        <dd>{`${day(consent.expiresAt)}${consent.expirationEvent ? `, or earlier: ${consent.expirationEvent}` : ''}`}</dd>
        <dt>Right to revoke</dt>
        <dd>You may revoke this consent at any time, in writing, except for what was already disclosed under it.</dd>
        <dt>Redisclosure</dt>
        <dd>Whoever receives this information may not disclose it further, except as 42 CFR Part 2 allows.</dd>
        <dt>Treatment</dt>
        <dd>Your treatment does not depend on signing this consent.</dd>
        <dt>Signed by</dt>
        <dd>{`${consent.signedBy.name} (${relationshipWords(consent.signedBy.relationship)}), ${day(consent.signedAt)}`}</dd>
      </dl>
      <div class="signature-line" aria-hidden="true" />
      <p>Signature</p>
      <h2>Receipt for the patient</h2>
      <p class="receipt">{consent.receipt}</p>
    </section>
  );
}
