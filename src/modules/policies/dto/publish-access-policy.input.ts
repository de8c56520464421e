import { Field, InputType, Int } from '@nestjs/graphql';
import { IsArray, IsIn, IsInt, Min } from 'class-validator';
import { ROLES, type Role } from '@libs/auth/principal.js';
import { JsonScalar } from '@libs/graphql/scalars.js';
import type { PolicyRule } from '@libs/authorization/policy-document.js';

@InputType('PublishAccessPolicyInput')
export class PublishAccessPolicyInput {
  @Field(() => String, { description: 'responder, clinical_responder, provider_staff, compliance_officer or admin.' })
  @IsIn(ROLES)
  role: Role;

  @Field(() => JsonScalar, { description: 'CASL rules (see docs/policies.md); validated, guard rails enforced, before they can run.' })
  @IsArray()
  rules: PolicyRule[];
}

@InputType('ActivateAccessPolicyInput')
export class ActivateAccessPolicyInput {
  @Field(() => String)
  @IsIn(ROLES)
  role: Role;

  @Field(() => Int)
  @IsInt()
  @Min(1)
  version: number;
}
