import { type DynamicModule, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { AuthModule } from '@libs/auth/auth.module.js';
import { AuthenticationMiddleware } from '@libs/auth/authentication.middleware.js';
import { AuthorizationModule } from '@libs/authorization/authorization.module.js';
import type { AppConfig } from '@libs/config/app-config.js';
import { AppConfigModule } from '@libs/config/config.module.js';
import { CryptoModule } from '@libs/crypto/crypto.module.js';
import { DatabaseModule } from '@libs/database/database.module.js';
import { GraphqlApiModule } from '@libs/graphql/graphql.module.js';
import { GraphqlHttpPolicyMiddleware } from '@libs/graphql/http-policy.middleware.js';
import { GraphqlJsonBodyMiddleware } from '@libs/graphql/json-body.middleware.js';
import { LedgerModule } from '@libs/ledger/ledger.module.js';
import { LoggingModule } from '@libs/logging/logging.module.js';
import { DemoModule } from './demo/demo.module.js';
import { DevIdpModule } from './dev-idp/dev-idp.module.js';
import { ENTITIES } from './entities.js';
import { GraphiqlModule } from './graphiql/graphiql.module.js';
import { AuditModule } from './modules/audit/audit.module.js';
import { ConsentsModule } from './modules/consents/consents.module.js';
import { EnrollmentsModule } from './modules/enrollments/enrollments.module.js';
import { HealthModule } from './modules/health/health.module.js';
import { MetricsModule } from './modules/metrics/metrics.module.js';
import { MeModule } from './modules/me/me.module.js';
import { OrganizationDirectoryService } from './modules/organizations/organization-directory.js';
import { OrganizationsModule, OrganizationStoreModule } from './modules/organizations/organizations.module.js';
import { PartnershipsModule } from './modules/partnerships/partnerships.module.js';
import { PatientsModule } from './modules/patients/patients.module.js';
import { ResponderModule } from './modules/responder/responder.module.js';
import { ActivePolicies } from './modules/policies/active-policies.js';
import { ReferralsModule } from './modules/referrals/referrals.module.js';
import { ReviewModule } from './modules/review/review.module.js';
import { ProgramNotificationsModule } from './modules/program-notifications/program-notifications.module.js';
import { PoliciesModule, PolicyStoreModule } from './modules/policies/policies.module.js';
import { WebAppModule } from './web-app/web-app.module.js';

export interface AppModuleOptions {
  config: AppConfig;
  databaseUrl: string;
}

@Module({})
export class AppModule implements NestModule {
  static forRoot({ config, databaseUrl }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggingModule.forRoot(config),
        DatabaseModule.forRoot({ url: databaseUrl, entities: ENTITIES }),
        CryptoModule.forRoot(config),
        LedgerModule.forRoot(config),
        AuthModule.forRoot({ config, directoryModule: OrganizationStoreModule, directory: OrganizationDirectoryService }),
        AuthorizationModule.forRoot({ sourceModule: PolicyStoreModule, source: ActivePolicies }),
        GraphqlApiModule.forRoot(config),
        HealthModule,
        MetricsModule,
        PoliciesModule,
        OrganizationsModule,
        PatientsModule,
        EnrollmentsModule,
        ConsentsModule,
        PartnershipsModule,
        ResponderModule,
        AuditModule,
        ReviewModule,
        ReferralsModule,
        ProgramNotificationsModule,
        MeModule,
        // Demo data exists only outside production.
        ...(config.isProduction ? [] : [DemoModule]),
        // GraphiQL, from its npm packages through this service, only outside production.
        ...(config.isProduction ? [] : [GraphiqlModule]),
        // The development identity provider exists only when no AUTH_ISSUER is set, never in production.
        ...(config.usesDevIssuer ? [DevIdpModule.forRoot(config)] : []),
        WebAppModule.forRoot(config),
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    // Order matters: HTTP rules (POST of JSON only, no-store) first, then authentication, and
    // only then the body is read: an unauthenticated caller's body is never parsed.
    consumer.apply(GraphqlHttpPolicyMiddleware, AuthenticationMiddleware, GraphqlJsonBodyMiddleware).forRoutes('graphql');
  }
}
