import { createMongoAbility, type MongoAbility, type RawRuleOf, subject as asSubject } from '@casl/ability';
import { type Principal, roleBelongsTo } from '@libs/auth/principal.js';
import type { ActivePolicy, PolicyRule } from './policy-document.js';

export type AppAbility = MongoAbility;

/** Where a compiled rule came from: role, version and index in the document. */
export interface RuleSource {
  role: string;
  version: number;
  index: number;
}

/** Why an action was allowed or not: the rule that decided, or none (deny by default, C22). */
export interface Decision {
  allowed: boolean;
  /** `role@version#index` of the deciding rule, or null when nothing allowed it. */
  rule: string | null;
  policyVersion: number | null;
}

type SourcedRule = RawRuleOf<AppAbility> & { $source: RuleSource };

/** Fills `${principal.org}` and `${principal.sub}` in a rule's conditions. */
function interpolate(value: unknown, principal: Principal): unknown {
  if (typeof value === 'string') {
    if (value === '${principal.org}') return principal.org.key;
    if (value === '${principal.sub}') return principal.sub;
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => interpolate(v, principal));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, principal)]));
  }
  return value;
}

/**
 * Whether a rule's `when` fits the caller's organisation: its kind, and its agency type (an
 * organisation with no agency type never meets a rule that names one).
 */
export function appliesTo(rule: PolicyRule, principal: Pick<Principal, 'org'>): boolean {
  if (rule.when?.organizationKind && rule.when.organizationKind !== principal.org.kind) return false;
  if (rule.when?.agencyType !== undefined) {
    const types: readonly string[] = Array.isArray(rule.when.agencyType) ? rule.when.agencyType : [rule.when.agencyType];
    if (!principal.org.agencyType || !types.includes(principal.org.agencyType)) return false;
  }
  return true;
}

/**
 * Compiles the active policies of the caller's roles into one CASL ability. A role with no
 * active policy contributes nothing, so it can do nothing.
 */
export function compileAbility(principal: Principal, policies: ActivePolicy[]): AppAbility {
  const rules: SourcedRule[] = [];
  for (const policy of policies) {
    // A role outside the organisation kinds it belongs to contributes nothing, even if a token
    // carrying it got this far (authentication refuses such tokens first).
    if (!principal.roles.includes(policy.role) || !roleBelongsTo(policy.role, principal.org.kind)) continue;
    policy.rules.forEach((rule: PolicyRule, index) => {
      if (!appliesTo(rule, principal)) return;
      rules.push({
        action: rule.action,
        subject: rule.subject,
        fields: rule.fields,
        conditions: rule.conditions ? (interpolate(rule.conditions, principal) as Record<string, unknown>) : undefined,
        inverted: rule.inverted,
        reason: rule.reason,
        $source: { role: policy.role, version: policy.version, index },
      } as SourcedRule);
    });
  }
  return createMongoAbility(rules);
}

/** Decides (action, subject[, object]) and names the rule that decided it. */
export function decide(ability: AppAbility, action: string, subjectType: string, object?: Record<string, unknown>, field?: string): Decision {
  const target = object ? asSubject(subjectType, { ...object }) : subjectType;
  const rule = ability.relevantRuleFor(action, target, field);
  const allowed = ability.can(action, target, field);
  const source = (rule?.origin as SourcedRule | undefined)?.$source;
  return {
    allowed,
    rule: source ? `${source.role}@${source.version}#${source.index}` : null,
    policyVersion: source?.version ?? null,
  };
}
