import type { Principal } from '@libs/auth/principal.js';
import { compileAbility, decide } from './ability.js';
import type { ActivePolicy } from './policy-document.js';
import { sqlScope } from './sql-scope.js';
import { validatePolicyDocument } from './policy-validation.js';

const principal = (roles: Principal['roles'], org = 'riverside'): Principal => ({
  sub: 'pat',
  name: 'Pat',
  named: true,
  roles,
  org: { id: '00000000-0000-4000-8000-000000000001', key: org, name: org, kind: 'TREATMENT_PROVIDER' },
  amr: [],
});

const POLICIES: ActivePolicy[] = [
  {
    role: 'provider_staff',
    version: 3,
    rules: [
      { action: ['read', 'create'], subject: 'Patient', conditions: { organizationKey: '${principal.org}' } },
      { action: 'read', subject: 'Enrollment', conditions: { organizationKey: '${principal.org}' } },
    ],
  },
  { role: 'admin', version: 7, rules: [{ action: ['create', 'read'], subject: 'Organization' }] },
];

describe('compileAbility and decide (C22: deny by default)', () => {
  it("applies a rule with when.agencyType only to agencies of those types (issue 15)", () => {
    const agency = (agencyType: Principal['org']['agencyType']): Principal => ({
      ...principal(['responder']),
      org: { id: '00000000-0000-4000-8000-000000000002', key: 'metro', name: 'Metro', kind: 'RESPONDER_AGENCY', agencyType },
    });
    const policies: ActivePolicy[] = [
      {
        role: 'responder',
        version: 2,
        rules: [
          { action: 'lookup', subject: 'ResponderView', fields: ['careTeam'] },
          { action: 'lookup', subject: 'ResponderView', fields: ['engagementNotes'], when: { agencyType: ['MOBILE_CRISIS', 'EMS'] } },
        ],
      },
    ];
    expect(decide(compileAbility(agency('MOBILE_CRISIS'), policies), 'lookup', 'ResponderView', undefined, 'engagementNotes')).toEqual({ allowed: true, rule: 'responder@2#1', policyVersion: 2 });
    expect(decide(compileAbility(agency('LAW_ENFORCEMENT'), policies), 'lookup', 'ResponderView', undefined, 'engagementNotes').allowed).toBe(false);
    expect(decide(compileAbility(agency('LAW_ENFORCEMENT'), policies), 'lookup', 'ResponderView', undefined, 'careTeam').allowed).toBe(true);
    // An organisation with no type never meets a rule that names one.
    expect(decide(compileAbility(agency(null), policies), 'lookup', 'ResponderView', undefined, 'engagementNotes').allowed).toBe(false);
  });

  it('allows only what a rule of the caller\'s roles allows, and names that rule', () => {
    const ability = compileAbility(principal(['provider_staff']), POLICIES);
    expect(decide(ability, 'read', 'Patient', { organizationKey: 'riverside' })).toEqual({ allowed: true, rule: 'provider_staff@3#0', policyVersion: 3 });
    expect(decide(ability, 'read', 'Patient', { organizationKey: 'harbor' }).allowed).toBe(false);
    expect(decide(ability, 'read', 'Organization')).toEqual({ allowed: false, rule: null, policyVersion: null });
    expect(decide(ability, 'update', 'Patient').allowed).toBe(false);
  });

  it('fills placeholders from the principal, never from data', () => {
    const ability = compileAbility(principal(['provider_staff'], 'harbor'), POLICIES);
    expect(decide(ability, 'read', 'Patient', { organizationKey: 'harbor' }).allowed).toBe(true);
    expect(decide(ability, 'read', 'Patient', { organizationKey: '${principal.org}' }).allowed).toBe(false);
  });

  it('gives a role nothing in an organisation of a kind it does not belong to (C14)', () => {
    const responderPolicy: ActivePolicy = { role: 'responder', version: 1, rules: [{ action: 'lookup', subject: 'ResponderView' }] };
    const atProvider = compileAbility(principal(['responder']), [responderPolicy]);
    expect(atProvider.rules).toHaveLength(0);
    const atAgency = compileAbility({ ...principal(['responder']), org: { ...principal([]).org, kind: 'RESPONDER_AGENCY' } }, [responderPolicy]);
    expect(decide(atAgency, 'lookup', 'ResponderView').allowed).toBe(true);
  });

  it('gives a role without an active policy nothing', () => {
    const ability = compileAbility(principal(['responder']), POLICIES);
    expect(ability.rules).toHaveLength(0);
  });
});

describe('sqlScope (house rule 3: lists filter in SQL)', () => {
  const columns = { organizationKey: 'o.key' };

  it('turns the caller\'s conditions into a parameterised WHERE', () => {
    const scope = sqlScope(compileAbility(principal(['provider_staff']), POLICIES), 'read', 'Patient', columns);
    expect(scope).toEqual({ sql: 'o.key = $1', params: ['riverside'] });
  });

  it('numbers parameters after an offset', () => {
    const scope = sqlScope(compileAbility(principal(['provider_staff']), POLICIES), 'read', 'Patient', columns, 2);
    expect(scope.sql).toBe('o.key = $3');
  });

  it('is false when nothing allows the action', () => {
    expect(sqlScope(compileAbility(principal(['admin']), POLICIES), 'read', 'Patient', columns)).toEqual({ sql: 'false', params: [] });
  });

  it('fails closed on a condition field it cannot map', () => {
    const ability = compileAbility(principal(['provider_staff']), [{ role: 'provider_staff', version: 1, rules: [{ action: 'read', subject: 'Patient', conditions: { id: 'x' } }] }]);
    expect(() => sqlScope(ability, 'read', 'Patient', columns)).toThrow(/unmapped field/);
  });

  it('ORs several rules', () => {
    const ability = compileAbility(principal(['provider_staff']), [
      {
        role: 'provider_staff',
        version: 1,
        rules: [
          { action: 'read', subject: 'Patient', conditions: { organizationKey: 'a' } },
          { action: 'read', subject: 'Patient', conditions: { organizationKey: { $in: ['b', 'c'] } } },
        ],
      },
    ]);
    const scope = sqlScope(ability, 'read', 'Patient', columns);
    expect(scope.sql).toMatch(/OR/);
    expect(scope.params).toEqual(expect.arrayContaining(['a', ['b', 'c']]));
  });
});

describe('validatePolicyDocument', () => {
  it('accepts the shipped vocabulary', () => {
    expect(validatePolicyDocument({ role: 'provider_staff', rules: POLICIES[0].rules })).toEqual([]);
  });

  it.each([
    [{ action: 'manage', subject: 'Patient' }, /everything/],
    [{ action: 'read', subject: 'all' }, /everything/],
    [{ action: 'fly', subject: 'Patient' }, /does not apply/],
    [{ action: 'read', subject: 'Spaceship' }, /unknown subject/],
    [{ action: 'read', subject: 'Patient', conditions: { organizationKey: '${principal.email}' } }, /placeholder/],
    [{ action: 'read', subject: 'Patient', conditions: { organizationKey: { $where: 'x' } } }, /operator/],
    [{ action: 'read', subject: 'Patient', conditions: { ssn: 'x' } }, /unknown condition field/],
    [{ action: 'lookup', subject: 'ResponderView', fields: ['diagnosis'] }, /unknown field/],
  ])('refuses %j with its index and reason', (rule, reason) => {
    const problems = validatePolicyDocument({ role: 'responder', rules: [{ action: 'lookup', subject: 'ResponderView' }, rule as never] });
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0].rule).toBe(1);
    expect(problems[0].reason).toMatch(reason);
  });
});

describe('rules for an organisation kind', () => {
  it('apply only to principals of that kind', () => {
    const policies: ActivePolicy[] = [{ role: 'compliance_officer', version: 1, rules: [{ action: 'read', subject: 'AuditEvent', when: { organizationKind: 'OVERSIGHT' } }] }];
    const oversight = { ...principal(['compliance_officer']), org: { ...principal([]).org, kind: 'OVERSIGHT' as const } };
    expect(decide(compileAbility(oversight, policies), 'read', 'AuditEvent', { actorOrganizationKey: 'anyone' }).allowed).toBe(true);
    expect(decide(compileAbility(principal(['compliance_officer']), policies), 'read', 'AuditEvent').allowed).toBe(false);
  });

  it('scope array columns with "contains"', () => {
    const ability = compileAbility(principal(['compliance_officer']), [{ role: 'compliance_officer', version: 1, rules: [{ action: 'read', subject: 'AuditEvent', conditions: { subjectOrganizationKeys: '${principal.org}' } }] }]);
    expect(sqlScope(ability, 'read', 'AuditEvent', { subjectOrganizationKeys: { arrayContains: 'e.subject_org_keys' } })).toEqual({ sql: '$1 = ANY(e.subject_org_keys)', params: ['riverside'] });
  });
});

describe('guard rails', () => {
  it.each([
    ['admin', { action: 'read', subject: 'Patient' }, /admin never reads/],
    ['admin', { action: 'read', subject: ['Organization', 'Consent'] }, /admin never reads/],
    ['provider_staff', { action: 'read', subject: 'AuditEvent' }, /only compliance_officer/],
    ['responder', { action: 'emergency-access', subject: 'ResponderView' }, /only clinical_responder/],
    ['responder', { action: 'read', subject: 'Patient', conditions: { organizationKey: '${principal.org}' } }, /only for provider_staff/],
    ['provider_staff', { action: 'read', subject: 'Patient' }, /organizationKey = \$\{principal.org\}/],
    ['responder', { action: 'read', subject: 'Organization' }, /responder view only/],
    ['compliance_officer', { action: 'read', subject: 'Disclosure' }, /oversight body/],
    ['compliance_officer', { action: 'read', subject: 'AuditEvent' }, /oversight body/],
    // A referral carries a person's details: only the two organisations it joins (docs/partnerships.md).
    ['responder', { action: 'read', subject: 'Referral' }, /referrals only with agencyOrganizationKey/],
    ['provider_staff', { action: 'read', subject: 'Referral', conditions: { providerOrganizationKey: { $ne: '${principal.org}' } } }, /referrals only with/],
    ['admin', { action: 'read', subject: 'Referral', conditions: { agencyOrganizationKey: '${principal.org}' } }, /admin never reads/],
    ['responder', { action: 'read', subject: 'AgencyReport' }, /agency report only with organizationKey/],
  ] as const)('refuse %s with %j', (role, rule, reason) => {
    const problems = validatePolicyDocument({ role, rules: [rule as never] });
    expect(problems).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 0, reason: expect.stringMatching(reason) })]));
  });

  it('accept every shipped default', async () => {
    const { readDefaultPolicies } = await import('@app/modules/policies/default-policy-installer.js');
    for (const document of await readDefaultPolicies()) expect(validatePolicyDocument(document)).toEqual([]);
  });
});
