import { monthlyCounts } from './agency-report.js';
import type { ReferralOutcome, ReferralStatus } from './referral.js';

// Complementary suppression (issue 15 review): accepted, engaged and outcomes shared are parts of
// the referrals made, which the agency knows one by one (its officers made them). A part that is
// all of them, or all but 1 to 10, says of (nearly) each named person that a Part 2 program took
// them on (C2): "12 made, 12 accepted" is twelve disclosures without consent.
const made = (n: number, part: (i: number) => { status: ReferralStatus; outcome: ReferralOutcome | null; outcomeShared?: boolean }) =>
  Array.from({ length: n }, (_, i) => ({ month: '2026-01', outcomeShared: false, ...part(i) }));
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
