// C22 and CONVENTIONS rule 1: every query and mutation names the policy it needs. An operation
// without one fails this test (and is refused at run time by the PolicyGuard).
import { ModulesContainer } from '@nestjs/core';
import { GraphQLSchemaHost, RESOLVER_NAME_METADATA, RESOLVER_TYPE_METADATA } from '@nestjs/graphql';
import { REQUIRED_POLICY, type RequiredPolicy } from '@libs/authorization/require-policy.decorator.js';
import { POLICY_VOCABULARY, type SubjectName } from '@libs/authorization/vocabulary.js';
import { TestApp } from './support/test-app.js';

describe('every operation is guarded', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  it('finds a RequirePolicy on every Query and Mutation of the schema, naming a known action of a known subject', () => {
    const declared = new Map<string, RequiredPolicy | undefined>();
    for (const module of t.app.get(ModulesContainer).values()) {
      for (const wrapper of module.providers.values()) {
        const prototype = wrapper.metatype && (wrapper.metatype as { prototype?: object }).prototype;
        if (!prototype) continue;
        for (const key of Object.getOwnPropertyNames(prototype)) {
          const method = Object.getOwnPropertyDescriptor(prototype, key)?.value;
          if (typeof method !== 'function') continue;
          const type = Reflect.getMetadata(RESOLVER_TYPE_METADATA, method);
          if (type !== 'Query' && type !== 'Mutation' && type !== 'Subscription') continue;
          const name = Reflect.getMetadata(RESOLVER_NAME_METADATA, method) ?? key;
          declared.set(`${type}.${name}`, Reflect.getMetadata(REQUIRED_POLICY, method));
        }
      }
    }
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
