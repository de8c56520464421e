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
   * Structured explanations in the service's own words (for example why a policy rule is
   * refused). Never a value of the input that could be patient data.
   */
  readonly problems?: Array<{ field: string; reason: string }>;
  constructor(fields: string[], reason?: string, problems?: Array<{ field: string; reason: string }>) {
    super('The input is not valid');
    this.fields = [...new Set(fields)].sort();
    this.reason = reason;
    this.problems = problems;
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
