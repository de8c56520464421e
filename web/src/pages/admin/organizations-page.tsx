import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { graphql } from '../../api/graphql';
import type { PageProps } from '../../navigation/page';
import {
  type AgencyType,
  ChangeAgencyTypeDocument,
  CreateOrganizationDocument,
  DeactivateOrganizationDocument,
  type OrganizationRowFragment,
  OrganizationsDocument,
  RenameOrganizationDocument,
} from './admin.generated';
import { type FieldProblem, fieldProblems, problemText } from './organization-problems';
import { PageStatus } from '../page-status';
import './admin.css';

type Organization = OrganizationRowFragment;
type Kind = Organization['kind'];

const KIND_WORDS: Record<Kind, string> = {
  RESPONDER_AGENCY: 'Responder agency',
  TREATMENT_PROVIDER: 'Treatment provider',
  OVERSIGHT: 'Oversight body',
};

/** The agency types in words; what each receives is the access policies' to say (docs/partnerships.md). */
const AGENCY_WORDS: Record<AgencyType, string> = {
  MOBILE_CRISIS: 'Mobile crisis team',
  CO_RESPONDER: 'Co-responder team',
  PEER_SUPPORT: 'Peer support',
  EMS: 'Emergency medical services',
  FIRE: 'Fire department',
  LAW_ENFORCEMENT: 'Law enforcement',
  OTHER: 'Other',
};

const EMPTY = { key: '', name: '', kind: 'RESPONDER_AGENCY' as Kind, agencyType: 'OTHER' as AgencyType, part2Program: false };

const kindInWords = (o: Organization) =>
  `${KIND_WORDS[o.kind]}${o.agencyType ? `: ${AGENCY_WORDS[o.agencyType].toLowerCase()}` : ''}${o.part2Program ? ' (Part 2 program)' : ''}`;

const day = (instant: string) => new Date(instant).toLocaleDateString(undefined, { dateStyle: 'medium' });

/** A field's problem under it, tied to the field by aria-describedby. */
function FieldError({ id, problems, field }: { id: string; problems: FieldProblem[]; field: string }) {
  const mine = problems.filter((p) => p.field === field);
  if (!mine.length) return null;
  return (
    <p class="field-error" id={`${id}-error`}>
      <span class="visually-hidden">Error: </span>
      {mine.map((p) => p.text).join(' ')}
    </p>
  );
}

/** The agency types as options of a list, in words. */
function AgencyTypeOptions() {
  return (
    <>
      {(Object.keys(AGENCY_WORDS) as AgencyType[]).map((type) => (
        <option key={type} value={type}>
          {AGENCY_WORDS[type]}
        </option>
      ))}
    </>
  );
}

/**
 * One field of a change to an organisation: its label, hint and problem, tied to the control
 * that `control` draws with the ids and the error state it is given.
 */
function ChangeField({
  id,
  label,
  hint,
  problems,
  control,
}: {
  id: string;
  label: string;
  hint: string;
  problems: FieldProblem[];
  control: (props: { id: string; 'aria-invalid': boolean; 'aria-describedby': string }) => preact.JSX.Element;
}) {
  return (
    <div class={problems.length ? 'field field-error-state' : 'field'}>
      <label for={id}>{label}</label>
      <p class="hint" id={`${id}-hint`}>
        {hint}
      </p>
      {problems.length > 0 && (
        <p class="field-error" id={`${id}-error`} role="alert">
          <span class="visually-hidden">Error: </span>
          {problems.map((p) => p.text).join(' ')}
        </p>
      )}
      {control({ id, 'aria-invalid': problems.length > 0, 'aria-describedby': problems.length ? `${id}-hint ${id}-error` : `${id}-hint` })}
    </div>
  );
}

/** A change's submit button and its Cancel. */
function ChangeActions({ submit, busy, onCancel, warning = false }: { submit: string; busy: boolean; onCancel: () => void; warning?: boolean }) {
  return (
    <div class="actions">
      <button type="submit" class={warning ? 'button warning' : 'button'} disabled={busy}>
        {submit}
      </button>
      <button type="button" class="button secondary" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}

/**
 * The organisations an admin manages: every one by name with its kind and state; create one;
 * rename one (its key stays: tokens name it); deactivate one for good (its people can no longer
 * sign in and no new consent may name it; its consents and the audit log stay). The service
 * decides what an admin's policy lets them change; the page shows what it says.
 */
export function OrganizationsPage({ session, me }: PageProps) {
  const [organizations, setOrganizations] = useState<Organization[] | undefined>();
  const [values, setValues] = useState(EMPTY);
  const [createProblems, setCreateProblems] = useState<FieldProblem[]>([]);
  const [change, setChange] = useState<{ kind: 'rename' | 'type' | 'deactivate'; organization: Organization } | undefined>();
  const [newName, setNewName] = useState('');
  const [newType, setNewType] = useState<AgencyType>('OTHER');
  const [changeProblems, setChangeProblems] = useState<FieldProblem[]>([]);
  const [problem, setProblem] = useState('');
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const summary = useRef<HTMLDivElement>(null);
  const changeStart = useRef<HTMLElement | null>(null);
  const returnTo = useRef<string | undefined>(undefined);
  const table = useRef<HTMLTableElement>(null);
  const listHeading = useRef<HTMLHeadingElement>(null);

  const load = async () => {
    try {
      setOrganizations((await graphql(session, OrganizationsDocument)).organizations);
    } catch (error) {
      setProblem(problemText(error));
    }
  };
  useEffect(() => {
    void load();
  }, []);
  useEffect(() => {
    if (createProblems.length) summary.current?.focus();
  }, [createProblems]);
  // Before paint, so the focus is where the person is taken by the time they see it.
  useLayoutEffect(() => {
    if (change) changeStart.current?.focus();
    else if (returnTo.current) {
      // Back to the row's first button; a deactivated row has none, so to the list's heading.
      (table.current?.querySelector<HTMLElement>(`[data-row="${returnTo.current}"]`) ?? listHeading.current)?.focus();
      returnTo.current = undefined;
    }
  }, [change]);

  const close = () => {
    returnTo.current = change?.organization.key;
    setChange(undefined);
    setChangeProblems([]);
  };

  const create = async (event: Event) => {
    event.preventDefault();
    setProblem('');
    setStatus('');
    setCreateProblems([]);
    setBusy(true);
    try {
      const input = {
        key: values.key.trim(),
        name: values.name.trim(),
        kind: values.kind,
        agencyType: values.kind === 'RESPONDER_AGENCY' ? values.agencyType : null,
        part2Program: values.part2Program,
      };
      const created = (await graphql(session, CreateOrganizationDocument, { input })).createOrganization;
      setStatus(`${created.name} created (key ${created.key}).`);
      setValues(EMPTY);
      await load();
    } catch (error) {
      const found = fieldProblems(error);
      if (found.length) setCreateProblems(found);
      else setProblem(problemText(error));
    } finally {
      setBusy(false);
    }
  };

  /** Sends one change of the organisation being changed; says what it did, or shows the service's problems. */
  const saveChange = (send: (key: string) => Promise<string>) => async (event: Event) => {
    event.preventDefault();
    if (!change) return;
    setChangeProblems([]);
    setBusy(true);
    try {
      setStatus(await send(change.organization.key));
      await load();
      close();
    } catch (error) {
      const found = fieldProblems(error);
      if (found.length) setChangeProblems(found);
      else setProblem(problemText(error));
    } finally {
      setBusy(false);
    }
  };

  const rename = saveChange(async (organizationKey) => {
    const renamed = (await graphql(session, RenameOrganizationDocument, { input: { organizationKey, name: newName.trim() } })).renameOrganization;
    return `${change!.organization.name} is now called ${renamed.name}.`;
  });

  const changeType = saveChange(async (organizationKey) => {
    const changed = (await graphql(session, ChangeAgencyTypeDocument, { input: { organizationKey, agencyType: newType } })).changeAgencyType;
    return `${changed.name} is now a ${AGENCY_WORDS[changed.agencyType ?? 'OTHER'].toLowerCase()} agency. Its responders' next answers follow the policies for that type.`;
  });

  const deactivate = saveChange(async (organizationKey) => {
    await graphql(session, DeactivateOrganizationDocument, { input: { organizationKey } });
    return `${change!.organization.name} is deactivated. Its people can no longer sign in.`;
  });

  const set = (name: 'key' | 'name') => (event: Event) => setValues({ ...values, [name]: (event.currentTarget as HTMLInputElement).value });
  const invalid = (field: string) => createProblems.some((p) => p.field === field);

  return (
    <>
      <h1>Organizations</h1>
      <p>Every organisation that uses the service. Keys never change: sign-in tokens name them. Deactivating one is final.</p>
      <PageStatus busy={busy} status={status} problem={problem} />
      {!organizations && !problem && <p>Loading organisations…</p>}
      {organizations && (
        <section aria-labelledby="organizations-heading">
          <h2 id="organizations-heading" tabIndex={-1} ref={listHeading}>
            All organisations
          </h2>
          <div class="table-wrap">
            <table class="records" ref={table}>
              <caption>{`${organizations.length} organisations, by name`}</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Key</th>
                  <th scope="col">Kind</th>
                  <th scope="col">State</th>
                  <th scope="col">Change</th>
                </tr>
              </thead>
              <tbody>
                {organizations.map((o) => (
                  <tr key={o.id}>
                    <td>{o.name}</td>
                    <td>{o.key}</td>
                    <td>{kindInWords(o)}</td>
                    <td>{o.active ? 'Active' : `Deactivated${o.deactivatedAt ? ` on ${day(o.deactivatedAt)}` : ''}`}</td>
                    <td>
                      {o.active ? (
                        <div class="row-actions">
                          <button
                            type="button"
                            class="button secondary"
                            data-row={o.key}
                            disabled={busy}
                            onClick={() => {
                              setNewName(o.name);
                              setChangeProblems([]);
                              setChange({ kind: 'rename', organization: o });
                            }}
                          >
                            {`Rename ${o.name}`}
                          </button>
                          {o.kind === 'RESPONDER_AGENCY' && o.key !== me.organization.key && (
                            <button
                              type="button"
                              class="button secondary"
                              disabled={busy}
                              onClick={() => {
                                setNewType(o.agencyType ?? 'OTHER');
                                setChangeProblems([]);
                                setChange({ kind: 'type', organization: o });
                              }}
                            >
                              {`Change type of ${o.name}`}
                            </button>
                          )}
                          {o.key === me.organization.key ? (
                            <span class="hint">Your organisation</span>
                          ) : (
                            <button type="button" class="button secondary" disabled={busy} onClick={() => setChange({ kind: 'deactivate', organization: o })}>
                              {`Deactivate ${o.name}`}
                            </button>
                          )}
                        </div>
                      ) : (
                        '—'
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
      {change?.kind === 'rename' && (
        <form onSubmit={rename} noValidate autoComplete="off" aria-labelledby="rename-heading" class="panel">
          <h2 id="rename-heading">{`Rename ${change.organization.name}`}</h2>
          <ChangeField
            id="rename-name"
            label="Name"
            hint={`Consents and accountings show the new name from now on. The key ${change.organization.key} stays.`}
            problems={changeProblems}
            control={(props) => (
              <input
                {...props}
                ref={(element) => {
                  changeStart.current = element;
                }}
                value={newName}
                onInput={(e) => setNewName(e.currentTarget.value)}
              />
            )}
          />
          <ChangeActions submit="Save name" busy={busy} onCancel={close} />
        </form>
      )}
      {change?.kind === 'type' && (
        <form onSubmit={changeType} noValidate aria-labelledby="type-heading" class="panel">
          <h2 id="type-heading">{`Change the type of ${change.organization.name}`}</h2>
          <ChangeField
            id="agency-type"
            label="Agency type"
            hint={
              "The access policies may give each type different fields: under the shipped policies law enforcement receives the program, whether the person is in treatment and the care team, but not engagement notes. It applies to the agency's next lookups; answers already given stay as they were. The change is audited, and the providers with an agreement with this agency see it in their log."
            }
            problems={changeProblems}
            control={(props) => (
              <select
                {...props}
                ref={(element) => {
                  changeStart.current = element;
                }}
                value={newType}
                onChange={(e) => setNewType(e.currentTarget.value as AgencyType)}
              >
                <AgencyTypeOptions />
              </select>
            )}
          />
          <ChangeActions submit="Save type" busy={busy} onCancel={close} />
        </form>
      )}
      {change?.kind === 'deactivate' && (
        <form onSubmit={deactivate} noValidate aria-labelledby="deactivate-heading" class="panel">
          <h2
            id="deactivate-heading"
            tabIndex={-1}
            ref={(element) => {
              changeStart.current = element;
            }}
          >
            {`Deactivate ${change.organization.name}`}
          </h2>
          <p>Deactivating is final. From now on:</p>
          <ul>
            <li>its people can no longer sign in (on every instance within 30 seconds);</li>
            <li>no new consent may name it as a recipient;</li>
            <li>its consents, disclosures and audit events stay as they are, for the years the law asks.</li>
          </ul>
          {changeProblems.length > 0 && (
            <p class="notice error" role="alert">
              {changeProblems.map((p) => p.text).join(' ')}
            </p>
          )}
          <ChangeActions submit="Confirm deactivation" busy={busy} onCancel={close} warning />
        </form>
      )}
      {createProblems.length > 0 && (
        <div class="error-summary" role="alert" aria-labelledby="create-problems" tabIndex={-1} ref={summary}>
          <h2 id="create-problems">Not created: check these</h2>
          <ul>
            {createProblems.map((p, i) => (
              <li key={i}>
                <a href={`#organization-${p.field === 'part2Program' ? 'part2-program' : p.field === 'agencyType' ? 'agency-type' : p.field}`}>{p.text}</a>
              </li>
            ))}
          </ul>
        </div>
      )}
      <form onSubmit={create} noValidate autoComplete="off" aria-labelledby="create-heading">
        <h2 id="create-heading">Create an organization</h2>
        <div class={invalid('key') ? 'field field-error-state' : 'field'}>
          <label for="organization-key">Key</label>
          <p class="hint" id="organization-key-hint">
            How sign-in tokens name it: lower-case letters, digits and hyphens, for example metro-crisis-team. It never changes.
          </p>
          <FieldError id="organization-key" problems={createProblems} field="key" />
          <input
            id="organization-key"
            value={values.key}
            spellcheck={false}
            aria-invalid={invalid('key')}
            aria-describedby={invalid('key') ? 'organization-key-hint organization-key-error' : 'organization-key-hint'}
            onInput={set('key')}
          />
        </div>
        <div class={invalid('name') ? 'field field-error-state' : 'field'}>
          <label for="organization-name">Name</label>
          <FieldError id="organization-name" problems={createProblems} field="name" />
          <input id="organization-name" value={values.name} aria-invalid={invalid('name')} aria-describedby={invalid('name') ? 'organization-name-error' : undefined} onInput={set('name')} />
        </div>
        <div class={invalid('kind') ? 'field field-error-state' : 'field'}>
          <label for="organization-kind">Kind</label>
          <FieldError id="organization-kind" problems={createProblems} field="kind" />
          <select
            id="organization-kind"
            value={values.kind}
            aria-invalid={invalid('kind')}
            aria-describedby={invalid('kind') ? 'organization-kind-error' : undefined}
            onChange={(e) => setValues({ ...values, kind: e.currentTarget.value as Kind, part2Program: e.currentTarget.value === 'TREATMENT_PROVIDER' && values.part2Program })}
          >
            {(Object.keys(KIND_WORDS) as Kind[]).map((kind) => (
              <option key={kind} value={kind}>
                {KIND_WORDS[kind]}
              </option>
            ))}
          </select>
        </div>
        {values.kind === 'RESPONDER_AGENCY' && (
          <div class={invalid('agencyType') ? 'field field-error-state' : 'field'}>
            <label for="organization-agency-type">Agency type</label>
            <p class="hint" id="organization-agency-type-hint">
              The access policies may give each type different fields (law enforcement receives fewer under the shipped policies).
            </p>
            <FieldError id="organization-agency-type" problems={createProblems} field="agencyType" />
            <select
              id="organization-agency-type"
              value={values.agencyType}
              aria-invalid={invalid('agencyType')}
              aria-describedby={invalid('agencyType') ? 'organization-agency-type-hint organization-agency-type-error' : 'organization-agency-type-hint'}
              onChange={(e) => setValues({ ...values, agencyType: e.currentTarget.value as AgencyType })}
            >
              <AgencyTypeOptions />
            </select>
          </div>
        )}
        <div class={invalid('part2Program') ? 'field checkbox field-error-state' : 'field checkbox'}>
          <FieldError id="organization-part2-program" problems={createProblems} field="part2Program" />
          <input
            id="organization-part2-program"
            type="checkbox"
            checked={values.part2Program}
            aria-invalid={invalid('part2Program')}
            aria-describedby={invalid('part2Program') ? 'organization-part2-program-hint organization-part2-program-error' : 'organization-part2-program-hint'}
            onChange={(e) => setValues({ ...values, part2Program: e.currentTarget.checked })}
          />
          <label for="organization-part2-program">Part 2 program</label>
          <p class="hint" id="organization-part2-program-hint">
            A federally assisted substance use disorder program under 42 CFR Part 2. Treatment providers only.
          </p>
        </div>
        <div class="actions">
          <button type="submit" class="button" disabled={busy}>
            Create organization
          </button>
        </div>
      </form>
    </>
  );
}
