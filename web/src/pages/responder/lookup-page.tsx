import type { Ref } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { PageProps } from '../../navigation/page';
import { AnswerView } from './answer';
import { type ClearReason, useAnswerLifetime } from './answer-lifetime';
import { type Answer, discloseUnderEmergency, lookUp } from './lookup-api';
import { EMPTY_VALUES, errorsFromFields, FIELD_IDS, type FieldErrors, type FieldName, type LookupValues, NATURE_MIN_LENGTH, PURPOSES, validate, withoutPerson } from './lookup-form-model';
import { type Refusal, refusalOf } from './refusals';
import { navigate } from '../../navigation/router';
import { keepReferralDraft, type ReferralDraft } from '../referrals/referral-draft';
import './responder.css';

interface Shown {
  answer: Answer;
  emergency: boolean;
  shownAt: number;
  /** The person asked about, for `Refer` (memory only). */
  person: ReferralDraft;
}

const CLEARED: Record<ClearReason | 'button', (minutes: number) => string> = {
  button: () => 'Cleared. Nothing about the person is left on this screen.',
  timer: (minutes) => `The answer was removed after ${minutes} minutes. Look up again if you still need it.`,
  hidden: () => 'The answer was removed because the screen was hidden or locked. Look up again if you still need it.',
};

/**
 * The responder's screen: one form, the answer at a glance above it, refusals in words, and
 * nothing left on the device (C12). Clinical responders also get the medical emergency (§2.51).
 */
export function LookupPage({ session, me, config }: PageProps) {
  const clinical = me.roles.includes('clinical_responder');
  const [values, setValues] = useState<LookupValues>(EMPTY_VALUES);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [shown, setShown] = useState<Shown | undefined>();
  const [refusal, setRefusal] = useState<Refusal | undefined>();
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const [emergencyOpen, setEmergencyOpen] = useState(false);
  const [online, setOnline] = useState(navigator.onLine);
  const answerHeading = useRef<HTMLHeadingElement>(null);
  const problemBox = useRef<HTMLDivElement>(null);
  const natureField = useRef<HTMLTextAreaElement>(null);
  const [problemShown, setProblemShown] = useState(0);

  const clear = (reason: ClearReason | 'button') => {
    setShown(undefined);
    setValues(withoutPerson);
    setErrors({});
    setRefusal(undefined);
    setEmergencyOpen(false);
    setStatus(CLEARED[reason](Math.round(config.answerTtlSeconds / 60)));
  };
  useAnswerLifetime(shown?.shownAt, config.answerTtlSeconds, config.hiddenClearSeconds, clear);

  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    // Signed out of the provider: the answer goes; what was typed stays for the sign-in again.
    const unsubscribe = session.subscribe((state) => state.status !== 'signed-in' && setShown(undefined));
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
      unsubscribe();
    };
  }, [session]);

  // The answer takes the focus (a screen reader reads it at once) and the page goes back to its
  // top, where the answer is: on a phone the first number to call is then on the screen.
  useEffect(() => {
    if (!shown) return;
    answerHeading.current?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, [shown]);
  // A problem takes the focus once it is on screen (GOV.UK's error summary), so it is read first.
  useEffect(() => {
    if (problemShown === 0) return;
    problemBox.current?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, [problemShown]);
  useEffect(() => {
    if (emergencyOpen) natureField.current?.focus();
  }, [emergencyOpen]);

  const set = (name: FieldName) => (event: Event) => {
    const value = (event.currentTarget as HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement).value;
    setValues((current) => ({ ...current, [name]: value }));
  };

  const ask = async (kind: 'lookup' | 'emergency') => {
    if (busy) return;
    // A new question: the previous answer goes at once, so no old answer is ever shown for it.
    setShown(undefined);
    setRefusal(undefined);
    setStatus('');
    const found = validate(values, kind);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      setProblemShown((n) => n + 1);
      return;
    }
    setBusy(true);
    const person = { givenName: values.givenName.trim(), familyName: values.familyName.trim(), dateOfBirth: values.dateOfBirth, incidentNumber: values.incidentNumber.trim() };
    try {
      const answer =
        kind === 'lookup'
          ? await lookUp(session, { ...person, purpose: values.purpose })
          : await discloseUnderEmergency(session, { ...person, natureOfEmergency: values.natureOfEmergency.trim() });
      setShown({ answer, emergency: kind === 'emergency', shownAt: Date.now(), person });
      if (kind === 'emergency') setEmergencyOpen(false);
    } catch (error) {
      const refused = refusalOf(error);
      if (refused.kind === 'invalid') setErrors(errorsFromFields(refused.fields));
      setRefusal(refused);
      // When the shell already says the session has ended, with the way to sign in again, go there.
      const banner = refused.kind === 'session-expired' ? document.getElementById('session-expired') : null;
      if (banner) banner.focus();
      else setProblemShown((n) => n + 1);
    } finally {
      setBusy(false);
    }
  };

  const onSubmit = (event: Event) => {
    event.preventDefault();
    void ask('lookup');
  };

  const errorList = (Object.keys(FIELD_IDS) as FieldName[]).filter((name) => errors[name]);
  return (
    <>
      <h1>Look up a person</h1>
      {!online && refusal?.kind !== 'offline' && (
        <div class="notice error" role="status">
          You are offline. Nothing can be looked up until the connection is back.
        </div>
      )}
      <p class="status" role="status">
        {status}
      </p>
      {busy && <p class="busy">Looking up…</p>}
      {errorList.length > 0 && (
        <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1} ref={problemBox}>
          <h2 id="error-summary-title">There is a problem</h2>
          <ul>
            {errorList.map((name) => (
              <li key={name}>
                <a
                  href={`#${FIELD_IDS[name]}`}
                  onClick={(event) => {
                    event.preventDefault();
                    document.getElementById(FIELD_IDS[name])?.focus();
                  }}
                >
                  {errors[name]}
                </a>
              </li>
            ))}
          </ul>
        </div>
      )}
      {refusal && refusal.kind !== 'invalid' && !(refusal.kind === 'session-expired' && session.state.status === 'expired') && (
        <RefusalView refusal={refusal} crisisLine={config.crisisLine} boxRef={errorList.length > 0 ? undefined : problemBox} />
      )}
      {shown && (
        <AnswerView
          answer={shown.answer}
          emergency={shown.emergency}
          crisisLine={config.crisisLine}
          removedAt={shown.shownAt + config.answerTtlSeconds * 1000}
          headingRef={answerHeading}
          onRefer={() => {
            // The person's fields go to the referral form in memory only, never in the address (C3).
            keepReferralDraft(shown.person);
            setShown(undefined);
            setValues(withoutPerson);
            navigate('/refer');
          }}
        />
      )}
      <form class="lookup-form" onSubmit={onSubmit} autoComplete="off" noValidate>
        <TextField name="givenName" label="Given name" values={values} errors={errors} onInput={set} />
        <TextField name="familyName" label="Family name" values={values} errors={errors} onInput={set} />
        <TextField name="dateOfBirth" label="Date of birth" type="date" hint="Month, day and year, for example 04/12/1990" values={values} errors={errors} onInput={set} />
        <TextField name="incidentNumber" label="Incident number" hint="Letters, digits and hyphens, for example INC-2026-0042" values={values} errors={errors} onInput={set} />
        <div class="field">
          <label for="purpose">Purpose</label>
          <select id="purpose" name="purpose" autoComplete="off" value={values.purpose} onChange={set('purpose')}>
            {PURPOSES.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
          </select>
        </div>
        <div class="actions">
          <button type="submit" class="button">
            Look up
          </button>
          <button type="button" class="button secondary" onClick={() => clear('button')}>
            Clear
          </button>
        </div>
        {clinical && (
          <div class="emergency">
            <button type="button" class="button warning" aria-expanded={emergencyOpen} aria-controls="emergency-section" onClick={() => setEmergencyOpen(!emergencyOpen)}>
              Medical emergency
            </button>
            <div id="emergency-section" hidden={!emergencyOpen}>
              <p>
                Only when there is a bona fide medical emergency and the person's consent cannot be obtained first (42 CFR 2.51). Treatment status and care team contacts are disclosed
                without consent.
              </p>
              <div class={errors.natureOfEmergency ? 'field field-error-state' : 'field'}>
                <label for="nature-of-emergency">Nature of the emergency</label>
                <p class="hint" id="nature-of-emergency-hint">
                  At least {NATURE_MIN_LENGTH} characters. Say what is happening, for example: unresponsive, suspected overdose.
                </p>
                {errors.natureOfEmergency && <FieldError id="nature-of-emergency-error" text={errors.natureOfEmergency} />}
                <textarea
                  id="nature-of-emergency"
                  name="natureOfEmergency"
                  rows={3}
                  autoComplete="off"
                  ref={natureField}
                  value={values.natureOfEmergency}
                  onInput={set('natureOfEmergency')}
                  aria-describedby={`nature-of-emergency-hint${errors.natureOfEmergency ? ' nature-of-emergency-error' : ''}`}
                  aria-invalid={errors.natureOfEmergency ? true : undefined}
                />
              </div>
              <p class="warning-text">
                <strong>This disclosure is recorded</strong> with your name, your organisation, the time and the nature of the emergency, and the treatment program is notified.
              </p>
              <button type="button" class="button warning" onClick={() => void ask('emergency')}>
                Disclose under medical emergency
              </button>
            </div>
          </div>
        )}
      </form>
    </>
  );
}

function FieldError({ id, text }: { id: string; text: string }) {
  return (
    <p class="field-error" id={id}>
      <span class="visually-hidden">Error: </span>
      {text}
    </p>
  );
}

interface TextFieldProps {
  name: FieldName;
  label: string;
  type?: 'text' | 'date';
  hint?: string;
  values: LookupValues;
  errors: FieldErrors;
  onInput: (name: FieldName) => (event: Event) => void;
}

function TextField({ name, label, type = 'text', hint, values, errors, onInput }: TextFieldProps) {
  const id = FIELD_IDS[name];
  const error = errors[name];
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  const common = {
    id,
    name,
    autoComplete: 'off',
    spellcheck: false,
    value: values[name],
    onInput: onInput(name),
    'aria-describedby': describedBy || undefined,
    'aria-invalid': error ? true : undefined,
  };
  return (
    <div class={error ? 'field field-error-state' : 'field'}>
      <label for={id}>{label}</label>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && <FieldError id={`${id}-error`} text={error} />}
      {type === 'date' ? <input type="date" {...common} /> : <input type="text" autoCapitalize={name === 'incidentNumber' ? 'characters' : 'words'} {...common} />}
    </div>
  );
}

function RefusalView({ refusal, crisisLine, boxRef }: { refusal: Refusal; crisisLine: string; boxRef?: Ref<HTMLDivElement> }) {
  const text = (() => {
    switch (refusal.kind) {
      case 'rate-limited':
        return {
          title: 'Too many lookups',
          body: `You have made as many lookups as are allowed for now. ${refusal.waitText ? `You can look up again in ${refusal.waitText}.` : 'You can look up again later.'}`,
        };
      case 'offline':
        return { title: 'You are offline', body: 'Nothing was looked up. Look up again when the connection is back.' };
      case 'forbidden':
        return { title: 'Your account cannot do this', body: 'Your account is not allowed to make this request. Ask your administrator if it should be.' };
      case 'unavailable':
        return { title: 'No answer from the service', body: 'The service did not answer. Try again in a minute.' };
      case 'session-expired':
        // The API refused the sign-in itself (the session banner covers a refused refresh).
        return { title: 'Sign in again', body: 'Your sign-in is no longer accepted. Sign out, then sign in again.' };
      case 'invalid':
        return { title: '', body: '' };
    }
  })();
  return (
    <div class="notice error refusal" role="alert" aria-labelledby="refusal-title" tabIndex={-1} ref={boxRef}>
      <h2 id="refusal-title">{text.title}</h2>
      <p>{text.body}</p>
      <p>
        If you need advice now, call the crisis line: <a href={`tel:${crisisLine.replace(/[^\d+]/g, '')}`}>{crisisLine}</a>
      </p>
    </div>
  );
}
