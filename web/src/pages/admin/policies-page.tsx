import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, graphql } from '../../api/graphql';
import type { PageProps } from '../../navigation/page';
import { AccessPoliciesDocument, ActivateAccessPolicyDocument, PublishAccessPolicyDocument, type PolicyVersionFragment } from './admin.generated';
import './admin.css';

type Policy = PolicyVersionFragment;
const ROLES = ['responder', 'clinical_responder', 'provider_staff', 'compliance_officer', 'admin'];
const ROLE_WORDS: Record<string, string> = {
  responder: 'Responder',
  clinical_responder: 'Clinical responder',
  provider_staff: 'Provider staff',
  compliance_officer: 'Compliance officer',
  admin: 'Admin',
};

interface RuleProblem {
  /** 1-based rule number, or undefined for the document as a whole. */
  rule?: number;
  reason: string;
}

/** `extensions.problems` of a refused publish (`rules.2`: the third rule), grouped by rule. */
function ruleProblems(error: unknown): RuleProblem[] {
  if (!(error instanceof ApiError) || error.code !== 'BAD_USER_INPUT') return [];
  const raw = Array.isArray(error.extensions.problems) ? (error.extensions.problems as Array<{ field?: string; reason?: string; rule?: string }>) : [];
  return raw
    .map((p) => {
      const index = /^(?:input\.)?rules\.(\d+)/.exec(p.field ?? '')?.[1];
      return { rule: index === undefined ? undefined : Number(index) + 1, reason: p.reason ?? p.rule ?? 'not valid' };
    })
    .sort((a, b) => (a.rule ?? 0) - (b.rule ?? 0));
}

const pretty = (rules: unknown) => JSON.stringify(rules, null, 2);

/**
 * Access policy versions per role: the one running, the earlier ones (any of which can run again:
 * a rollback), and a new version published from the running one's rules, with the validation
 * problems shown rule by rule.
 */
export function PoliciesPage({ session }: PageProps) {
  const [policies, setPolicies] = useState<Policy[] | undefined>();
  const [role, setRole] = useState('responder');
  const [draft, setDraft] = useState('');
  const [problems, setProblems] = useState<RuleProblem[]>([]);
  const [problem, setProblem] = useState('');
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const summary = useRef<HTMLDivElement>(null);

  const load = async (forRole = role) => {
    try {
      const all = (await graphql(session, AccessPoliciesDocument)).accessPolicies;
      setPolicies(all);
      const active = all.find((p) => p.role === forRole && p.active);
      setDraft(active ? pretty(active.rules) : '[]');
    } catch {
      setProblem('The policies could not be loaded. Try again in a moment.');
    }
  };
  useEffect(() => {
    void load();
  }, []);
  useEffect(() => {
    if (problems.length) summary.current?.focus();
  }, [problems]);

  const versions = (policies ?? []).filter((p) => p.role === role).sort((a, b) => b.version - a.version);

  const publish = async (event: Event) => {
    event.preventDefault();
    setProblem('');
    setProblems([]);
    setStatus('');
    let rules: unknown;
    try {
      rules = JSON.parse(draft);
    } catch {
      setProblems([{ reason: 'The rules are not valid JSON.' }]);
      return;
    }
    setBusy(true);
    try {
      const published = (await graphql(session, PublishAccessPolicyDocument, { input: { role, rules } })).publishAccessPolicy;
      setStatus(`Version ${published.version} of the ${ROLE_WORDS[role]} policy published and running.`);
      await load(role);
    } catch (error) {
      const found = ruleProblems(error);
      if (found.length) setProblems(found);
      else setProblem(error instanceof ApiError && error.code === 'FORBIDDEN' ? 'Your role may not publish policies.' : 'The service could not publish it. Try again in a moment.');
    } finally {
      setBusy(false);
    }
  };

  const activate = async (version: number) => {
    setProblem('');
    setProblems([]);
    setBusy(true);
    try {
      await graphql(session, ActivateAccessPolicyDocument, { input: { role, version } });
      setStatus(`Version ${version} of the ${ROLE_WORDS[role]} policy is running again.`);
      await load(role);
    } catch (error) {
      const found = ruleProblems(error);
      if (found.length) setProblems(found);
      else setProblem('The service could not run that version. Try again in a moment.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1>Policies</h1>
      <p>Who may do what, per role. Every version is kept; publishing runs the new version at once, and any earlier version can run again.</p>
      <p class="status" role="status">
        {busy ? 'Working…' : status}
      </p>
      {problem && (
        <p class="notice error" role="alert">
          {problem}
        </p>
      )}
      <div class="field">
        <label for="role">Role</label>
        <select
          id="role"
          value={role}
          onChange={(e) => {
            const next = e.currentTarget.value;
            setRole(next);
            setProblems([]);
            setStatus('');
            const active = (policies ?? []).find((p) => p.role === next && p.active);
            setDraft(active ? pretty(active.rules) : '[]');
          }}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_WORDS[r]}
            </option>
          ))}
        </select>
      </div>
      {!policies && <p>Loading policies…</p>}
      {policies && (
        <section aria-labelledby="versions-heading">
          <h2 id="versions-heading">Versions</h2>
          <div class="table-wrap">
            <table class="records">
              <caption>{`${ROLE_WORDS[role]} policy versions, newest first`}</caption>
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  <th scope="col">Published</th>
                  <th scope="col">Rules</th>
                  <th scope="col">State</th>
                </tr>
              </thead>
              <tbody>
                {versions.map((p) => (
                  <tr key={p.id}>
                    <td>{p.version}</td>
                    <td>{`${new Date(p.publishedAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })} by ${p.publishedBy}${p.source === 'DEFAULT' ? ' (shipped default)' : ''}`}</td>
                    <td>{Array.isArray(p.rules) ? p.rules.length : '—'}</td>
                    <td>
                      {p.active ? (
                        <strong>Running</strong>
                      ) : (
                        <button type="button" class="button secondary" disabled={busy} onClick={() => void activate(p.version)}>
                          {`Roll back to version ${p.version}`}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
      {problems.length > 0 && (
        <div class="error-summary" role="alert" aria-labelledby="policy-problems" tabIndex={-1} ref={summary}>
          <h2 id="policy-problems">Not published: fix these rules</h2>
          <ul>
            {problems.map((p, i) => (
              <li key={i}>{p.rule === undefined ? p.reason : `Rule ${p.rule}: ${p.reason}`}</li>
            ))}
          </ul>
        </div>
      )}
      <form onSubmit={publish} noValidate aria-labelledby="publish-heading">
        <h2 id="publish-heading">Publish a new version</h2>
        <div class="field">
          <label for="rules">Rules</label>
          <p class="hint" id="rules-hint">
            The running version's rules as JSON (docs/policies.md). Rules are numbered from 1 in the problems.
          </p>
          <textarea id="rules" rows={18} spellcheck={false} aria-describedby="rules-hint" value={draft} onInput={(e) => setDraft(e.currentTarget.value)} />
        </div>
        <div class="actions">
          <button type="submit" class="button" disabled={busy}>
            Publish
          </button>
        </div>
      </form>
    </>
  );
}
