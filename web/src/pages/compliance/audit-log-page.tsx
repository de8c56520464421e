import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { graphql } from '../../api/graphql';
import type { PageProps } from '../../navigation/page';
import { type AuditEventFilter, AuditEventsDocument, type AuditEventsQuery } from './compliance.generated';
import { EventDetail } from './event-detail';
import { AUDIT_ACTIONS } from './audit-actions';
import { PersonPicker, type ReviewPatient } from './person-picker';
import { endOfDay, INTEGRITY_WORDS, problemText, startOfDay, when } from './problems';
import './compliance.css';

const PAGE_SIZE = 20;
type Events = AuditEventsQuery['auditEvents'];

const EMPTY = { patientId: '', actorSubject: '', incidentNumber: '', action: '', outcome: '', from: '', to: '' };
type Values = typeof EMPTY;

const TEXT_FILTERS: Array<{ name: keyof Values; label: string; hint?: string; type?: 'text' | 'date' }> = [
  { name: 'patientId', label: 'Patient id', hint: 'Or find the person above' },
  { name: 'actorSubject', label: 'Actor subject', hint: "Who acted: their sign-in id, as an event's details show it under Who (for example alice)" },
  { name: 'incidentNumber', label: 'Incident number' },
  { name: 'from', label: 'From', type: 'date', hint: 'From the start of this day' },
  { name: 'to', label: 'To', type: 'date', hint: 'Until the end of this day' },
];

const OUTCOMES = [
  { value: '', label: 'Any outcome' },
  { value: 'SUCCESS', label: 'Success' },
  { value: 'DISCLOSED', label: 'Disclosed' },
  { value: 'NOT_DISCLOSED', label: 'Not disclosed' },
  { value: 'DENIED', label: 'Denied' },
  { value: 'REFUSED', label: 'Refused' },
  { value: 'RATE_LIMITED', label: 'Rate limited' },
];

/** The actions in words, alphabetically: the officer never needs the code (`responderLookup`). */
const ACTION_OPTIONS = Object.entries(AUDIT_ACTIONS).sort(([, a], [, b]) => a.localeCompare(b));

/**
 * The audit log, newest first, filtered by person, actor, incident, action, outcome and period,
 * a page at a time (keyset paging: the cursors stay in memory, never in the address). Each event
 * says in words what happened and whether the ledger sealed it unchanged.
 */
export function AuditLogPage({ session }: PageProps) {
  const [values, setValues] = useState<Values>(EMPTY);
  const [person, setPerson] = useState<ReviewPatient | undefined>();
  const [events, setEvents] = useState<Events | undefined>();
  const [cursors, setCursors] = useState<Array<string | undefined>>([]);
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  const filterInUse = useRef<AuditEventFilter>({});
  const heading = useRef<HTMLHeadingElement>(null);
  // The event opened in words, and the row to give the focus back to when it is closed.
  const [opened, setOpened] = useState<string | undefined>();
  const returnTo = useRef<string | undefined>(undefined);
  const table = useRef<HTMLTableElement>(null);
  useLayoutEffect(() => {
    if (opened || !returnTo.current) return;
    table.current?.querySelector<HTMLButtonElement>(`button[data-event="${returnTo.current}"]`)?.focus();
    returnTo.current = undefined;
  }, [opened]);

  const set = (name: keyof Values) => (event: Event) => setValues({ ...values, [name]: (event.currentTarget as HTMLInputElement).value });

  const load = async (filter: AuditEventFilter, after: string | undefined, stack: Array<string | undefined>) => {
    setBusy(true);
    setProblem('');
    try {
      const result = await graphql(session, AuditEventsDocument, { filter, first: PAGE_SIZE, after });
      setEvents(result.auditEvents);
      setCursors(stack);
      heading.current?.focus();
    } catch (error) {
      setProblem(problemText(error));
    } finally {
      setBusy(false);
    }
  };

  const search = (event: Event) => {
    event.preventDefault();
    const filter: AuditEventFilter = {};
    const patientId = person?.id ?? values.patientId.trim();
    if (patientId) filter.patientId = patientId;
    if (values.actorSubject.trim()) filter.actorSubject = values.actorSubject.trim();
    if (values.incidentNumber.trim()) filter.incidentNumber = values.incidentNumber.trim();
    if (values.action.trim()) filter.action = values.action.trim();
    if (values.outcome) filter.outcome = values.outcome;
    const from = startOfDay(values.from);
    const to = endOfDay(values.to);
    if (from) filter.from = from;
    if (to) filter.to = to;
    filterInUse.current = filter;
    setOpened(undefined);
    void load(filter, undefined, [undefined]);
  };

  const page = cursors.length;
  return (
    <>
      <h1>Audit log</h1>
      <p>Every access to records, newest first. Reading the log is itself recorded, so nothing is shown until you ask: choose a person or filters (or none), then <strong>Show events</strong>.</p>
      <fieldset class="filters">
        <legend>Person</legend>
        <PersonPicker session={session} idPrefix="audit-person" picked={person} onPick={setPerson} />
      </fieldset>
      <form onSubmit={search} autoComplete="off" noValidate aria-label="Filters">
        <fieldset class="filters">
          <legend>Filters</legend>
          <div class="filter-grid">
            {TEXT_FILTERS.filter((f) => !(person && f.name === 'patientId')).map((f) => (
              <div class="field" key={f.name}>
                <label for={`audit-${f.name}`}>{f.label}</label>
                {f.hint && (
                  <p class="hint" id={`audit-${f.name}-hint`}>
                    {f.hint}
                  </p>
                )}
                {f.type === 'date' ? (
                  <input id={`audit-${f.name}`} type="date" autoComplete="off" aria-describedby={f.hint ? `audit-${f.name}-hint` : undefined} value={values[f.name]} onInput={set(f.name)} />
                ) : (
                  <input id={`audit-${f.name}`} type="text" autoComplete="off" aria-describedby={f.hint ? `audit-${f.name}-hint` : undefined} value={values[f.name]} onInput={set(f.name)} />
                )}
              </div>
            ))}
            <div class="field">
              <label for="audit-action">Action</label>
              <p class="hint" id="audit-action-hint">
                What was done
              </p>
              <select id="audit-action" aria-describedby="audit-action-hint" value={values.action} onChange={set('action')}>
                <option value="">Any action</option>
                {ACTION_OPTIONS.map(([code, words]) => (
                  <option key={code} value={code}>
                    {words}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="audit-outcome">Outcome</label>
              <select id="audit-outcome" value={values.outcome} onChange={set('outcome')}>
                {OUTCOMES.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div class="actions">
            <button type="submit" class="button" disabled={busy}>
              Show events
            </button>
          </div>
        </fieldset>
      </form>
      {problem && (
        <p class="notice error" role="alert">
          {problem}
        </p>
      )}
      <p class="status" role="status">
        {busy ? 'Loading events…' : ''}
      </p>
      {opened && (
        <EventDetail
          session={session}
          id={opened}
          onClose={() => {
            returnTo.current = opened;
            setOpened(undefined);
          }}
        />
      )}
      {events && !opened && (
        <section aria-labelledby="events-heading">
          <h2 id="events-heading" tabIndex={-1} ref={heading}>
            Events, page {page}
          </h2>
          {events.nodes.length === 0 ? (
            <p>No events match these filters.</p>
          ) : (
            <div class="table-wrap">
              <table class="records" ref={table}>
                <caption>Audit events, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">What happened</th>
                    <th scope="col">Who</th>
                    <th scope="col">Incident</th>
                    <th scope="col">Integrity</th>
                    <th scope="col">In words</th>
                  </tr>
                </thead>
                <tbody>
                  {events.nodes.map((e) => (
                    <tr key={e.id}>
                      <td>
                        {when(e.occurredAt)}
                        <br />
                        <span class="hint">Sequence {e.sequence}</span>
                      </td>
                      <td>{e.description}</td>
                      <td>
                        {e.actorName ?? e.actorSubject}
                        <br />
                        <span class="hint">{e.actorOrganizationName ?? e.actorOrganizationKey}</span>
                      </td>
                      <td>{e.incidentNumber ?? '—'}</td>
                      <td class={e.integrity === 'FAILED' ? 'integrity-failed' : undefined}>{INTEGRITY_WORDS[e.integrity] ?? e.integrity}</td>
                      <td>
                        <button type="button" class="button secondary" data-event={e.id} onClick={() => setOpened(e.id)}>
                          {`Details of event ${e.sequence}`}
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <div class="actions">
            {page > 1 && (
              <button type="button" class="button secondary" disabled={busy} onClick={() => void load(filterInUse.current, cursors[page - 2], cursors.slice(0, -1))}>
                Previous page
              </button>
            )}
            {events.pageInfo.hasNextPage && events.pageInfo.endCursor && (
              <button type="button" class="button secondary" disabled={busy} onClick={() => void load(filterInUse.current, events.pageInfo.endCursor ?? undefined, [...cursors, events.pageInfo.endCursor ?? undefined])}>
                Next page
              </button>
            )}
          </div>
        </section>
      )}
    </>
  );
}
