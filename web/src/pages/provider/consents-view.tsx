import { Fragment, type Ref } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { graphql } from '../../api/graphql';
import type { Session } from '../../auth/session';
import {
  type ConsentPurpose,
  type ConsentViewFragment,
  type DataCategory,
  type PatientSummaryFragment,
  RecordConsentDocument,
  type RevocationMethod,
  RevokeConsentDocument,
  type SignerRelationship,
} from './provider.generated';
import { Field, InputField, useProblems } from './form';
import { day, localNow, type Problem, problemsOf, problemText, ruleText, sentenceCase, when } from './problems';

export type Consent = ConsentViewFragment;
export type Organization = { key: string; name: string };

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

/** A consent that may still change: a new version supersedes it, or it is revoked. */
const isCurrent = (c: Consent) => c.status === 'ACTIVE' || c.status === 'PARTIALLY_REVOKED' || c.status === 'NOT_YET_EFFECTIVE';

/** Every version of a patient's consents, newest first, each with its status in words and what may be done with it. */
export function ConsentList({
  consents,
  onPrint,
  onSupersede,
  onRevoke,
}: {
  consents: Consent[] | undefined;
  onPrint: (c: Consent) => void;
  onSupersede: (c: Consent) => void;
  onRevoke: (c: Consent) => void;
}) {
  return (
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
            <button type="button" class="button secondary" aria-describedby={`consent-${c.id}`} onClick={() => onPrint(c)}>
              Print
            </button>
            {isCurrent(c) && (
              <button type="button" class="button secondary" aria-describedby={`consent-${c.id}`} onClick={() => onSupersede(c)}>
                Supersede consent
              </button>
            )}
            {isCurrent(c) && (
              <button type="button" class="button warning" aria-describedby={`consent-${c.id}`} onClick={() => onRevoke(c)}>
                Revoke consent
              </button>
            )}
          </div>
        </article>
      ))}
    </section>
  );
}

const LABELS: Record<string, string> = { 'signedBy.name': 'Name of the signer', 'signedBy.relationship': 'Relationship' };

/** An acknowledgement not ticked is something the patient was not told yet: said so, not as a bad value. */
function problemWords(p: Problem, label = LABELS[p.field] ?? sentenceCase(p.field)): string {
  if (p.field.startsWith('acknowledgements.')) return `Tell the patient, then tick "${sentenceCase(p.field)}"`;
  return ruleText(label, p);
}
const fieldWords = (label: string, p: Problem) => problemWords(p, label);

/** A fieldset's own problem (a list left empty, an acknowledgement not ticked), under its legend. */
function ErrorText({ id, label, problem }: { id: string; label: string; problem?: Problem }) {
  return problem ? (
    <p class="field-error" id={`${id}-error`}>
      {problemWords(problem, label)}
    </p>
  ) : null;
}

/** An instant as a `date` input's value, where the staff member is. */
function localDate(instant: string): string {
  const d = new Date(instant);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
}

/**
 * Records a consent, or a new version of one (`from`): then every element is pre-filled from the
 * version it supersedes (recipients still in force), and the new version replaces it in the same
 * transaction (C7). It is signed anew, so the signature time and the acknowledgements start empty.
 */
export function ConsentForm({
  session,
  patient,
  recipients,
  from,
  onDone,
  onCancel,
}: {
  session: Session;
  patient: PatientSummaryFragment;
  recipients: Organization[];
  from?: Consent;
  onDone: (c: Consent) => void;
  onCancel: () => void;
}) {
  const [purpose, setPurpose] = useState<ConsentPurpose>(from?.purpose ?? 'CRISIS_RESPONSE');
  const [categories, setCategories] = useState<DataCategory[]>(from?.dataCategories ?? ['TREATMENT_STATUS', 'CARE_TEAM_CONTACT']);
  const [chosen, setChosen] = useState<string[]>(from ? from.recipients.filter((r) => !r.revokedAt).map((r) => r.organization.key) : []);
  const [effectiveFrom, setEffectiveFrom] = useState('');
  const [expiresAt, setExpiresAt] = useState(from ? localDate(from.expiresAt) : '');
  const [expirationEvent, setExpirationEvent] = useState(from?.expirationEvent ?? '');
  const [signerName, setSignerName] = useState(from?.signedBy.name ?? `${patient.givenName} ${patient.familyName}`);
  const [relationship, setRelationship] = useState<SignerRelationship>(from?.signedBy.relationship ?? 'SELF');
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
          supersedesConsentId: from?.id,
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
      <h2 id="consent-form-heading">{from ? `New version of consent version ${from.version}` : 'Record consent'}</h2>
      <p>Go through each part with the patient. Every part is required by 42 CFR 2.31 unless it says optional.</p>
      {from && <p>Filled in from version {from.version}: change what the patient wants changed. The patient signs the new version, and it replaces version {from.version} when you record it.</p>}
      <Summary words={(p) => problemWords(p)} />
      {problem && (
        <p class="notice error" role="alert">
          {problem}
        </p>
      )}
      <p>
        <strong>Who may disclose:</strong> your program. <strong>About whom:</strong> {`${patient.givenName} ${patient.familyName}`}.
      </p>
      <Field id="purpose" label="Purpose" hint="Why the information may be shared." problem={errorFor('purpose')} words={fieldWords}>
        {(control) => (
          <select {...control} value={purpose} onChange={(e) => setPurpose(e.currentTarget.value as ConsentPurpose)}>
            {PURPOSES.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
          </select>
        )}
      </Field>
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
      <InputField id="effectiveFrom" label="Effective from" hint="Optional: when it starts to apply. Leave empty for now." type="date" problem={errorFor('effectiveFrom')} words={fieldWords} value={effectiveFrom} onValue={setEffectiveFrom} />
      <InputField id="expiresAt" label="Expires at" hint="The day it ends." type="date" problem={errorFor('expiresAt')} words={fieldWords} value={expiresAt} onValue={setExpiresAt} />
      <InputField
        id="expirationEvent"
        label="Expiration event"
        hint={'Optional: an event that ends it earlier, for example "discharge from the program".'}
        problem={errorFor('expirationEvent')}
        words={fieldWords}
        value={expirationEvent}
        onValue={setExpirationEvent}
      />
      <fieldset class="field">
        <legend>Signed by</legend>
        <InputField id="signedBy.name" label="Name of the signer" problem={errorFor('signedBy.name')} words={fieldWords} value={signerName} onValue={setSignerName} />
        <Field id="signedBy.relationship" label="Relationship" problem={errorFor('signedBy.relationship')} words={fieldWords}>
          {(control) => (
            <select {...control} value={relationship} onChange={(e) => setRelationship(e.currentTarget.value as SignerRelationship)}>
              {RELATIONSHIPS.map((r) => (
                <option key={r.value} value={r.value}>
                  {r.label}
                </option>
              ))}
            </select>
          )}
        </Field>
      </fieldset>
      <InputField id="signedAt" label="Signed at" hint="When it was signed; not in the future." type="datetime-local" problem={errorFor('signedAt')} words={fieldWords} value={signedAt} onValue={setSignedAt} />
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

export function RevokeForm({ session, consent, onDone, onCancel }: { session: Session; consent: Consent; onDone: (c: Consent) => void; onCancel: () => void }) {
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
      <Summary words={(p) => problemWords(p)} />
      {problem && (
        <p class="notice error" role="alert">
          {problem}
        </p>
      )}
      <Field id="method" label="Method" problem={errorFor('method')}>
        {(control) => (
          <select {...control} value={method} onChange={(e) => setMethod(e.currentTarget.value as RevocationMethod)}>
            <option value="WRITTEN">In writing</option>
            <option value="ELECTRONIC">Electronically</option>
          </select>
        )}
      </Field>
      <InputField id="receivedAt" label="Received at" hint="When your program received it; not in the future." type="datetime-local" problem={errorFor('receivedAt')} value={receivedAt} onValue={setReceivedAt} />
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
export function PrintView({ consent, patient, onBack, headingRef }: { consent: Consent; patient: PatientSummaryFragment; onBack: () => void; headingRef: Ref<HTMLHeadingElement> }) {
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
