// C22 and house rule 1 (docs/architecture.md): every query and mutation names the policy it needs. An operation
// without one fails this test (and is refused at run time by the PolicyGuard).
import { ModulesContainer } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { declaredOperationPolicies } from '@libs/authorization/require-policy.decorator.js';
import { POLICY_VOCABULARY, type SubjectName } from '@libs/authorization/vocabulary.js';
import { TestApp } from './support/test-app.js';

describe('every operation is guarded', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  it('finds a RequirePolicy on every Query and Mutation of the schema, naming a known action of a known subject', () => {
    const declared = declaredOperationPolicies(t.app.get(ModulesContainer));
    const schema = t.app.get(GraphQLSchemaHost).schema;
    const operations = [
      ...Object.keys(schema.getQueryType()?.getFields() ?? {}).map((f) => `Query.${f}`),
      ...Object.keys(schema.getMutationType()?.getFields() ?? {}).map((f) => `Mutation.${f}`),
      ...Object.keys(schema.getSubscriptionType()?.getFields() ?? {}).map((f) => `Subscription.${f}`),
    ].sort();
    expect(operations.length).toBeGreaterThan(5);
    // The scan must see exactly the schema's operations, or this test proves nothing.
    expect([...declared.keys()].sort()).toEqual(operations);
    const unguarded = operations.filter((op) => !declared.get(op));
    expect(unguarded).toEqual([]);
    for (const [op, policy] of declared) {
      const entry = POLICY_VOCABULARY[policy!.subject as SubjectName];
      expect({ op, known: !!entry && (entry.actions as readonly string[]).includes(policy!.action) }).toEqual({ op, known: true });
    }
  });
});
