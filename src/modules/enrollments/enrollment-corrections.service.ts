import { Injectable } from '@nestjs/common';
import type { Actor } from '@libs/authorization/actor.js';
import { decide } from '@libs/authorization/ability.js';
import { TransactionRunner } from '@libs/database/transaction-runner.js';
import { BadUserInputError } from '@libs/graphql/errors.js';
import { AuditLedger } from '@libs/ledger/audit-ledger.js';
import { isUuid } from '@app/modules/patients/patients.service.js';
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
    private readonly transactions: TransactionRunner,
    private readonly enrollments: EnrollmentsRepository,
    private readonly ledger: AuditLedger,
  ) {}

  correct(actor: Actor, input: EnrollmentCorrection): Promise<Enrollment> {
    return this.transactions.run(async (tx) => {
      const enrollment = isUuid(input.enrollmentId) ? await this.enrollments.findById(tx, input.enrollmentId, true) : null;
      if (!enrollment || !decide(actor.ability, 'update', 'Enrollment', { organizationKey: enrollment.organizationKey, id: enrollment.id }).allowed) {
        throw BadUserInputError.of([{ field: 'enrollmentId' }], 'NOT_FOUND');
      }
      const corrected = {
        programName: input.programName?.trim() ?? enrollment.programName,
        careTeam: input.careTeam
          ? input.careTeam.map((c) => ({ name: c.name.trim(), role: c.role.trim(), phone: c.phone.trim(), afterHoursPhone: c.afterHoursPhone?.trim() ?? null, hours: c.hours?.trim() ?? null }))
          : enrollment.careTeam,
        engagementNotes: input.engagementNotes === undefined ? enrollment.engagementNotes : (input.engagementNotes?.trim() ?? null),
      };
      const changed = CORRECTABLE.filter((f) => JSON.stringify(corrected[f]) !== JSON.stringify(enrollment[f]));
      await this.enrollments.correct(tx, enrollment.id, corrected);
      await this.ledger.append(tx, actor, {
        action: 'updateEnrollment',
        outcome: 'SUCCESS',
        patientIds: [enrollment.patientId],
        subjectOrganizationKeys: [enrollment.organizationKey],
        details: { enrollmentId: enrollment.id, changed },
      });
      return (await this.enrollments.findById(tx, enrollment.id))!;
    });
  }
}
