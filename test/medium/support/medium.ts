import 'reflect-metadata';
import { type INestApplicationContext, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import type { OrganizationKind, Principal, Role } from '@libs/auth/principal.js';
import { decide } from '@libs/authorization/ability.js';
import { AbilitiesService } from '@libs/authorization/abilities.service.js';
import type { Actor } from '@libs/authorization/actor.js';
import { AuthorizationModule } from '@libs/authorization/authorization.module.js';
import type { ActionName, SubjectName } from '@libs/authorization/vocabulary.js';
import { loadConfig } from '@libs/config/app-config.js';
import { AppConfigModule } from '@libs/config/config.module.js';
import { CryptoModule } from '@libs/crypto/crypto.module.js';
import { type AccessScope, DataAccess, type ScopedTx } from '@libs/database/data-access.js';
import { DatabaseModule } from '@libs/database/database.module.js';
import { LedgerModule } from '@libs/ledger/ledger.module.js';
import { LoggingModule } from '@libs/logging/logging.module.js';
import { ENTITIES } from '@app/entities.js';
import { AuditService } from '@app/modules/audit/audit.service.js';
import { ConsentsModule } from '@app/modules/consents/consents.module.js';
import { EnrollmentsModule } from '@app/modules/enrollments/enrollments.module.js';
import { OrganizationsModule, OrganizationStoreModule } from '@app/modules/organizations/organizations.module.js';
import { PatientsModule } from '@app/modules/patients/patients.module.js';
import { ActivePolicies } from '@app/modules/policies/active-policies.js';
import { PoliciesModule, PolicyStoreModule } from '@app/modules/policies/policies.module.js';
import { ResponderModule } from '@app/modules/responder/responder.module.js';
import { ReviewModule } from '@app/modules/review/review.module.js';
import { closeSql, migrateTestDatabase, sql, testDatabaseUrl } from '../../support/database.js';

export interface MediumOrganization {
  id: string;
  key: string;
  name: string;
  kind: OrganizationKind;
}

/** Thrown to roll a medium test's writes back: shared tables (policies, checkpoints) stay as they were. */
class RolledBack extends Error {}

/**
 * The "medium" tier (immich's test/medium): the services and repositories wired by Nest against
 * the real test PostgreSQL, with no HTTP, no GraphQL and no guard. Each test makes its own
 * organisations, so tests never see each other's rows (as the end-to-end tests do).
 */
export class Medium {
  private constructor(readonly context: INestApplicationContext) {}

  static async start(): Promise<Medium> {
    await migrateTestDatabase();
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: testDatabaseUrl(),
      DATA_DIR: process.env.TEST_DATA_DIR,
      AUDIT_SEAL_INTERVAL_MS: '0',
    });
    @Module({
      imports: [
        AppConfigModule.forRoot(config),
        LoggingModule.forRoot(config),
        DatabaseModule.forRoot({ url: testDatabaseUrl(), entities: ENTITIES, poolSize: 4 }),
        CryptoModule.forRoot(config),
        LedgerModule.forRoot(config),
        AuthorizationModule.forRoot({ sourceModule: PolicyStoreModule, source: ActivePolicies }),
        // Installs the shipped policies at start, as the service does: abilities come from them.
        PoliciesModule,
        PolicyStoreModule,
        OrganizationStoreModule,
        OrganizationsModule,
        PatientsModule,
        EnrollmentsModule,
        ConsentsModule,
        ResponderModule,
        ReviewModule,
      ],
      providers: [AuditService],
    })
    class MediumModule {}
    return new Medium(await NestFactory.createApplicationContext(MediumModule, { logger: false }));
  }

  get<T>(type: Type<T>): T {
    return this.context.get(type, { strict: false });
  }

  async close(): Promise<void> {
    await this.context.close();
    await closeSql();
  }

  get data(): DataAccess {
    return this.get(DataAccess);
  }

  /** A fresh organisation, created as the operator would. */
  async organization(kind: OrganizationKind, options: { part2Program?: boolean } = {}): Promise<MediumOrganization> {
    const key = `medium-${kind.toLowerCase().replace(/_/g, '-')}-${randomUUID().slice(0, 8)}`;
    const rows = await this.data
      .forOperator('medium-test')
      .transaction((db) => db.query<{ id: string }>(`INSERT INTO organization (key, name, kind, part2_program, created_by) VALUES ($1, $2, $3, $4, 'medium-test') RETURNING id`, [key, `Medium ${key.slice(-8)}`, kind, options.part2Program ?? false]));
    return { id: rows[0].id, key, name: `Medium ${key.slice(-8)}`, kind };
  }

  /** A caller of `role` at `organization`, as the PolicyGuard would build it for an operation needing `policy`. */
  async actor(role: Role, organization: MediumOrganization, policy: [ActionName, SubjectName] = ['read', 'Self']): Promise<Actor> {
    const principal: Principal = { sub: `medium-${randomUUID().slice(0, 8)}`, name: `Medium ${role}`, named: true, roles: [role], org: organization, amr: ['mfa'] };
    const ability = await this.get(AbilitiesService).abilityFor(principal);
    return { principal, ability, decision: decide(ability, policy[0], policy[1]), requestId: randomUUID() };
  }

  /**
   * Whether another connection is kept from the advisory lock `lockSql` names (for example
   * `hashtext('access_policy')`, parameters in `params`): true while a transaction holds it.
   */
  async lockedElsewhere(lockSql: string, params: unknown[] = []): Promise<boolean> {
    const [{ got }] = await sql<{ got: boolean }>(`SELECT pg_try_advisory_lock(${lockSql}) AS got`, params);
    if (got) await sql(`SELECT pg_advisory_unlock(${lockSql})`, params);
    return !got;
  }

  /** Runs `work` in `scope`'s transaction and rolls it back, whatever it wrote. */
  async rolledBack<T>(scope: AccessScope, work: (db: ScopedTx) => Promise<T>): Promise<T> {
    let result: T | undefined;
    await scope
      .transaction(async (db) => {
        result = await work(db);
        throw new RolledBack();
      })
      .catch((error: unknown) => {
        if (!(error instanceof RolledBack)) throw error;
      });
    return result as T;
  }
}
