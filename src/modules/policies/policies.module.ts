import { Module } from '@nestjs/common';
import { AccessPolicyRepository } from './access-policy.repository.js';
import { ActivePolicies } from './active-policies.js';
import { DefaultPolicyInstaller } from './default-policy-installer.js';
import { PoliciesResolver } from './policies.resolver.js';
import { PoliciesService } from './policies.service.js';

/** Where access policies are stored; the policy engine itself is libs/authorization. */
@Module({
  providers: [AccessPolicyRepository, ActivePolicies],
  exports: [AccessPolicyRepository, ActivePolicies],
})
export class PolicyStoreModule {}

/** Installs the shipped defaults at start; publishing and activation join it later. */
@Module({
  imports: [PolicyStoreModule],
  providers: [DefaultPolicyInstaller, PoliciesService, PoliciesResolver],
})
export class PoliciesModule {}
