import type { Role } from '@libs/auth/principal.js';
import { guardRailProblems } from './guard-rails.js';
import type { PolicyRule } from './policy-document.js';
import { validatePolicyDocument } from './policy-validation.js';

const OWN = '${principal.org}';

/**
 * Conditions that look like a scope but are not one: each lets a caller reach rows of other
 * organisations (an outside attack published the first one and read every organisation's log).
 */
const hostile = (field: string): Record<string, unknown>[] => [
  { [field]: { $ne: OWN } },
  { [field]: { $nin: [] } },
  { [field]: { $in: ['riverside-recovery', 'harbor-health', 'metro-crisis-team', OWN] } },
  { [field]: { $in: [OWN] , $ne: 'x' } },
  { $or: [{ [field]: OWN }, { [field]: { $ne: OWN } }] },
  { [field]: { $exists: true } },
  { [field]: { $regex: '.*' } },
  { [field]: '${principal.sub}' },
  { [field]: 'riverside-recovery' },
  {},
];

const guarded: { role: Role; subject: string; action: string; field: string }[] = [
  { role: 'compliance_officer', subject: 'AuditEvent', action: 'read', field: 'actorOrganizationKey' },
  { role: 'compliance_officer', subject: 'AuditEvent', action: 'verify', field: 'subjectOrganizationKeys' },
  { role: 'compliance_officer', subject: 'Disclosure', action: 'read', field: 'organizationKey' },
  { role: 'provider_staff', subject: 'Disclosure', action: 'read', field: 'organizationKey' },
  { role: 'provider_staff', subject: 'Patient', action: 'read', field: 'organizationKey' },
  { role: 'provider_staff', subject: 'Enrollment', action: 'update', field: 'organizationKey' },
  { role: 'provider_staff', subject: 'Consent', action: 'revoke', field: 'organizationKey' },
  { role: 'provider_staff', subject: 'EmergencyDisclosure', action: 'read', field: 'organizationKey' },
  { role: 'compliance_officer', subject: 'ReviewPatient', action: 'read', field: 'organizationKey' },
];

describe('guard rails prove scoping, not the presence of a condition (issue: hostile conditions)', () => {
  describe.each(guarded)('$role on $subject', ({ role, subject, action, field }) => {
    it.each(hostile(field))('refuses %j with GUARD_RAIL', (conditions) => {
      const problems = validatePolicyDocument({ role, rules: [{ action, subject, conditions }] });
      expect(problems.some((p) => p.rule === 0 && p.reason.startsWith('GUARD_RAIL'))).toBe(true);
    });

    it('accepts the exact own-organisation scope, bare or as $eq', () => {
      expect(validatePolicyDocument({ role, rules: [{ action, subject, conditions: { [field]: OWN } }] })).toEqual([]);
      expect(validatePolicyDocument({ role, rules: [{ action, subject, conditions: { [field]: { $eq: OWN } } }] })).toEqual([]);
    });

    it('accepts further narrowing next to the scope (conditions are ANDed)', () => {
      const other = field === 'organizationKey' ? 'id' : field === 'actorOrganizationKey' ? 'subjectOrganizationKeys' : 'actorOrganizationKey';
      if (subject === 'Disclosure' || subject === 'ReviewPatient') return; // one condition field only
      expect(validatePolicyDocument({ role, rules: [{ action, subject, conditions: { [field]: OWN, [other]: { $ne: 'x' } } }] })).toEqual([]);
    });
  });

  it('lets an oversight body read the whole log and every accounting, and only an oversight body', () => {
    const rules: PolicyRule[] = [
      { action: ['read', 'verify'], subject: 'AuditEvent', when: { organizationKind: 'OVERSIGHT' } },
      { action: 'read', subject: 'Disclosure', when: { organizationKind: 'OVERSIGHT' } },
    ];
    expect(validatePolicyDocument({ role: 'compliance_officer', rules })).toEqual([]);
    const unscoped = rules.map(({ when: _when, ...rule }) => rule);
    expect(guardRailProblems({ role: 'compliance_officer', rules: unscoped }).map((p) => p.rule)).toEqual([0, 1]);
  });

  it('finds patients for review for compliance officers only: never an admin, a provider\'s staff or a responder', () => {
    for (const role of ['admin', 'provider_staff', 'responder'] as const) {
      const problems = validatePolicyDocument({ role, rules: [{ action: 'read', subject: 'ReviewPatient', conditions: { organizationKey: OWN } }] });
      expect({ role, refused: problems.some((p) => p.rule === 0 && p.reason.startsWith('GUARD_RAIL')) }).toEqual({ role, refused: true });
    }
    expect(validatePolicyDocument({ role: 'compliance_officer', rules: [{ action: 'read', subject: 'ReviewPatient', when: { organizationKind: 'OVERSIGHT' } }] })).toEqual([]);
  });

  it('judges a rule with several subjects by each of them', () => {
    const problems = validatePolicyDocument({ role: 'provider_staff', rules: [{ action: 'read', subject: ['Patient', 'Disclosure'], conditions: { organizationKey: { $ne: OWN } } }] });
    expect(problems.filter((p) => p.reason.startsWith('GUARD_RAIL')).length).toBeGreaterThan(0);
  });

  it('survives a malformed document (the vocabulary check reports it)', () => {
    expect(() => guardRailProblems({ role: 'provider_staff', rules: [null as unknown as PolicyRule, { action: 'read' } as PolicyRule] })).not.toThrow();
  });

  it('accepts every shipped default policy', async () => {
    const { readdir, readFile } = await import('node:fs/promises');
    const { projectRoot } = await import('@libs/config/project-root.js');
    const dir = `${projectRoot()}/policies`;
    for (const file of await readdir(dir)) {
      const document = JSON.parse(await readFile(`${dir}/${file}`, 'utf8'));
      expect({ file, problems: validatePolicyDocument(document) }).toEqual({ file, problems: [] });
    }
  });
});
