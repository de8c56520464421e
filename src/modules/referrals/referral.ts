import { type ConsentFacts, consentGrants, CONSENT_PURPOSES, type ConsentPurpose } from '@app/modules/consents/consent.js';

export const REFERRAL_REASONS = ['CRISIS', 'OVERDOSE', 'MENTAL_HEALTH', 'SUBSTANCE_USE', 'WELFARE_CHECK', 'HOUSING', 'OTHER'] as const;
export type ReferralReason = (typeof REFERRAL_REASONS)[number];

/** How soon the provider should reach the person: within days, within a day, within the hour. */
export const REFERRAL_URGENCIES = ['ROUTINE', 'URGENT', 'EMERGENT'] as const;
export type ReferralUrgency = (typeof REFERRAL_URGENCIES)[number];

export const REFERRAL_STATUSES = ['RECEIVED', 'ACCEPTED', 'DECLINED', 'CLOSED'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

export const REFERRAL_OUTCOMES = ['CONTACTED', 'ENGAGED', 'DECLINED', 'UNABLE_TO_REACH', 'NOT_ELIGIBLE'] as const;
export type ReferralOutcome = (typeof REFERRAL_OUTCOMES)[number];

export const REFERRAL_DECLINE_REASONS = ['NOT_ELIGIBLE', 'NO_CAPACITY', 'OUT_OF_AREA', 'DUPLICATE', 'OTHER'] as const;
export type ReferralDeclineReason = (typeof REFERRAL_DECLINE_REASONS)[number];

/** The fields of a referral a Referral field rule may name (policies/*.json); the rest is seen by whoever may read the row. */
export const REFERRAL_DETAIL_FIELDS = ['person', 'callbackPhone', 'note', 'patientId', 'outcome'] as const;
export type ReferralDetailField = (typeof REFERRAL_DETAIL_FIELDS)[number];

/** A referral as the rules see it: decrypted, with both organisations. */
export interface Referral {
  id: string;
  agencyOrganizationId: string;
  agencyOrganizationKey: string;
  agencyOrganizationName: string;
  providerOrganizationId: string;
  providerOrganizationKey: string;
  providerOrganizationName: string;
  status: ReferralStatus;
  reason: ReferralReason;
  urgency: ReferralUrgency;
  incidentNumber: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string | null;
  callbackPhone: string | null;
  note: string | null;
  createdAt: Date;
  patientId: string | null;
  acceptedAt: Date | null;
  declinedAt: Date | null;
  declineReason: ReferralDeclineReason | null;
  outcome: ReferralOutcome | null;
  outcomeOccurredOn: string | null;
  outcomeRecordedAt: Date | null;
  /** Keyset position, newest first (microsecond time, id). */
  sortKey: [string, string];
}

export interface NewReferral {
  providerOrganizationKey: string;
  reason: ReferralReason;
  urgency: ReferralUrgency;
  givenName: string;
  familyName: string;
  dateOfBirth?: string | null;
  callbackPhone?: string | null;
  incidentNumber: string;
  note?: string | null;
  personAgreed: boolean;
}

/** Which status a transition needs: acting on a referral in any other state changes nothing (REFERRAL_STATE). */
export const TRANSITIONS = {
  acceptReferral: { from: 'RECEIVED', to: 'ACCEPTED' },
  declineReferral: { from: 'RECEIVED', to: 'DECLINED' },
  recordReferralOutcome: { from: 'ACCEPTED', to: 'CLOSED' },
} as const satisfies Record<string, { from: ReferralStatus; to: ReferralStatus }>;
export type ReferralTransition = keyof typeof TRANSITIONS;

/** A consent of the linked patient naming the referring agency, as the outcome decision reads it. */
export interface OutcomeConsent extends ConsentFacts {
  id: string;
  recordedAt: Date;
}

/** The consent an outcome may be shown under, and its purpose. */
export interface OutcomeGrant {
  consentId: string;
  purpose: ConsentPurpose;
}

/**
 * Whether the referring agency may see what became of a referral, at `at` (decided at read time,
 * like a lookup: C5, C6): the linked patient's consent names the agency with REFERRAL_OUTCOME, for
 * either purpose, and a partnership agreement between the two is in force. The latest such consent
 * is the basis. Anything else — no patient linked, no consent, revoked, expired — is null, and the
 * agency sees only "received" or "closed".
 */
export function outcomeGrant(consents: readonly OutcomeConsent[], agencyOrganizationId: string, partnershipInForce: boolean, at: Date): OutcomeGrant | null {
  if (!partnershipInForce) return null;
  let best: OutcomeConsent | null = null;
  for (const consent of consents) {
    const grants = CONSENT_PURPOSES.some((purpose) => consentGrants(consent, { recipientOrganizationId: agencyOrganizationId, purpose, category: 'REFERRAL_OUTCOME' }, at));
    if (grants && (!best || consent.recordedAt > best.recordedAt)) best = consent;
  }
  return best && { consentId: best.id, purpose: best.purpose };
}

/**
 * The status the referring agency sees. Without an outcome grant only "received" (still open) or
 * "closed" (declined or done): that the provider accepted the person is itself treatment
 * information of a Part 2 program (C2). With one, the status as it is.
 */
export function statusForAgency(status: ReferralStatus, granted: boolean): ReferralStatus {
  if (granted) return status;
  return status === 'RECEIVED' || status === 'ACCEPTED' ? 'RECEIVED' : 'CLOSED';
}

/** The audit action of an outcome shown to the referring agency: a disclosure (C2, C19), in the patient's accounting. */
export const REFERRAL_OUTCOME_DISCLOSURE = 'referralOutcomeDisclosure';

/** Small-cell suppression of the agency report: a count from 1 to 10 is not shown (0 is). */
export const SMALL_CELL_MAX = 10;
export interface ReportCount {
  value: number | null;
  suppressed: boolean;
}
export function suppressed(count: number): ReportCount {
  return count >= 1 && count <= SMALL_CELL_MAX ? { value: null, suppressed: true } : { value: count, suppressed: false };
}

/**
 * A part of a whole the reader knows one by one (the referrals its officers made): suppressed as
 * a small cell, and also when what is left of the whole is 0 to 10 (complementary suppression).
 * "12 made, 12 accepted" says of each named person that a program took them on (C2); "25 made,
 * 22 accepted" says it of nearly each. 0 of the whole says no one was, which discloses no
 * treatment.
 */
export function suppressedPart(part: number, whole: number): ReportCount {
  if (part === 0) return suppressed(0);
  return part <= SMALL_CELL_MAX || whole - part <= SMALL_CELL_MAX ? { value: null, suppressed: true } : { value: part, suppressed: false };
}
