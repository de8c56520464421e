// Generated from web/src/api/me.graphql and schema.gql by web/scripts/graphql-operations.mjs: do not edit.
import type { Operation } from './operation';
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** What an organisation is. */
export type OrganizationKind =
  | 'OVERSIGHT'
  | 'RESPONDER_AGENCY'
  | 'TREATMENT_PROVIDER';

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me: { sub: string, name: string, roles: Array<string>, organization: { key: string, name: string, kind: OrganizationKind } } };

export const MeDocument = "query Me{me{sub name roles organization{key name kind}}}" as Operation<MeQuery, MeQueryVariables>;
