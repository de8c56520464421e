import { type ReportCount, suppressed, suppressedPart } from './referral.js';

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

/**
 * A month's accepted and engaged counts are settled at a fixed cut-off: the end of the month after
 * (UTC). They count what had happened by then and are shown only once it has passed, so a
 * published count never changes and two reads at two times cannot be subtracted to catch one
 * referral being accepted (temporal differencing; docs/partnerships.md, "Feedback").
 */
export const SETTLEMENT_MONTHS_AFTER = 1;

/** One referral as the report counts it. */
export interface CountedReferral {
  month: string;
  /** Whether its month's cut-off has passed by the database clock. */
  settled: boolean;
  /** Accepted (or closed after acceptance) before its month's cut-off. */
  acceptedBySettlement: boolean;
  /** Closed with ENGAGED, recorded before its month's cut-off. */
  engagedBySettlement: boolean;
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
 * out a person; accepted and engaged only once their month is settled (`SETTLEMENT_MONTHS_AFTER`). Accepted and engaged count every referral of the agency, whatever the
 * consent: a suppressed count of at least 11 names no one (docs/partnerships.md, "Feedback").
 */
export function monthlyCounts(months: string[], referrals: CountedReferral[], lookups: Array<{ month: string; made: number; withInformation: number }>): ReportMonth[] {
  return months.map((month) => {
    const mine = referrals.filter((r) => r.month === month);
    const looked = lookups.find((l) => l.month === month);
    // Not settled yet: accepted and engaged would still move between two reads (0 made is 0 for good).
    const settled = mine.every((r) => r.settled);
    const settledPart = (count: number) => (settled ? suppressedPart(count, mine.length) : { value: null, suppressed: true });
    return {
      month,
      referralsMade: suppressed(mine.length),
      // Parts of the referrals made, which the agency knows one by one: complementary suppression too.
      referralsAccepted: settledPart(mine.filter((r) => r.acceptedBySettlement).length),
      outcomesShared: suppressedPart(mine.filter((r) => r.outcomeShared).length, mine.length),
      referralsEngaged: settledPart(mine.filter((r) => r.engagedBySettlement).length),
      lookupsMade: suppressed(looked?.made ?? 0),
      lookupsWithInformation: suppressed(looked?.withInformation ?? 0),
    };
  });
}
