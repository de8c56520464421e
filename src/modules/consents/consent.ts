export const CONSENT_PURPOSES = ['CRISIS_RESPONSE', 'CARE_COORDINATION'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

export const DATA_CATEGORIES = ['TREATMENT_STATUS', 'CARE_TEAM_CONTACT', 'ENGAGEMENT_NOTES', 'REFERRAL_OUTCOME'] as const;
export type DataCategory = (typeof DATA_CATEGORIES)[number];

/**
 * The categories a responder lookup may disclose. REFERRAL_OUTCOME is not one of them: it opens
 * only what became of a referral the recipient made (docs/partnerships.md, "Feedback").
 */
export const LOOKUP_CATEGORIES = ['TREATMENT_STATUS', 'CARE_TEAM_CONTACT', 'ENGAGEMENT_NOTES'] as const satisfies readonly DataCategory[];
export type LookupCategory = (typeof LOOKUP_CATEGORIES)[number];

export const SIGNER_RELATIONSHIPS = ['SELF', 'PARENT', 'GUARDIAN', 'HEALTH_CARE_PROXY', 'PERSONAL_REPRESENTATIVE'] as const;
export type SignerRelationship = (typeof SIGNER_RELATIONSHIPS)[number];

export const REVOCATION_METHODS = ['WRITTEN', 'ELECTRONIC'] as const;
export type RevocationMethod = (typeof REVOCATION_METHODS)[number];

export const CONSENT_STATUSES = ['ACTIVE', 'NOT_YET_EFFECTIVE', 'EXPIRED', 'REVOKED', 'PARTIALLY_REVOKED', 'SUPERSEDED'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

export interface OrganizationRef {
  id: string;
  key: string;
  name: string;
}

export interface ConsentRevocation {
  id: string;
  /** The whole consent, or only `recipientOrganizationIds`. */
  whole: boolean;
  recipientOrganizationIds: string[];
  method: RevocationMethod;
  receivedAt: Date;
  /** When the service learnt of it: the revocation governs every decision from this instant (C5). */
  recordedAt: Date;
  recordedBy: string;
}

/** One consent version with every §2.31(a) element (C4), as stored. */
export interface Consent {
  id: string;
  lineageId: string;
  version: number;
  supersedesConsentId: string | null;
  patientId: string;
  disclosingOrganization: OrganizationRef;
  recipients: OrganizationRef[];
  purpose: ConsentPurpose;
  dataCategories: DataCategory[];
  effectiveFrom: Date;
  expiresAt: Date;
  expirationEvent: string | null;
  signerName: string;
  signerRelationship: SignerRelationship;
  signedAt: Date;
  acknowledgements: { rightToRevoke: boolean; treatmentNotConditioned: boolean; redisclosureRestricted: boolean };
  scopeDescription: string;
  recordedAt: Date;
  recordedBy: string;
  revocations: ConsentRevocation[];
  /** When a newer version superseded this one, if it did. */
  supersededAt: Date | null;
  supersededByConsentId: string | null;
}

/** What the grant decision needs of a consent: nothing else can influence it. */
export type ConsentFacts = Pick<
  Consent,
  'purpose' | 'dataCategories' | 'effectiveFrom' | 'expiresAt' | 'revocations' | 'supersededAt' | 'acknowledgements'
> & { recipientOrganizationIds: string[] };

export function factsOf(consent: Consent): ConsentFacts {
  return {
    purpose: consent.purpose,
    dataCategories: consent.dataCategories,
    effectiveFrom: consent.effectiveFrom,
    expiresAt: consent.expiresAt,
    revocations: consent.revocations,
    supersededAt: consent.supersededAt,
    acknowledgements: consent.acknowledgements,
    recipientOrganizationIds: consent.recipients.map((r) => r.id),
  };
}

const known = (at: Date) => (event: { recordedAt: Date }) => event.recordedAt.getTime() <= at.getTime();

/** Recipients whose permission was revoked by `at` (all of them after a whole revocation). */
export function revokedRecipientsAt(facts: ConsentFacts, at: Date): Set<string> {
  const revoked = new Set<string>();
  for (const revocation of facts.revocations.filter(known(at))) {
    for (const id of revocation.whole ? facts.recipientOrganizationIds : revocation.recipientOrganizationIds) revoked.add(id);
  }
  return revoked;
}

/**
 * The status of a consent at an instant, computed when asked (C6: never by a batch job).
 * Precedence: superseded, revoked, expired, not yet effective, partially revoked, active.
 */
export function consentStatusAt(facts: ConsentFacts, at: Date): ConsentStatus {
  const t = at.getTime();
  if (facts.supersededAt && facts.supersededAt.getTime() <= t) return 'SUPERSEDED';
  const revoked = revokedRecipientsAt(facts, at);
  if (facts.recipientOrganizationIds.length > 0 && facts.recipientOrganizationIds.every((id) => revoked.has(id))) return 'REVOKED';
  if (t >= facts.expiresAt.getTime()) return 'EXPIRED';
  if (t < facts.effectiveFrom.getTime()) return 'NOT_YET_EFFECTIVE';
  if (revoked.size > 0) return 'PARTIALLY_REVOKED';
  return 'ACTIVE';
}

/** Whether a consent carries every acknowledgement the form must (C4); the database refuses one that does not. */
export function isComplete(facts: ConsentFacts): boolean {
  const a = facts.acknowledgements;
  return a.rightToRevoke && a.treatmentNotConditioned && a.redisclosureRestricted && facts.dataCategories.length > 0 && facts.recipientOrganizationIds.length > 0;
}

export interface GrantRequest {
  recipientOrganizationId: string;
  purpose: ConsentPurpose;
  category: DataCategory;
}

/**
 * The one decision every disclosure rests on (C5, C6): does this consent, at this instant, let
 * this recipient receive this category for this purpose? Pure, so it can be tested against a
 * reference model with random consents, revocations and instants.
 */
export function consentGrants(facts: ConsentFacts, request: GrantRequest, at: Date): boolean {
  if (!isComplete(facts)) return false;
  const status = consentStatusAt(facts, at);
  if (status !== 'ACTIVE' && status !== 'PARTIALLY_REVOKED') return false;
  if (facts.purpose !== request.purpose) return false;
  if (!facts.dataCategories.includes(request.category)) return false;
  if (!facts.recipientOrganizationIds.includes(request.recipientOrganizationId)) return false;
  return !revokedRecipientsAt(facts, at).has(request.recipientOrganizationId);
}
