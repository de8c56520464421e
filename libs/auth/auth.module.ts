import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { AppConfig } from '@libs/config/app-config.js';
import { AuthenticationMiddleware } from './authentication.middleware.js';
import { AuthenticationService } from './authentication.service.js';
import { DevIssuer, devIssuerUrl } from './dev-issuer.js';
import { DevIssuerController } from './dev-issuer.controller.js';
import { ORGANIZATION_DIRECTORY, type OrganizationDirectory } from './principal.js';
import { TokenVerifier } from './token-verifier.js';

export interface AuthModuleOptions {
  config: AppConfig;
  /** The module that provides the organisation directory, and the class to use from it. */
  directoryModule: Type<unknown>;
  directory: Type<OrganizationDirectory>;
}

@Module({})
export class AuthModule {
  static forRoot(options: AuthModuleOptions): DynamicModule {
    const { config } = options;
    const devIssuer = config.usesDevIssuer;
    return {
      module: AuthModule,
      global: true,
      imports: [options.directoryModule],
      controllers: devIssuer ? [DevIssuerController] : [],
      providers: [
        { provide: ORGANIZATION_DIRECTORY, useExisting: options.directory },
        ...(devIssuer ? [{ provide: DevIssuer, useFactory: () => DevIssuer.open(config.env.DATA_DIR, devIssuerUrl(config.publicUrl)) }] : []),
        {
          provide: TokenVerifier,
          inject: devIssuer ? [DevIssuer] : [],
          useFactory: (issuer?: DevIssuer) =>
            issuer
              ? new TokenVerifier({
                  issuer: issuer.issuer,
                  audience: issuer.audience,
                  jwks: issuer.jwks,
                  clockToleranceSeconds: config.env.AUTH_CLOCK_TOLERANCE_SECONDS,
                  maxLifetimeSeconds: config.env.AUTH_MAX_TOKEN_LIFETIME_SECONDS,
                })
              : new TokenVerifier({
                  issuer: config.env.AUTH_ISSUER!,
                  audience: config.env.AUTH_AUDIENCE!,
                  // Unset: the jwks_uri of the issuer's discovery document.
                  jwksUrl: config.env.AUTH_JWKS_URL,
                  clockToleranceSeconds: config.env.AUTH_CLOCK_TOLERANCE_SECONDS,
                  jwksCooldownSeconds: config.env.AUTH_JWKS_COOLDOWN_SECONDS,
                  maxLifetimeSeconds: config.env.AUTH_MAX_TOKEN_LIFETIME_SECONDS,
                }),
        },
        AuthenticationService,
        AuthenticationMiddleware,
      ],
      exports: [AuthenticationService, AuthenticationMiddleware, TokenVerifier, ...(devIssuer ? [DevIssuer] : [])],
    };
  }
}
