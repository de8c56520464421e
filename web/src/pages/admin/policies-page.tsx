import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ApiError, graphql } from '../../api/graphql';
import type { PageProps } from '../../navigation/page';
import type { Session } from '../../auth/session';
import { AccessPoliciesDocument, ActivateAccessPolicyDocument, ExplainAccessDocument, type ExplainAccessQuery, PublishAccessPolicyDocument, type PolicyVersionFragment } from './admin.generated';
import { policyDiff, type Rule, ruleInWords } from './policy-diff';
import { POLICY_SUBJECTS, SUBJECT_WORDS } from './policy-vocabulary';
import { PageStatus } from '../page-status';
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
 * Two versions of the role's policy side by side, in words: rules added, removed and changed
 * (what changed in each). Versions default to the one before the running one and the running one.
 */
function CompareVersions({ role, versions }: { role: string; versions: Policy[] }) {
  const running = versions.find((p) => p.active) ?? versions[0];
  const earlier = versions.find((p) => running && p.version < running.version) ?? versions[1] ?? running;
  const [from, setFrom] = useState<number | undefined>(earlier?.version);
  const [to, setTo] = useState<number | undefined>(running?.version);
  const [shown, setShown] = useState<{ from: Policy; to: Policy } | undefined>();
  const result = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    setFrom(earlier?.version);
    setTo(running?.version);
    setShown(undefined);
  }, [role, versions.length, running?.version]);
  // Before paint: the focus is on the result by the time anyone sees it (no later effect takes it back).
  useLayoutEffect(() => {
    if (shown) result.current?.focus();
  }, [shown]);

  if (versions.length < 2) return <p>This role has one version: there is nothing to compare yet.</p>;
  const compare = (event: Event) => {
    event.preventDefault();
    const a = versions.find((p) => p.version === from);
    const b = versions.find((p) => p.version === to);
    if (a && b) setShown({ from: a, to: b });
  };
  const diff = shown ? policyDiff(asRules(shown.from.rules), asRules(shown.to.rules)) : undefined;
  const select = (id: string, label: string, value: number | undefined, onChange: (v: number) => void) => (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(Number(e.currentTarget.value))}>
        {versions.map((p) => (
          <option key={p.id} value={p.version}>
            {`Version ${p.version}${p.active ? ' (running)' : ''}`}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <>
      <form onSubmit={compare} noValidate aria-label="Compare versions">
        <div class="filter-grid">
          {select('compare-from', 'From version', from, setFrom)}
          {select('compare-to', 'To version', to, setTo)}
        </div>
        <div class="actions">
          <button type="submit" class="button secondary">
            Compare
          </button>
        </div>
      </form>
      {shown && diff && (
        <section aria-labelledby="diff-heading" class="diff">
          <h3 id="diff-heading" tabIndex={-1} ref={result}>
            {`Differences from version ${shown.from.version} to version ${shown.to.version}`}
          </h3>
          {diff.added.length + diff.removed.length + diff.changed.length === 0 ? (
            <p>{`No differences: the two versions have the same ${diff.unchanged} rules.`}</p>
          ) : (
            <>
              <p>{`${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed, ${diff.unchanged} the same.`}</p>
              {diff.added.length > 0 && (
                <>
                  <h4>Added</h4>
                  <ul aria-label="Added rules">
                    {diff.added.map((r, i) => (
                      <li key={i}>{ruleInWords(r)}</li>
                    ))}
                  </ul>
                </>
              )}
              {diff.removed.length > 0 && (
                <>
                  <h4>Removed</h4>
                  <ul aria-label="Removed rules">
                    {diff.removed.map((r, i) => (
                      <li key={i}>{ruleInWords(r)}</li>
                    ))}
                  </ul>
                </>
              )}
              {diff.changed.length > 0 && (
                <>
                  <h4>Changed</h4>
                  <ul aria-label="Changed rules">
                    {diff.changed.map((c, i) => (
                      <li key={i}>
                        {`Was: ${ruleInWords(c.before)} Now: ${ruleInWords(c.after)} Changed: ${c.differences.join(', ') || 'wording'}.`}
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </>
          )}
        </section>
      )}
    </>
  );
}

const asRules = (rules: unknown): Rule[] => (Array.isArray(rules) ? (rules as Rule[]) : []);

type Explanation = ExplainAccessQuery['explainAccess'];

/** The service's answer to "may this role do this?" in words: which rule of which version decided. */
function explanationInWords(e: Explanation): string {
  const policy = `the ${ROLE_WORDS[e.role] ?? e.role} policy, version ${e.version ?? 'none'},`;
  const rule = e.rule && typeof e.rule === 'object' ? ruleInWords(e.rule as Rule) : '';
  if (e.allowed && e.ruleIndex !== null) {
    const conditions = e.rule && typeof e.rule === 'object' && (e.rule as Rule).conditions ? ' Only for the records that meet its conditions.' : '';
    return `Allowed. Rule ${e.ruleIndex + 1} of ${policy} decides it: ${rule}${conditions}`;
  }
  if (e.ruleIndex !== null) return `Refused. Rule ${e.ruleIndex + 1} of ${policy} takes it away: ${rule}`;
  return `Refused. No rule of ${policy} allows it, so it is denied by default.`;
}

/** "Explain a decision": a form over explainAccess (role, action, subject, field). Audited by the service. */
function ExplainDecision({ session }: { session: Session }) {
  const subjects = Object.keys(POLICY_SUBJECTS);
  const [values, setValues] = useState({ role: 'responder', subject: 'ResponderView', action: 'lookup', field: '' });
  const [answer, setAnswer] = useState<Explanation | undefined>();
  const [problem, setProblem] = useState('');
  const [busy, setBusy] = useState(false);
  const result = useRef<HTMLHeadingElement>(null);
  useLayoutEffect(() => {
    if (answer) result.current?.focus();
  }, [answer]);
  const vocabulary = POLICY_SUBJECTS[values.subject];

  const explain = async (event: Event) => {
    event.preventDefault();
    setProblem('');
    setAnswer(undefined);
    setBusy(true);
    try {
      const variables = { role: values.role, action: values.action, subject: values.subject, ...(values.field ? { field: values.field } : {}) };
      setAnswer((await graphql(session, ExplainAccessDocument, variables)).explainAccess);
    } catch (error) {
      setProblem(
        error instanceof ApiError && error.code === 'BAD_USER_INPUT'
          ? `Check these fields: ${error.fields.map((f) => f.charAt(0).toUpperCase() + f.slice(1)).join(', ')}.`
          : error instanceof ApiError && error.code === 'FORBIDDEN'
            ? 'Your role may not ask for explanations.'
            : 'The service could not answer. Try again in a moment.',
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={explain} noValidate aria-labelledby="explain-heading">
      <h2 id="explain-heading">Explain a decision</h2>
      <p>Which rule of a role's running policy decides whether it may do something, as the service decides it.</p>
      <div class="filter-grid">
        <div class="field">
          <label for="explain-role">Role</label>
          <select id="explain-role" value={values.role} onChange={(e) => setValues({ ...values, role: e.currentTarget.value })}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_WORDS[r]}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="explain-subject">Subject</label>
          <select
            id="explain-subject"
            value={values.subject}
            onChange={(e) => {
              const subject = e.currentTarget.value;
              setValues({ ...values, subject, action: POLICY_SUBJECTS[subject].actions[0], field: '' });
            }}
          >
            {subjects.map((s) => (
              <option key={s} value={s}>
                {SUBJECT_WORDS[s] ? `${SUBJECT_WORDS[s]} (${s})` : s}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="explain-action">Action</label>
          <select id="explain-action" value={values.action} onChange={(e) => setValues({ ...values, action: e.currentTarget.value })}>
            {vocabulary.actions.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="explain-field">Field</label>
          <p class="hint" id="explain-field-hint">
            Optional: one field of the subject, for example what a responder may be shown.
          </p>
          <select id="explain-field" aria-describedby="explain-field-hint" value={values.field} onChange={(e) => setValues({ ...values, field: e.currentTarget.value })}>
            <option value="">No particular field</option>
            {vocabulary.fields.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div class="actions">
        <button type="submit" class="button secondary" disabled={busy}>
          Explain
        </button>
      </div>
      {problem && (
        <p class="notice error" role="alert">
          {problem}
        </p>
      )}
      {answer && (
        <section aria-labelledby="decision-heading" class="decision">
          <h3 id="decision-heading" tabIndex={-1} ref={result}>
            Decision
          </h3>
          <p>{explanationInWords(answer)}</p>
        </section>
      )}
    </form>
  );
}

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
      <PageStatus busy={busy} status={status} problem={problem} />
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
          {/* On a phone the table scrolls sideways inside this box: a keyboard reaches it (Tab, then the arrow keys). */}
          <div class="table-wrap" tabIndex={0} role="region" aria-label={`${ROLE_WORDS[role]} policy versions`}>
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
      {policies && (
        <section aria-labelledby="compare-heading">
          <h2 id="compare-heading">Compare two versions</h2>
          <CompareVersions role={role} versions={versions} />
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
      <ExplainDecision session={session} />
    </>
  );
}
