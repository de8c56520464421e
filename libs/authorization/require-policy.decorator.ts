import { SetMetadata } from '@nestjs/common';
import type { ModulesContainer } from '@nestjs/core';
import { RESOLVER_NAME_METADATA, RESOLVER_TYPE_METADATA } from '@nestjs/graphql';
import type { ActionName, SubjectName } from './vocabulary.js';

export const REQUIRED_POLICY = 'crisis-link:required-policy';

export interface RequiredPolicy {
  action: ActionName;
  subject: SubjectName;
}

/**
 * Names the policy an operation needs (house rule 1). An operation without one is refused
 * by the PolicyGuard, and a test fails the build for it.
 */
export const RequirePolicy = (action: ActionName, subject: SubjectName) => SetMetadata(REQUIRED_POLICY, { action, subject } satisfies RequiredPolicy);

/**
 * Every Query, Mutation and Subscription resolver of the application, as `Type.field`, with the
 * policy it declares (on the method, else on its class, as the PolicyGuard reads it); undefined
 * where it declares none.
 */
export function declaredOperationPolicies(modules: ModulesContainer): Map<string, RequiredPolicy | undefined> {
  const declared = new Map<string, RequiredPolicy | undefined>();
  for (const module of modules.values()) {
    for (const wrapper of module.providers.values()) {
      const metatype = wrapper.metatype as { prototype?: object } | null | undefined;
      const prototype = metatype?.prototype;
      if (!prototype) continue;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const method = Object.getOwnPropertyDescriptor(prototype, name)?.value;
        if (typeof method !== 'function') continue;
        const type = Reflect.getMetadata(RESOLVER_TYPE_METADATA, method);
        if (type !== 'Query' && type !== 'Mutation' && type !== 'Subscription') continue;
        const policy = Reflect.getMetadata(REQUIRED_POLICY, method) ?? Reflect.getMetadata(REQUIRED_POLICY, metatype);
        declared.set(`${type}.${Reflect.getMetadata(RESOLVER_NAME_METADATA, method) ?? name}`, policy);
      }
    }
  }
  return declared;
}
