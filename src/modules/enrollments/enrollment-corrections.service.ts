import { Injectable } from '@nestjs/common';
import type { Actor } from '@libs/authorization/actor.js';
import { DataAccess } from '@libs/database/data-access.js';
import { BadUserInputError } from '@libs/graphql/errors.js';
import { AuditLedger } from '@libs/ledger/audit-ledger.js';
import type { CareTeamContact, Enrollment } from './enrollment.js';
import { EnrollmentsRepository } from './enrollments.repository.js';

export interface EnrollmentCorrection {
  enrollmentId: string;
  programName?: string | null;
  careTeam?: Array<Omit<CareTeamContact, 'afterHoursPhone' | 'hours'> & { afterHoursPhone?: string | null; hours?: string | null }> | null;
  /** Absent: unchanged; null: removed. */
  engagementNotes?: string | null;
}

const CORRECTABLE = ['programName', 'careTeam', 'engagementNotes'] as const;

/**
 * Staff correct an enrollment — a care-team phone that changed, the team's hours, the guidance
 * for responders, the program's name — without ending and recording it again. What a responder
 * is told changes from the next lookup on. Provider-scoped: another organisation's enrollment is
 * refused exactly like an unknown one (C9). Audited with field names only (C3, C16).
 */
@Injectable()
export class EnrollmentCorrectionsService {
  constructor(
    private readonly data: DataAccess,
    private readonly enrollments: EnrollmentsRepository,
    private readonly ledger: AuditLedger,
  ) {}

  correct(actor: Actor, input: EnrollmentCorrection): Promise<Enrollment> {
    return this.data.forCaller(actor).transaction(async (db) => {
      const enrollment = await this.enrollments.findById(db, input.enrollmentId, 'Enrollment.update', true);
      if (!enrollment) throw BadUserInputError.of([{ field: 'enrollmentId' }], 'NOT_FOUND');
      const corrected = {
        programName: input.programName?.trim() ?? enrollment.programName,
        careTeam: input.careTeam
          ? input.careTeam.map((c) => ({ name: c.name.trim(), role: c.role.trim(), phone: c.phone.trim(), afterHoursPhone: c.afterHoursPhone?.trim() ?? null, hours: c.hours?.trim() ?? null }))
          : enrollment.careTeam,
        engagementNotes: input.engagementNotes === undefined ? enrollment.engagementNotes : (input.engagementNotes?.trim() ?? null),
      };
      const changed = CORRECTABLE.filter((f) => JSON.stringify(corrected[f]) !== JSON.stringify(enrollment[f]));
      await this.enrollments.correct(db, enrollment.id, corrected);
      await this.ledger.append(db, {
        action: 'updateEnrollment',
        outcome: 'SUCCESS',
        patientIds: [enrollment.patientId],
        subjectOrganizationKeys: [enrollment.organizationKey],
        details: { enrollmentId: enrollment.id, changed },
      });
      return (await this.enrollments.findById(db, enrollment.id, 'Enrollment.update'))!;
    });
  }
}
