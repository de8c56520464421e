import { useState } from 'preact/hooks';
import { graphql } from '../../api/graphql';
import type { PageProps } from '../../navigation/page';
import { type AccountingFormat, AccountingExportDocument, AccountingOfDisclosuresDocument, type AccountingOfDisclosuresQuery } from './compliance.generated';
import { PersonPicker, type ReviewPatient } from './person-picker';
import { endOfDay, INTEGRITY_WORDS, problemText, startOfDay, when } from './problems';
import './compliance.css';

type Disclosures = AccountingOfDisclosuresQuery['accountingOfDisclosures'];

/**
 * Saves text as a file without keeping it anywhere: a Blob in memory, an object URL for one
 * click, revoked right after. Nothing goes to browser storage or a cache.
 */
function download(content: string, contentType: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: contentType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  try {
    link.click();
  } finally {
    link.remove();
    // The click has started the download; the URL is not needed after this task.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}

/**
 * A person's accounting of disclosures (§2.24 / HIPAA §164.528): the officer picks the person by
 * given name, family name and date of birth, sees every disclosure, and downloads it as CSV or
 * as a FHIR Bundle.
 */
export function AccountingPage({ session }: PageProps) {
  const [person, setPerson] = useState<ReviewPatient | undefined>();
  const [period, setPeriod] = useState({ from: '', to: '' });
  const [disclosures, setDisclosures] = useState<Disclosures | undefined>();
  const [problem, setProblem] = useState('');
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);

  const range = () => ({ from: startOfDay(period.from), to: endOfDay(period.to) });

  const pick = (patient: ReviewPatient | undefined) => {
    setPerson(patient);
    setDisclosures(undefined);
    setStatus('');
    setProblem('');
    if (patient) void show(patient);
  };

  const show = async (patient: ReviewPatient) => {
    setBusy(true);
    setProblem('');
    try {
      const result = await graphql(session, AccountingOfDisclosuresDocument, { patientId: patient.id, ...range() });
      setDisclosures(result.accountingOfDisclosures);
    } catch (error) {
      setProblem(problemText(error));
    } finally {
      setBusy(false);
    }
  };

  const exportAs = async (format: AccountingFormat) => {
    if (!person) return;
    setBusy(true);
    setProblem('');
    setStatus('');
    try {
      const result = await graphql(session, AccountingExportDocument, { patientId: person.id, format, ...range() });
      const file = result.accountingOfDisclosuresExport;
      download(file.content, file.contentType, file.fileName);
      setStatus(`Downloaded ${file.fileName}.`);
    } catch (error) {
      setProblem(problemText(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1>Accounting</h1>
      <p>Every disclosure of a person's records, to answer their request for an accounting. Finding the person is recorded.</p>
      <fieldset class="filters">
        <legend>Person</legend>
        <PersonPicker session={session} idPrefix="accounting-person" picked={person} onPick={pick} />
      </fieldset>
      {person && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void show(person);
          }}
          autoComplete="off"
          noValidate
          aria-label="Period"
        >
          <fieldset class="filters">
            <legend>Period (default: the last six years)</legend>
            <div class="filter-grid">
              <div class="field">
                <label for="accounting-from">From</label>
                <input id="accounting-from" type="date" value={period.from} onInput={(e) => setPeriod({ ...period, from: e.currentTarget.value })} />
              </div>
              <div class="field">
                <label for="accounting-to">To</label>
                <input id="accounting-to" type="date" value={period.to} onInput={(e) => setPeriod({ ...period, to: e.currentTarget.value })} />
              </div>
            </div>
            <div class="actions">
              <button type="submit" class="button secondary" disabled={busy}>
                Show disclosures
              </button>
              <button type="button" class="button" disabled={busy} onClick={() => void exportAs('CSV')}>
                Download CSV
              </button>
              <button type="button" class="button secondary" disabled={busy} onClick={() => void exportAs('FHIR_BUNDLE')}>
                Download FHIR bundle
              </button>
            </div>
          </fieldset>
        </form>
      )}
      {problem && (
        <p class="notice error" role="alert">
          {problem}
        </p>
      )}
      <p class="status" role="status">
        {busy ? 'Working…' : status}
      </p>
      {person && disclosures && (
        <section aria-labelledby="disclosures-heading">
          <h2 id="disclosures-heading">Disclosures</h2>
          {disclosures.length === 0 ? (
            <p>No disclosures in this period.</p>
          ) : (
            <div class="table-wrap">
              <table class="records">
                <caption>{disclosures.length === 1 ? '1 disclosure, oldest first' : `${disclosures.length} disclosures, oldest first`}</caption>
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">What was disclosed</th>
                    <th scope="col">To whom</th>
                    <th scope="col">Why</th>
                    <th scope="col">Integrity</th>
                  </tr>
                </thead>
                <tbody>
                  {disclosures.map((d) => (
                    <tr key={d.disclosureId}>
                      <td>{when(d.disclosedAt)}</td>
                      <td>
                        {d.description}
                        {d.incidentNumber && (
                          <>
                            <br />
                            <span class="hint">Incident {d.incidentNumber}</span>
                          </>
                        )}
                      </td>
                      <td>
                        {d.recipient.organizationName}
                        {d.recipient.personName && (
                          <>
                            <br />
                            <span class="hint">{d.recipient.personName}</span>
                          </>
                        )}
                      </td>
                      <td>{d.legalBasis}</td>
                      <td class={d.integrity === 'FAILED' ? 'integrity-failed' : undefined}>{INTEGRITY_WORDS[d.integrity] ?? d.integrity}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}
    </>
  );
}
