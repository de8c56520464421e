import { useEffect, useRef, useState } from 'preact/hooks';
import { graphql } from '../../api/graphql';
import type { Session } from '../../auth/session';
import { FindPatientsForReviewDocument, type FindPatientsForReviewQuery } from './compliance.generated';
import { problemText } from './problems';

export type ReviewPatient = FindPatientsForReviewQuery['findPatientsForReview'][number];

const EMPTY = { givenName: '', familyName: '', dateOfBirth: '' };

/**
 * Finds a person's records within the officer's scope (findPatientsForReview: audited) by given
 * name, family name and date of birth, and lets the officer pick one. Kept in memory only.
 */
export function PersonPicker({ session, idPrefix, picked, onPick }: { session: Session; idPrefix: string; picked?: ReviewPatient; onPick: (patient: ReviewPatient | undefined) => void }) {
  const [values, setValues] = useState(EMPTY);
  const [found, setFound] = useState<ReviewPatient[] | undefined>();
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  // Choosing a person removes the button pressed, and choosing another removes that one: the focus
  // goes to what replaced it (the person chosen, or the first field), not to the top of the page.
  const pickedLine = useRef<HTMLParagraphElement>(null);
  const firstField = useRef<HTMLInputElement>(null);
  const choosing = useRef(false);
  useEffect(() => {
    if (!choosing.current) return;
    choosing.current = false;
    (picked ? pickedLine.current : firstField.current)?.focus();
  }, [picked]);

  const set = (name: keyof typeof EMPTY) => (event: Event) => setValues({ ...values, [name]: (event.currentTarget as HTMLInputElement).value });

  const find = async (event: Event) => {
    event.preventDefault();
    setProblem('');
    setFound(undefined);
    if (!values.givenName.trim() || !values.familyName.trim() || !values.dateOfBirth) {
      setProblem('Enter the given name, the family name and the date of birth.');
      return;
    }
    setBusy(true);
    try {
      const result = await graphql(session, FindPatientsForReviewDocument, {
        input: { givenName: values.givenName.trim(), familyName: values.familyName.trim(), dateOfBirth: values.dateOfBirth },
      });
      setFound(result.findPatientsForReview);
    } catch (error) {
      setProblem(problemText(error));
    } finally {
      setBusy(false);
    }
  };

  if (picked) {
    return (
      <div class="picked">
        <p tabIndex={-1} ref={pickedLine}>
          Person: <strong>{`${picked.givenName} ${picked.familyName}`}</strong>, born {picked.dateOfBirth}, record at {picked.organizationName}
        </p>
        <button
          type="button"
          class="button secondary"
          onClick={() => {
            choosing.current = true;
            onPick(undefined);
            setValues(EMPTY);
            setFound(undefined);
          }}
        >
          Choose another person
        </button>
      </div>
    );
  }

  return (
    <form onSubmit={find} autoComplete="off" noValidate aria-label="Find a person">
      <div class="filter-grid">
        <div class="field">
          <label for={`${idPrefix}-given-name`}>Given name</label>
          <input id={`${idPrefix}-given-name`} ref={firstField} autoComplete="off" value={values.givenName} onInput={set('givenName')} />
        </div>
        <div class="field">
          <label for={`${idPrefix}-family-name`}>Family name</label>
          <input id={`${idPrefix}-family-name`} autoComplete="off" value={values.familyName} onInput={set('familyName')} />
        </div>
        <div class="field">
          <label for={`${idPrefix}-date-of-birth`}>Date of birth</label>
          <input id={`${idPrefix}-date-of-birth`} type="date" autoComplete="off" value={values.dateOfBirth} onInput={set('dateOfBirth')} />
        </div>
      </div>
      <div class="actions">
        <button type="submit" class="button secondary" disabled={busy}>
          Find person
        </button>
      </div>
      {problem && (
        <p class="notice error" role="alert">
          {problem}
        </p>
      )}
      <div role="status">
        {found && found.length === 0 && <p>No record of this person within your scope.</p>}
        {found && found.length > 0 && <p>{found.length === 1 ? '1 record found.' : `${found.length} records found.`}</p>}
      </div>
      {found && found.length > 0 && (
        <ul class="choices">
          {found.map((p) => (
            <li key={p.id}>
              <button type="button" class="button secondary" onClick={() => {
                  choosing.current = true;
                  onPick(p);
                }}>
                {`Choose ${p.givenName} ${p.familyName}, born ${p.dateOfBirth}, ${p.organizationName}`}
              </button>
            </li>
          ))}
        </ul>
      )}
    </form>
  );
}
