import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { buildApp, type BuiltApp } from '@app/bootstrap.js';
import { type AgencyType, type OrganizationKind, ROLE_ORGANIZATION_KINDS, type Role } from '@libs/auth/principal.js';
import { PARTNERSHIP_IN_FORCE_SQL, partnerPairs } from '@libs/testing/partnership-fixture.js';
import { closeSql, migrateTestDatabase, sql, testDatabaseUrl } from './database.js';
import { LocalIdentityProvider } from '@libs/testing/local-identity-provider.js';

export interface GraphqlAnswer<T = Record<string, any>> {
  status: number;
  headers: Record<string, string>;
  data?: T;
  errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, any> }>;
  body: any;
}

export interface TestOrganization {
  id: string;
  key: string;
  name: string;
  kind: OrganizationKind;
  agencyType?: AgencyType | null;
}

/** The whole application against the real test PostgreSQL and a real outside identity provider. */
export class TestApp {
  /** The providers and agencies this app's fixtures made that are partners (see `organization`). */
  private readonly partners: TestOrganization[] = [];

  private constructor(
    readonly built: BuiltApp,
    readonly idp: LocalIdentityProvider,
  ) {}

  get app(): INestApplication {
    return this.built.app;
  }

  get http() {
    return this.built.app.getHttpServer();
  }

  static async start(env: Record<string, string | undefined> = {}, idp?: LocalIdentityProvider): Promise<TestApp> {
    await migrateTestDatabase();
    const provider = idp ?? (await LocalIdentityProvider.start());
    const built = await buildApp({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: testDatabaseUrl(),
      DATA_DIR: process.env.TEST_DATA_DIR,
      AUTH_ISSUER: provider.issuer,
      AUTH_AUDIENCE: provider.audience,
      AUTH_JWKS_URL: provider.jwksUrl,
      AUTH_JWKS_COOLDOWN_SECONDS: '0',
      // Tests seal the ledger when they mean to (AuditSealer.sealEverythingCommitted).
      AUDIT_SEAL_INTERVAL_MS: '0',
      // Tests deliver programs' notifications when they mean to (ProgramNotifier.deliverDue).
      PROGRAM_WEBHOOK_POLL_INTERVAL_MS: '0',
      ...env,
    });
    return new TestApp(built, provider);
  }

  async close(): Promise<void> {
    await this.built.close();
    await this.idp.stop();
    await closeSql();
  }

  /**
   * A fresh organisation for one test, so tests never see each other's data. Every treatment
   * provider and responder agency a test app makes has a partnership agreement in force with each
   * of the other kind it made (issue 15: a consent may name an agency only then), unless
   * `partnerships: false` (the partnership tests set up their own).
   */
  async organization(
    kind: OrganizationKind,
    options: { part2Program?: boolean; prefix?: string; agencyType?: AgencyType; partnerships?: boolean } = {},
  ): Promise<TestOrganization> {
    const key = `${options.prefix ?? kind.toLowerCase().replace(/_/g, '-')}-${randomUUID().slice(0, 8)}`;
    const name = `Test ${kind} ${key.slice(-8)}`;
    const rows = await sql<{ id: string; agency_type: AgencyType | null }>(
      `INSERT INTO organization (key, name, kind, part2_program, created_by, agency_type) VALUES ($1, $2, $3, $4, 'test-fixture', $5) RETURNING id, agency_type`,
      [key, name, kind, options.part2Program ?? false, options.agencyType ?? null],
    );
    const made: TestOrganization = { id: rows[0].id, key, name, kind, agencyType: rows[0].agency_type };
    if (options.partnerships !== false) {
      for (const [provider, agency] of partnerPairs(made, this.partners)) await sql(PARTNERSHIP_IN_FORCE_SQL, [provider, agency, 'test-fixture']);
      this.partners.push(made);
    }
    return made;
  }

  /** A fresh organisation of a kind the role belongs to (a role binds to its kinds). */
  homeOf(role: Role): Promise<TestOrganization> {
    return this.organization(ROLE_ORGANIZATION_KINDS[role][0]);
  }

  token(role: Role | Role[], organization: { key: string }, options: { sub?: string; name?: string } = {}): Promise<string> {
    return this.idp.mint({ roles: Array.isArray(role) ? role : [role], org: organization.key, sub: options.sub, name: options.name });
  }

  async graphql<T = Record<string, any>>(token: string | null, query: string, variables?: Record<string, unknown>): Promise<GraphqlAnswer<T>> {
    let call = request(this.http).post('/graphql').set('Content-Type', 'application/json');
    if (token) call = call.set('Authorization', `Bearer ${token}`);
    const response = await call.send({ query, variables });
    return { status: response.status, headers: response.headers as Record<string, string>, data: response.body?.data, errors: response.body?.errors, body: response.body };
  }
}

/** The error code of the first error, for terse assertions. */
export function codeOf(answer: GraphqlAnswer): string | undefined {
  return answer.errors?.[0]?.extensions?.code;
}

export const uniqueSub = () => `person-${randomUUID().slice(0, 8)}`;
