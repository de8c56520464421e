import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, graphql } from '../../api/graphql';
import type { Session } from '../../auth/session';
import { InputField, useProblems } from './form';
import { problemsOf, problemText, when } from './problems';
import { FindPatientsDocument, MergePatientsDocument, type PatientSummaryFragment, ProviderPatientDocument, UpdatePatientDocument } from './provider.generated';

type Patient = PatientSummaryFragment;

const aliasList = (text: string) => [...new Set(text.split(',').map((a) => a.trim()).filter(Boolean))];
const describe = (p: Patient) => `${p.givenName} ${p.familyName}, born ${p.dateOfBirth}${p.aliases.length ? `, also known as ${p.aliases.join(', ')}` : ''}`;

/**
 * Corrects a patient's identity (updatePatient): names, date of birth, aliases. The API rewrites
 * the matching at once (the old name stops matching a lookup); a correction that makes the record
 * look like another patient's is refused until the staff member says it is a different person.
 */
export function CorrectForm({
  session,
  patient,
  onDone,
  onMergeInstead,
  onCancel,
}: {
  session: Session;
  patient: Patient;
  onDone: (p: Patient) => void;
  onMergeInstead: (otherId: string) => void;
  onCancel: () => void;
}) {
  const [givenName, setGivenName] = useState(patient.givenName);
  const [familyName, setFamilyName] = useState(patient.familyName);
  const [dateOfBirth, setDateOfBirth] = useState(patient.dateOfBirth);
  const [aliases, setAliases] = useState(patient.aliases.join(', '));
  // The record the corrected details match (POSSIBLE_DUPLICATE's existingPatientId), once refused.
  const [duplicate, setDuplicate] = useState<{ existingPatientId?: string } | undefined>();
  const [distinct, setDistinct] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState('');
  const { setProblems, errorFor, Summary } = useProblems('correct-problems');
  const warning = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (duplicate) warning.current?.focus();
  }, [duplicate]);

  const submit = async (event: Event) => {
    event.preventDefault();
    setProblem('');
    setProblems(dateOfBirth ? [] : [{ field: 'dateOfBirth', rule: 'REQUIRED' }]);
    if (!dateOfBirth) return;
    setBusy(true);
    try {
      const result = await graphql(session, UpdatePatientDocument, {
        input: {
          patientId: patient.id,
          givenName: givenName.trim(),
          familyName: familyName.trim(),
          dateOfBirth,
          aliases: aliasList(aliases),
          confirmDistinctPerson: duplicate ? distinct : undefined,
        },
      });
      onDone(result.updatePatient);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'POSSIBLE_DUPLICATE') {
        const existing = error.extensions.existingPatientId;
        setDuplicate({ existingPatientId: typeof existing === 'string' ? existing : undefined });
        setDistinct(false);
      } else if (problemsOf(error).length) setProblems(problemsOf(error));
      else setProblem(problemText(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} autoComplete="off" noValidate aria-labelledby="correct-heading">
      <h2 id="correct-heading">Correct details</h2>
      <p>Responders find the person by these details from the moment you save: the old name stops matching.</p>
      <Summary />
      {problem && (
        <p class="notice error" role="alert">
          {problem}
        </p>
      )}
      <InputField id="correct-givenName" label="Given name" problem={errorFor('givenName')} value={givenName} onValue={setGivenName} />
      <InputField id="correct-familyName" label="Family name" problem={errorFor('familyName')} value={familyName} onValue={setFamilyName} />
      <InputField id="correct-dateOfBirth" label="Date of birth" type="date" problem={errorFor('dateOfBirth')} value={dateOfBirth} onValue={setDateOfBirth} />
      <InputField
        id="correct-aliases"
        label="Aliases"
        hint="Other given names the person is known by, separated by commas (up to 10). What you save replaces the list."
        problem={errorFor('aliases')}
        value={aliases}
        onValue={setAliases}
      />
      {duplicate && (
        <div class="notice error" role="alert" tabIndex={-1} ref={warning} aria-labelledby="correct-duplicate-heading">
          <h2 id="correct-duplicate-heading">These details match another patient</h2>
          <p>Another patient of your organisation has the same family name and date of birth, and the same given name or alias. If it is the same person, merge the two records instead.</p>
          {duplicate.existingPatientId && (
            <button type="button" class="button secondary" onClick={() => onMergeInstead(duplicate.existingPatientId!)}>
              Merge with that record instead
            </button>
          )}
          <div class="field">
            <label class="check">
              <input type="checkbox" checked={distinct} onChange={(e) => setDistinct(e.currentTarget.checked)} />
              <span>This is a different person: I checked the other record</span>
            </label>
          </div>
        </div>
      )}
      <div class="actions">
        <button type="submit" class="button" disabled={busy || (duplicate && !distinct)}>
          Save correction
        </button>
        <button type="button" class="button secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/**
 * Merges two records of one person (mergePatients): the other record is found by name and date of
 * birth, the staff member picks which record stays, and is told in words what happens before
 * anything is done. The merged record's enrollments and consents move to the one that stays, and
 * its id answers as that record from then on.
 */
export function MergeForm({
  session,
  patient,
  otherId,
  onDone,
  onCancel,
}: {
  session: Session;
  patient: Patient;
  /** The other record when it is already known (a correction refused as its possible duplicate). */
  otherId?: string;
  onDone: (survivor: Patient, merged: Patient) => void;
  onCancel: () => void;
}) {
  const [values, setValues] = useState({ givenName: patient.givenName, familyName: patient.familyName, dateOfBirth: patient.dateOfBirth });
  const [found, setFound] = useState<Patient[] | undefined>();
  const [other, setOther] = useState<Patient | undefined>();
  const [keep, setKeep] = useState<'this' | 'other'>('this');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState('');
  const { setProblems, errorFor, Summary } = useProblems('merge-problems');
  const confirm = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (other) confirm.current?.focus();
  }, [other]);
  useEffect(() => {
    if (!otherId) return;
    void (async () => {
      try {
        const known = (await graphql(session, ProviderPatientDocument, { id: otherId })).patient;
        if (known && known.id !== patient.id) setOther(known);
      } catch (error) {
        setProblem(problemText(error));
      }
    })();
  }, [otherId]);

  const find = async (event: Event) => {
    event.preventDefault();
    setProblem('');
    setProblems([]);
    setFound(undefined);
    if (!values.givenName.trim() || !values.familyName.trim() || !values.dateOfBirth) {
      setProblem('Enter the given name, the family name and the date of birth.');
      return;
    }
    setBusy(true);
    try {
      const result = await graphql(session, FindPatientsDocument, { input: { givenName: values.givenName.trim(), familyName: values.familyName.trim(), dateOfBirth: values.dateOfBirth } });
      setFound(result.findPatients.filter((p) => p.id !== patient.id));
    } catch (error) {
      if (problemsOf(error).length) setProblems(problemsOf(error));
      else setProblem(problemText(error));
    } finally {
      setBusy(false);
    }
  };

  const merge = async (event: Event) => {
    event.preventDefault();
    if (!other) return;
    const [survivor, merged] = keep === 'this' ? [patient, other] : [other, patient];
    setProblem('');
    setBusy(true);
    try {
      const result = await graphql(session, MergePatientsDocument, { input: { survivorId: survivor.id, mergedId: merged.id } });
      onDone(result.mergePatients, merged);
    } catch (error) {
      setProblem(problemText(error));
    } finally {
      setBusy(false);
    }
  };

  if (other) {
    const [survivor, merged] = keep === 'this' ? [patient, other] : [other, patient];
    return (
      <form onSubmit={merge} autoComplete="off" noValidate aria-labelledby="merge-confirm-heading">
        <h2 id="merge-confirm-heading" tabIndex={-1} ref={confirm}>
          Merge two records of one person
        </h2>
        {problem && (
          <p class="notice error" role="alert">
            {problem}
          </p>
        )}
        <fieldset class="field">
          <legend>Which record stays</legend>
          <label class="check">
            <input type="radio" name="keep" checked={keep === 'this'} onChange={() => setKeep('this')} />
            <span>{`This record: ${describe(patient)}, registered ${when(patient.createdAt)}`}</span>
          </label>
          <label class="check">
            <input type="radio" name="keep" checked={keep === 'other'} onChange={() => setKeep('other')} />
            <span>{`The other record: ${describe(other)}, registered ${when(other.createdAt)}`}</span>
          </label>
        </fieldset>
        <div class="notice" id="merge-consequences">
          <h3>What happens</h3>
          <ul>
            <li>{`The record that stays: ${describe(survivor)} (registered ${when(survivor.createdAt)}), with its details as they are.`}</li>
            <li>{`The enrollments and consents of the other record, ${describe(merged)} (registered ${when(merged.createdAt)}), move to it.`}</li>
            <li>That record stops being found on its own: its id answers as the record that stays, and its audit history stays with it.</li>
            <li>Its own names and aliases are not kept. If the person also uses them, add them as aliases afterwards.</li>
            <li>A merge cannot be undone here.</li>
          </ul>
        </div>
        <div class="actions">
          <button type="submit" class="button warning" disabled={busy} aria-describedby="merge-consequences">
            Merge records
          </button>
          <button type="button" class="button secondary" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    );
  }

  return (
    <form onSubmit={find} autoComplete="off" noValidate aria-labelledby="merge-heading">
      <h2 id="merge-heading">Merge records</h2>
      <p>Find the other record of this person. Its details may be spelled differently: change the search if needed.</p>
      <Summary />
      {problem && (
        <p class="notice error" role="alert">
          {problem}
        </p>
      )}
      <InputField id="merge-givenName" label="Given name" hint="Or a name they are also known by" problem={errorFor('givenName')} value={values.givenName} onValue={(v) => setValues({ ...values, givenName: v })} />
      <InputField id="merge-familyName" label="Family name" problem={errorFor('familyName')} value={values.familyName} onValue={(v) => setValues({ ...values, familyName: v })} />
      <InputField id="merge-dateOfBirth" label="Date of birth" type="date" problem={errorFor('dateOfBirth')} value={values.dateOfBirth} onValue={(v) => setValues({ ...values, dateOfBirth: v })} />
      <div class="actions">
        <button type="submit" class="button" disabled={busy}>
          Find records
        </button>
        <button type="button" class="button secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <div role="status">
        {found && found.length === 0 && <p>No other record of your organisation matches.</p>}
        {found && found.length > 0 && <p>{found.length === 1 ? '1 other record matches.' : `${found.length} other records match.`}</p>}
      </div>
      {found && found.length > 0 && (
        <ul class="choices">
          {found.map((p) => (
            <li key={p.id}>
              <button type="button" class="button secondary" onClick={() => setOther(p)}>
                {`Choose ${p.givenName} ${p.familyName}, born ${p.dateOfBirth}, registered ${when(p.createdAt)}`}
              </button>
            </li>
          ))}
        </ul>
      )}
    </form>
  );
}
