import { Injectable } from '@nestjs/common';
import type { Actor } from '@libs/authorization/actor.js';
import { DataAccess, type ScopedTx } from '@libs/database/data-access.js';
import { BadUserInputError } from '@libs/graphql/errors.js';
import { AuditLedger } from '@libs/ledger/audit-ledger.js';
import { OrganizationsRepository } from '@app/modules/organizations/organizations.repository.js';
import type { Patient } from '@app/modules/patients/patient.js';
import { PatientsRepository } from '@app/modules/patients/patients.repository.js';
import { type CareTeamContact, type Enrollment, sensitivityOf, type ServiceType } from './enrollment.js';
import { EnrollmentsRepository } from './enrollments.repository.js';

export interface NewEnrollment {
  patientId: string;
  programName: string;
  serviceType: ServiceType;
  startedOn: string;
  careTeam: Array<Omit<CareTeamContact, 'afterHoursPhone' | 'hours'> & { afterHoursPhone?: string | null; hours?: string | null }>;
  engagementNotes?: string | null;
}

const NOT_FOUND = (field: string) => new BadUserInputError([field], 'NOT_FOUND');

/** Enrollments in a provider's programs: who is in treatment, since when, and how to reach the team. */
@Injectable()
export class EnrollmentsService {
  constructor(
    private readonly data: DataAccess,
    private readonly enrollments: EnrollmentsRepository,
    private readonly patients: PatientsRepository,
    private readonly organizations: OrganizationsRepository,
    private readonly ledger: AuditLedger,
  ) {}

  record(actor: Actor, input: NewEnrollment): Promise<Enrollment> {
    return this.data.forCaller(actor).transaction(async (db) => {
      // Another provider's patient is refused exactly like an unknown one.
      const patient = await this.patients.findById(db, input.patientId, 'Patient.update');
      if (!patient) throw NOT_FOUND('patientId');
      return this.recordIn(db, patient, input);
    });
  }

  /** Records an enrollment of a patient `db` has read; also the demo seed's. */
  async recordIn(db: ScopedTx, patient: Patient, input: NewEnrollment): Promise<Enrollment> {
    const organization = await this.organizations.findById(db, patient.organizationId);
    if (!organization || !db.allows('Enrollment.create', { organizationKey: patient.organizationKey })) throw NOT_FOUND('patientId');
    const sensitivity = sensitivityOf(input.serviceType, organization.part2Program);
    const id = await this.enrollments.insert(db, {
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
    });
    await this.ledger.append(db, {
      action: 'recordEnrollment',
      outcome: 'SUCCESS',
      patientIds: [patient.id],
      subjectOrganizationKeys: [patient.organizationKey],
      details: { enrollmentId: id, serviceType: input.serviceType },
    });
    return (await this.enrollments.findById(db, id, 'Enrollment.read'))!;
  }

  end(actor: Actor, input: { enrollmentId: string; endedOn: string }): Promise<Enrollment> {
    return this.data.forCaller(actor).transaction(async (db) => {
      const enrollment = await this.enrollments.findById(db, input.enrollmentId, 'Enrollment.update', true);
      if (!enrollment) throw NOT_FOUND('enrollmentId');
      if (input.endedOn < enrollment.startedOn) throw new BadUserInputError(['endedOn'], 'BEFORE_START');
      if (!(await this.enrollments.end(db, enrollment.id, input.endedOn))) throw new BadUserInputError(['enrollmentId'], 'ALREADY_ENDED');
      await this.ledger.append(db, {
        action: 'endEnrollment',
        outcome: 'SUCCESS',
        patientIds: [enrollment.patientId],
        subjectOrganizationKeys: [enrollment.organizationKey],
        details: { enrollmentId: enrollment.id },
      });
      return (await this.enrollments.findById(db, enrollment.id, 'Enrollment.update'))!;
    });
  }

  /**
   * The enrollments of these patients (`Patient.enrollments`, a page at a time): care-team contacts
   * and notes are read, so the read is audited in its own right, once (C16).
   */
  forPatients(actor: Actor, patientIds: string[]): Promise<Enrollment[]> {
    return this.data.forCaller(actor).transaction(async (db) => {
      const enrollments = await this.enrollments.ofPatients(db, patientIds);
      await this.ledger.append(db, {
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
