// Generated from web/src/pages/provider/provider.graphql and schema.gql by web/scripts/graphql-operations.mjs: do not edit.
import type { Operation } from '../../api/operation';
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
export type CareTeamContactInput = {
  afterHoursPhone?: string | null | undefined;
  /** When the contact can be reached, in words. */
  hours?: string | null | undefined;
  name: string;
  phone: string;
  /** For example "Case manager" or "Prescriber on call". */
  role: string;
};

/** What the signed form told the patient; each must be true. */
export type ConsentAcknowledgementsInput = {
  /** Redisclosure is restricted (§2.32). */
  redisclosureRestricted: boolean;
  /** The right to revoke, in writing, and how (§2.31(a)(6)). */
  rightToRevoke: boolean;
  /** Treatment is not conditioned on signing. */
  treatmentNotConditioned: boolean;
};

/** Why information may be disclosed (§2.31(a)(5)). */
export type ConsentPurpose =
  | 'CARE_COORDINATION'
  | 'CRISIS_RESPONSE';

/** §2.31(a)(8): the patient, or a person lawfully signing for them. */
export type ConsentSignerInput = {
  name: string;
  relationship: SignerRelationship;
};

/** Computed when asked, never stored (C6). */
export type ConsentStatus =
  | 'ACTIVE'
  | 'EXPIRED'
  | 'NOT_YET_EFFECTIVE'
  | 'PARTIALLY_REVOKED'
  | 'REVOKED'
  | 'SUPERSEDED';

/** What may be disclosed (§2.31(a)(3)). */
export type DataCategory =
  | 'CARE_TEAM_CONTACT'
  | 'ENGAGEMENT_NOTES'
  | 'REFERRAL_OUTCOME'
  | 'TREATMENT_STATUS';

export type EnrollmentStatus =
  | 'ACTIVE'
  | 'ENDED';

export type FindPatientsInput = {
  dateOfBirth: string;
  familyName: string;
  /** A given name or an alias. */
  givenName: string;
};

export type MergePatientsInput = {
  /** The record merged into it: its enrollments and consents move; its id answers as the survivor. */
  mergedId: string;
  /** The record that stays, with its identity. */
  survivorId: string;
};

export type RecordConsentInput = {
  acknowledgements: ConsentAcknowledgementsInput;
  /** §2.31(a)(3): what may be disclosed. */
  dataCategories: Array<DataCategory>;
  /** When the consent starts to apply; default: when it is recorded. */
  effectiveFrom?: string | null | undefined;
  /** An event that ends it earlier than expiresAt, in words. */
  expirationEvent?: string | null | undefined;
  /** §2.31(a)(7): the date it ends; later than effectiveFrom and than now. */
  expiresAt: string;
  /** §2.31(a)(1): the patient (of the caller's organisation, the disclosing program). */
  patientId: string;
  /** §2.31(a)(5). */
  purpose: ConsentPurpose;
  /** §2.31(a)(4): each recipient organisation by key, named one by one. */
  recipientOrganizationKeys: Array<string>;
  /** §2.31(a)(9): when it was signed; not in the future. */
  signedAt: string;
  signedBy: ConsentSignerInput;
  /** The consent this one changes; it becomes SUPERSEDED in the same transaction. */
  supersedesConsentId?: string | null | undefined;
};

export type RecordEnrollmentInput = {
  /** One to ten ways to reach the care team. */
  careTeam: Array<CareTeamContactInput>;
  /** De-escalation guidance written for responders (no clinical detail). */
  engagementNotes?: string | null | undefined;
  patientId: string;
  programName: string;
  serviceType: ServiceType;
  /** Not in the future. */
  startedOn: string;
};

export type RegisterPatientInput = {
  /** Other given names the person is known by (up to 10). */
  aliases?: Array<string> | null | undefined;
  /** Register even though the provider has a patient who may be this person (POSSIBLE_DUPLICATE): the staff member checked it is someone else. */
  confirmDistinctPerson?: boolean | null | undefined;
  /** Not in the future, not more than 120 years ago. */
  dateOfBirth: string;
  familyName: string;
  givenName: string;
};

export type RevocationMethod =
  | 'ELECTRONIC'
  | 'WRITTEN';

export type RevokeConsentInput = {
  consentId: string;
  method: RevocationMethod;
  /** When the program received the revocation; not in the future. */
  receivedAt: string;
  /** Revoke for these recipients only; absent: for all. */
  recipientOrganizationKeys?: Array<string> | null | undefined;
};

export type ServiceType =
  | 'CASE_MANAGEMENT'
  | 'MENTAL_HEALTH'
  | 'OPIOID_TREATMENT'
  | 'PEER_RECOVERY'
  | 'SUD_TREATMENT';

/** Who signed, in relation to the patient (§2.14, §2.15). */
export type SignerRelationship =
  | 'GUARDIAN'
  | 'HEALTH_CARE_PROXY'
  | 'PARENT'
  | 'PERSONAL_REPRESENTATIVE'
  | 'SELF';

export type UpdateEnrollmentInput = {
  /** One to ten ways to reach the care team (name, role, phone, after-hours phone, hours); replaces the list. */
  careTeam?: Array<CareTeamContactInput> | null | undefined;
  /** De-escalation guidance written for responders (no clinical detail); null removes it. */
  engagementNotes?: string | null | undefined;
  enrollmentId: string;
  programName?: string | null | undefined;
};

export type UpdatePatientInput = {
  /** Replaces the other given names the person is known by (up to 10). */
  aliases?: Array<string> | null | undefined;
  /** Correct even though the corrected identity may be another patient of the provider (POSSIBLE_DUPLICATE). */
  confirmDistinctPerson?: boolean | null | undefined;
  /** Not in the future, not more than 120 years ago. */
  dateOfBirth?: string | null | undefined;
  familyName?: string | null | undefined;
  givenName?: string | null | undefined;
  patientId: string;
};

export type FindPatientsQueryVariables = Exact<{
  input: FindPatientsInput;
}>;


export type FindPatientsQuery = { findPatients: Array<{ id: string, givenName: string, familyName: string, dateOfBirth: string, aliases: Array<string>, createdAt: string }> };

export type ProviderPatientQueryVariables = Exact<{
  id: string;
}>;


export type ProviderPatientQuery = { patient: { id: string, givenName: string, familyName: string, dateOfBirth: string, aliases: Array<string>, createdAt: string } | null };

export type RegisterPatientMutationVariables = Exact<{
  input: RegisterPatientInput;
}>;


export type RegisterPatientMutation = { registerPatient: { id: string, givenName: string, familyName: string, dateOfBirth: string, aliases: Array<string>, createdAt: string } };

export type UpdatePatientMutationVariables = Exact<{
  input: UpdatePatientInput;
}>;


export type UpdatePatientMutation = { updatePatient: { id: string, givenName: string, familyName: string, dateOfBirth: string, aliases: Array<string>, createdAt: string } };

export type MergePatientsMutationVariables = Exact<{
  input: MergePatientsInput;
}>;


export type MergePatientsMutation = { mergePatients: { id: string, givenName: string, familyName: string, dateOfBirth: string, aliases: Array<string>, createdAt: string } };

export type PatientEnrollmentsQueryVariables = Exact<{
  id: string;
}>;


export type PatientEnrollmentsQuery = { patient: { id: string, enrollments: Array<{ id: string, programName: string, serviceType: ServiceType, startedOn: string, endedOn: string | null, status: EnrollmentStatus, engagementNotes: string | null, careTeam: Array<{ name: string, role: string, phone: string, afterHoursPhone: string | null, hours: string | null }> }> } | null };

export type RecordEnrollmentMutationVariables = Exact<{
  input: RecordEnrollmentInput;
}>;


export type RecordEnrollmentMutation = { recordEnrollment: { id: string, programName: string, serviceType: ServiceType, startedOn: string, endedOn: string | null, status: EnrollmentStatus, engagementNotes: string | null, careTeam: Array<{ name: string, role: string, phone: string, afterHoursPhone: string | null, hours: string | null }> } };

export type UpdateEnrollmentMutationVariables = Exact<{
  input: UpdateEnrollmentInput;
}>;


export type UpdateEnrollmentMutation = { updateEnrollment: { id: string, programName: string, serviceType: ServiceType, startedOn: string, endedOn: string | null, status: EnrollmentStatus, engagementNotes: string | null, careTeam: Array<{ name: string, role: string, phone: string, afterHoursPhone: string | null, hours: string | null }> } };

export type EnrollmentViewFragment = { id: string, programName: string, serviceType: ServiceType, startedOn: string, endedOn: string | null, status: EnrollmentStatus, engagementNotes: string | null, careTeam: Array<{ name: string, role: string, phone: string, afterHoursPhone: string | null, hours: string | null }> };

export type EmergencyDisclosuresQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  pendingOnly?: boolean | null | undefined;
}>;


export type EmergencyDisclosuresQuery = { emergencyDisclosures: { nodes: Array<{ id: string, patientId: string, occurredAt: string, incidentNumber: string, medicalPersonnelName: string, medicalPersonnelAffiliation: string, disclosedBy: string, natureOfEmergency: string, disclosedCategories: Array<DataCategory>, acknowledgedAt: string | null, acknowledgedBy: string | null }>, pageInfo: { endCursor: string | null, hasNextPage: boolean } } };

export type AcknowledgeEmergencyDisclosureMutationVariables = Exact<{
  id: string;
}>;


export type AcknowledgeEmergencyDisclosureMutation = { acknowledgeEmergencyDisclosure: { id: string, patientId: string, occurredAt: string, incidentNumber: string, medicalPersonnelName: string, medicalPersonnelAffiliation: string, disclosedBy: string, natureOfEmergency: string, disclosedCategories: Array<DataCategory>, acknowledgedAt: string | null, acknowledgedBy: string | null } };

export type EmergencyDisclosureViewFragment = { id: string, patientId: string, occurredAt: string, incidentNumber: string, medicalPersonnelName: string, medicalPersonnelAffiliation: string, disclosedBy: string, natureOfEmergency: string, disclosedCategories: Array<DataCategory>, acknowledgedAt: string | null, acknowledgedBy: string | null };

export type PatientSummaryFragment = { id: string, givenName: string, familyName: string, dateOfBirth: string, aliases: Array<string>, createdAt: string };

export type PatientConsentsQueryVariables = Exact<{
  patientId: string;
}>;


export type PatientConsentsQuery = { consents: Array<{ id: string, version: number, status: ConsentStatus, purpose: ConsentPurpose, dataCategories: Array<DataCategory>, effectiveFrom: string, expiresAt: string, expirationEvent: string | null, signedAt: string, scopeDescription: string, receipt: string, recordedAt: string, signedBy: { name: string, relationship: SignerRelationship }, disclosingOrganization: { name: string }, recipients: Array<{ revokedAt: string | null, organization: { key: string, name: string } }>, revocations: Array<{ method: RevocationMethod, receivedAt: string, whole: boolean, recipientOrganizationKeys: Array<string> }> }>, recipientOrganizations: Array<{ key: string, name: string }> };

export type RecordConsentMutationVariables = Exact<{
  input: RecordConsentInput;
}>;


export type RecordConsentMutation = { recordConsent: { id: string, version: number, status: ConsentStatus, purpose: ConsentPurpose, dataCategories: Array<DataCategory>, effectiveFrom: string, expiresAt: string, expirationEvent: string | null, signedAt: string, scopeDescription: string, receipt: string, recordedAt: string, signedBy: { name: string, relationship: SignerRelationship }, disclosingOrganization: { name: string }, recipients: Array<{ revokedAt: string | null, organization: { key: string, name: string } }>, revocations: Array<{ method: RevocationMethod, receivedAt: string, whole: boolean, recipientOrganizationKeys: Array<string> }> } };

export type RevokeConsentMutationVariables = Exact<{
  input: RevokeConsentInput;
}>;


export type RevokeConsentMutation = { revokeConsent: { id: string, version: number, status: ConsentStatus, purpose: ConsentPurpose, dataCategories: Array<DataCategory>, effectiveFrom: string, expiresAt: string, expirationEvent: string | null, signedAt: string, scopeDescription: string, receipt: string, recordedAt: string, signedBy: { name: string, relationship: SignerRelationship }, disclosingOrganization: { name: string }, recipients: Array<{ revokedAt: string | null, organization: { key: string, name: string } }>, revocations: Array<{ method: RevocationMethod, receivedAt: string, whole: boolean, recipientOrganizationKeys: Array<string> }> } };

export type ConsentViewFragment = { id: string, version: number, status: ConsentStatus, purpose: ConsentPurpose, dataCategories: Array<DataCategory>, effectiveFrom: string, expiresAt: string, expirationEvent: string | null, signedAt: string, scopeDescription: string, receipt: string, recordedAt: string, signedBy: { name: string, relationship: SignerRelationship }, disclosingOrganization: { name: string }, recipients: Array<{ revokedAt: string | null, organization: { key: string, name: string } }>, revocations: Array<{ method: RevocationMethod, receivedAt: string, whole: boolean, recipientOrganizationKeys: Array<string> }> };

export const FindPatientsDocument = "query FindPatients($input:FindPatientsInput!){findPatients(input:$input){...PatientSummary}}fragment PatientSummary on Patient{id givenName familyName dateOfBirth aliases createdAt}" as Operation<FindPatientsQuery, FindPatientsQueryVariables>;

export const ProviderPatientDocument = "query ProviderPatient($id:ID!){patient(id:$id){...PatientSummary}}fragment PatientSummary on Patient{id givenName familyName dateOfBirth aliases createdAt}" as Operation<ProviderPatientQuery, ProviderPatientQueryVariables>;

export const RegisterPatientDocument = "mutation RegisterPatient($input:RegisterPatientInput!){registerPatient(input:$input){...PatientSummary}}fragment PatientSummary on Patient{id givenName familyName dateOfBirth aliases createdAt}" as Operation<RegisterPatientMutation, RegisterPatientMutationVariables>;

export const UpdatePatientDocument = "mutation UpdatePatient($input:UpdatePatientInput!){updatePatient(input:$input){...PatientSummary}}fragment PatientSummary on Patient{id givenName familyName dateOfBirth aliases createdAt}" as Operation<UpdatePatientMutation, UpdatePatientMutationVariables>;

export const MergePatientsDocument = "mutation MergePatients($input:MergePatientsInput!){mergePatients(input:$input){...PatientSummary}}fragment PatientSummary on Patient{id givenName familyName dateOfBirth aliases createdAt}" as Operation<MergePatientsMutation, MergePatientsMutationVariables>;

export const PatientEnrollmentsDocument = "query PatientEnrollments($id:ID!){patient(id:$id){id enrollments{...EnrollmentView}}}fragment EnrollmentView on Enrollment{id programName serviceType startedOn endedOn status engagementNotes careTeam{name role phone afterHoursPhone hours}}" as Operation<PatientEnrollmentsQuery, PatientEnrollmentsQueryVariables>;

export const RecordEnrollmentDocument = "mutation RecordEnrollment($input:RecordEnrollmentInput!){recordEnrollment(input:$input){...EnrollmentView}}fragment EnrollmentView on Enrollment{id programName serviceType startedOn endedOn status engagementNotes careTeam{name role phone afterHoursPhone hours}}" as Operation<RecordEnrollmentMutation, RecordEnrollmentMutationVariables>;

export const UpdateEnrollmentDocument = "mutation UpdateEnrollment($input:UpdateEnrollmentInput!){updateEnrollment(input:$input){...EnrollmentView}}fragment EnrollmentView on Enrollment{id programName serviceType startedOn endedOn status engagementNotes careTeam{name role phone afterHoursPhone hours}}" as Operation<UpdateEnrollmentMutation, UpdateEnrollmentMutationVariables>;

export const EmergencyDisclosuresDocument = "query EmergencyDisclosures($first:Int$after:String$pendingOnly:Boolean){emergencyDisclosures(first:$first after:$after pendingOnly:$pendingOnly){nodes{...EmergencyDisclosureView}pageInfo{endCursor hasNextPage}}}fragment EmergencyDisclosureView on EmergencyDisclosure{id patientId occurredAt incidentNumber medicalPersonnelName medicalPersonnelAffiliation disclosedBy natureOfEmergency disclosedCategories acknowledgedAt acknowledgedBy}" as Operation<EmergencyDisclosuresQuery, EmergencyDisclosuresQueryVariables>;

export const AcknowledgeEmergencyDisclosureDocument = "mutation AcknowledgeEmergencyDisclosure($id:ID!){acknowledgeEmergencyDisclosure(id:$id){...EmergencyDisclosureView}}fragment EmergencyDisclosureView on EmergencyDisclosure{id patientId occurredAt incidentNumber medicalPersonnelName medicalPersonnelAffiliation disclosedBy natureOfEmergency disclosedCategories acknowledgedAt acknowledgedBy}" as Operation<AcknowledgeEmergencyDisclosureMutation, AcknowledgeEmergencyDisclosureMutationVariables>;

export const PatientConsentsDocument = "query PatientConsents($patientId:ID!){consents(patientId:$patientId){...ConsentView}recipientOrganizations{key name}}fragment ConsentView on Consent{id version status purpose dataCategories effectiveFrom expiresAt expirationEvent signedAt signedBy{name relationship}disclosingOrganization{name}recipients{organization{key name}revokedAt}revocations{method receivedAt whole recipientOrganizationKeys}scopeDescription receipt recordedAt}" as Operation<PatientConsentsQuery, PatientConsentsQueryVariables>;

export const RecordConsentDocument = "mutation RecordConsent($input:RecordConsentInput!){recordConsent(input:$input){...ConsentView}}fragment ConsentView on Consent{id version status purpose dataCategories effectiveFrom expiresAt expirationEvent signedAt signedBy{name relationship}disclosingOrganization{name}recipients{organization{key name}revokedAt}revocations{method receivedAt whole recipientOrganizationKeys}scopeDescription receipt recordedAt}" as Operation<RecordConsentMutation, RecordConsentMutationVariables>;

export const RevokeConsentDocument = "mutation RevokeConsent($input:RevokeConsentInput!){revokeConsent(input:$input){...ConsentView}}fragment ConsentView on Consent{id version status purpose dataCategories effectiveFrom expiresAt expirationEvent signedAt signedBy{name relationship}disclosingOrganization{name}recipients{organization{key name}revokedAt}revocations{method receivedAt whole recipientOrganizationKeys}scopeDescription receipt recordedAt}" as Operation<RevokeConsentMutation, RevokeConsentMutationVariables>;
