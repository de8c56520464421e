import { ValidationPipe, type ValidationError } from '@nestjs/common';
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
 * Validates every input DTO (class-validator); unknown properties are refused too. Every problem
 * is listed at once, by field and rule (`extensions.problems`). The validation errors keep the
 * refused object and values only here, to tell "too long" from "too short": neither leaves this
 * function (C3).
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    validationError: { target: true, value: true },
    exceptionFactory: (errors) => new BadUserInputError(fieldPaths(errors), undefined, problemsOfValidation(errors)),
  });
}
