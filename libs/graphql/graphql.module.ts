import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { type DynamicModule, Logger, Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import type { AppConfig } from '@libs/config/app-config.js';
import { createErrorFormatter } from './error-formatter.js';
import { DateTimeScalar } from './scalars.js';
import { GraphqlHttpPolicyMiddleware } from './http-policy.middleware.js';
import { GraphqlJsonBodyMiddleware } from './json-body.middleware.js';
import { GraphqlRefusalAuditPlugin } from '@libs/ledger/refusal-audit.plugin.js';

const logger = new Logger('GraphQL');

/** What may be logged about an unexpected error: its kind and where, never its message (it may quote input). */
export function describeInternalError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { kind: typeof error };
  const pg = error as Error & { code?: string; constraint?: string; routine?: string };
  return {
    kind: error.name,
    pgCode: pg.code,
    constraint: pg.constraint,
    routine: pg.routine,
    at: error.stack?.split('\n').slice(1, 6).map((line) => line.trim()),
  };
}

/**
 * Query limits (graphql-armor): depth, aliases, directives and cost, so no single request can make
 * the server do unbounded work. Batched requests are refused by Apollo. Every refusal is a 400 with
 * BAD_USER_INPUT and reason QUERY_LIMIT.
 *
 * The token limit is graphql-js's own parser option rather than armor's Apollo plugin: that plugin
 * throws from `parsingDidStart`, which Apollo answers as an unexpected error (HTTP 500), and it
 * turns every other unexpected error into a validation failure. graphql-js's limit is a syntax
 * error, which Apollo answers 400, like any malformed query.
 */
export const MAX_TOKENS = 2000;
export const QUERY_LIMIT_MESSAGE = 'Query limit exceeded';
export const QUERY_LIMITS = {
  // Depth is the nesting of the answer: a fragment spread adds none (flattenFragments), as in the
  // answer itself. 15 is exactly what the standard introspection query needs (GraphiQL, outside
  // production; its nine nested `ofType`), far below abuse.
  maxDepth: { n: 15, ignoreIntrospection: false, flattenFragments: true, exposeLimits: false, errorMessage: `${QUERY_LIMIT_MESSAGE}: depth` },
  maxAliases: { n: 5, exposeLimits: false, errorMessage: `${QUERY_LIMIT_MESSAGE}: aliases` },
  maxDirectives: { n: 10, exposeLimits: false, errorMessage: `${QUERY_LIMIT_MESSAGE}: directives` },
  maxTokens: { enabled: false },
  costLimit: { maxCost: 5000, exposeLimits: false, errorMessage: `${QUERY_LIMIT_MESSAGE}: cost` },
  blockFieldSuggestion: { enabled: true },
};

@Module({})
export class GraphqlApiModule {
  static forRoot(config: AppConfig): DynamicModule {
    const armor = new ApolloArmor(QUERY_LIMITS).protect();
    return {
      module: GraphqlApiModule,
      imports: [
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          path: '/graphql',
          autoSchemaFile: true,
          sortSchema: true,
          // GraphiQL is served by src/graphiql from its npm packages (outside production), not by
          // Apollo's landing page, which loads it from a CDN with an inline script.
          graphiql: false,
          introspection: !config.isProduction,
          includeStacktraceInErrorResponses: false,
          allowBatchedHttpRequests: false,
          csrfPrevention: true,
          stopOnTerminationSignals: false,
          context: ({ req, res }: { req: unknown; res: unknown }) => ({ req, res }),
          formatError: createErrorFormatter({ onInternalError: (error) => logger.error(describeInternalError(error), 'unexpected error') }),
          parseOptions: { maxTokens: MAX_TOKENS },
          validationRules: armor.validationRules,
          // Apollo's cache-control plugin walks every resolved field for cache hints we never give:
          // answers are never cached (C12: GraphqlHttpPolicyMiddleware sends no-store).
          plugins: [...armor.plugins, ApolloServerPluginCacheControlDisabled()] as unknown as ApolloDriverConfig['plugins'],
          buildSchemaOptions: { numberScalarMode: 'integer', scalarsMap: [{ type: Date, scalar: DateTimeScalar }] },
        }),
      ],
      // GraphqlRefusalAuditPlugin: an Apollo plugin (found by @nestjs/apollo among providers) that
      // audits requests GraphQL refuses before any resolver runs (C16).
      providers: [GraphqlHttpPolicyMiddleware, GraphqlJsonBodyMiddleware, GraphqlRefusalAuditPlugin],
      exports: [GraphqlHttpPolicyMiddleware, GraphqlJsonBodyMiddleware],
    };
  }
}
