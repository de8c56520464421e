import { monthlyCounts } from './agency-report.js';
import type { ReferralOutcome, ReferralStatus } from './referral.js';

// Complementary suppression (issue 15 review): accepted, engaged and outcomes shared are parts of
// the referrals made, which the agency knows one by one (its officers made them). A part that is
// all of them, or all but 1 to 10, says of (nearly) each named person that a Part 2 program took
// them on (C2): "12 made, 12 accepted" is twelve disclosures without consent.
const made = (n: number, part: (i: number) => { status: ReferralStatus; outcome: ReferralOutcome | null; outcomeShared?: boolean }) =>
  Array.from({ length: n }, (_, i) => {
    const { status, outcome, outcomeShared } = part(i);
    return { month: '2026-01', settled: true, acceptedBySettlement: status === 'ACCEPTED' || status === 'CLOSED', engagedBySettlement: outcome === 'ENGAGED', outcomeShared: outcomeShared ?? false };
  });
const hidden = { value: null, suppressed: true };

describe('monthlyCounts: a part of the referrals made is hidden when its complement is a small cell', () => {
  it('hides "all of them accepted / engaged / shared": each person would be singled out', () => {
    const [january] = monthlyCounts(['2026-01'], made(12, () => ({ status: 'CLOSED', outcome: 'ENGAGED', outcomeShared: true })), []);
    expect(january.referralsMade).toEqual({ value: 12, suppressed: false });
    expect(january.referralsAccepted).toEqual(hidden);
    expect(january.referralsEngaged).toEqual(hidden);
    expect(january.outcomesShared).toEqual(hidden);
  });

  it('hides a part whose complement is 1 to 10 ("all but three accepted")', () => {
    const [january] = monthlyCounts(['2026-01'], made(25, (i) => (i < 22 ? { status: 'ACCEPTED', outcome: null } : { status: 'DECLINED', outcome: null })), []);
    expect(january.referralsAccepted).toEqual(hidden);
  });

  it('shows a part of at least 11 whose complement is at least 11, and 0', () => {
    const [january] = monthlyCounts(['2026-01'], made(30, (i) => (i < 15 ? { status: 'CLOSED', outcome: 'ENGAGED' } : { status: 'RECEIVED', outcome: null })), []);
    expect(january.referralsAccepted).toEqual({ value: 15, suppressed: false });
    expect(january.referralsEngaged).toEqual({ value: 15, suppressed: false });
    expect(january.outcomesShared).toEqual({ value: 0, suppressed: false });
  });
});

// Temporal differencing (issue 15 review): the agency can read a month's report every hour. If
// "accepted" moved from 15 to 16 while its list showed no change, one of its open referrals was
// just accepted; with one open referral, that is a person. A month's accepted and engaged are
// therefore counted as of a fixed cut-off (the end of the month after) and shown only once it has
// passed: from then on they never change, so two reads at two times differ in nothing.
describe('monthlyCounts: accepted and engaged are settled counts, fixed once published', () => {
  const settledMonth = (n: number, part: (i: number) => { acceptedBySettlement: boolean; engagedBySettlement: boolean }, settled: boolean) =>
    Array.from({ length: n }, (_, i) => ({ month: '2026-01', outcomeShared: false, settled, ...part(i) }));

  it('hides accepted and engaged while the month is not settled, whatever their values', () => {
    const [january] = monthlyCounts(['2026-01'], settledMonth(40, (i) => ({ acceptedBySettlement: i < 20, engagedBySettlement: i < 15 }), false), []);
    expect(january.referralsMade).toEqual({ value: 40, suppressed: false });
    expect(january.referralsAccepted).toEqual(hidden);
    expect(january.referralsEngaged).toEqual(hidden);
  });

  it('counts, once settled, what was accepted and engaged by the cut-off, not what happened later', () => {
    // 25 are accepted by now, 20 by the cut-off: the report keeps saying 20.
    const [january] = monthlyCounts(['2026-01'], settledMonth(40, (i) => ({ acceptedBySettlement: i < 20, engagedBySettlement: i < 15 }), true), []);
    expect(january.referralsAccepted).toEqual({ value: 20, suppressed: false });
    expect(january.referralsEngaged).toEqual({ value: 15, suppressed: false });
  });
});
