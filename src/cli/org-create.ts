import 'reflect-metadata';
import { type DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { AGENCY_TYPES, type AgencyType, isAgencyType, ORGANIZATION_KINDS, type OrganizationKind } from '@libs/auth/principal.js';
import { loadConfig } from '@libs/config/app-config.js';
import { AppConfigModule } from '@libs/config/config.module.js';
import { resolveDatabase } from '@libs/database/database-url.js';
import { DatabaseModule } from '@libs/database/database.module.js';
import { migrateDatabase } from '@libs/database/migrate.js';
import { migrationContextFor } from '@libs/crypto/crypto.module.js';
import { BadUserInputError } from '@libs/graphql/errors.js';
import { LedgerModule } from '@libs/ledger/ledger.module.js';
import { LoggingModule } from '@libs/logging/logging.module.js';
import { MIGRATIONS } from '@migrations/index.js';
import { ENTITIES } from '@app/entities.js';
import { ORGANIZATION_KEY_PATTERN } from '@app/modules/organizations/dto/create-organization.input.js';
import { OrganizationsModule } from '@app/modules/organizations/organizations.module.js';
import { OrganizationsService } from '@app/modules/organizations/organizations.service.js';
import type { AppConfig } from '@libs/config/app-config.js';

const USAGE = `usage: npm run org:create -- --key KEY --name "Name" --kind ${ORGANIZATION_KINDS.join('|')} [--part2] [--agency-type ${AGENCY_TYPES.join('|')}]`;

@Module({})
class OrganizationCliModule {
  static forRoot(config: AppConfig, url: string): DynamicModule {
    return {
      module: OrganizationCliModule,
      imports: [AppConfigModule.forRoot(config), LoggingModule.forRoot(config), DatabaseModule.forRoot({ url, entities: ENTITIES, poolSize: 2 }), LedgerModule.forRoot(config), OrganizationsModule],
    };
  }
}

/**
 * Bootstrap for an operator: creates an organisation straight in the configured database, with
 * no server running, through the same service and audit trail as the GraphQL mutation.
 */
export async function createOrganizationFromCli(argv: string[], env: Record<string, string | undefined>): Promise<{ id: string; key: string }> {
  const { values } = parseArgs({
    args: argv,
    options: { key: { type: 'string' }, name: { type: 'string' }, kind: { type: 'string' }, part2: { type: 'boolean' }, 'agency-type': { type: 'string' } },
    strict: true,
  });
  if (!values.key || !values.name || !values.kind) throw new Error(USAGE);
  if (!ORGANIZATION_KEY_PATTERN.test(values.key)) throw new Error(`--key must be a lower-case slug (letters, digits, hyphens; 2-63)\n${USAGE}`);
  if (!(ORGANIZATION_KINDS as readonly string[]).includes(values.kind)) throw new Error(`--kind must be one of ${ORGANIZATION_KINDS.join(', ')}`);
  const agencyType = values['agency-type'];
  if (agencyType !== undefined && !isAgencyType(agencyType)) throw new Error(`--agency-type must be one of ${AGENCY_TYPES.join(', ')}`);
  const config = loadConfig({ LOG_LEVEL: 'warn', AUDIT_SEAL_INTERVAL_MS: '0', ...env });
  const database = await resolveDatabase(config);
  try {
    await migrateDatabase(database.url, MIGRATIONS, await migrationContextFor(config));
    const context = await NestFactory.createApplicationContext(OrganizationCliModule.forRoot(config, database.url), { logger: false });
    try {
      const created = await context.get(OrganizationsService).createAsOperator(userInfo().username, {
        key: values.key,
        name: values.name,
        kind: values.kind as OrganizationKind,
        part2Program: values.part2 ?? false,
        agencyType: (agencyType as AgencyType | undefined) ?? null,
      });
      return { id: created.id, key: created.key };
    } finally {
      await context.close();
    }
  } finally {
    await database.embedded?.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  createOrganizationFromCli(process.argv.slice(2), process.env).then(
    (created) => process.stdout.write(`created organisation ${created.key} (${created.id})\n`),
    (error: unknown) => {
      const message = error instanceof BadUserInputError ? `refused: ${error.fields.join(', ')} ${error.reason ?? ''}` : error instanceof Error ? error.message : String(error);
      process.stderr.write(`${message}\n`);
      process.exit(2);
    },
  );
}
