import { useEffect, useRef, useState } from 'preact/hooks';
import { graphql } from '../../api/graphql';
import type { PageProps } from '../../navigation/page';
import { problemText, when } from './problems';
import {
  AcknowledgeEmergencyDisclosureDocument,
  type EmergencyDisclosureViewFragment,
  EmergencyDisclosuresDocument,
  type PatientSummaryFragment,
  ProviderPatientDocument,
} from './provider.generated';
import './provider.css';

type Disclosure = EmergencyDisclosureViewFragment;
const PAGE = 20;
const CATEGORY_WORDS: Record<string, string> = {
  TREATMENT_STATUS: 'Treatment status',
  CARE_TEAM_CONTACT: 'Care team contact',
  ENGAGEMENT_NOTES: 'Engagement notes',
};

/**
 * The program's medical-emergency disclosures (42 CFR 2.51): each was recorded before the
 * information went out — who received it and their affiliation, who disclosed it, when, the nature
 * of the emergency (§2.51(c)) — and the program was notified. Staff read each one and acknowledge
 * it; the waiting ones come first, newest first. Kept in memory only, nothing in the address.
 */
export function EmergencyDisclosuresPage({ session }: PageProps) {
  const [disclosures, setDisclosures] = useState<Disclosure[] | undefined>();
  const [patients, setPatients] = useState<Record<string, PatientSummaryFragment | null>>({});
  const [next, setNext] = useState<string | undefined>();
  const [includeAcknowledged, setIncludeAcknowledged] = useState(false);
  const [status, setStatus] = useState('');
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  const statusRef = useRef<HTMLParagraphElement>(null);

  const load = async (after?: string) => {
    setBusy(true);
    setProblem('');
    try {
      const page = (await graphql(session, EmergencyDisclosuresDocument, { first: PAGE, after, pendingOnly: !includeAcknowledged })).emergencyDisclosures;
      setDisclosures((known) => [...(after ? (known ?? []) : []), ...page.nodes]);
      setNext(page.pageInfo.hasNextPage && page.pageInfo.endCursor ? page.pageInfo.endCursor : undefined);
      // Whose record it was: each patient read once (audited like any read of a patient).
      const missing = [...new Set(page.nodes.map((d) => d.patientId))].filter((id) => !(id in patients));
      const read = await Promise.all(missing.map(async (id) => [id, (await graphql(session, ProviderPatientDocument, { id })).patient] as const));
      if (read.length) setPatients((known) => ({ ...known, ...Object.fromEntries(read) }));
    } catch (error) {
      setProblem(problemText(error));
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    void load();
  }, [includeAcknowledged]);

  const acknowledge = async (disclosure: Disclosure) => {
    setProblem('');
    setBusy(true);
    try {
      const done = (await graphql(session, AcknowledgeEmergencyDisclosureDocument, { id: disclosure.id })).acknowledgeEmergencyDisclosure;
      setDisclosures((known) => (known ?? []).flatMap((d) => (d.id !== done.id ? [d] : includeAcknowledged ? [done] : [])));
      setStatus(`Emergency disclosure of ${when(done.occurredAt)} acknowledged.`);
      statusRef.current?.focus();
    } catch (error) {
      setProblem(problemText(error));
    } finally {
      setBusy(false);
    }
  };

  const whose = (id: string) => {
    const p = patients[id];
    if (p === undefined) return 'Loading…';
    return p ? `${p.givenName} ${p.familyName}, born ${p.dateOfBirth}` : 'A record you may not read any more';
  };

  return (
    <>
      <h1>Emergency disclosures</h1>
      <p>
        Your program's records disclosed to medical personnel in a medical emergency, without the patient's consent (42 CFR 2.51). Each was recorded before the information went out. Read
        each one and acknowledge it.
      </p>
      <p class="status" role="status" tabIndex={-1} ref={statusRef}>
        {busy ? 'Working…' : status}
      </p>
      {problem && (
        <p class="notice error" role="alert">
          {problem}
        </p>
      )}
      <div class="field">
        <label class="check">
          <input type="checkbox" checked={includeAcknowledged} onChange={(e) => setIncludeAcknowledged(e.currentTarget.checked)} />
          <span>Include acknowledged disclosures</span>
        </label>
      </div>
      <section aria-labelledby="disclosures-heading">
        <h2 id="disclosures-heading">{includeAcknowledged ? 'All emergency disclosures' : 'Waiting to be acknowledged'}</h2>
        {disclosures && disclosures.length === 0 && <p>{includeAcknowledged ? 'No emergency disclosure of your records.' : 'None waiting: every emergency disclosure is acknowledged.'}</p>}
        {disclosures?.map((d) => (
          <article class="consent-card" key={d.id} aria-labelledby={`disclosure-${d.id}`}>
            <h3 id={`disclosure-${d.id}`}>{`Emergency disclosure, ${when(d.occurredAt)}, incident ${d.incidentNumber}`}</h3>
            <dl class="summary">
              <dt>Patient</dt>
              <dd>{whose(d.patientId)}</dd>
              <dt>Received by</dt>
              <dd>{`${d.medicalPersonnelName}, ${d.medicalPersonnelAffiliation}`}</dd>
              <dt>Disclosed by</dt>
              <dd>{d.disclosedBy}</dd>
              <dt>Nature of the emergency</dt>
              <dd>{d.natureOfEmergency}</dd>
              <dt>What was disclosed</dt>
              <dd>{d.disclosedCategories.length ? d.disclosedCategories.map((c) => CATEGORY_WORDS[c] ?? c).join(', ') : 'Nothing'}</dd>
              {d.acknowledgedAt && (
                <>
                  <dt>Acknowledged</dt>
                  <dd>{`${when(d.acknowledgedAt)}${d.acknowledgedBy ? ` by ${d.acknowledgedBy}` : ''}`}</dd>
                </>
              )}
            </dl>
            {!d.acknowledgedAt && (
              <div class="actions">
                <button type="button" class="button" disabled={busy} aria-describedby={`disclosure-${d.id}`} onClick={() => void acknowledge(d)}>
                  Acknowledge
                </button>
              </div>
            )}
          </article>
        ))}
        {next && (
          <div class="actions">
            <button type="button" class="button secondary" disabled={busy} onClick={() => void load(next)}>
              Show more
            </button>
          </div>
        )}
      </section>
    </>
  );
}
