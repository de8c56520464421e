// Generated from web/src/pages/admin/admin.graphql and schema.gql by web/scripts/graphql-operations.mjs: do not edit.
import type { Operation } from '../../api/operation';
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
export type ActivateAccessPolicyInput = {
  role: string;
  version: number;
};

/** What kind of responder agency an organisation is; access policies may give types different fields of the same consent (docs/policies.md). */
export type AgencyType =
  | 'CO_RESPONDER'
  | 'EMS'
  | 'FIRE'
  | 'LAW_ENFORCEMENT'
  | 'MOBILE_CRISIS'
  | 'OTHER'
  | 'PEER_SUPPORT';

export type ChangeAgencyTypeInput = {
  /** The agency's type from now on: policies may give each type different fields (docs/partnerships.md). */
  agencyType: AgencyType;
  /** The responder agency, by its key. */
  organizationKey: string;
};

export type CreateOrganizationInput = {
  /** Responder agencies only; OTHER when absent. */
  agencyType?: AgencyType | null | undefined;
  /** Lower-case slug: letters, digits, hyphens; 2-63 characters. */
  key: string;
  kind: OrganizationKind;
  name: string;
  part2Program?: boolean | null | undefined;
};

export type DeactivateOrganizationInput = {
  /** The organisation, by its key. Deactivation is final. */
  organizationKey: string;
};

export type EndPartnershipInput = {
  id: string;
  /** Why, as a code (kept in the audit event). A proposal the other side will not sign is DECLINED; one its proposer takes back, WITHDRAWN. */
  reason?: PartnershipEndReason | null | undefined;
};

/** What an organisation is. */
export type OrganizationKind =
  | 'OVERSIGHT'
  | 'RESPONDER_AGENCY'
  | 'TREATMENT_PROVIDER';

export type PartnershipEndReason =
  | 'DECLINED'
  | 'SUPERSEDED'
  | 'TERMINATED'
  | 'WITHDRAWN';

/** The signed document: a memorandum of understanding, a data-sharing agreement, or a qualified service organization agreement (42 CFR 2.11). */
export type PartnershipKind =
  | 'DATA_SHARING_AGREEMENT'
  | 'MOU'
  | 'QSOA';

/** The status at the moment of the read (database clock). PROPOSED: not yet in force (not accepted, or accepted and not yet effective). */
export type PartnershipStatus =
  | 'ENDED'
  | 'EXPIRED'
  | 'IN_FORCE'
  | 'PROPOSED';

export type ProposePartnershipInput = {
  /** The other side's organisation key: a responder agency when you are a treatment provider, and the reverse. */
  counterpartOrganizationKey: string;
  /** Where the signed document is kept (a file reference or address); never patient data. */
  documentReference: string;
  /** SHA-256 of the signed document, 64 hexadecimal characters: whoever holds the document can show it is this one. */
  documentSha256: string;
  /** When the agreement starts to apply. */
  effectiveFrom: string;
  /** When it stops applying; absent for an agreement without an end date. Must be after effectiveFrom and in the future. */
  expiresAt?: string | null | undefined;
  kind: PartnershipKind;
  /** Who signed, one name and title each (1-20). */
  signatories: Array<string>;
};

export type PublishAccessPolicyInput = {
  /** responder, clinical_responder, provider_staff, compliance_officer or admin. */
  role: string;
  /** CASL rules (see docs/policies.md); validated, guard rails enforced, before they can run. */
  rules: unknown;
};

export type RenameOrganizationInput = {
  /** The new name, as consents and the accounting of disclosures will show it from now on. */
  name: string;
  /** The organisation, by its key (keys never change: tokens name them). */
  organizationKey: string;
};

export type AccessPoliciesQueryVariables = Exact<{ [key: string]: never; }>;


export type AccessPoliciesQuery = { accessPolicies: Array<{ id: string, role: string, version: number, active: boolean, source: string, publishedAt: string, publishedBy: string, rules: unknown }> };

export type PublishAccessPolicyMutationVariables = Exact<{
  input: PublishAccessPolicyInput;
}>;


export type PublishAccessPolicyMutation = { publishAccessPolicy: { id: string, role: string, version: number, active: boolean, source: string, publishedAt: string, publishedBy: string, rules: unknown } };

export type ActivateAccessPolicyMutationVariables = Exact<{
  input: ActivateAccessPolicyInput;
}>;


export type ActivateAccessPolicyMutation = { activateAccessPolicy: { id: string, role: string, version: number, active: boolean, source: string, publishedAt: string, publishedBy: string, rules: unknown } };

export type PolicyVersionFragment = { id: string, role: string, version: number, active: boolean, source: string, publishedAt: string, publishedBy: string, rules: unknown };

export type PartnershipsQueryVariables = Exact<{ [key: string]: never; }>;


export type PartnershipsQuery = { partnerships: Array<{ id: string, kind: PartnershipKind, status: PartnershipStatus, effectiveFrom: string, expiresAt: string | null, documentReference: string, documentSha256: string, signatories: Array<string>, proposedByOrganizationKey: string, acceptedAt: string | null, endedAt: string | null, provider: { key: string, name: string }, agency: { key: string, name: string, agencyType: AgencyType | null } }> };

export type PartnershipCounterpartsQueryVariables = Exact<{ [key: string]: never; }>;


export type PartnershipCounterpartsQuery = { organizations: Array<{ key: string, name: string, kind: OrganizationKind, agencyType: AgencyType | null }> };

export type ProposePartnershipMutationVariables = Exact<{
  input: ProposePartnershipInput;
}>;


export type ProposePartnershipMutation = { proposePartnership: { id: string, kind: PartnershipKind, status: PartnershipStatus, effectiveFrom: string, expiresAt: string | null, documentReference: string, documentSha256: string, signatories: Array<string>, proposedByOrganizationKey: string, acceptedAt: string | null, endedAt: string | null, provider: { key: string, name: string }, agency: { key: string, name: string, agencyType: AgencyType | null } } };

export type AcceptPartnershipMutationVariables = Exact<{
  id: string;
}>;


export type AcceptPartnershipMutation = { acceptPartnership: { id: string, kind: PartnershipKind, status: PartnershipStatus, effectiveFrom: string, expiresAt: string | null, documentReference: string, documentSha256: string, signatories: Array<string>, proposedByOrganizationKey: string, acceptedAt: string | null, endedAt: string | null, provider: { key: string, name: string }, agency: { key: string, name: string, agencyType: AgencyType | null } } };

export type EndPartnershipMutationVariables = Exact<{
  input: EndPartnershipInput;
}>;


export type EndPartnershipMutation = { endPartnership: { id: string, kind: PartnershipKind, status: PartnershipStatus, effectiveFrom: string, expiresAt: string | null, documentReference: string, documentSha256: string, signatories: Array<string>, proposedByOrganizationKey: string, acceptedAt: string | null, endedAt: string | null, provider: { key: string, name: string }, agency: { key: string, name: string, agencyType: AgencyType | null } } };

export type AgreementFragment = { id: string, kind: PartnershipKind, status: PartnershipStatus, effectiveFrom: string, expiresAt: string | null, documentReference: string, documentSha256: string, signatories: Array<string>, proposedByOrganizationKey: string, acceptedAt: string | null, endedAt: string | null, provider: { key: string, name: string }, agency: { key: string, name: string, agencyType: AgencyType | null } };

export type OrganizationsQueryVariables = Exact<{ [key: string]: never; }>;


export type OrganizationsQuery = { organizations: Array<{ id: string, key: string, name: string, kind: OrganizationKind, agencyType: AgencyType | null, part2Program: boolean, active: boolean, deactivatedAt: string | null }> };

export type CreateOrganizationMutationVariables = Exact<{
  input: CreateOrganizationInput;
}>;


export type CreateOrganizationMutation = { createOrganization: { id: string, key: string, name: string, kind: OrganizationKind, agencyType: AgencyType | null, part2Program: boolean, active: boolean, deactivatedAt: string | null } };

export type RenameOrganizationMutationVariables = Exact<{
  input: RenameOrganizationInput;
}>;


export type RenameOrganizationMutation = { renameOrganization: { id: string, key: string, name: string, kind: OrganizationKind, agencyType: AgencyType | null, part2Program: boolean, active: boolean, deactivatedAt: string | null } };

export type ChangeAgencyTypeMutationVariables = Exact<{
  input: ChangeAgencyTypeInput;
}>;


export type ChangeAgencyTypeMutation = { changeAgencyType: { id: string, key: string, name: string, kind: OrganizationKind, agencyType: AgencyType | null, part2Program: boolean, active: boolean, deactivatedAt: string | null } };

export type DeactivateOrganizationMutationVariables = Exact<{
  input: DeactivateOrganizationInput;
}>;


export type DeactivateOrganizationMutation = { deactivateOrganization: { id: string, key: string, name: string, kind: OrganizationKind, agencyType: AgencyType | null, part2Program: boolean, active: boolean, deactivatedAt: string | null } };

export type OrganizationRowFragment = { id: string, key: string, name: string, kind: OrganizationKind, agencyType: AgencyType | null, part2Program: boolean, active: boolean, deactivatedAt: string | null };

export type ExplainAccessQueryVariables = Exact<{
  role: string;
  action: string;
  subject: string;
  field?: string | null | undefined;
}>;


export type ExplainAccessQuery = { explainAccess: { allowed: boolean, role: string, version: number | null, ruleIndex: number | null, rule: unknown, reason: string } };

export const AccessPoliciesDocument = "query AccessPolicies{accessPolicies{...PolicyVersion}}fragment PolicyVersion on AccessPolicy{id role version active source publishedAt publishedBy rules}" as Operation<AccessPoliciesQuery, AccessPoliciesQueryVariables>;

export const PublishAccessPolicyDocument = "mutation PublishAccessPolicy($input:PublishAccessPolicyInput!){publishAccessPolicy(input:$input){...PolicyVersion}}fragment PolicyVersion on AccessPolicy{id role version active source publishedAt publishedBy rules}" as Operation<PublishAccessPolicyMutation, PublishAccessPolicyMutationVariables>;

export const ActivateAccessPolicyDocument = "mutation ActivateAccessPolicy($input:ActivateAccessPolicyInput!){activateAccessPolicy(input:$input){...PolicyVersion}}fragment PolicyVersion on AccessPolicy{id role version active source publishedAt publishedBy rules}" as Operation<ActivateAccessPolicyMutation, ActivateAccessPolicyMutationVariables>;

export const PartnershipsDocument = "query Partnerships{partnerships{...Agreement}}fragment Agreement on PartnershipAgreement{id kind status effectiveFrom expiresAt documentReference documentSha256 signatories proposedByOrganizationKey acceptedAt endedAt provider{key name}agency{key name agencyType}}" as Operation<PartnershipsQuery, PartnershipsQueryVariables>;

export const PartnershipCounterpartsDocument = "query PartnershipCounterparts{organizations{key name kind agencyType}}" as Operation<PartnershipCounterpartsQuery, PartnershipCounterpartsQueryVariables>;

export const ProposePartnershipDocument = "mutation ProposePartnership($input:ProposePartnershipInput!){proposePartnership(input:$input){...Agreement}}fragment Agreement on PartnershipAgreement{id kind status effectiveFrom expiresAt documentReference documentSha256 signatories proposedByOrganizationKey acceptedAt endedAt provider{key name}agency{key name agencyType}}" as Operation<ProposePartnershipMutation, ProposePartnershipMutationVariables>;

export const AcceptPartnershipDocument = "mutation AcceptPartnership($id:ID!){acceptPartnership(id:$id){...Agreement}}fragment Agreement on PartnershipAgreement{id kind status effectiveFrom expiresAt documentReference documentSha256 signatories proposedByOrganizationKey acceptedAt endedAt provider{key name}agency{key name agencyType}}" as Operation<AcceptPartnershipMutation, AcceptPartnershipMutationVariables>;

export const EndPartnershipDocument = "mutation EndPartnership($input:EndPartnershipInput!){endPartnership(input:$input){...Agreement}}fragment Agreement on PartnershipAgreement{id kind status effectiveFrom expiresAt documentReference documentSha256 signatories proposedByOrganizationKey acceptedAt endedAt provider{key name}agency{key name agencyType}}" as Operation<EndPartnershipMutation, EndPartnershipMutationVariables>;

export const OrganizationsDocument = "query Organizations{organizations{...OrganizationRow}}fragment OrganizationRow on Organization{id key name kind agencyType part2Program active deactivatedAt}" as Operation<OrganizationsQuery, OrganizationsQueryVariables>;

export const CreateOrganizationDocument = "mutation CreateOrganization($input:CreateOrganizationInput!){createOrganization(input:$input){...OrganizationRow}}fragment OrganizationRow on Organization{id key name kind agencyType part2Program active deactivatedAt}" as Operation<CreateOrganizationMutation, CreateOrganizationMutationVariables>;

export const RenameOrganizationDocument = "mutation RenameOrganization($input:RenameOrganizationInput!){renameOrganization(input:$input){...OrganizationRow}}fragment OrganizationRow on Organization{id key name kind agencyType part2Program active deactivatedAt}" as Operation<RenameOrganizationMutation, RenameOrganizationMutationVariables>;

export const ChangeAgencyTypeDocument = "mutation ChangeAgencyType($input:ChangeAgencyTypeInput!){changeAgencyType(input:$input){...OrganizationRow}}fragment OrganizationRow on Organization{id key name kind agencyType part2Program active deactivatedAt}" as Operation<ChangeAgencyTypeMutation, ChangeAgencyTypeMutationVariables>;

export const DeactivateOrganizationDocument = "mutation DeactivateOrganization($input:DeactivateOrganizationInput!){deactivateOrganization(input:$input){...OrganizationRow}}fragment OrganizationRow on Organization{id key name kind agencyType part2Program active deactivatedAt}" as Operation<DeactivateOrganizationMutation, DeactivateOrganizationMutationVariables>;

export const ExplainAccessDocument = "query ExplainAccess($role:String!$action:String!$subject:String!$field:String){explainAccess(role:$role action:$action subject:$subject field:$field){allowed role version ruleIndex rule reason}}" as Operation<ExplainAccessQuery, ExplainAccessQueryVariables>;
