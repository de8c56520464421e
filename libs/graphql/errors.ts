/**
 * The one enum of error codes clients see (schema.gql's contract, README). Every error the service raises is an
 * AppError of one of these codes; the formatter turns anything else into INTERNAL.
 */
export enum ErrorCode {
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  RATE_LIMITED = 'RATE_LIMITED',
  UNAVAILABLE = 'UNAVAILABLE',
  INTERNAL = 'INTERNAL',
  /** registerPatient / updatePatient: the provider already has a patient who may be this person. */
  POSSIBLE_DUPLICATE = 'POSSIBLE_DUPLICATE',
  /** No partnership agreement between the provider and the agency is in force (docs/partnerships.md). */
  PARTNERSHIP_REQUIRED = 'PARTNERSHIP_REQUIRED',
  /** acceptReferral / declineReferral / recordReferralOutcome on a referral not in the status the step needs; nothing changed. */
  REFERRAL_STATUS_CONFLICT = 'REFERRAL_STATUS_CONFLICT',
}

/**
 * What is wrong with one input field, as a fixed code a client can put in words (DESIGN.md,
 * Wave 2). The list is closed: a client may switch on it.
 */
export const INPUT_RULES = [
  'REQUIRED',
  'TOO_SHORT',
  'TOO_LONG',
  'TOO_MANY',
  'INVALID_DATE',
  'INVALID_FORMAT',
  'MUST_BE_IN_FUTURE',
  'MUST_NOT_BE_IN_FUTURE',
  'MUST_BE_AFTER',
  'NOT_ALLOWED_VALUE',
  'UNKNOWN_ORGANIZATION',
] as const;
export type InputRule = (typeof INPUT_RULES)[number];

/**
 * One problem of a refused input (`extensions.problems`): the dotted path of the field, the rule
 * it breaks and the limit where one applies (a number of characters or items, the field it must
 * come after, the earliest date allowed). Never the refused value (C3). `reason` adds the
 * service's own words where it has some (why a policy rule is refused).
 */
export interface InputProblem {
  field: string;
  rule: InputRule;
  limit: number | string | null;
  reason?: string;
}

/** The rule a service's refusal reason stands for, when the service named no rule itself. */
const RULE_OF_REASON: Record<string, InputRule> = {
  UNKNOWN_ORGANIZATION: 'UNKNOWN_ORGANIZATION',
  BEFORE_START: 'MUST_BE_AFTER',
};

/** A problem as services may write it: the rule defaults from the reason (else NOT_ALLOWED_VALUE for a reason, INVALID_FORMAT without one). */
export type ProblemSpec = { field: string; rule?: InputRule; limit?: number | string | null; reason?: string };

function completeProblem(problem: ProblemSpec, reason: string | undefined): InputProblem {
  const rule = problem.rule ?? RULE_OF_REASON[reason ?? ''] ?? (reason ? 'NOT_ALLOWED_VALUE' : 'INVALID_FORMAT');
  const complete: InputProblem = { field: problem.field, rule, limit: problem.limit ?? null };
  if (problem.reason !== undefined) complete.reason = problem.reason;
  return complete;
}

/** Messages are fixed per code and never carry a value of the input (C3). */
export abstract class AppError extends Error {
  abstract readonly code: ErrorCode;
  /** Names of offending input fields (never their values). */
  readonly fields: string[] = [];
  /** A stable, machine-readable reason within the code, for example `ALREADY_REVOKED`. */
  readonly reason?: string;
}

export class UnauthenticatedError extends AppError {
  readonly code = ErrorCode.UNAUTHENTICATED;
  constructor(readonly internalReason = 'unauthenticated') {
    super('Authentication is required');
  }
}

export class ForbiddenError extends AppError {
  readonly code = ErrorCode.FORBIDDEN;
  constructor() {
    super('You are not allowed to do this');
  }
}

export class BadUserInputError extends AppError {
  readonly code = ErrorCode.BAD_USER_INPUT;
  override readonly fields: string[];
  override readonly reason?: string;
  /**
   * Every problem at once, one per field and rule (`extensions.problems`). Never a value of the
   * input that could be patient data. Without explicit problems, each field gets the rule its
   * reason stands for.
   */
  readonly problems: InputProblem[];
  constructor(fields: string[], reason?: string, problems?: ProblemSpec[]) {
    super('The input is not valid');
    const given = problems ?? [...new Set(fields)].sort().map((field) => ({ field }));
    this.problems = given.map((p) => completeProblem(p, reason));
    // The input fields at fault; problems may point deeper (a policy's `rules.2`).
    this.fields = [...new Set(fields.length > 0 ? fields : this.problems.map((p) => p.field))].sort();
    this.reason = reason;
  }

  /** A refusal described problem by problem; `fields` are the problems' fields. */
  static of(problems: ProblemSpec[], reason?: string): BadUserInputError {
    return new BadUserInputError([], reason, problems);
  }
}

/**
 * registerPatient or updatePatient would give the provider a second record of a person it may
 * already have (same normalised family name and date of birth, a given name or alias in common):
 * refused unless the input says `confirmDistinctPerson: true`. `extensions.existingPatientId`
 * names the provider's own record, never anything of another provider's.
 */
export class PossibleDuplicateError extends AppError {
  readonly code = ErrorCode.POSSIBLE_DUPLICATE;
  override readonly fields = ['confirmDistinctPerson'];
  constructor(readonly existingPatientId: string) {
    super('A patient who may be the same person is already registered');
  }
}

/**
/**
 * A consent recipient or a referral needs a partnership agreement in force between the provider
 * and the agency at this moment (partnership_in_force, issue 15): refused, nothing stored. A
 * consent names the offending recipients by their index in `recipientOrganizationKeys` and by key
 * (organisation keys, never patient data); a referral names its input field.
 */
export class PartnershipRequiredError extends AppError {
  readonly code = ErrorCode.PARTNERSHIP_REQUIRED;
  override readonly fields: string[];
  override readonly reason = 'PARTNERSHIP_REQUIRED';
  readonly problems: InputProblem[];
  readonly offending: Array<{ index: number; key: string }>;
  constructor(offendingOrField: Array<{ index: number; key: string }> | string) {
    super('No partnership agreement is in force between the provider and the agency');
    if (typeof offendingOrField === 'string') {
      this.offending = [];
      this.fields = [offendingOrField];
      this.problems = [{ field: offendingOrField, rule: 'NOT_ALLOWED_VALUE', limit: null, reason: 'PARTNERSHIP_REQUIRED' }];
    } else {
      this.offending = offendingOrField;
      this.fields = ['recipientOrganizationKeys'];
      this.problems = offendingOrField.map(({ index }) => ({ field: `recipientOrganizationKeys.${index}`, rule: 'NOT_ALLOWED_VALUE', limit: null, reason: 'PARTNERSHIP_REQUIRED' }));
    }
  }

  get recipientOrganizationKeys(): string[] {
    return this.offending.map((o) => o.key);
  }
}

/** The referral is not in the status this step needs (`extensions.status`: the status it is in); nothing was changed. */
export class ReferralStatusConflictError extends AppError {
  readonly code = ErrorCode.REFERRAL_STATUS_CONFLICT;
  constructor(readonly status: string) {
    super('The referral is not in a status that allows this step');
  }
}

export class RateLimitedError extends AppError {
  readonly code = ErrorCode.RATE_LIMITED;
  /** Seconds until the next attempt would be within the limit (`extensions.retryAfterSeconds`). */
  constructor(readonly retryAfterSeconds?: number) {
    super('Too many requests; try again later');
  }
}

export class UnavailableError extends AppError {
  readonly code = ErrorCode.UNAVAILABLE;
  constructor() {
    super('The service is temporarily unavailable');
  }
}
