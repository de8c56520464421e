import { Injectable } from '@nestjs/common';
import { DataAccess, type ScopedTx } from '@libs/database/data-access.js';
import { ConsentsService } from '@app/modules/consents/consents.service.js';
import type { OrganizationEntity } from '@app/modules/organizations/organization.entity.js';
import { EnrollmentsService } from '@app/modules/enrollments/enrollments.service.js';
import { OrganizationsRepository } from '@app/modules/organizations/organizations.repository.js';
import { OrganizationsService } from '@app/modules/organizations/organizations.service.js';
import { PartnershipsService } from '@app/modules/partnerships/partnerships.service.js';
import { PatientsService } from '@app/modules/patients/patients.service.js';
import { ReferralsService } from '@app/modules/referrals/referrals.service.js';
import { DEMO_ORGANIZATIONS, DEMO_PARTNERSHIPS, DEMO_PATIENTS, DEMO_REFERRALS } from './demo-data.js';

/**
 * Fills an empty database with invented demo data through the same services, rules and audit
 * trail as real requests, as the system act `seedDemoData`. Registered only outside production;
 * does nothing if any organisation exists.
 */
@Injectable()
export class DemoDataSeeder {
  constructor(
    private readonly data: DataAccess,
    private readonly organizationsRepository: OrganizationsRepository,
    private readonly organizations: OrganizationsService,
    private readonly patients: PatientsService,
    private readonly enrollments: EnrollmentsService,
    private readonly consents: ConsentsService,
    private readonly partnerships: PartnershipsService,
    private readonly referrals: ReferralsService,
  ) {}

  async seedIfEmpty(): Promise<boolean> {
    return this.data.forSystem('seedDemoData').transaction(async (db) => {
      await this.organizationsRepository.lockDirectory(db, 'demo-seed');
      if ((await this.organizationsRepository.list(db)).length > 0) return false;
      const organizations = new Map<string, OrganizationEntity>();
      for (const organization of DEMO_ORGANIZATIONS) organizations.set(organization.key, await this.organizations.createIn(db, organization));
      for (const p of DEMO_PARTNERSHIPS) {
        await this.partnerships.seedInForce(db, organizations.get(p.provider)!, organizations.get(p.agency)!, { kind: p.kind, documentReference: p.reference });
      }
      for (const entry of DEMO_PATIENTS) await this.seedPatient(db, organizations.get(entry.organizationKey)!, entry);
      for (const entry of DEMO_REFERRALS) await this.seedReferral(db, organizations.get(entry.agency)!, organizations.get(entry.provider)!, entry);
      // The start banner says so (main.ts).
      return true;
    });
  }

  private async seedPatient(db: ScopedTx, provider: OrganizationEntity, entry: (typeof DEMO_PATIENTS)[number]): Promise<void> {
    const now = Date.now();
    const patient = await this.patients.registerIn(db, provider, entry.person);
    for (const enrollment of entry.enrollments) await this.enrollments.recordIn(db, patient, { ...enrollment, patientId: patient.id });
    for (const consent of entry.consents ?? []) {
      await this.consents.recordIn(db, {
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

  /** A referral of the demo; a closed one with its person registered, enrolled and consenting to the outcome going back to the agency. */
  private async seedReferral(db: ScopedTx, agency: OrganizationEntity, provider: OrganizationEntity, entry: (typeof DEMO_REFERRALS)[number]): Promise<void> {
    const now = Date.now();
    const input = { providerOrganizationKey: provider.key, reason: entry.reason, urgency: entry.urgency, ...entry.person, callbackPhone: entry.callbackPhone, incidentNumber: entry.incidentNumber, note: entry.note, personAgreed: true };
    if (!entry.closedWith) {
      await this.referrals.seedIn(db, agency, provider, input);
      return;
    }
    const today = new Date(now).toISOString().slice(0, 10);
    const patient = await this.patients.registerIn(db, provider, { ...entry.person, dateOfBirth: entry.person.dateOfBirth!, aliases: [] });
    await this.enrollments.recordIn(db, patient, {
      patientId: patient.id,
      programName: entry.closedWith.programName,
      serviceType: 'MENTAL_HEALTH',
      startedOn: today,
      careTeam: [{ name: 'Taylor Nguyen', role: 'Intake counselor', phone: entry.closedWith.careTeamPhone }],
    });
    await this.consents.recordIn(db, {
      patientId: patient.id,
      recipientOrganizationKeys: [agency.key],
      purpose: 'CARE_COORDINATION',
      dataCategories: ['REFERRAL_OUTCOME'],
      expiresAt: new Date(now + 6 * 30 * 86_400_000),
      signedBy: { name: `${entry.person.givenName} ${entry.person.familyName}`, relationship: 'SELF' },
      signedAt: new Date(now - 3_600_000),
      acknowledgements: { rightToRevoke: true, treatmentNotConditioned: true, redisclosureRestricted: true },
    });
    await this.referrals.seedIn(db, agency, provider, input, { patientId: patient.id, outcome: entry.closedWith.outcome, occurredOn: today });
  }
}
