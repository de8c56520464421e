import { type ReferralOutcome, type ReferralStatus, type ReportCount, suppressed, suppressedPart } from './referral.js';

/** The months a report covers, `YYYY-MM`, from `from`'s month to `to`'s month (UTC). */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let [year, month] = from.slice(0, 7).split('-').map(Number);
  const last = to.slice(0, 7);
  for (;;) {
    const key = `${year}-${String(month).padStart(2, '0')}`;
    if (key > last) break;
    months.push(key);
    month += 1;
    if (month > 12) [year, month] = [year + 1, 1];
  }
  return months;
}

/** The first instant of a month and of the month after the last one: the report's [start, end). */
export function reportPeriod(from: string, to: string): { start: Date; end: Date; firstDay: string; lastDay: string } {
  const start = new Date(`${from.slice(0, 7)}-01T00:00:00Z`);
  const lastMonth = new Date(`${to.slice(0, 7)}-01T00:00:00Z`);
  const end = new Date(Date.UTC(lastMonth.getUTCFullYear(), lastMonth.getUTCMonth() + 1, 1));
  return { start, end, firstDay: start.toISOString().slice(0, 10), lastDay: new Date(end.getTime() - 86_400_000).toISOString().slice(0, 10) };
}

/** One referral as the report counts it. */
export interface CountedReferral {
  month: string;
  status: ReferralStatus;
  outcome: ReferralOutcome | null;
  /** Whether the agency may see its outcome now (outcomeGrant). */
  outcomeShared: boolean;
}

export interface ReportMonth {
  month: string;
  referralsMade: ReportCount;
  referralsAccepted: ReportCount;
  outcomesShared: ReportCount;
  referralsEngaged: ReportCount;
  lookupsMade: ReportCount;
  lookupsWithInformation: ReportCount;
}

/**
 * Counts per month, each suppressed from 1 to 10 (`suppressed`), and a part of the referrals made
 * also when the rest of them is 0 to 10 (`suppressedPart`): aggregate only, so no cell can single
 * out a person. Accepted and engaged count every referral of the agency, whatever the
 * consent: a suppressed count of at least 11 names no one (docs/partnerships.md, "Feedback").
 */
export function monthlyCounts(months: string[], referrals: CountedReferral[], lookups: Array<{ month: string; made: number; withInformation: number }>): ReportMonth[] {
  return months.map((month) => {
    const mine = referrals.filter((r) => r.month === month);
    const looked = lookups.find((l) => l.month === month);
    return {
      month,
      referralsMade: suppressed(mine.length),
      // Parts of the referrals made, which the agency knows one by one: complementary suppression too.
      referralsAccepted: suppressedPart(mine.filter((r) => r.status === 'ACCEPTED' || r.status === 'CLOSED').length, mine.length),
      outcomesShared: suppressedPart(mine.filter((r) => r.outcomeShared).length, mine.length),
      referralsEngaged: suppressedPart(mine.filter((r) => r.outcome === 'ENGAGED').length, mine.length),
      lookupsMade: suppressed(looked?.made ?? 0),
      lookupsWithInformation: suppressed(looked?.withInformation ?? 0),
    };
  });
}
