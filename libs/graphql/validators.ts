import { IsString, isString, Length, length, registerDecorator, type ValidationOptions } from 'class-validator';
import { isCalendarDate } from './scalars.js';

const MAX_AGE_YEARS = 120;

function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

function yearsAgo(years: number): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear() - years, now.getUTCMonth(), now.getUTCDate())).toISOString().slice(0, 10);
}

/** The earliest date of birth accepted (YYYY-MM-DD): 120 years ago today. */
export function earliestBirthDate(): string {
  return yearsAgo(MAX_AGE_YEARS);
}

/** IsBirthDate's rule. */
export function isBirthDate(value: unknown): boolean {
  return isCalendarDate(value) && value <= todayUtc() && value >= yearsAgo(MAX_AGE_YEARS);
}

/** IsNotBlank's rule. */
export function isNotBlank(value: unknown): boolean {
  return typeof value === 'string' && value.trim().length > 0;
}

/** IsPersonName's rules, as class-validator applies them. */
export function isPersonName(value: unknown): boolean {
  return isString(value) && length(value, 1, 100) && isNotBlank(value);
}

/** A real calendar date, not in the future and not more than 120 years ago. */
export function IsBirthDate(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isBirthDate',
      target: object.constructor,
      propertyName,
      options,
      validator: {
        validate: isBirthDate,
        defaultMessage: () => `${propertyName} must be a real date of birth`,
      },
    });
}

/** A real calendar date written YYYY-MM-DD; with `notAfterToday`, not in the future. */
export function IsCalendarDate(options?: ValidationOptions & { notAfterToday?: boolean }) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: object.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => isCalendarDate(value) && (!options?.notAfterToday || value <= todayUtc()),
        defaultMessage: () => `${propertyName} must be a calendar date`,
      },
    });
}

/** Text that is not blank once trimmed. */
export function IsNotBlank(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isNotBlank',
      target: object.constructor,
      propertyName,
      options,
      validator: {
        validate: isNotBlank,
        defaultMessage: () => `${propertyName} must not be blank`,
      },
    });
}

/** A person's name as the service accepts it everywhere: text, 1-100 characters, not blank. */
export function IsPersonName() {
  return (object: object, propertyName: string) => {
    IsString()(object, propertyName);
    Length(1, 100)(object, propertyName);
    IsNotBlank()(object, propertyName);
  };
}
