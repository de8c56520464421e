import 'reflect-metadata';
import type { GraphQLRequestContextDidEncounterErrors } from '@apollo/server';
import { createMongoAbility } from '@casl/ability';
import { Query, Resolver } from '@nestjs/graphql';
import { GraphQLError, parse } from 'graphql';
import { RequirePolicy } from '@libs/authorization/require-policy.decorator.js';
import { GraphqlRefusalAuditPlugin, inputPathOf, refusedRootFields } from './refusal-audit.plugin.js';

describe('refusedRootFields', () => {
  it('finds root fields written directly, in inline fragments and in fragment spreads (no hiding from the audit)', () => {
    const document = parse(`query Q { a: responderLookup(input: {}) { outcome } ... on Query { patients { nodes { id } } } ...F __typename }
      fragment F on Query { consents(patientId: "x") { id } ...F }`);
    expect(refusedRootFields(document, undefined).map((f) => f.key)).toEqual(['Query.responderLookup', 'Query.patients', 'Query.consents']);
  });

  it('names mutations as Mutation, and nothing when the operation cannot be told', () => {
    expect(refusedRootFields(parse('mutation { emergencyAccess(input: {}) { outcome } }'), null).map((f) => f.key)).toEqual(['Mutation.emergencyAccess']);
    expect(refusedRootFields(parse('query A { patients { id } } query B { consents { id } }'), undefined)).toEqual([]);
    expect(refusedRootFields(parse('query A { patients { id } } query B { consents { id } }'), 'B').map((f) => f.key)).toEqual(['Query.consents']);
  });
});

describe('inputPathOf', () => {
  it('names the input field of a refused literal as the ValidationPipe does, never its value', () => {
    const document = parse('{ recordEnrollment(input: { programName: "Dana", careTeam: [{ phone: "x" }, { phone: "y" }] }) { id } }');
    const [root] = refusedRootFields(document, undefined);
    const input = root.node.arguments![0].value as any;
    expect(inputPathOf(input.fields[0].value, [root.node])).toBe('programName');
    expect(inputPathOf(input.fields[1].value.values[1].fields[0].value, [root.node])).toBe('careTeam.1.phone');
    expect(inputPathOf(input, [root.node])).toBe('input');
    expect(inputPathOf({}, [root.node])).toBeNull();
  });
});

@Resolver()
class LookupResolver {
  @Query(() => String)
  @RequirePolicy('lookup', 'ResponderView')
  responderLookup(): string {
    return '';
  }
}

describe('GraphqlRefusalAuditPlugin', () => {
  const appended: unknown[] = [];
  const modules = new Map([['m', { providers: new Map([['r', { metatype: LookupResolver }]]) }]]);
  const plugin = new GraphqlRefusalAuditPlugin(
    modules as never,
    { abilityFor: async () => createMongoAbility([{ action: 'lookup', subject: 'ResponderView' }]) } as never,
    { forCaller: () => ({ transaction: async (work: (db: unknown) => Promise<unknown>) => work({}) }) } as never,
    { append: async (_db: unknown, event: unknown) => appended.push(event) } as never,
    { setContext: () => undefined, error: () => undefined } as never,
  );
  const context = (req: unknown) =>
    ({
      contextValue: { req },
      document: parse('query { responderLookup(input: { purpose: CURIOSITY }) { outcome } }'),
      request: { operationName: undefined },
      errors: [new GraphQLError('Value "CURIOSITY" does not exist in "ConsentPurpose" enum.', { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })],
    }) as unknown as GraphQLRequestContextDidEncounterErrors<never>;
  const principal = { sub: 'p', name: 'P', roles: ['responder'], org: { id: 'o', key: 'metro', name: 'Metro', kind: 'RESPONDER_AGENCY' }, amr: [] };

  it('appends nothing for a request without an authenticated principal', async () => {
    const listener = await plugin.requestDidStart();
    await listener.didEncounterErrors!(context({ headers: {} }));
    await listener.didEncounterErrors!(context(undefined));
    expect(appended).toEqual([]);
  });

  it('appends one REFUSED event, with the field and no value, for an authenticated caller', async () => {
    const listener = await plugin.requestDidStart();
    await listener.didEncounterErrors!(context({ headers: {}, principal, id: 'req-1' }));
    expect(appended).toEqual([{ action: 'responderLookup', outcome: 'REFUSED', details: { fields: [], reason: null } }]);
  });
});
