/**
 * A role's policy rules in words, and what changed between two versions of it, for an admin
 * comparing versions before a rollback or after a publish (docs/policies.md). Pure functions of
 * the rules `accessPolicies` answers: nothing else is asked of the service.
 */

/** One rule as a policy document holds it (libs/authorization/policy-document.ts). */
export interface Rule {
  action: string | string[];
  subject: string | string[];
  fields?: string[];
  conditions?: Record<string, unknown>;
  inverted?: boolean;
  reason?: string;
  when?: { organizationKind?: string };
}

const asList = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

const KIND_WORDS: Record<string, string> = { OVERSIGHT: 'an oversight body', RESPONDER_AGENCY: 'a responder agency', TREATMENT_PROVIDER: 'a treatment provider' };

function valueInWords(value: unknown): string {
  if (value === '${principal.org}') return 'their own organisation';
  if (value === '${principal.sub}') return 'themselves';
  if (Array.isArray(value)) return value.map(valueInWords).join(' or ');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function conditionInWords(field: string, operand: unknown): string {
  if (operand && typeof operand === 'object' && !Array.isArray(operand)) {
    return Object.entries(operand as Record<string, unknown>)
      .map(([operator, value]) => {
        switch (operator) {
          case '$eq':
            return `${field} is ${valueInWords(value)}`;
          case '$ne':
            return `${field} is not ${valueInWords(value)}`;
          case '$in':
            return `${field} is one of ${valueInWords(value)}`;
          case '$nin':
            return `${field} is none of ${valueInWords(value)}`;
          default:
            return `${field} ${operator} ${valueInWords(value)}`;
        }
      })
      .join(' and ');
  }
  return `${field} is ${valueInWords(operand)}`;
}

/** "May read, verify AuditEvent where actorOrganizationKey is their own organisation." */
export function ruleInWords(rule: Rule): string {
  const parts = [`${rule.inverted ? 'May not' : 'May'} ${asList(rule.action).join(', ')} ${asList(rule.subject).join(', ')}`];
  if (rule.fields?.length) parts.push(`(fields ${rule.fields.join(', ')})`);
  const conditions = Object.entries(rule.conditions ?? {});
  if (conditions.length) parts.push(`where ${conditions.map(([field, operand]) => conditionInWords(field, operand)).join(' and ')}`);
  if (rule.when?.organizationKind) parts.push(`only in ${KIND_WORDS[rule.when.organizationKind] ?? rule.when.organizationKind}`);
  return `${parts.join(' ')}.${rule.reason ? ` Note: ${rule.reason}` : ''}`;
}

/** A stable text of a rule (keys sorted at every depth), so two equal rules compare equal. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export interface ChangedRule {
  before: Rule;
  after: Rule;
  /** What differs, in words: "actions: added verify; removed read", "conditions", … */
  differences: string[];
}

export interface PolicyDiff {
  added: Rule[];
  removed: Rule[];
  changed: ChangedRule[];
  unchanged: number;
}

const subjectKey = (rule: Rule) => [...asList(rule.subject)].sort().join(',');

function differencesOf(before: Rule, after: Rule): string[] {
  const differences: string[] = [];
  const was = new Set(asList(before.action));
  const is = new Set(asList(after.action));
  const gained = [...is].filter((a) => !was.has(a));
  const lost = [...was].filter((a) => !is.has(a));
  if (gained.length || lost.length) differences.push(`actions: ${[gained.length ? `added ${gained.join(', ')}` : '', lost.length ? `removed ${lost.join(', ')}` : ''].filter(Boolean).join('; ')}`);
  if (canonical(before.fields ?? null) !== canonical(after.fields ?? null)) differences.push('fields');
  if (canonical(before.conditions ?? null) !== canonical(after.conditions ?? null)) differences.push('conditions (which rows)');
  if (canonical(before.when ?? null) !== canonical(after.when ?? null)) differences.push('the kind of organisation it applies in');
  if (Boolean(before.inverted) !== Boolean(after.inverted)) differences.push(after.inverted ? 'now takes away instead of granting' : 'now grants instead of taking away');
  if ((before.reason ?? '') !== (after.reason ?? '')) differences.push('the note');
  return differences;
}

/**
 * What changed from `before` to `after`: rules equal in both are unchanged; a rule only in
 * `before` and one only in `after` about the same subjects are one changed rule (paired in order);
 * the rest are removed or added.
 */
export function policyDiff(before: Rule[], after: Rule[]): PolicyDiff {
  const remaining = new Map<string, number>();
  for (const rule of after) remaining.set(canonical(rule), (remaining.get(canonical(rule)) ?? 0) + 1);
  const removed: Rule[] = [];
  let unchanged = 0;
  for (const rule of before) {
    const count = remaining.get(canonical(rule)) ?? 0;
    if (count > 0) {
      remaining.set(canonical(rule), count - 1);
      unchanged += 1;
    } else removed.push(rule);
  }
  const added: Rule[] = [];
  for (const rule of after) {
    const count = remaining.get(canonical(rule)) ?? 0;
    if (count > 0) {
      added.push(rule);
      remaining.set(canonical(rule), count - 1);
    }
  }
  const changed: ChangedRule[] = [];
  const stillRemoved: Rule[] = [];
  for (const rule of removed) {
    const match = added.findIndex((candidate) => subjectKey(candidate) === subjectKey(rule));
    if (match < 0) {
      stillRemoved.push(rule);
      continue;
    }
    const [counterpart] = added.splice(match, 1);
    changed.push({ before: rule, after: counterpart, differences: differencesOf(rule, counterpart) });
  }
  return { added, removed: stillRemoved, changed, unchanged };
}
