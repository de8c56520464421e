import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AbilitiesService } from './abilities.service.js';
import { ACTIVE_POLICY_SOURCE, type ActivePolicySource } from './policy-document.js';
import { PolicyGuard } from './policy.guard.js';

@Module({})
export class AuthorizationModule {
  static forRoot(options: { sourceModule: Type<unknown>; source: Type<ActivePolicySource> }): DynamicModule {
    return {
      module: AuthorizationModule,
      global: true,
      imports: [options.sourceModule],
      providers: [
        { provide: ACTIVE_POLICY_SOURCE, useExisting: options.source },
        AbilitiesService,
        { provide: APP_GUARD, useClass: PolicyGuard },
      ],
      exports: [AbilitiesService],
    };
  }
}
