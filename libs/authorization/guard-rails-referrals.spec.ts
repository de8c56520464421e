import type { Role } from '@libs/auth/principal.js';
import { validatePolicyDocument } from './policy-validation.js';

// Issue 15 review: the guard rails for the subjects partnerships and referrals brought. A referral
// joins two organisations with different parts: the agency makes it and reads what it may, the
// provider works it. A scope on the right organisation is not enough if the action is the other
// side's: an agency that may "decline" its own referral empties a provider's queue of a person
// the provider never saw.
const OWN = '${principal.org}';
const guardRail = (role: Role, rule: Record<string, unknown>) =>
  validatePolicyDocument({ role, rules: [rule] as never }).some((p) => p.rule === 0 && p.reason.startsWith('GUARD_RAIL'));

const hostile = (field: string): Record<string, unknown>[] => [
  { [field]: { $ne: OWN } },
  { [field]: { $in: ['riverside-recovery', OWN] } },
  { $or: [{ [field]: OWN }, { [field]: { $ne: OWN } }] },
  { [field]: { $exists: true } },
  {},
];

describe('guard rails on Referral and AgencyReport', () => {
  it.each([
    ['responder', 'Referral', 'read', 'agencyOrganizationKey'],
    ['clinical_responder', 'Referral', 'create', 'agencyOrganizationKey'],
    ['provider_staff', 'Referral', 'accept', 'providerOrganizationKey'],
    ['responder', 'AgencyReport', 'read', 'organizationKey'],
    ['compliance_officer', 'AgencyReport', 'read', 'organizationKey'],
  ] as const)('%s on %s (%s): every hostile condition is refused, with a when.agencyType beside it too', (role, subject, action, field) => {
    for (const conditions of hostile(field)) {
      expect({ conditions, refused: guardRail(role, { action, subject, conditions }) }).toEqual({ conditions, refused: true });
      if (role !== 'provider_staff') {
        expect({ conditions, refused: guardRail(role, { action, subject, conditions, when: { agencyType: ['LAW_ENFORCEMENT'] } }) }).toEqual({ conditions, refused: true });
      }
    }
  });

  it.each(['accept', 'decline', 'record-outcome'])("refuses '%s' on Referral to anyone but provider_staff scoped to the provider", (action) => {
    expect(guardRail('responder', { action, subject: 'Referral', conditions: { agencyOrganizationKey: OWN } })).toBe(true);
    expect(guardRail('clinical_responder', { action, subject: 'Referral', conditions: { agencyOrganizationKey: OWN } })).toBe(true);
    expect(guardRail('compliance_officer', { action, subject: 'Referral', conditions: { providerOrganizationKey: OWN } })).toBe(true);
    expect(guardRail('provider_staff', { action, subject: 'Referral', conditions: { agencyOrganizationKey: OWN } })).toBe(true);
    expect(guardRail('provider_staff', { action, subject: 'Referral', conditions: { providerOrganizationKey: OWN } })).toBe(false);
  });

  it("refuses 'create' on Referral to anyone but a responder role scoped to the agency", () => {
    expect(guardRail('provider_staff', { action: 'create', subject: 'Referral', conditions: { providerOrganizationKey: OWN } })).toBe(true);
    expect(guardRail('compliance_officer', { action: 'create', subject: 'Referral', conditions: { agencyOrganizationKey: OWN } })).toBe(true);
    expect(guardRail('responder', { action: 'create', subject: 'Referral', conditions: { providerOrganizationKey: OWN } })).toBe(true);
    expect(guardRail('responder', { action: 'create', subject: 'Referral', conditions: { agencyOrganizationKey: OWN } })).toBe(false);
  });

  it("refuses a responder's read of Referral scoped to the provider side, and a provider's scoped to the agency side", () => {
    expect(guardRail('responder', { action: 'read', subject: 'Referral', conditions: { providerOrganizationKey: OWN } })).toBe(true);
    expect(guardRail('provider_staff', { action: 'read', subject: 'Referral', conditions: { agencyOrganizationKey: OWN } })).toBe(true);
  });

  it('keeps the shipped referral rules valid', () => {
    expect(guardRail('responder', { action: 'read', subject: 'Referral', conditions: { agencyOrganizationKey: OWN }, fields: ['outcome'] })).toBe(false);
    expect(guardRail('provider_staff', { action: ['read', 'accept', 'decline', 'record-outcome'], subject: 'Referral', conditions: { providerOrganizationKey: OWN } })).toBe(false);
  });
});
