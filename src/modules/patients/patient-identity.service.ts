import { Injectable } from '@nestjs/common';
import type { Actor } from '@libs/authorization/actor.js';
import { DataAccess, type ScopedTx } from '@libs/database/data-access.js';
import { BadUserInputError, PossibleDuplicateError, type ProblemSpec } from '@libs/graphql/errors.js';
import { AuditLedger } from '@libs/ledger/audit-ledger.js';
import { normalizeName } from './identity-normalizer.js';
import type { NewPatient, Patient } from './patient.js';
import { PatientIdentityRepository } from './patient-identity.repository.js';
import { PatientsRepository } from './patients.repository.js';

export interface PatientCorrection {
  patientId: string;
  givenName?: string | null;
  familyName?: string | null;
  dateOfBirth?: string | null;
  aliases?: string[] | null;
  confirmDistinctPerson?: boolean | null;
}

const IDENTITY_FIELDS = ['givenName', 'familyName', 'dateOfBirth', 'aliases'] as const;

/**
 * Keeping a patient's identity right at one provider (issue 14): correcting names, date of birth
 * and aliases (the match keys rewritten in the same transaction: the old name stops matching at
 * once), and merging two records of one person. Provider-scoped like every patient operation:
 * another organisation's ids are refused exactly like unknown ones (C9). Audited in the
 * operation's transaction, with field names and ids only (C3, C16, C17).
 */
@Injectable()
export class PatientIdentityService {
  constructor(
    private readonly data: DataAccess,
    private readonly records: PatientsRepository,
    private readonly identities: PatientIdentityRepository,
    private readonly ledger: AuditLedger,
  ) {}

  correct(actor: Actor, input: PatientCorrection): Promise<Patient> {
    return this.data.forCaller(actor).transaction(async (db) => {
      const patient = await this.records.findById(db, input.patientId, 'Patient.update');
      if (!patient) throw BadUserInputError.of([{ field: 'patientId' }], 'NOT_FOUND');
      const corrected: NewPatient = {
        givenName: input.givenName?.trim() ?? patient.givenName,
        familyName: input.familyName?.trim() ?? patient.familyName,
        dateOfBirth: input.dateOfBirth ?? patient.dateOfBirth,
        aliases: input.aliases ? [...new Set(input.aliases.map((a) => a.trim()))] : patient.aliases,
      };
      // A name made only of punctuation would match everyone else's punctuation-only name.
      const blank: ProblemSpec[] = (['givenName', 'familyName'] as const).filter((f) => normalizeName(corrected[f]) === '').map((field) => ({ field, rule: 'INVALID_FORMAT' }));
      if (corrected.aliases.some((a) => normalizeName(a) === '')) blank.push({ field: 'aliases', rule: 'INVALID_FORMAT' });
      if (blank.length > 0) throw BadUserInputError.of(blank);
      const changed = IDENTITY_FIELDS.filter((f) => JSON.stringify(corrected[f]) !== JSON.stringify(patient[f]));
      await this.identities.lockIdentities(db, patient.organizationId);
      const duplicate = await this.identities.possibleDuplicate(db, patient.organizationId, this.identities.matchKeysOf(corrected), patient.id);
      if (duplicate && !input.confirmDistinctPerson) throw new PossibleDuplicateError(duplicate);
      await this.identities.correct(db, patient.id, patient.organizationId, corrected);
      await this.ledger.append(db, {
        action: 'updatePatient',
        outcome: 'SUCCESS',
        patientIds: [patient.id],
        subjectOrganizationKeys: [patient.organizationKey],
        details: { changed, ...(duplicate ? { confirmedDistinctPerson: true, possibleDuplicateOf: duplicate } : {}) },
      });
      return (await this.records.findById(db, patient.id, 'Patient.update'))!;
    });
  }

  merge(actor: Actor, input: { survivorId: string; mergedId: string }): Promise<Patient> {
    return this.data.forCaller(actor).transaction(async (db) => {
      const survivor = await this.mergeable(db, input.survivorId);
      const merged = await this.mergeable(db, input.mergedId);
      const unknown: ProblemSpec[] = [...(survivor ? [] : [{ field: 'survivorId' }]), ...(merged ? [] : [{ field: 'mergedId' }])];
      if (unknown.length > 0) throw BadUserInputError.of(unknown, 'NOT_FOUND');
      // The same record twice, or one already merged into the other: nothing to merge.
      if (survivor!.id === merged!.id) throw BadUserInputError.of([{ field: 'mergedId' }], 'SAME_PATIENT');
      await this.identities.lockIdentities(db, survivor!.organizationId);
      const moved = await this.identities.merge(db, { survivorId: survivor!.id, mergedId: merged!.id, organizationId: survivor!.organizationId, mergedBy: db.auditActor.sub });
      await this.ledger.append(db, {
        action: 'mergePatients',
        outcome: 'SUCCESS',
        patientIds: [survivor!.id, merged!.id],
        subjectOrganizationKeys: [survivor!.organizationKey],
        consentIds: moved.consentIds,
        details: { survivorId: survivor!.id, mergedId: merged!.id, enrollmentIds: moved.enrollmentIds, consentIds: moved.consentIds },
      });
      return (await this.records.findById(db, survivor!.id, 'Patient.update'))!;
    });
  }

  /** A record of the caller's organisation the caller may merge (as it answers: a merged id as its survivor), or null. */
  private async mergeable(db: ScopedTx, id: string): Promise<Patient | null> {
    const patient = await this.records.findById(db, id, 'Patient.update');
    return patient && db.allows('Patient.merge', { organizationKey: patient.organizationKey, id: patient.id }) ? patient : null;
  }
}
