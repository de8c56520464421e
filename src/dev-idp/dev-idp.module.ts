import { type DynamicModule, Module } from '@nestjs/common';
import { DevIssuer } from '@libs/auth/dev-issuer.js';
import type { AppConfig } from '@libs/config/app-config.js';
import { DevIdentityProvider } from './dev-identity-provider.js';

/** The development OpenID Connect provider; AppModule imports it only when config.usesDevIssuer. */
@Module({})
export class DevIdpModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: DevIdpModule,
      providers: [{ provide: DevIdentityProvider, inject: [DevIssuer], useFactory: (keys: DevIssuer) => DevIdentityProvider.create(config, keys) }],
      exports: [DevIdentityProvider],
    };
  }
}
