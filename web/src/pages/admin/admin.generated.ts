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

export type PublishAccessPolicyInput = {
  /** responder, clinical_responder, provider_staff, compliance_officer or admin. */
  role: string;
  /** CASL rules (see docs/policies.md); validated, guard rails enforced, before they can run. */
  rules: unknown;
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

export const AccessPoliciesDocument = "query AccessPolicies{accessPolicies{...PolicyVersion}}fragment PolicyVersion on AccessPolicy{id role version active source publishedAt publishedBy rules}" as Operation<AccessPoliciesQuery, AccessPoliciesQueryVariables>;

export const PublishAccessPolicyDocument = "mutation PublishAccessPolicy($input:PublishAccessPolicyInput!){publishAccessPolicy(input:$input){...PolicyVersion}}fragment PolicyVersion on AccessPolicy{id role version active source publishedAt publishedBy rules}" as Operation<PublishAccessPolicyMutation, PublishAccessPolicyMutationVariables>;

export const ActivateAccessPolicyDocument = "mutation ActivateAccessPolicy($input:ActivateAccessPolicyInput!){activateAccessPolicy(input:$input){...PolicyVersion}}fragment PolicyVersion on AccessPolicy{id role version active source publishedAt publishedBy rules}" as Operation<ActivateAccessPolicyMutation, ActivateAccessPolicyMutationVariables>;
