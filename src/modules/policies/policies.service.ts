import { Injectable } from '@nestjs/common';
import type { Actor } from '@libs/authorization/actor.js';
import { AbilitiesService } from '@libs/authorization/abilities.service.js';
import { compileAbility, decide } from '@libs/authorization/ability.js';
import type { PolicyRule } from '@libs/authorization/policy-document.js';
import { validatePolicyDocument } from '@libs/authorization/policy-validation.js';
import { AGENCY_TYPES, type AgencyType, type PrincipalOrganization, ROLE_ORGANIZATION_KINDS, type Role } from '@libs/auth/principal.js';
import { DataAccess } from '@libs/database/data-access.js';
import { BadUserInputError } from '@libs/graphql/errors.js';
import { AuditLedger } from '@libs/ledger/audit-ledger.js';
import { canonicalJson } from '@libs/ledger/canonical-json.js';
import type { AccessPolicyEntity } from './access-policy.entity.js';
import { AccessPolicyRepository } from './access-policy.repository.js';
import { policyHash } from './default-policy-installer.js';

/** What changed between two versions, rule by rule (canonical JSON), for the audit event. */
export function policyDifference(before: PolicyRule[], after: PolicyRule[]): { added: PolicyRule[]; removed: PolicyRule[] } {
  const beforeKeys = new Set(before.map(canonicalJson));
  const afterKeys = new Set(after.map(canonicalJson));
  return { added: after.filter((r) => !beforeKeys.has(canonicalJson(r))), removed: before.filter((r) => !afterKeys.has(canonicalJson(r))) };
}

export interface AccessExplanation {
  allowed: boolean;
  role: string;
  version: number | null;
  ruleIndex: number | null;
  rule: PolicyRule | null;
  reason: string;
  /** The agency type the role was explained for (responder agencies only), else null. */
  agencyType: AgencyType | null;
  /** Whether another agency type would get a different answer or deciding rule: the agency type mattered. */
  agencyTypeMattered: boolean;
}

/** Names a rule's agency-type condition in words, for the explanation. */
function agencyTypeWords(rule: PolicyRule | null): string {
  const types = rule?.when?.agencyType;
  if (types === undefined) return '';
  return `, for responder agencies of type ${(Array.isArray(types) ? types : [types]).join(', ')}`;
}

/**
 * Access policies as versioned data (house rule 4): listed, published as the next version
 * of a role (validated and held to the guard rails first), rolled back by activating an earlier
 * version, and explained. Every publish and activation is an audit event with the difference.
 */
@Injectable()
export class PoliciesService {
  constructor(
    private readonly data: DataAccess,
    private readonly policies: AccessPolicyRepository,
    private readonly ledger: AuditLedger,
    private readonly abilities: AbilitiesService,
  ) {}

  list(actor: Actor): Promise<AccessPolicyEntity[]> {
    return this.data.forCaller(actor).transaction(async (db) => {
      const policies = await this.policies.list(db);
      await this.ledger.append(db, { action: 'accessPolicies', outcome: 'SUCCESS', details: { count: policies.length } });
      return policies;
    });
  }

  async publish(actor: Actor, role: Role, rules: PolicyRule[]): Promise<AccessPolicyEntity> {
    const problems = validatePolicyDocument({ role, rules });
    if (problems.length > 0) {
      throw new BadUserInputError(
        [...new Set(problems.map((p) => (p.rule === null ? 'rules' : `rules.${p.rule}`)))],
        problems.some((p) => p.reason.startsWith('GUARD_RAIL')) ? 'GUARD_RAIL' : 'INVALID_POLICY',
        problems.map((p) => ({ field: p.rule === null ? 'rules' : `rules.${p.rule}`, reason: p.reason })),
      );
    }
    const published = await this.data.forCaller(actor).transaction(async (db) => {
      await this.policies.lockPolicies(db);
      const previous = (await this.policies.versionsOf(db, role)).find((v) => v.active) ?? null;
      const created = await this.policies.insertActiveVersion(db, { role, rules, contentHash: policyHash(rules), source: 'PUBLISHED' });
      await this.ledger.append(db, {
        action: 'publishAccessPolicy',
        outcome: 'SUCCESS',
        details: { role, version: created.version, previousVersion: previous?.version ?? null, difference: policyDifference(previous?.rules ?? [], rules) },
      });
      return (await this.policies.versionsOf(db, role)).find((v) => v.version === created.version)!;
    });
    // This instance runs it at once; the others within the refresh interval.
    this.abilities.invalidate();
    return published;
  }

  async activate(actor: Actor, role: Role, version: number): Promise<AccessPolicyEntity> {
    const activated = await this.data.forCaller(actor).transaction(async (db) => {
      await this.policies.lockPolicies(db);
      const versions = await this.policies.versionsOf(db, role);
      const target = versions.find((v) => v.version === version);
      if (!target) throw new BadUserInputError(['version'], 'NOT_FOUND');
      const current = versions.find((v) => v.active) ?? null;
      if (current?.version === version) throw new BadUserInputError(['version'], 'ALREADY_ACTIVE');
      // Guard rails are rechecked: an old version may predate a rail added since.
      const problems = validatePolicyDocument({ role, rules: target.rules });
      if (problems.length > 0) throw new BadUserInputError(['version'], 'GUARD_RAIL', problems.map((p) => ({ field: `rules.${p.rule ?? ''}`, reason: p.reason })));
      await this.policies.activate(db, role, version);
      await this.ledger.append(db, {
        action: 'activateAccessPolicy',
        outcome: 'SUCCESS',
        details: { role, version, previousVersion: current?.version ?? null, difference: policyDifference(current?.rules ?? [], target.rules) },
      });
      return (await this.policies.versionsOf(db, role)).find((v) => v.version === version)!;
    });
    this.abilities.invalidate();
    return activated;
  }

  /** Whether the role's active version allows (action, subject[, field]), and by which rule. */
  explain(actor: Actor, role: Role, action: string, subject: string, field?: string | null, agencyType?: AgencyType | null): Promise<AccessExplanation> {
    return this.data.forCaller(actor).transaction(async (db) => {
      const active = (await this.policies.versionsOf(db, role)).find((v) => v.active) ?? null;
      // The role is explained as it runs for its own kind of organisation: the caller's, when the
      // role belongs there, else the first kind it belongs to. In a responder agency, as the agency
      // type asked for, else the caller's agency's, else OTHER.
      const kinds = ROLE_ORGANIZATION_KINDS[role];
      const kind = kinds.includes(actor.principal.org.kind) ? actor.principal.org.kind : kinds[0];
      const explainedType = kind === 'RESPONDER_AGENCY' ? (agencyType ?? (actor.principal.org.kind === kind ? actor.principal.org.agencyType : null) ?? 'OTHER') : null;
      const policies = active ? [{ role, version: active.version, rules: active.rules }] : [];
      const decideAs = (type: AgencyType | null) => {
        const org: PrincipalOrganization = { ...actor.principal.org, kind, agencyType: type };
        const principal = { sub: 'explain', name: 'explain', named: true, roles: [role], org, amr: [] };
        return decide(compileAbility(principal, policies), action, subject, undefined, field ?? undefined);
      };
      const decision = decideAs(explainedType);
      // The agency type mattered when another type would be answered otherwise, or by another rule.
      const agencyTypeMattered = explainedType !== null && AGENCY_TYPES.some((type) => {
        const other = decideAs(type);
        return other.allowed !== decision.allowed || other.rule !== decision.rule;
      });
      const ruleIndex = decision.rule ? Number(decision.rule.split('#')[1]) : null;
      const rule = ruleIndex !== null && active ? active.rules[ruleIndex] : null;
      const typeNote = agencyTypeMattered && !rule?.when?.agencyType ? `; the answer depends on the agency type (explained as ${explainedType})` : '';
      const explanation: AccessExplanation = {
        allowed: decision.allowed,
        role,
        version: active?.version ?? null,
        ruleIndex,
        rule,
        agencyType: explainedType,
        agencyTypeMattered,
        reason:
          (decision.allowed
            ? `allowed by rule ${ruleIndex} of ${role} version ${active!.version}${agencyTypeWords(rule)}${rule?.conditions ? ', for rows that meet its conditions' : ''}`
            : rule
              ? `refused by rule ${ruleIndex} of ${role} version ${active!.version}${agencyTypeWords(rule)}`
              : `no rule of ${role} version ${active?.version ?? '(none)'} allows it: denied by default`) + typeNote,
      };
      await this.ledger.append(db, {
        action: 'explainAccess',
        outcome: 'SUCCESS',
        details: { role, action, subject, field: field ?? null, agencyType: explainedType, allowed: decision.allowed },
      });
      return explanation;
    });
  }
}
