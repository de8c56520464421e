import { Injectable } from '@nestjs/common';
import type { Actor } from '@libs/authorization/actor.js';
import { decide } from '@libs/authorization/ability.js';
import { sqlScope } from '@libs/authorization/sql-scope.js';
import { TransactionRunner, type Tx } from '@libs/database/transaction-runner.js';
import { BadUserInputError } from '@libs/graphql/errors.js';
import { AuditLedger } from '@libs/ledger/audit-ledger.js';
import type { AuditActor } from '@libs/ledger/audit-event.js';
import { OrganizationsRepository } from '@app/modules/organizations/organizations.repository.js';
import { isUuid, PatientsService } from '@app/modules/patients/patients.service.js';
import type { Patient } from '@app/modules/patients/patient.js';
import { type CareTeamContact, type Enrollment, sensitivityOf, type ServiceType } from './enrollment.js';
import { ENROLLMENT_SCOPE_COLUMNS, EnrollmentsRepository } from './enrollments.repository.js';

export interface NewEnrollment {
  patientId: string;
  programName: string;
  serviceType: ServiceType;
  startedOn: string;
  careTeam: Array<Omit<CareTeamContact, 'afterHoursPhone' | 'hours'> & { afterHoursPhone?: string | null; hours?: string | null }>;
  engagementNotes?: string | null;
}

/** Enrollments in a provider's programs: who is in treatment, since when, and how to reach the team. */
@Injectable()
export class EnrollmentsService {
  constructor(
    private readonly transactions: TransactionRunner,
    private readonly enrollments: EnrollmentsRepository,
    private readonly patients: PatientsService,
    private readonly organizations: OrganizationsRepository,
    private readonly ledger: AuditLedger,
  ) {}

  record(actor: Actor, input: NewEnrollment): Promise<Enrollment> {
    return this.transactions.run(async (tx) => {
      // Another provider's patient is refused exactly like an unknown one.
      const patient = await this.patients.findAccessible(tx, actor, input.patientId, 'update');
      if (!patient || !decide(actor.ability, 'create', 'Enrollment', { organizationKey: patient.organizationKey }).allowed) {
        throw new BadUserInputError(['patientId'], 'NOT_FOUND');
      }
      return this.recordIn(tx, actor, patient, input);
    });
  }

  /** Also used by the demo seed. */
  async recordIn(tx: Tx, actor: Actor | AuditActor, patient: Patient, input: NewEnrollment): Promise<Enrollment> {
    const organization = await this.organizations.findById(tx, patient.organizationId);
    if (!organization) throw new BadUserInputError(['patientId'], 'NOT_FOUND');
    const sensitivity = sensitivityOf(input.serviceType, organization.part2Program);
    const id = await this.enrollments.insert(tx, {
      patientId: patient.id,
      organizationId: patient.organizationId,
      programName: input.programName.trim(),
      serviceType: input.serviceType,
      startedOn: input.startedOn,
      careTeam: input.careTeam.map((c) => ({
        name: c.name.trim(),
        role: c.role.trim(),
        phone: c.phone.trim(),
        afterHoursPhone: c.afterHoursPhone?.trim() ?? null,
        hours: c.hours?.trim() ?? null,
      })),
      engagementNotes: input.engagementNotes?.trim() || null,
      sensitivityLabels: sensitivity.labels,
      confidentiality: sensitivity.confidentiality,
      createdBy: 'principal' in actor ? actor.principal.sub : actor.sub,
    });
    await this.ledger.append(tx, actor, {
      action: 'recordEnrollment',
      outcome: 'SUCCESS',
      patientIds: [patient.id],
      subjectOrganizationKeys: [patient.organizationKey],
      details: { enrollmentId: id, serviceType: input.serviceType },
    });
    return (await this.enrollments.findById(tx, id))!;
  }

  end(actor: Actor, input: { enrollmentId: string; endedOn: string }): Promise<Enrollment> {
    return this.transactions.run(async (tx) => {
      const enrollment = isUuid(input.enrollmentId) ? await this.enrollments.findById(tx, input.enrollmentId, true) : null;
      if (!enrollment || !decide(actor.ability, 'update', 'Enrollment', { organizationKey: enrollment.organizationKey, id: enrollment.id }).allowed) {
        throw new BadUserInputError(['enrollmentId'], 'NOT_FOUND');
      }
      if (input.endedOn < enrollment.startedOn) throw new BadUserInputError(['endedOn'], 'BEFORE_START');
      if (!(await this.enrollments.end(tx, enrollment.id, input.endedOn, actor.principal.sub))) {
        throw new BadUserInputError(['enrollmentId'], 'ALREADY_ENDED');
      }
      await this.ledger.append(tx, actor, {
        action: 'endEnrollment',
        outcome: 'SUCCESS',
        patientIds: [enrollment.patientId],
        subjectOrganizationKeys: [enrollment.organizationKey],
        details: { enrollmentId: enrollment.id },
      });
      return (await this.enrollments.findById(tx, enrollment.id))!;
    });
  }

  /** `Patient.enrollments`: care-team contacts and notes are read, so the read is audited in its own right (C16). */
  forPatients(actor: Actor, patientIds: string[]): Promise<Enrollment[]> {
    return this.transactions.run(async (tx) => {
      const enrollments = await this.enrollments.forPatients(tx, sqlScope(actor.ability, 'read', 'Enrollment', ENROLLMENT_SCOPE_COLUMNS), patientIds);
      await this.ledger.append(tx, actor, {
        action: 'patientEnrollments',
        outcome: 'SUCCESS',
        patientIds: [...new Set(enrollments.map((e) => e.patientId))],
        subjectOrganizationKeys: [...new Set(enrollments.map((e) => e.organizationKey))],
        details: { enrollmentIds: enrollments.map((e) => e.id) },
      });
      return enrollments;
    });
  }
}
