import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { graphql } from '../../api/graphql';
import type { PageProps } from '../../navigation/page';
import { CreateOrganizationDocument, DeactivateOrganizationDocument, type OrganizationRowFragment, OrganizationsDocument, RenameOrganizationDocument } from './admin.generated';
import { type FieldProblem, fieldProblems, problemText } from './organization-problems';
import './admin.css';

type Organization = OrganizationRowFragment;
type Kind = Organization['kind'];

const KIND_WORDS: Record<Kind, string> = {
  RESPONDER_AGENCY: 'Responder agency',
  TREATMENT_PROVIDER: 'Treatment provider',
  OVERSIGHT: 'Oversight body',
};

const EMPTY = { key: '', name: '', kind: 'RESPONDER_AGENCY' as Kind, part2Program: false };

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
  const [change, setChange] = useState<{ kind: 'rename' | 'deactivate'; organization: Organization } | undefined>();
  const [newName, setNewName] = useState('');
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
      const input = { key: values.key.trim(), name: values.name.trim(), kind: values.kind, part2Program: values.part2Program };
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

  const rename = async (event: Event) => {
    event.preventDefault();
    if (!change) return;
    setChangeProblems([]);
    setBusy(true);
    try {
      const renamed = (await graphql(session, RenameOrganizationDocument, { input: { organizationKey: change.organization.key, name: newName.trim() } })).renameOrganization;
      setStatus(`${change.organization.name} is now called ${renamed.name}.`);
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

  const deactivate = async (event: Event) => {
    event.preventDefault();
    if (!change) return;
    setChangeProblems([]);
    setBusy(true);
    try {
      await graphql(session, DeactivateOrganizationDocument, { input: { organizationKey: change.organization.key } });
      setStatus(`${change.organization.name} is deactivated. Its people can no longer sign in.`);
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

  const set = (name: 'key' | 'name') => (event: Event) => setValues({ ...values, [name]: (event.currentTarget as HTMLInputElement).value });
  const invalid = (field: string) => createProblems.some((p) => p.field === field);

  return (
    <>
      <h1>Organizations</h1>
      <p>Every organisation that uses the service. Keys never change: sign-in tokens name them. Deactivating one is final.</p>
      <p class="status" role="status">
        {busy ? 'Working…' : status}
      </p>
      {problem && (
        <p class="notice error" role="alert">
          {problem}
        </p>
      )}
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
                    <td>{`${KIND_WORDS[o.kind]}${o.part2Program ? ' (Part 2 program)' : ''}`}</td>
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
          <div class={changeProblems.length ? 'field field-error-state' : 'field'}>
            <label for="rename-name">Name</label>
            <p class="hint" id="rename-name-hint">
              {`Consents and accountings show the new name from now on. The key ${change.organization.key} stays.`}
            </p>
            {changeProblems.length > 0 && (
              <p class="field-error" id="rename-name-error" role="alert">
                <span class="visually-hidden">Error: </span>
                {changeProblems.map((p) => p.text).join(' ')}
              </p>
            )}
            <input
              id="rename-name"
              ref={(element) => {
                changeStart.current = element;
              }}
              value={newName}
              aria-invalid={changeProblems.length > 0}
              aria-describedby={changeProblems.length ? 'rename-name-hint rename-name-error' : 'rename-name-hint'}
              onInput={(e) => setNewName(e.currentTarget.value)}
            />
          </div>
          <div class="actions">
            <button type="submit" class="button" disabled={busy}>
              Save name
            </button>
            <button type="button" class="button secondary" onClick={close}>
              Cancel
            </button>
          </div>
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
          <div class="actions">
            <button type="submit" class="button warning" disabled={busy}>
              Confirm deactivation
            </button>
            <button type="button" class="button secondary" onClick={close}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {createProblems.length > 0 && (
        <div class="error-summary" role="alert" aria-labelledby="create-problems" tabIndex={-1} ref={summary}>
          <h2 id="create-problems">Not created: check these</h2>
          <ul>
            {createProblems.map((p, i) => (
              <li key={i}>
                <a href={`#organization-${p.field === 'part2Program' ? 'part2-program' : p.field}`}>{p.text}</a>
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
