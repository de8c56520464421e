import { HttpException } from '@nestjs/common';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { isConnectionLoss } from '@libs/database/connection-loss.js';
import { AppError, BadUserInputError, ErrorCode, type InputProblem, PartnershipRequiredError, PossibleDuplicateError, RateLimitedError, ReferralStatusConflictError } from './errors.js';
import { literalPathOf, ruleOfGraphqlMessage } from './input-problems.js';

/** The fixed message of each code: the only messages clients ever see (C3). */
export const MESSAGES: Readonly<Record<ErrorCode, string>> = {
  [ErrorCode.UNAUTHENTICATED]: 'Authentication is required',
  [ErrorCode.FORBIDDEN]: 'You are not allowed to do this',
  [ErrorCode.BAD_USER_INPUT]: 'The input is not valid',
  [ErrorCode.RATE_LIMITED]: 'Too many requests; try again later',
  [ErrorCode.UNAVAILABLE]: 'The service is temporarily unavailable',
  [ErrorCode.INTERNAL]: 'Internal error',
  [ErrorCode.POSSIBLE_DUPLICATE]: 'A patient who may be the same person is already registered',
  [ErrorCode.PARTNERSHIP_REQUIRED]: 'No partnership agreement is in force between the provider and the agency',
  [ErrorCode.REFERRAL_STATUS_CONFLICT]: 'The referral is not in a status that allows this step',
};

/** Codes Apollo and graphql-js give to malformed requests: all are the client's input. */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'PERSISTED_QUERY_NOT_FOUND',
]);

/**
 * Field names named in graphql-js's own messages, for example `at "input.dateOfBirth"` or
 * `Field "givenName" of required type`. Only names are kept: the messages themselves may quote
 * the refused value, so they are never passed on (C3).
 */
export function fieldsFromGraphqlMessage(message: string): string[] {
  const fields = new Set<string>();
  // Each "; "-separated part of a coercion message may name a path, then a field inside it.
  let base = '';
  for (const part of message.split(/;\s*/)) {
    const at = / at "([A-Za-z0-9_.[\]]+)"/.exec(part);
    if (at) {
      base = at[1].split('.').slice(1).join('.').replace(/\[(\d+)\]/g, '.$1');
      if (base) fields.add(base);
    }
    const inner = /Field "([A-Za-z0-9_.]+)" (?:of required type|is not defined by type)/.exec(part);
    if (inner) {
      const name = inner[1].split('.').pop()!;
      fields.add(base ? `${base}.${name}` : name);
    }
  }
  // A path followed, in the next part, by a field inside it: keep only the more precise one.
  for (const field of [...fields]) if ([...fields].some((other) => other.startsWith(`${field}.`))) fields.delete(field);
  for (const match of message.matchAll(/(?:Argument|Variable) "\$?([A-Za-z0-9_]+)"(?: of (?:required )?type "[^"]*")? (?:is required|was not provided|of non-null type)/g)) {
    fields.add(match[1]);
  }
  // A whole variable that is not of its type (`$from: DateTime`): the variable names the argument.
  const whole = /^Variable "\$([A-Za-z0-9_]+)" got invalid value/.exec(message);
  if (whole && !/ at "|Field "/.test(message)) fields.add(whole[1]);
  for (const match of message.matchAll(/Cannot query field "([A-Za-z0-9_]+)"/g)) fields.add(match[1]);
  for (const match of message.matchAll(/Unknown argument "([A-Za-z0-9_]+)"/g)) fields.add(match[1]);
  return [...fields].sort();
}

/**
 * Field names and problems of a request graphql-js refused. A literal written in the query
 * (`dateOfBirth: "1985-13-03"`) is named by its place in the document, as a variable is by the
 * path in the message; the rule comes from the kind of refusal, never from the value (C3).
 */
export function problemsOfGraphqlError(message: string, error: unknown): { fields: string[]; problems: InputProblem[] } {
  let fields = fieldsFromGraphqlMessage(message);
  const literal = error instanceof GraphQLError ? literalPathOf(error) : null;
  if (literal !== null) {
    // `input.dateOfBirth` is `dateOfBirth`, as the ValidationPipe names the fields of an input;
    // a scalar argument (`from`) is named itself.
    const inside = literal.slice(1).join('.');
    // "Field "T.name" of required type … was not provided": the literal is the object that lacks it.
    const missing = /Field "(?:[A-Za-z0-9_]+\.)?([A-Za-z0-9_]+)" of required type/.exec(message)?.[1];
    fields = [missing ? (inside ? `${inside}.${missing}` : missing) : inside || String(literal[0])];
  }
  const rule = ruleOfGraphqlMessage(message);
  return { fields, problems: fields.map((field) => ({ field, rule, limit: null })) };
}

function httpStatusToCode(status: number): ErrorCode {
  if (status === 400 || status === 422) return ErrorCode.BAD_USER_INPUT;
  if (status === 401) return ErrorCode.UNAUTHENTICATED;
  if (status === 403) return ErrorCode.FORBIDDEN;
  if (status === 429) return ErrorCode.RATE_LIMITED;
  if (status === 503) return ErrorCode.UNAVAILABLE;
  return ErrorCode.INTERNAL;
}

export interface FormatterHooks {
  /** Called for unexpected errors (INTERNAL), to log them without their message. */
  onInternalError?: (error: unknown) => void;
}

/**
 * The one place errors become GraphQL errors (house rule 8): a code from ErrorCode, the
 * offending field names for bad input, a fixed message per code, never a value of the input and
 * never a stack trace.
 */
export function createErrorFormatter(hooks: FormatterHooks = {}) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = error instanceof GraphQLError && error.originalError ? error.originalError : error;
    const path = formatted.path;
    if (original instanceof AppError) {
      const extensions: Record<string, unknown> = { code: original.code };
      if (original.code === ErrorCode.BAD_USER_INPUT) extensions.fields = original.fields;
      if (original instanceof BadUserInputError) extensions.problems = original.problems;
      if (original instanceof PossibleDuplicateError) extensions.existingPatientId = original.existingPatientId;
      if (original instanceof PartnershipRequiredError) {
        extensions.fields = original.fields;
        extensions.problems = original.problems;
        if (original.offending.length > 0) extensions.recipientOrganizationKeys = original.recipientOrganizationKeys;
      }
      if (original instanceof ReferralStatusConflictError) extensions.status = original.status;
      if (original.reason) extensions.reason = original.reason;
      // When to try again is something a person can act on; it says nothing about anyone's records.
      if (original instanceof RateLimitedError && original.retryAfterSeconds !== undefined) extensions.retryAfterSeconds = original.retryAfterSeconds;
      return { message: MESSAGES[original.code], path, extensions };
    }
    if (original instanceof HttpException) {
      const code = httpStatusToCode(original.getStatus());
      if (code === ErrorCode.INTERNAL) hooks.onInternalError?.(original);
      return { message: MESSAGES[code], path, extensions: code === ErrorCode.BAD_USER_INPUT ? { code, fields: [], problems: [] } : { code } };
    }
    const apolloCode = typeof formatted.extensions?.code === 'string' ? formatted.extensions.code : undefined;
    // graphql-armor's refusals carry the message set in QUERY_LIMITS; the token limit is
    // graphql-js's own (parseOptions.maxTokens), refused while parsing ("more that": sic).
    const isQueryLimit = !path && (formatted.message.includes('Query limit exceeded') || /Document contains more tha[nt] \d+ tokens/.test(formatted.message));
    if ((apolloCode && REQUEST_ERROR_CODES.has(apolloCode)) || (!path && isQueryLimit)) {
      const { fields, problems } = isQueryLimit ? { fields: [], problems: [] } : problemsOfGraphqlError(formatted.message, error);
      const extensions: Record<string, unknown> = { code: ErrorCode.BAD_USER_INPUT, fields, problems };
      if (isQueryLimit) extensions.reason = 'QUERY_LIMIT';
      return { message: MESSAGES[ErrorCode.BAD_USER_INPUT], extensions };
    }
    // A database connection lost where no DataAccess transaction turned it into UNAVAILABLE first:
    // a failover or restart, so try again; never INTERNAL, never the driver's message (C3).
    if (isConnectionLoss(original)) return { message: MESSAGES[ErrorCode.UNAVAILABLE], path, extensions: { code: ErrorCode.UNAVAILABLE } };
    hooks.onInternalError?.(original);
    return { message: MESSAGES[ErrorCode.INTERNAL], path, extensions: { code: ErrorCode.INTERNAL } };
  };
}
