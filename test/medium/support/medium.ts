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
import type { DataCategory } from '@app/modules/consents/consent.js';
import type { NewConsent } from '@app/modules/consents/consents.service.js';
import { ConsentsModule } from '@app/modules/consents/consents.module.js';
import { EnrollmentsModule } from '@app/modules/enrollments/enrollments.module.js';
import { OrganizationsModule, OrganizationStoreModule } from '@app/modules/organizations/organizations.module.js';
import { PartnershipsModule } from '@app/modules/partnerships/partnerships.module.js';
import { PARTNERSHIP_IN_FORCE_SQL, partnerPairs } from '@libs/testing/partnership-fixture.js';
import { PatientsModule } from '@app/modules/patients/patients.module.js';
import { ActivePolicies } from '@app/modules/policies/active-policies.js';
import { PoliciesModule, PolicyStoreModule } from '@app/modules/policies/policies.module.js';
import { ResponderModule } from '@app/modules/responder/responder.module.js';
import { ReferralsModule } from '@app/modules/referrals/referrals.module.js';
import { ReviewModule } from '@app/modules/review/review.module.js';
import type { NewEmergencyRecord } from '@app/modules/responder/responder.repository.js';
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
  private context?: INestApplicationContext;
  /** Providers and agencies made here: each pair is partners (issue 15), as in the e2e fixtures. */
  private readonly partners: MediumOrganization[] = [];

  /** The Medium of the tests of the describe block it is called in: started before them, closed after. */
  static forThisFile(): Medium {
    const medium = new Medium();
    beforeAll(() => medium.start());
    afterAll(() => medium.close());
    return medium;
  }

  private async start(): Promise<void> {
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
        PartnershipsModule,
        ResponderModule,
        ReviewModule,
        ReferralsModule,
      ],
      providers: [AuditService],
    })
    class MediumModule {}
    this.context = await NestFactory.createApplicationContext(MediumModule, { logger: false });
  }

  get<T>(type: Type<T>): T {
    if (!this.context) throw new Error('the medium context starts before the tests (Medium.forThisFile in a describe block)');
    return this.context.get(type, { strict: false });
  }

  /** `type` as the context provides it once the tests run; usable in a describe block before that. */
  lazy<T extends object>(type: Type<T>): T {
    return new Proxy({} as T, {
      get: (_stand, key) => {
        const target = this.get(type) as Record<string | symbol, unknown>;
        const value = target[key];
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }

  private async close(): Promise<void> {
    await this.context?.close();
    await closeSql();
  }

  /** Fresh organisations of these kinds (a Part 2 program with `[kind, { part2Program: true }]`), in order. */
  async organizations(...kinds: Array<OrganizationKind | [OrganizationKind, { part2Program?: boolean; partnerships?: boolean }]>): Promise<MediumOrganization[]> {
    const made: MediumOrganization[] = [];
    for (const kind of kinds) made.push(typeof kind === 'string' ? await this.organization(kind) : await this.organization(kind[0], kind[1]));
    return made;
  }

  get data(): DataAccess {
    return this.get(DataAccess);
  }

  /**
   * A fresh organisation, created as the operator would; a provider or agency gets an agreement in
   * force with each one of the other kind made before it here, unless `partnerships: false`.
   */
  async organization(kind: OrganizationKind, options: { part2Program?: boolean; partnerships?: boolean } = {}): Promise<MediumOrganization> {
    const key = `medium-${kind.toLowerCase().replace(/_/g, '-')}-${randomUUID().slice(0, 8)}`;
    const made = await this.data.forOperator('medium-test').transaction(async (db) => {
      const rows = await db.query<{ id: string }>(`INSERT INTO organization (key, name, kind, part2_program, created_by) VALUES ($1, $2, $3, $4, 'medium-test') RETURNING id`, [key, `Medium ${key.slice(-8)}`, kind, options.part2Program ?? false]);
      const organization: MediumOrganization = { id: rows[0].id, key, name: `Medium ${key.slice(-8)}`, kind };
      if (options.partnerships !== false) for (const [provider, agency] of partnerPairs(organization, this.partners)) await db.query(PARTNERSHIP_IN_FORCE_SQL, [provider, agency, 'medium-test']);
      return organization;
    });
    if (options.partnerships !== false) this.partners.push(made);
    return made;
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

/** A crisis-response consent of `patientId` naming `recipients`, signed by the patient, valid for a day: what the medium tests record. */
export function consentFor(patientId: string, recipients: MediumOrganization[], categories: DataCategory[] = ['TREATMENT_STATUS']): NewConsent {
  return {
    patientId,
    recipientOrganizationKeys: recipients.map((r) => r.key),
    purpose: 'CRISIS_RESPONSE',
    dataCategories: categories,
    expiresAt: new Date(Date.now() + 86_400_000),
    signedBy: { name: 'The Patient', relationship: 'SELF' },
    signedAt: new Date(Date.now() - 60_000),
    acknowledgements: { rightToRevoke: true, treatmentNotConditioned: true, redisclosureRestricted: true },
  };
}

/** A §2.51(c) record of `patientId` at `program`, asked for by a medic of `agency`. */
export function emergencyRecordOf(patientId: string, program: MediumOrganization, agency: MediumOrganization, overrides: Partial<NewEmergencyRecord> = {}): NewEmergencyRecord {
  return {
    auditEventId: randomUUID(),
    programOrganizationId: program.id,
    patientId,
    requesterSub: 'medium-medic',
    requesterName: 'Avery Medic',
    requesterAffiliation: agency.name,
    requesterOrganizationId: agency.id,
    disclosedBy: `crisis-link, on behalf of ${program.name}`,
    occurredAt: new Date(),
    natureOfEmergency: 'Unresponsive, suspected overdose',
    incidentNumber: 'INC-MEDIUM-1',
    disclosedCategories: ['TREATMENT_STATUS', 'CARE_TEAM_CONTACT'],
    ...overrides,
  };
}
