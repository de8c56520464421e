import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { decide } from '@libs/authorization/ability.js';
import { AbilitiesService } from '@libs/authorization/abilities.service.js';
import type { Actor } from '@libs/authorization/actor.js';
import type { Principal } from '@libs/auth/principal.js';
import { TransactionRunner } from '@libs/database/transaction-runner.js';
import { ConsentsService } from '@app/modules/consents/consents.service.js';
import type { OrganizationEntity } from '@app/modules/organizations/organization.entity.js';
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
    private readonly consents: ConsentsService,
    private readonly abilities: AbilitiesService,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext('DemoData');
  }

  async seedIfEmpty(): Promise<boolean> {
    return this.transactions.run(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('demo-seed'))`);
      if ((await this.organizationsRepository.list(tx)).length > 0) return false;
      const organizations = new Map<string, OrganizationEntity>();
      for (const organization of DEMO_ORGANIZATIONS) {
        organizations.set(organization.key, await this.organizations.createIn(tx, SEED_ACTOR, organization));
      }
      const now = Date.now();
      for (const entry of DEMO_PATIENTS) {
        const provider = organizations.get(entry.organizationKey)!;
        const patient = await this.patients.registerIn(tx, { ...SEED_ACTOR, organizationId: provider.id }, entry.person);
        for (const enrollment of entry.enrollments) {
          await this.enrollments.recordIn(tx, SEED_ACTOR, patient, { ...enrollment, patientId: patient.id });
        }
        // Consents go through the same rules as a provider's, as a staff member of the provider.
        const staff = await this.providerStaff(provider);
        for (const consent of entry.consents ?? []) {
          await this.consents.recordIn(tx, staff, {
            patientId: patient.id,
            recipientOrganizationKeys: consent.recipients,
            purpose: consent.purpose,
            dataCategories: consent.categories,
            expiresAt: new Date(now + consent.months * 30 * 86_400_000),
            signedBy: { name: `${entry.person.givenName} ${entry.person.familyName}`, relationship: 'SELF' },
            signedAt: new Date(now - 86_400_000),
            acknowledgements: { rightToRevoke: true, treatmentNotConditioned: true, redisclosureRestricted: true },
          });
        }
      }
      this.logger.info({ organizations: DEMO_ORGANIZATIONS.length, patients: DEMO_PATIENTS.length }, 'demo data seeded');
      return true;
    });
  }

  private async providerStaff(provider: OrganizationEntity): Promise<Actor> {
    const principal: Principal = {
      sub: SEED_ACTOR.sub,
      name: SEED_ACTOR.name,
      named: true,
      roles: ['provider_staff'],
      org: { id: provider.id, key: provider.key, name: provider.name, kind: provider.kind },
      amr: [],
    };
    const ability = await this.abilities.abilityFor(principal);
    return { principal, ability, decision: decide(ability, 'create', 'Consent'), requestId: 'demo-seed' };
  }
}
