import type { ReferralDeclineReason, ReferralOutcome, ReferralReason, ReferralStatus, ReferralUrgency } from './referrals.generated';

/** Each code of the referral API in words (docs/partnerships.md). */
export const REASONS: Array<{ value: ReferralReason; label: string }> = [
  { value: 'CRISIS', label: 'Crisis' },
  { value: 'OVERDOSE', label: 'Overdose' },
  { value: 'MENTAL_HEALTH', label: 'Mental health' },
  { value: 'SUBSTANCE_USE', label: 'Substance use' },
  { value: 'WELFARE_CHECK', label: 'Welfare check' },
  { value: 'HOUSING', label: 'Housing' },
  { value: 'OTHER', label: 'Other' },
];

export const URGENCIES: Array<{ value: ReferralUrgency; label: string }> = [
  { value: 'ROUTINE', label: 'Routine: within a few days' },
  { value: 'URGENT', label: 'Urgent: within a day' },
  { value: 'EMERGENT', label: 'Emergent: within the hour' },
];

export const OUTCOMES: Array<{ value: ReferralOutcome; label: string }> = [
  { value: 'CONTACTED', label: 'Contacted' },
  { value: 'ENGAGED', label: 'Engaged in care' },
  { value: 'DECLINED', label: 'Declined care' },
  { value: 'UNABLE_TO_REACH', label: 'Unable to reach' },
  { value: 'NOT_ELIGIBLE', label: 'Not eligible' },
];

export const DECLINE_REASONS: Array<{ value: ReferralDeclineReason; label: string }> = [
  { value: 'NOT_ELIGIBLE', label: 'Not eligible' },
  { value: 'NO_CAPACITY', label: 'No capacity' },
  { value: 'OUT_OF_AREA', label: 'Out of area' },
  { value: 'DUPLICATE', label: 'Duplicate referral' },
  { value: 'OTHER', label: 'Other' },
];

export const STATUSES: Record<ReferralStatus, string> = {
  RECEIVED: 'Received',
  ACCEPTED: 'Accepted',
  DECLINED: 'Declined',
  CLOSED: 'Closed',
};

export const labelOf = <T extends string>(list: Array<{ value: T; label: string }>, value: T | null | undefined): string => list.find((x) => x.value === value)?.label ?? '';

/** Today where the person is, as a date input's value. */
export function localToday(): string {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
}
