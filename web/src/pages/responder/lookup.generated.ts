// Generated from web/src/pages/responder/lookup.graphql and schema.gql by web/scripts/graphql-operations.mjs: do not edit.
import type { Operation } from '../../api/operation';
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** Why information may be disclosed (§2.31(a)(5)). */
export type ConsentPurpose =
  | 'CARE_COORDINATION'
  | 'CRISIS_RESPONSE';

export type DisclosureBasis =
  | 'CONSENT'
  | 'MEDICAL_EMERGENCY';

export type EmergencyAccessInput = {
  /** A real date, not in the future, not more than 120 years ago. */
  dateOfBirth: string;
  familyName: string;
  givenName: string;
  /** The incident the responder is on: 3-40 letters, digits and hyphens. */
  incidentNumber: string;
  /** §2.51(c)(4): the nature of the emergency, at least 10 characters. */
  natureOfEmergency: string;
};

export type LookupInput = {
  /** A real date, not in the future, not more than 120 years ago. */
  dateOfBirth: string;
  familyName: string;
  givenName: string;
  /** The incident the responder is on: 3-40 letters, digits and hyphens. */
  incidentNumber: string;
  /** Purpose of use; a consent must name it. */
  purpose: ConsentPurpose;
};

/** NO_INFORMATION is the one answer for every "no" (C9). */
export type LookupOutcome =
  | 'INFORMATION_AVAILABLE'
  | 'NO_INFORMATION';

export type ResponderLookupQueryVariables = Exact<{
  input: LookupInput;
}>;


export type ResponderLookupQuery = { responderLookup: { outcome: LookupOutcome, disclosureId: string, asOf: string, redisclosureNotice: string | null, useRestriction: string | null, records: Array<{ programName: string | null, inTreatment: boolean | null, treatmentSince: string | null, engagementNotes: string | null, consentScope: string | null, consentExpiresAt: string | null, basis: DisclosureBasis, careTeam: Array<{ name: string, role: string, phone: string, afterHoursPhone: string | null, hours: string | null }> | null }> } };

export type EmergencyAccessMutationVariables = Exact<{
  input: EmergencyAccessInput;
}>;


export type EmergencyAccessMutation = { emergencyAccess: { outcome: LookupOutcome, disclosureId: string, asOf: string, redisclosureNotice: string | null, useRestriction: string | null, records: Array<{ programName: string | null, inTreatment: boolean | null, treatmentSince: string | null, engagementNotes: string | null, consentScope: string | null, consentExpiresAt: string | null, basis: DisclosureBasis, careTeam: Array<{ name: string, role: string, phone: string, afterHoursPhone: string | null, hours: string | null }> | null }> } };

export type AnswerFragment = { outcome: LookupOutcome, disclosureId: string, asOf: string, redisclosureNotice: string | null, useRestriction: string | null, records: Array<{ programName: string | null, inTreatment: boolean | null, treatmentSince: string | null, engagementNotes: string | null, consentScope: string | null, consentExpiresAt: string | null, basis: DisclosureBasis, careTeam: Array<{ name: string, role: string, phone: string, afterHoursPhone: string | null, hours: string | null }> | null }> };

export const ResponderLookupDocument = "query ResponderLookup($input:LookupInput!){responderLookup(input:$input){...Answer}}fragment Answer on LookupResult{outcome disclosureId asOf redisclosureNotice useRestriction records{programName inTreatment treatmentSince careTeam{name role phone afterHoursPhone hours}engagementNotes consentScope consentExpiresAt basis}}" as Operation<ResponderLookupQuery, ResponderLookupQueryVariables>;

export const EmergencyAccessDocument = "mutation EmergencyAccess($input:EmergencyAccessInput!){emergencyAccess(input:$input){...Answer}}fragment Answer on LookupResult{outcome disclosureId asOf redisclosureNotice useRestriction records{programName inTreatment treatmentSince careTeam{name role phone afterHoursPhone hours}engagementNotes consentScope consentExpiresAt basis}}" as Operation<EmergencyAccessMutation, EmergencyAccessMutationVariables>;
