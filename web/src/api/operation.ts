/**
 * A GraphQL operation's text, typed with its result and variables (generated beside each
 * `.graphql` file by web/scripts/graphql-operations.mjs from schema.gql).
 */
export type Operation<Result, Variables> = string & { readonly __result?: Result; readonly __variables?: Variables };
