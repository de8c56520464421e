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

export type CreateOrganizationInput = {
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

/** What an organisation is. */
export type OrganizationKind =
  | 'OVERSIGHT'
  | 'RESPONDER_AGENCY'
  | 'TREATMENT_PROVIDER';

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

export type OrganizationsQueryVariables = Exact<{ [key: string]: never; }>;


export type OrganizationsQuery = { organizations: Array<{ id: string, key: string, name: string, kind: OrganizationKind, part2Program: boolean, active: boolean, deactivatedAt: string | null }> };

export type CreateOrganizationMutationVariables = Exact<{
  input: CreateOrganizationInput;
}>;


export type CreateOrganizationMutation = { createOrganization: { id: string, key: string, name: string, kind: OrganizationKind, part2Program: boolean, active: boolean, deactivatedAt: string | null } };

export type RenameOrganizationMutationVariables = Exact<{
  input: RenameOrganizationInput;
}>;


export type RenameOrganizationMutation = { renameOrganization: { id: string, key: string, name: string, kind: OrganizationKind, part2Program: boolean, active: boolean, deactivatedAt: string | null } };

export type DeactivateOrganizationMutationVariables = Exact<{
  input: DeactivateOrganizationInput;
}>;


export type DeactivateOrganizationMutation = { deactivateOrganization: { id: string, key: string, name: string, kind: OrganizationKind, part2Program: boolean, active: boolean, deactivatedAt: string | null } };

export type OrganizationRowFragment = { id: string, key: string, name: string, kind: OrganizationKind, part2Program: boolean, active: boolean, deactivatedAt: string | null };

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

export const OrganizationsDocument = "query Organizations{organizations{...OrganizationRow}}fragment OrganizationRow on Organization{id key name kind part2Program active deactivatedAt}" as Operation<OrganizationsQuery, OrganizationsQueryVariables>;

export const CreateOrganizationDocument = "mutation CreateOrganization($input:CreateOrganizationInput!){createOrganization(input:$input){...OrganizationRow}}fragment OrganizationRow on Organization{id key name kind part2Program active deactivatedAt}" as Operation<CreateOrganizationMutation, CreateOrganizationMutationVariables>;

export const RenameOrganizationDocument = "mutation RenameOrganization($input:RenameOrganizationInput!){renameOrganization(input:$input){...OrganizationRow}}fragment OrganizationRow on Organization{id key name kind part2Program active deactivatedAt}" as Operation<RenameOrganizationMutation, RenameOrganizationMutationVariables>;

export const DeactivateOrganizationDocument = "mutation DeactivateOrganization($input:DeactivateOrganizationInput!){deactivateOrganization(input:$input){...OrganizationRow}}fragment OrganizationRow on Organization{id key name kind part2Program active deactivatedAt}" as Operation<DeactivateOrganizationMutation, DeactivateOrganizationMutationVariables>;

export const ExplainAccessDocument = "query ExplainAccess($role:String!$action:String!$subject:String!$field:String){explainAccess(role:$role action:$action subject:$subject field:$field){allowed role version ruleIndex rule reason}}" as Operation<ExplainAccessQuery, ExplainAccessQueryVariables>;
