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
  { role: 'admin', subject: 'PartnershipAgreement', action: 'accept', field: 'providerOrganizationKey' },
  { role: 'admin', subject: 'PartnershipAgreement', action: 'end', field: 'agencyOrganizationKey' },
  { role: 'compliance_officer', subject: 'PartnershipAgreement', action: 'read', field: 'agencyOrganizationKey' },
];

describe('guard rails prove scoping, not the presence of a condition (issue: hostile conditions)', () => {
  describe.each(guarded)('$role on $subject', ({ role, subject, action, field }) => {
    it.each(hostile(field))('refuses %j with GUARD_RAIL', (conditions) => {
      const problems = validatePolicyDocument({ role, rules: [{ action, subject, conditions }] });
      expect(problems.some((p) => p.rule === 0 && p.reason.startsWith('GUARD_RAIL'))).toBe(true);
    });

    it.each(hostile(field))('refuses %j with GUARD_RAIL under a when.agencyType too: an agency type is never a scope', (conditions) => {
      if (role !== 'compliance_officer' && role !== 'admin') return; // only roles of responder agencies may name an agency type
      const problems = validatePolicyDocument({ role, rules: [{ action, subject, conditions, when: { agencyType: 'LAW_ENFORCEMENT' } }] });
      expect(problems.some((p) => p.rule === 0 && p.reason.startsWith('GUARD_RAIL'))).toBe(true);
    });

    it('accepts the exact own-organisation scope, bare or as $eq', () => {
      expect(validatePolicyDocument({ role, rules: [{ action, subject, conditions: { [field]: OWN } }] })).toEqual([]);
      expect(validatePolicyDocument({ role, rules: [{ action, subject, conditions: { [field]: { $eq: OWN } } }] })).toEqual([]);
    });

    it('accepts further narrowing next to the scope (conditions are ANDed)', () => {
      const other =
        subject === 'PartnershipAgreement' ? 'status' : field === 'organizationKey' ? 'id' : field === 'actorOrganizationKey' ? 'subjectOrganizationKeys' : 'actorOrganizationKey';
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

  it('judges a rule conditioned on agency type like any other (issue 15)', () => {
    // No scope at all, only an agency type: refused wherever a scope is required.
    const unscoped = validatePolicyDocument({ role: 'compliance_officer', rules: [{ action: 'read', subject: 'AuditEvent', when: { agencyType: ['LAW_ENFORCEMENT', 'EMS'] } }] });
    expect(unscoped.map((p) => p.reason)).toEqual([expect.stringMatching(/^GUARD_RAIL: the audit log only/)]);
    // Emergency access stays clinical_responder's alone, whatever the agency type.
    expect(guardRailProblems({ role: 'responder', rules: [{ action: 'emergency-access', subject: 'ResponderView', when: { agencyType: 'EMS' } }] }).length).toBeGreaterThan(0);
    // Responders still get the responder view only.
    expect(guardRailProblems({ role: 'responder', rules: [{ action: 'read', subject: 'PartnershipAgreement', when: { agencyType: 'MOBILE_CRISIS' } }] }).length).toBeGreaterThan(0);
    // A field rule of the responder view by agency type is what types are for.
    expect(validatePolicyDocument({ role: 'responder', rules: [{ action: 'lookup', subject: 'ResponderView', fields: ['engagementNotes'], when: { agencyType: ['MOBILE_CRISIS'] } }] })).toEqual([]);
    // Malformed or contradictory agency-type conditions are refused by the vocabulary.
    for (const when of [{ agencyType: 'POLICE' }, { agencyType: [] }, { organizationKind: 'TREATMENT_PROVIDER', agencyType: 'EMS' }, { agencyKind: 'EMS' }]) {
      expect(validatePolicyDocument({ role: 'responder', rules: [{ action: 'read', subject: 'Self', when } as PolicyRule] }).length).toBeGreaterThan(0);
    }
    expect(validatePolicyDocument({ role: 'provider_staff', rules: [{ action: 'read', subject: 'Self', when: { agencyType: 'EMS' } }] })).toEqual([
      { rule: 0, reason: 'when.agencyType never applies to provider_staff: only responder agencies have a type' },
    ]);
  });

  it('lets only admin propose, accept or end partnership agreements; an oversight body may read them all', () => {
    expect(guardRailProblems({ role: 'compliance_officer', rules: [{ action: 'end', subject: 'PartnershipAgreement', conditions: { providerOrganizationKey: OWN } }] }).length).toBe(1);
    expect(guardRailProblems({ role: 'compliance_officer', rules: [{ action: 'read', subject: 'PartnershipAgreement', when: { organizationKind: 'OVERSIGHT' } }] })).toEqual([]);
    expect(guardRailProblems({ role: 'admin', rules: [{ action: 'propose', subject: 'PartnershipAgreement', when: { organizationKind: 'OVERSIGHT' } }] }).length).toBe(1);
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
