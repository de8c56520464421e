import { Injectable } from '@nestjs/common';
import type { Actor } from '@libs/authorization/actor.js';
import { FieldCipher } from '@libs/crypto/field-cipher.js';
import { DataAccess } from '@libs/database/data-access.js';
import { AuditLedger } from '@libs/ledger/audit-ledger.js';
import { OrganizationsRepository } from '@app/modules/organizations/organizations.repository.js';
import { matchKeyInput } from '@app/modules/patients/identity-normalizer.js';
import type { Patient } from '@app/modules/patients/patient.js';
import { PatientsRepository } from '@app/modules/patients/patients.repository.js';
import { PatientIdentityRepository } from '@app/modules/patients/patient-identity.repository.js';

export type ReviewPatient = Patient & { organizationName: string; mergedPatientIds: string[] };

/**
 * A compliance officer answering a complaint ("your service disclosed my records") finds the
 * person's records by name and date of birth — matched as a responder lookup is, through the
 * blind index — within their scope: their own organisation's records, or every organisation's for
 * an oversight body. The search is audited like any read, with the identity searched for only as
 * a keyed hash (C3, C16).
 */
@Injectable()
export class PatientReviewService {
  constructor(
    private readonly data: DataAccess,
    private readonly patients: PatientsRepository,
    private readonly identities: PatientIdentityRepository,
    private readonly organizations: OrganizationsRepository,
    private readonly cipher: FieldCipher,
    private readonly ledger: AuditLedger,
  ) {}

  find(actor: Actor, person: { givenName: string; familyName: string; dateOfBirth: string }): Promise<ReviewPatient[]> {
    const searched = matchKeyInput(person.familyName, person.dateOfBirth, person.givenName);
    return this.data.forCaller(actor).transaction(async (db) => {
      const found = await this.patients.findByMatchKey(db, this.cipher.blindIndex(searched));
      const merged = await this.identities.mergedInto(db, found.map((p) => p.id));
      const names = new Map((await this.organizations.findByKeys(db, [...new Set(found.map((p) => p.organizationKey))])).map((o) => [o.key, o.name]));
      await this.ledger.append(db, {
        action: 'findPatientsForReview',
        outcome: 'SUCCESS',
        patientIds: found.map((p) => p.id),
        subjectOrganizationKeys: [...new Set(found.map((p) => p.organizationKey))],
        details: { searchedIdentity: this.cipher.auditSubject(searched), count: found.length },
      });
      return found.map((p) => ({ ...p, organizationName: names.get(p.organizationKey) ?? p.organizationKey, mergedPatientIds: merged.get(p.id) ?? [] }));
    });
  }
}
