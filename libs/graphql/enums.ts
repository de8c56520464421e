import { registerEnumType } from '@nestjs/graphql';

/**
 * The one way a GraphQL enum is made: from the list of its values (`const X = [...] as const`,
 * defined once beside the rule that uses them). The values are their own names, so a field's
 * TypeScript type is the list's union and no value is ever cast from one enum to another.
 */
export function graphqlEnum<T extends string>(values: readonly T[], options: { name: string; description?: string; valuesMap?: Partial<Record<T, { description: string }>> }): { [K in T]: K } {
  const object = Object.fromEntries(values.map((value) => [value, value])) as { [K in T]: K };
  registerEnumType(object, options);
  return object;
}
