import { type ConsentFacts, consentGrants, type ConsentPurpose, type DataCategory, LOOKUP_CATEGORIES, type LookupCategory } from '@app/modules/consents/consent.js';
import type { CareTeamContact } from '@app/modules/enrollments/enrollment.js';
import { describeScope } from '@app/modules/consents/consent-wording.js';
import type { ActionName, ResponderField } from '@libs/authorization/vocabulary.js';


/** Which fields each consented data category opens (C10: nothing else exists to disclose). */
export const CATEGORY_FIELDS: Record<LookupCategory, ResponderField[]> = {
  TREATMENT_STATUS: ['programName', 'inTreatment', 'treatmentSince'],
  CARE_TEAM_CONTACT: ['careTeam'],
  ENGAGEMENT_NOTES: ['engagementNotes'],
};

/** NO_INFORMATION is the one answer for every "no" (C9). */
export const LOOKUP_OUTCOMES = ['INFORMATION_AVAILABLE', 'NO_INFORMATION'] as const;
export type LookupOutcome = (typeof LOOKUP_OUTCOMES)[number];

export const DISCLOSURE_BASES = ['CONSENT', 'MEDICAL_EMERGENCY'] as const;
export type DisclosureBasis = (typeof DISCLOSURE_BASES)[number];

/**
 * The responder's two operations, each named once: the GraphQL field (which is also the audit
 * action), the ResponderView action its policy must grant, and the basis it discloses under.
 */
export const DISCLOSURE_OPERATIONS = {
  responderLookup: { policyAction: 'lookup', basis: 'CONSENT' },
  emergencyAccess: { policyAction: 'emergency-access', basis: 'MEDICAL_EMERGENCY' },
} as const satisfies Record<string, { policyAction: ActionName; basis: DisclosureBasis }>;
export type DisclosureOperation = keyof typeof DISCLOSURE_OPERATIONS;

/** The audit actions that disclose (C2, C19). */
export const DISCLOSURE_ACTIONS = Object.keys(DISCLOSURE_OPERATIONS) as DisclosureOperation[];

export interface CandidateConsent extends ConsentFacts {
  id: string;
  recordedAt: Date;
}

export interface CandidateEnrollment {
  id: string;
  programName: string;
  startedOn: string;
  careTeam: CareTeamContact[];
  engagementNotes: string | null;
}

/** One provider's record of a person whose identifiers matched. */
export interface Candidate {
  patientId: string;
  organizationId: string;
  organizationKey: string;
  organizationName: string;
  /** The partnership agreement in force between this provider and the caller's agency at the lookup's instant, if any (issue 15). */
  partnershipAgreementId: string | null;
  /** Active enrollments only: "in treatment". */
  enrollments: CandidateEnrollment[];
  /** Consents of this patient naming the caller's organisation as a recipient, only while a partnership agreement is in force. */
  consents: CandidateConsent[];
}

export interface LookupRequest {
  callerOrganizationId: string;
  /** Named in the scope that travels with the disclosure. */
  callerOrganizationName: string;
  basis: DisclosureBasis;
  /** The purpose asked (responder lookup) or CRISIS_RESPONSE for the consent part of an emergency. */
  purpose: ConsentPurpose;
  /** Fields the caller's policy allows. */
  permittedFields: ReadonlySet<string>;
  at: Date;
}

export interface DisclosedRecordData {
  programName: string | null;
  inTreatment: boolean | null;
  treatmentSince: string | null;
  careTeam: CareTeamContact[] | null;
  engagementNotes: string | null;
  consentScope: string | null;
  consentExpiresAt: Date | null;
  basis: DisclosureBasis;
}

/** What was disclosed from one provider's record, for the audit event and the §2.51 records. */
export interface ProgramDisclosure {
  patientId: string;
  organizationId: string;
  organizationKey: string;
  organizationName: string;
  consentId: string | null;
  /** The partnership agreement in force at the disclosure (the accounting names it), or null (a §2.51 disclosure without one). */
  partnershipAgreementId: string | null;
  categories: DataCategory[];
}

export interface LookupDecision {
  records: DisclosedRecordData[];
  disclosures: ProgramDisclosure[];
}

/** The consent that grants the most categories for this recipient and purpose now; latest on ties. */
function bestConsent(consents: CandidateConsent[], request: LookupRequest, purpose: ConsentPurpose) {
  let best: { consent: CandidateConsent; categories: LookupCategory[] } | null = null;
  for (const consent of consents) {
    // A lookup discloses lookup categories only: a consent's REFERRAL_OUTCOME opens nothing here.
    const categories = LOOKUP_CATEGORIES.filter((category) =>
      consentGrants(consent, { recipientOrganizationId: request.callerOrganizationId, purpose, category }, request.at),
    );
    if (categories.length === 0) continue;
    if (!best || categories.length > best.categories.length || (categories.length === best.categories.length && consent.recordedAt > best.consent.recordedAt)) {
      best = { consent, categories };
    }
  }
  return best;
}

/** The categories a candidate's record may disclose, and the consent they rest on (if any). */
function grantedCategories(candidate: Candidate, request: LookupRequest): { categories: LookupCategory[]; consent: CandidateConsent | null } | null {
  if (request.basis === 'CONSENT') {
    const best = bestConsent(candidate.consents, request, request.purpose);
    return best && { categories: best.categories, consent: best.consent };
  }
  // §2.51: treatment status and care team without consent; engagement notes only where a
  // crisis-response consent grants them.
  const notes = bestConsent(candidate.consents, request, 'CRISIS_RESPONSE');
  return notes?.categories.includes('ENGAGEMENT_NOTES')
    ? { categories: ['TREATMENT_STATUS', 'CARE_TEAM_CONTACT', 'ENGAGEMENT_NOTES'], consent: notes.consent }
    : { categories: ['TREATMENT_STATUS', 'CARE_TEAM_CONTACT'], consent: null };
}

/**
 * §2.32(b): the scope travels with the disclosure, in words, but says no more than is disclosed:
 * what this answer holds (not everything the consent allows), the program only when its name is
 * disclosed, never the person's registered name (C10).
 */
function scopeInWords(candidate: Candidate, request: LookupRequest, consent: CandidateConsent | null, disclosed: DataCategory[], fields: Set<ResponderField>): string | null {
  const underConsent = request.basis === 'CONSENT' ? disclosed : disclosed.filter((c) => c === 'ENGAGEMENT_NOTES');
  if (!consent || underConsent.length === 0) return null;
  return describeScope({
    givenName: 'the person',
    program: fields.has('programName') ? candidate.organizationName : 'their treatment program',
    categories: underConsent,
    purpose: consent.purpose,
    recipients: [request.callerOrganizationName],
    expiresOn: consent.expiresAt.toISOString().slice(0, 10),
    expirationEvent: null,
  });
}

/** What one provider's record of the person discloses, or null when nothing. */
function discloseFrom(candidate: Candidate, request: LookupRequest): { disclosure: ProgramDisclosure; records: DisclosedRecordData[] } | null {
  if (candidate.enrollments.length === 0) return null;
  const granted = grantedCategories(candidate, request);
  if (!granted) return null;
  const { categories, consent } = granted;
  const fields = new Set(categories.flatMap((c) => CATEGORY_FIELDS[c]).filter((f) => request.permittedFields.has(f)));
  if (fields.size === 0) return null;
  const disclosed = categories.filter((c) => CATEGORY_FIELDS[c].some((f) => fields.has(f)));
  const scope = scopeInWords(candidate, request, consent, disclosed, fields);
  const disclosure: ProgramDisclosure = {
    patientId: candidate.patientId,
    organizationId: candidate.organizationId,
    organizationKey: candidate.organizationKey,
    organizationName: candidate.organizationName,
    consentId: consent?.id ?? null,
    partnershipAgreementId: candidate.partnershipAgreementId,
    categories: disclosed,
  };
  const records = candidate.enrollments.map((enrollment) => ({
    programName: fields.has('programName') ? enrollment.programName : null,
    inTreatment: fields.has('inTreatment') ? true : null,
    treatmentSince: fields.has('treatmentSince') ? enrollment.startedOn : null,
    careTeam: fields.has('careTeam') ? enrollment.careTeam : null,
    engagementNotes: fields.has('engagementNotes') ? enrollment.engagementNotes : null,
    consentScope: scope,
    consentExpiresAt: consent?.expiresAt ?? null,
    basis: request.basis,
  }));
  return { disclosure, records };
}

/**
 * Decides what a lookup discloses (C2, C9, C10, §2.51). Pure: the same candidates, request and
 * instant always give the same answer, and every "no" gives the same empty decision.
 * - Two different patients of one provider match: nothing from that provider (ambiguous).
 * - No active enrollment: nothing (not in treatment).
 * - By consent: a consent active now, naming the caller's organisation, for the asked purpose;
 *   the categories it grants, intersected with the fields the caller's policy allows.
 * - Medical emergency: treatment status and care team without consent; engagement notes only
 *   where a crisis-response consent grants them.
 */
export function decideLookup(candidates: Candidate[], request: LookupRequest): LookupDecision {
  const byOrganization = new Map<string, Candidate[]>();
  for (const candidate of candidates) {
    const list = byOrganization.get(candidate.organizationId) ?? [];
    if (!list.some((c) => c.patientId === candidate.patientId)) list.push(candidate);
    byOrganization.set(candidate.organizationId, list);
  }
  const decision: LookupDecision = { records: [], disclosures: [] };
  for (const group of byOrganization.values()) {
    const disclosed = group.length === 1 ? discloseFrom(group[0], request) : null;
    if (!disclosed) continue;
    decision.disclosures.push(disclosed.disclosure);
    decision.records.push(...disclosed.records);
  }
  return decision;
}
