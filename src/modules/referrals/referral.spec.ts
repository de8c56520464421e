import type { ConsentFacts } from '@app/modules/consents/consent.js';
import { monthlyCounts, monthsBetween, reportPeriod } from './agency-report.js';
import { type OutcomeConsent, outcomeGrant, statusForAgency, suppressed } from './referral.js';

const AGENCY = 'agency-1';
const now = new Date('2026-06-15T12:00:00Z');
const consent = (overrides: Partial<ConsentFacts & { id: string; recordedAt: Date }> = {}): OutcomeConsent => ({
  id: 'c1',
  recordedAt: new Date('2026-06-01T00:00:00Z'),
  purpose: 'CARE_COORDINATION',
  dataCategories: ['REFERRAL_OUTCOME'],
  effectiveFrom: new Date('2026-06-01T00:00:00Z'),
  expiresAt: new Date('2027-01-01T00:00:00Z'),
  revocations: [],
  supersededAt: null,
  acknowledgements: { rightToRevoke: true, treatmentNotConditioned: true, redisclosureRestricted: true },
  recipientOrganizationIds: [AGENCY],
  ...overrides,
});

describe('outcomeGrant: the outcome goes back only under consent and agreement, decided at read time (C5, C6)', () => {
  it('grants under a consent in force naming the agency with REFERRAL_OUTCOME, for either purpose, the latest one', () => {
    expect(outcomeGrant([consent()], AGENCY, true, now)).toEqual({ consentId: 'c1', purpose: 'CARE_COORDINATION' });
    expect(outcomeGrant([consent({ purpose: 'CRISIS_RESPONSE' })], AGENCY, true, now)).toEqual({ consentId: 'c1', purpose: 'CRISIS_RESPONSE' });
    const later = consent({ id: 'c2', recordedAt: new Date('2026-06-10T00:00:00Z') });
    expect(outcomeGrant([consent(), later], AGENCY, true, now)?.consentId).toBe('c2');
  });

  it.each([
    ['no consent', [], true],
    ['no agreement in force', [consent()], false],
    ['another category only', [consent({ dataCategories: ['TREATMENT_STATUS', 'CARE_TEAM_CONTACT'] })], true],
    ['another agency named', [consent({ recipientOrganizationIds: ['agency-2'] })], true],
    ['expired', [consent({ expiresAt: new Date('2026-06-10T00:00:00Z') })], true],
    ['not yet effective', [consent({ effectiveFrom: new Date('2026-07-01T00:00:00Z') })], true],
    ['revoked', [consent({ revocations: [{ id: 'r', whole: true, recipientOrganizationIds: [], method: 'WRITTEN', receivedAt: now, recordedAt: new Date('2026-06-14T00:00:00Z'), recordedBy: 'x' }] })], true],
  ] as const)('refuses with %s', (_, consents, inForce) => {
    expect(outcomeGrant(consents as unknown as OutcomeConsent[], AGENCY, inForce, now)).toBeNull();
  });

  it('shows the agency only received or closed without a grant: acceptance is Part 2 information (C2)', () => {
    expect(['RECEIVED', 'ACCEPTED', 'DECLINED', 'CLOSED'].map((s) => statusForAgency(s as 'RECEIVED', false))).toEqual(['RECEIVED', 'RECEIVED', 'CLOSED', 'CLOSED']);
    expect(statusForAgency('ACCEPTED', true)).toBe('ACCEPTED');
  });
});

describe('the agency report', () => {
  it('suppresses 1 to 10 and shows 0 and 11 or more', () => {
    expect([0, 1, 10, 11, 250].map(suppressed)).toEqual([
      { value: 0, suppressed: false },
      { value: null, suppressed: true },
      { value: null, suppressed: true },
      { value: 11, suppressed: false },
      { value: 250, suppressed: false },
    ]);
  });

  it('covers whole months, across a year end', () => {
    expect(monthsBetween('2025-11-20', '2026-02-03')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(reportPeriod('2025-11-20', '2026-02-03')).toEqual({
      start: new Date('2025-11-01T00:00:00Z'),
      end: new Date('2026-03-01T00:00:00Z'),
      firstDay: '2025-11-01',
      lastDay: '2026-02-28',
    });
  });

  it('counts each month apart', () => {
    const referrals = Array.from({ length: 12 }, (_, i) => ({ month: '2026-01', settled: true, acceptedBySettlement: true, engagedBySettlement: true, outcomeShared: i < 2 }));
    const [january, february] = monthlyCounts(['2026-01', '2026-02'], referrals, [{ month: '2026-02', made: 30, withInformation: 4 }]);
    // 12 of 12 accepted and engaged would name each person (complementary suppression, agency-report.spec.ts).
    expect(january).toMatchObject({ referralsMade: { value: 12 }, referralsAccepted: { suppressed: true }, referralsEngaged: { suppressed: true }, outcomesShared: { suppressed: true }, lookupsMade: { value: 0 } });
    expect(february).toMatchObject({ referralsMade: { value: 0 }, lookupsMade: { value: 30 }, lookupsWithInformation: { value: null, suppressed: true } });
  });
});
