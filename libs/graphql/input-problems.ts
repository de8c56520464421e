import type { ValidationError } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { type ASTNode, type DocumentNode, type GraphQLError, Kind, parse, type ValueNode } from 'graphql';
import type { InputProblem, InputRule } from './errors.js';
import { isCalendarDate } from './scalars.js';
import { earliestBirthDate } from './validators.js';

/**
 * `extensions.problems` of a refused input (DESIGN.md, Wave 2): for each offending field, a rule
 * from one closed list and the limit where one applies. Worked out from the validation's own
 * facts — the constraint that failed, its arguments, the kind of value — and never carrying the
 * value itself (C3).
 */

const todayUtc = () => new Date().toISOString().slice(0, 10);
/** The arguments of one class-validator constraint (Length's [min, max], ArrayMaxSize's [max]). */
function constraintArguments(target: object | undefined, property: string, name: string): unknown[] {
  if (!target) return [];
  const metadata = getMetadataStorage()
    .getTargetValidationMetadatas(target.constructor, '', true, false)
    .find((m) => m.propertyName === property && (m.name === name || m.type === name));
  return metadata?.constraints ?? [];
}

const isBlank = (value: unknown) => typeof value === 'string' && value.trim().length === 0;
const elements = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

/** The rule (and limit) one failed constraint stands for, given the refused value's kind. */
export function ruleOfConstraint(name: string, value: unknown, args: unknown[], context?: { rule?: InputRule; limit?: number | string }): Pick<InputProblem, 'rule' | 'limit'> {
  if (context?.rule) return { rule: context.rule, limit: context.limit ?? null };
  if (value === undefined || value === null) return { rule: 'REQUIRED', limit: null };
  const values = elements(value);
  switch (name) {
    case 'isDefined':
    case 'isNotEmpty':
      return { rule: 'REQUIRED', limit: null };
    case 'isNotBlank':
      return values.some((v) => typeof v !== 'string') ? { rule: 'INVALID_FORMAT', limit: null } : { rule: 'REQUIRED', limit: null };
    case 'isLength':
    case 'minLength':
    case 'maxLength': {
      if (values.some((v) => typeof v !== 'string')) return { rule: 'INVALID_FORMAT', limit: null };
      const [min, max] = name === 'isLength' ? args : name === 'minLength' ? [args[0], undefined] : [undefined, args[0]];
      const tooLong = typeof max === 'number' && values.some((v) => (v as string).length > max);
      if (tooLong) return { rule: 'TOO_LONG', limit: max as number };
      if (values.some((v) => isBlank(v) && (v as string).length === 0)) return { rule: 'REQUIRED', limit: null };
      return { rule: 'TOO_SHORT', limit: typeof min === 'number' ? min : null };
    }
    case 'arrayMinSize': {
      const min = typeof args[0] === 'number' ? args[0] : 1;
      return Array.isArray(value) && value.length > 0 && min > 1 ? { rule: 'TOO_SHORT', limit: min } : { rule: 'REQUIRED', limit: null };
    }
    case 'arrayMaxSize':
      return { rule: 'TOO_MANY', limit: typeof args[0] === 'number' ? args[0] : null };
    case 'arrayUnique':
    case 'isIn':
    case 'isEnum':
    case 'equals':
    case 'min':
    case 'max':
      return { rule: 'NOT_ALLOWED_VALUE', limit: null };
    case 'isDate':
      return { rule: 'INVALID_DATE', limit: null };
    case 'isCalendarDate':
      return values.every(isCalendarDate) ? { rule: 'MUST_NOT_BE_IN_FUTURE', limit: null } : { rule: 'INVALID_DATE', limit: null };
    case 'isBirthDate': {
      if (!values.every(isCalendarDate)) return { rule: 'INVALID_DATE', limit: null };
      if (values.some((v) => (v as string) > todayUtc())) return { rule: 'MUST_NOT_BE_IN_FUTURE', limit: null };
      return { rule: 'MUST_BE_AFTER', limit: earliestBirthDate() };
    }
    default:
      // isString, matches, isUUID, nestedValidation (not an object), whitelistValidation (an unknown field), …
      return { rule: 'INVALID_FORMAT', limit: null };
  }
}

/** Keeps one problem per field and rule; a field that is missing is only missing. */
export function tidyProblems(problems: InputProblem[]): InputProblem[] {
  const required = new Set(problems.filter((p) => p.rule === 'REQUIRED').map((p) => p.field));
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.field}\u0000${p.rule}`;
    if (seen.has(key) || (required.has(p.field) && p.rule !== 'REQUIRED')) return false;
    seen.add(key);
    return true;
  });
}

/** Every problem of a class-validator refusal, with `careTeam.0.phone`-style paths. */
export function problemsOfValidation(errors: ValidationError[], prefix = ''): InputProblem[] {
  const collect = (list: ValidationError[], base: string): InputProblem[] =>
    list.flatMap((error) => {
      const field = base ? `${base}.${error.property}` : error.property;
      const own = Object.keys(error.constraints ?? {}).map((name) => {
        const context = error.contexts?.[name] as { rule?: InputRule; limit?: number | string } | undefined;
        const args = constraintArguments(error.target as object | undefined, error.property, name);
        return { field, ...ruleOfConstraint(name, error.value, args, context) };
      });
      return [...own, ...collect(error.children ?? [], field)];
    });
  return tidyProblems(collect(errors, prefix));
}

/**
 * The rule a graphql-js refusal stands for, from its message (coercion of variables, validation
 * of literals, our scalars). The message itself is never passed on: it may quote the value.
 */
export function ruleOfGraphqlMessage(message: string): InputRule {
  if (/was not provided|is required|of non-null type "[^"]*" must not be null|Expected non-nullable type "[^"]*" not to be null/.test(message)) return 'REQUIRED';
  if (/(^|; |found [^;]*; )(Date|DateTime) must be|Date must be a calendar date|DateTime must be an ISO 8601/.test(message)) return 'INVALID_DATE';
  if (/does not exist in "[^"]*" enum|Enum "[^"]*" cannot represent/.test(message)) return 'NOT_ALLOWED_VALUE';
  return 'INVALID_FORMAT';
}

/**
 * Where, inside an operation's arguments, a literal that validation refused sits, from the
 * argument down: `["input", "dateOfBirth"]` for `registerPatient(input: { dateOfBirth: "1985-13-03" })`,
 * `["input", "careTeam", 0, "phone"]`, `["from"]`. Found by its position in the document, which is
 * parsed again from the error's source: the error carries the node but not its parents.
 */
export function literalPathOf(error: GraphQLError): Array<string | number> | null {
  const target = error.nodes?.[0];
  const body = error.source?.body;
  if (!target?.loc || body === undefined) return null;
  let document: DocumentNode;
  try {
    document = parse(body);
  } catch {
    return null;
  }
  const same = (node: ASTNode) => node.kind === target.kind && node.loc?.start === target.loc!.start && node.loc?.end === target.loc!.end;
  const search = (value: ValueNode, path: Array<string | number>): Array<string | number> | null => {
    if (same(value)) return path;
    if (value.kind === Kind.OBJECT) {
      for (const field of value.fields) {
        if (same(field)) return [...path, field.name.value];
        const inner = search(field.value, [...path, field.name.value]);
        if (inner) return inner;
      }
    } else if (value.kind === Kind.LIST) {
      for (const [index, item] of value.values.entries()) {
        const inner = search(item, [...path, index]);
        if (inner) return inner;
      }
    }
    return null;
  };
  let found: Array<string | number> | null = null;
  const visitSelections = (node: ASTNode): void => {
    if (found) return;
    if (node.kind === Kind.FIELD) {
      for (const argument of node.arguments ?? []) {
        found = same(argument) ? [argument.name.value] : search(argument.value, [argument.name.value]);
        if (found) return;
      }
    }
    const selectionSet = 'selectionSet' in node ? node.selectionSet : undefined;
    for (const selection of selectionSet?.selections ?? []) visitSelections(selection);
  };
  for (const definition of document.definitions) visitSelections(definition);
  return found;
}
