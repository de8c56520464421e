import { type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';
import { BadUserInputError } from './errors.js';
import { problemsOfValidation } from './input-problems.js';

/** `careTeam.0.phone`-style paths of every failed property, never the values. */
export function fieldPaths(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    const own = error.constraints && Object.keys(error.constraints).length > 0 ? [path] : [];
    return [...own, ...fieldPaths(error.children ?? [], path)];
  });
}

/**
 * A check of an input class that says "valid" only when class-validator would find nothing
 * wrong (same rules, same functions): it may say "not sure" (false) for anything else, and then
 * class-validator runs and words the problems. For the responder lookup, the service's hottest
 * input (issue 16): class-transformer and class-validator cost more than the rules themselves.
 */
export type SureInputCheck = (value: Record<string, unknown>) => boolean;
const SURE_INPUT_CHECKS = new Map<Function, { check: SureInputCheck; fields: ReadonlySet<string> }>();

/** Registers the sure check of an input class, and the only fields it may have. */
export function registerSureInputCheck(input: Function, fields: readonly string[], check: SureInputCheck): void {
  SURE_INPUT_CHECKS.set(input, { check, fields: new Set(fields) });
}

/** The instance ValidationPipe would return for a value its sure check passed, or undefined: not sure. */
export function surelyValid(metatype: Function | undefined, value: unknown): object | undefined {
  const sure = metatype && SURE_INPUT_CHECKS.get(metatype);
  if (!sure || typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) if (!sure.fields.has(key)) return undefined;
  if (!sure.check(record)) return undefined;
  // What class-transformer makes of it: an instance of the class with the same own properties.
  return Object.assign(Object.create(metatype.prototype as object) as object, record);
}

class InputValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    return surelyValid(metadata.metatype, value) ?? super.transform(value, metadata);
  }
}

/**
 * Validates every input DTO (class-validator); unknown properties are refused too. Every problem
 * is listed at once, by field and rule (`extensions.problems`). The validation errors keep the
 * refused object and values only here, to tell "too long" from "too short": neither leaves this
 * function (C3).
 */
export function createValidationPipe(): ValidationPipe {
  return new InputValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    validationError: { target: true, value: true },
    exceptionFactory: (errors) => new BadUserInputError(fieldPaths(errors), undefined, problemsOfValidation(errors)),
  });
}
