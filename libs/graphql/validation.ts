import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { BadUserInputError } from './errors.js';

/** `careTeam.0.phone`-style paths of every failed property, never the values. */
export function fieldPaths(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    const own = error.constraints && Object.keys(error.constraints).length > 0 ? [path] : [];
    return [...own, ...fieldPaths(error.children ?? [], path)];
  });
}

/** Validates every input DTO (class-validator); unknown properties are refused too. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new BadUserInputError(fieldPaths(errors)),
  });
}
