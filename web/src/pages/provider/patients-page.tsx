import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, graphql } from '../../api/graphql';
import type { PageProps } from '../../navigation/page';
import { PatientView } from './patient-view';
import { InputField } from './form';
import { FindPatientsDocument, type PatientSummaryFragment, ProviderPatientDocument, RegisterPatientDocument } from './provider.generated';
import { type Problem, problemsOf, problemText, ruleText, sentenceCase } from './problems';
import { PageStatus } from '../page-status';
import './provider.css';

type Patient = PatientSummaryFragment;
const EMPTY = { givenName: '', familyName: '', dateOfBirth: '', aliases: '' };
type Values = typeof EMPTY;

/**
 * Provider staff's patients: find a person of the organisation by name and date of birth (the
 * API's findPatients: matched like a responder lookup, audited), or register them (a possible
 * duplicate is refused until the staff member says it is a different person); then the patient's
 * screen. Everything stays in memory, nothing in the address.
 */
export function PatientsPage({ session }: PageProps) {
  const [mode, setMode] = useState<'find' | 'register'>('find');
  const [values, setValues] = useState<Values>(EMPTY);
  const [found, setFound] = useState<Patient[] | undefined>();
  const [patient, setPatient] = useState<Patient | undefined>();
  const [duplicateOf, setDuplicateOf] = useState<string | undefined>();
  const [distinct, setDistinct] = useState(false);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [problem, setProblem] = useState('');
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const warning = useRef<HTMLDivElement>(null);
  const summary = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (duplicateOf) warning.current?.focus();
  }, [duplicateOf]);
  useEffect(() => {
    if (problems.length) summary.current?.focus();
  }, [problems]);

  const errorFor = (name: string) => problems.find((p) => p.field === name || p.field.startsWith(`${name}.`) || p.field.startsWith(`${name}[`));

  const find = async (event: Event) => {
    event.preventDefault();
    setProblem('');
    setStatus('');
    setFound(undefined);
    if (!values.givenName.trim() || !values.familyName.trim() || !values.dateOfBirth) {
      setProblem('Enter the given name, the family name and the date of birth.');
      return;
    }
    setBusy(true);
    try {
      const result = await graphql(session, FindPatientsDocument, {
        input: { givenName: values.givenName.trim(), familyName: values.familyName.trim(), dateOfBirth: values.dateOfBirth },
      });
      setFound(result.findPatients);
    } catch (error) {
      if (problemsOf(error).length) setProblems(problemsOf(error));
      else setProblem(problemText(error));
    } finally {
      setBusy(false);
    }
  };

  const register = async (event: Event) => {
    event.preventDefault();
    setProblem('');
    setProblems([]);
    setBusy(true);
    try {
      const aliases = values.aliases
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean);
      const result = await graphql(session, RegisterPatientDocument, {
        input: { givenName: values.givenName.trim(), familyName: values.familyName.trim(), dateOfBirth: values.dateOfBirth, aliases, confirmDistinctPerson: duplicateOf ? distinct : undefined },
      });
      setDuplicateOf(undefined);
      setDistinct(false);
      setMode('find');
      setValues(EMPTY);
      setStatus('Patient registered.');
      setPatient(result.registerPatient);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'POSSIBLE_DUPLICATE') {
        setDuplicateOf(typeof error.extensions.existingPatientId === 'string' ? error.extensions.existingPatientId : '');
        setDistinct(false);
      } else if (problemsOf(error).length) setProblems(problemsOf(error));
      else setProblem(problemText(error));
    } finally {
      setBusy(false);
    }
  };

  const openExisting = async (id: string) => {
    setBusy(true);
    try {
      const existing = (await graphql(session, ProviderPatientDocument, { id })).patient;
      if (existing) {
        setDuplicateOf(undefined);
        setMode('find');
        setValues(EMPTY);
        setPatient(existing);
      } else setProblem('That record is not there any more.');
    } catch (error) {
      setProblem(problemText(error));
    } finally {
      setBusy(false);
    }
  };

  if (patient) {
    return (
      <PatientView
        session={session}
        patient={patient}
        status={status}
        onPatient={setPatient}
        onBack={() => {
          setPatient(undefined);
          setFound(undefined);
          setStatus('');
        }}
      />
    );
  }

  const field = (name: keyof Values, label: string, options: { type?: 'date'; hint?: string } = {}) => (
    <InputField id={`${mode}-${name}`} label={label} hint={options.hint} type={options.type} problem={errorFor(name)} value={values[name]} onValue={(value) => setValues({ ...values, [name]: value })} />
  );

  return (
    <>
      <h1>Patients</h1>
      <PageStatus busy={busy} status={status} problem={problem} />
      {problems.length > 0 && (
        <div class="error-summary" role="alert" aria-labelledby="register-problems" tabIndex={-1} ref={summary}>
          <h2 id="register-problems">There is a problem</h2>
          <ul>
            {problems.map((p) => (
              <li key={`${p.field}-${p.rule}`}>{ruleText(sentenceCase(p.field), p)}</li>
            ))}
          </ul>
        </div>
      )}
      {mode === 'find' ? (
        <form onSubmit={find} autoComplete="off" noValidate aria-label="Find a patient">
          <p>Find a patient of your organisation by name and date of birth, or register a new one.</p>
          {field('givenName', 'Given name', { hint: 'Or a name they are also known by' })}
          {field('familyName', 'Family name')}
          {field('dateOfBirth', 'Date of birth', { type: 'date' })}
          <div class="actions">
            <button type="submit" class="button" disabled={busy}>
              Find patient
            </button>
            <button
              type="button"
              class="button secondary"
              onClick={() => {
                setMode('register');
                setFound(undefined);
                setProblem('');
                setStatus('');
              }}
            >
              Register patient
            </button>
          </div>
          <div role="status">
            {found && found.length === 0 && <p>No patient of your organisation matches. Check the spelling, or register the person.</p>}
            {found && found.length > 0 && <p>{found.length === 1 ? '1 patient matches.' : `${found.length} patients match.`}</p>}
          </div>
          {found && found.length > 0 && (
            <ul class="choices">
              {found.map((p) => (
                <li key={p.id}>
                  <button type="button" class="button secondary" onClick={() => setPatient(p)}>
                    {`Open ${p.givenName} ${p.familyName}, born ${p.dateOfBirth}`}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </form>
      ) : (
        <form onSubmit={register} autoComplete="off" noValidate aria-label="Register a patient">
          <h2>Register a patient</h2>
          {field('givenName', 'Given name')}
          {field('familyName', 'Family name')}
          {field('dateOfBirth', 'Date of birth', { type: 'date' })}
          {field('aliases', 'Aliases', { hint: 'Other given names the person is known by, separated by commas (up to 10)' })}
          {duplicateOf !== undefined && (
            <div class="notice error" role="alert" tabIndex={-1} ref={warning} aria-labelledby="duplicate-heading">
              <h2 id="duplicate-heading">This may be someone already registered</h2>
              <p>A patient of your organisation has the same family name and date of birth, and the same given name or alias. Registering them twice splits their record.</p>
              {duplicateOf && (
                <button type="button" class="button secondary" onClick={() => void openExisting(duplicateOf)}>
                  Open the existing record
                </button>
              )}
              <div class="field">
                <label class="check">
                  <input type="checkbox" checked={distinct} onChange={(e) => setDistinct(e.currentTarget.checked)} />
                  <span>This is a different person: I checked the existing record</span>
                </label>
              </div>
            </div>
          )}
          <div class="actions">
            <button type="submit" class="button" disabled={busy || (duplicateOf !== undefined && !distinct)}>
              Register patient
            </button>
            <button
              type="button"
              class="button secondary"
              onClick={() => {
                setMode('find');
                setDuplicateOf(undefined);
                setProblems([]);
              }}
            >
              Cancel
            </button>
          </div>
        </form>
      )}
    </>
  );
}
