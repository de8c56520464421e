import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { TransactionRunner } from '@libs/database/transaction-runner.js';
import type { AuditActor } from '@libs/ledger/audit-event.js';
import { EnrollmentsService } from '@app/modules/enrollments/enrollments.service.js';
import { OrganizationsRepository } from '@app/modules/organizations/organizations.repository.js';
import { OrganizationsService } from '@app/modules/organizations/organizations.service.js';
import { PatientsService } from '@app/modules/patients/patients.service.js';
import { DEMO_ORGANIZATIONS, DEMO_PATIENTS } from './demo-data.js';

const SEED_ACTOR: AuditActor = {
  sub: 'system:demo-seed',
  organizationKey: 'system',
  roles: ['system'],
  name: 'demo data seed',
  policyVersion: null,
  policyRule: null,
  requestId: null,
};

/**
 * Fills an empty database with invented demo data through the same services and audit trail as
 * real requests. Registered only outside production; does nothing if any organisation exists.
 */
@Injectable()
export class DemoDataSeeder {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly organizationsRepository: OrganizationsRepository,
    private readonly organizations: OrganizationsService,
    private readonly patients: PatientsService,
    private readonly enrollments: EnrollmentsService,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext('DemoData');
  }

  async seedIfEmpty(): Promise<boolean> {
    return this.transactions.run(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('demo-seed'))`);
      if ((await this.organizationsRepository.list(tx)).length > 0) return false;
      const ids = new Map<string, string>();
      for (const organization of DEMO_ORGANIZATIONS) {
        ids.set(organization.key, (await this.organizations.createIn(tx, SEED_ACTOR, organization)).id);
      }
      for (const entry of DEMO_PATIENTS) {
        const patient = await this.patients.registerIn(tx, { ...SEED_ACTOR, organizationId: ids.get(entry.organizationKey)! }, entry.person);
        for (const enrollment of entry.enrollments) {
          await this.enrollments.recordIn(tx, SEED_ACTOR, patient, { ...enrollment, patientId: patient.id });
        }
      }
      this.logger.info({ organizations: DEMO_ORGANIZATIONS.length, patients: DEMO_PATIENTS.length }, 'demo data seeded');
      return true;
    });
  }
}
