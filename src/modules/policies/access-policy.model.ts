import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { JsonScalar } from '@libs/graphql/scalars.js';
import type { AccessPolicyEntity } from './access-policy.entity.js';

@ObjectType('AccessPolicy')
export class AccessPolicyModel {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  role: string;

  @Field(() => Int)
  version: number;

  @Field(() => JsonScalar, { description: 'CASL rules with placeholders such as ${principal.org}.' })
  rules: unknown;

  @Field(() => Boolean)
  active: boolean;

  @Field(() => String, { description: 'DEFAULT (shipped in policies/) or PUBLISHED (by an admin).' })
  source: string;

  @Field(() => Date)
  publishedAt: Date;

  @Field(() => String)
  publishedBy: string;

  static from(entity: AccessPolicyEntity): AccessPolicyModel {
    return Object.assign(new AccessPolicyModel(), {
      id: entity.id,
      role: entity.role,
      version: entity.version,
      rules: entity.rules,
      active: entity.active,
      source: entity.source,
      publishedAt: entity.publishedAt,
      publishedBy: entity.publishedBy,
    });
  }
}
