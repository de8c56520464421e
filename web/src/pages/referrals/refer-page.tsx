import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, graphql } from '../../api/graphql';
import type { PageProps } from '../../navigation/page';
import { type Problem, problemsOf, problemText, ruleText } from '../provider/problems';
import { takeReferralDraft } from './referral-draft';
import { REASONS, URGENCIES } from './referral-words';
import { CreateReferralDocument, type ReferralReason, ReferralPartnersDocument, type ReferralUrgency } from './referrals.generated';
import './referrals.css';

/** The form's fields, each labelled with its GraphQL input field in sentence case (DESIGN.md). */
const LABELS = {
  providerOrganizationKey: 'Provider organization',
  reason: 'Reason',
  urgency: 'Urgency',
  givenName: 'Given name',
  familyName: 'Family name',
  dateOfBirth: 'Date of birth',
  callbackPhone: 'Callback phone',
  incidentNumber: 'Incident number',
  note: 'Note',
  personAgreed: 'Person agreed',
} as const;
type Field = keyof typeof LABELS;
const ID = (field: Field) => `referral-${field}`;

interface Values {
  providerOrganizationKey: string;
  reason: ReferralReason;
  urgency: ReferralUrgency;
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  callbackPhone: string;
  incidentNumber: string;
  note: string;
  personAgreed: boolean;
}
const EMPTY: Values = {
  providerOrganizationKey: '',
  reason: 'CRISIS',
  urgency: 'URGENT',
  givenName: '',
  familyName: '',
  dateOfBirth: '',
  callbackPhone: '',
  incidentNumber: '',
  note: '',
  personAgreed: false,
};

/** Checked before sending, in the API's own rules, so the summary reads the same either way. */
function checked(values: Values): Problem[] {
  const problems: Problem[] = [];
  for (const field of ['providerOrganizationKey', 'givenName', 'familyName', 'incidentNumber'] as const) if (!values[field].trim()) problems.push({ field, rule: 'REQUIRED' });
  if (!values.personAgreed) problems.push({ field: 'personAgreed', rule: 'REQUIRED' });
  return problems;
}

function problemWords(problem: Problem): string {
  const field = problem.field as Field;
  if (field === 'personAgreed') return 'Ask the person whether they agree to be referred; refer only if they do';
  if (field === 'providerOrganizationKey' && problem.rule === 'REQUIRED') return 'Choose the provider organization';
  return ruleText(LABELS[field] ?? problem.field, problem);
}

/**
 * The responder's referral (deflection): a blank form, or one pre-filled from a lookup's person
 * fields when `Refer` was pressed on the answer. Nothing is kept after it is sent or left.
 */
export function ReferPage({ session }: PageProps) {
  const [values, setValues] = useState<Values>(() => {
    const draft = takeReferralDraft();
    return draft ? { ...EMPTY, ...draft } : EMPTY;
  });
  const [partners, setPartners] = useState<Array<{ key: string; name: string }> | undefined>();
  const [problems, setProblems] = useState<Problem[]>([]);
  const [problem, setProblem] = useState('');
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const summary = useRef<HTMLDivElement>(null);
  const statusBox = useRef<HTMLParagraphElement>(null);

  useEffect(() => {
    graphql(session, ReferralPartnersDocument, {}).then(
      (result) => {
        setPartners(result.referralPartners);
        if (result.referralPartners.length === 1) setValues((v) => ({ ...v, providerOrganizationKey: v.providerOrganizationKey || result.referralPartners[0].key }));
      },
      (error) => setProblem(problemText(error)),
    );
  }, [session]);
  useEffect(() => {
    if (problems.length) summary.current?.focus();
  }, [problems]);

  const set = (field: Field) => (event: Event) => {
    const target = event.currentTarget as HTMLInputElement;
    setValues((v) => ({ ...v, [field]: target.type === 'checkbox' ? target.checked : target.value }));
  };
  const errorOf = (field: Field) => problems.find((p) => p.field === field);

  const send = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setProblem('');
    setStatus('');
    const found = checked(values);
    setProblems(found);
    if (found.length) return;
    setBusy(true);
    try {
      const optional = (text: string) => (text.trim() ? text.trim() : null);
      const result = await graphql(session, CreateReferralDocument, {
        input: {
          providerOrganizationKey: values.providerOrganizationKey,
          reason: values.reason,
          urgency: values.urgency,
          givenName: values.givenName.trim(),
          familyName: values.familyName.trim(),
          dateOfBirth: values.dateOfBirth || null,
          callbackPhone: optional(values.callbackPhone),
          incidentNumber: values.incidentNumber.trim(),
          note: optional(values.note),
          personAgreed: values.personAgreed,
        },
      });
      setValues({ ...EMPTY, providerOrganizationKey: values.providerOrganizationKey });
      setStatus(`Referral sent to ${result.createReferral.provider.name}. Its status is under "Referrals".`);
      statusBox.current?.focus();
    } catch (error) {
      const found = problemsOf(error);
      if (found.length) setProblems(found);
      else if (error instanceof ApiError && error.code === 'PARTNERSHIP_REQUIRED') setProblem('Your agency has no agreement in force with this provider now. Choose another provider.');
      else setProblem(problemText(error));
    } finally {
      setBusy(false);
    }
  };

  const text = (field: Field, options: { type?: 'text' | 'date' | 'tel'; hint?: string; autoCapitalize?: 'off' | 'words' | 'characters' } = {}) => {
    const error = errorOf(field);
    const id = ID(field);
    const describedBy = [options.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
    const common = { id, name: field, autoComplete: 'off', spellcheck: false, value: values[field] as string, onInput: set(field), 'aria-describedby': describedBy, 'aria-invalid': error ? true : undefined };
    return (
      <div class={error ? 'field field-error-state' : 'field'}>
        <label for={id}>{LABELS[field]}</label>
        {options.hint && (
          <p class="hint" id={`${id}-hint`}>
            {options.hint}
          </p>
        )}
        {error && (
          <p class="field-error" id={`${id}-error`}>
            <span class="visually-hidden">Error: </span>
            {problemWords(error)}
          </p>
        )}
        {options.type === 'date' ? (
          <input type="date" {...common} />
        ) : options.type === 'tel' ? (
          <input type="tel" {...common} />
        ) : (
          <input type="text" autoCapitalize={options.autoCapitalize ?? 'words'} {...common} />
        )}
      </div>
    );
  };

  const select = (field: 'providerOrganizationKey' | 'reason' | 'urgency', options: Array<{ value: string; label: string }>) => {
    const error = errorOf(field);
    const id = ID(field);
    return (
      <div class={error ? 'field field-error-state' : 'field'}>
        <label for={id}>{LABELS[field]}</label>
        {error && (
          <p class="field-error" id={`${id}-error`}>
            <span class="visually-hidden">Error: </span>
            {problemWords(error)}
          </p>
        )}
        <select id={id} name={field} value={values[field]} onChange={set(field)} aria-describedby={error ? `${id}-error` : undefined} aria-invalid={error ? true : undefined}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
    );
  };

  const agreedError = errorOf('personAgreed');
  return (
    <>
      <h1>Refer a person</h1>
      <p>Refer someone who agreed to it to a partner treatment provider: a referral instead of an arrest. The provider calls them back; no lookup is needed.</p>
      <p class="status" role="status" tabIndex={-1} ref={statusBox}>
        {status}
      </p>
      {problem && (
        <div class="error-summary" role="alert">
          <h2>There is a problem</h2>
          <p>{problem}</p>
        </div>
      )}
      {problems.length > 0 && (
        <div class="error-summary" role="alert" aria-labelledby="referral-problems-title" tabIndex={-1} ref={summary}>
          <h2 id="referral-problems-title">There is a problem</h2>
          <ul>
            {problems.map((p) => (
              <li key={`${p.field}-${p.rule}`}>
                <a
                  href={`#${ID(p.field as Field)}`}
                  onClick={(event) => {
                    event.preventDefault();
                    document.getElementById(ID(p.field as Field))?.focus();
                  }}
                >
                  {problemWords(p)}
                </a>
              </li>
            ))}
          </ul>
        </div>
      )}
      <form onSubmit={send} autoComplete="off" noValidate>
        {select('providerOrganizationKey', [{ value: '', label: partners === undefined ? 'Loading…' : partners.length ? 'Choose a provider' : 'No partner provider' }, ...(partners ?? []).map((p) => ({ value: p.key, label: (partners ?? []).filter((q) => q.name === p.name).length > 1 ? `${p.name} (${p.key})` : p.name }))])}
        {select('reason', REASONS)}
        {select('urgency', URGENCIES)}
        {text('givenName')}
        {text('familyName')}
        {text('dateOfBirth', { type: 'date', hint: 'If known.' })}
        {text('callbackPhone', { type: 'tel', hint: 'Where the provider can call the person back, for example +1 555 0100 123.', autoCapitalize: 'off' })}
        {text('incidentNumber', { hint: 'Letters, digits and hyphens, for example INC-2026-0042', autoCapitalize: 'characters' })}
        <div class={errorOf('note') ? 'field field-error-state' : 'field'}>
          <label for={ID('note')}>{LABELS.note}</label>
          <p class="hint" id={`${ID('note')}-hint`}>
            Up to 500 characters: when and how to reach the person, what they asked for. No diagnosis.
          </p>
          {errorOf('note') && (
            <p class="field-error" id={`${ID('note')}-error`}>
              <span class="visually-hidden">Error: </span>
              {problemWords(errorOf('note')!)}
            </p>
          )}
          <textarea id={ID('note')} name="note" rows={3} maxLength={500} autoComplete="off" value={values.note} onInput={set('note')} aria-describedby={`${ID('note')}-hint${errorOf('note') ? ` ${ID('note')}-error` : ''}`} />
        </div>
        <div class={agreedError ? 'field field-error-state' : 'field'}>
          {agreedError && (
            <p class="field-error" id={`${ID('personAgreed')}-error`}>
              <span class="visually-hidden">Error: </span>
              {problemWords(agreedError)}
            </p>
          )}
          <div class="check">
            <input id={ID('personAgreed')} name="personAgreed" type="checkbox" checked={values.personAgreed} onChange={set('personAgreed')} aria-describedby={`${ID('personAgreed')}-hint${agreedError ? ` ${ID('personAgreed')}-error` : ''}`} aria-invalid={agreedError ? true : undefined} />
            <label for={ID('personAgreed')}>{LABELS.personAgreed}</label>
          </div>
          <p class="hint" id={`${ID('personAgreed')}-hint`}>
            The person agreed to be referred and to be called back by the provider.
          </p>
        </div>
        <div class="actions">
          <button type="submit" class="button" disabled={busy}>
            Send referral
          </button>
          <button type="button" class="button secondary" onClick={() => { setValues({ ...EMPTY, providerOrganizationKey: values.providerOrganizationKey }); setProblems([]); setStatus('Cleared.'); }}>
            Clear
          </button>
        </div>
      </form>
    </>
  );
}
