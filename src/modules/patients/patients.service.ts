import { Injectable } from '@nestjs/common';
import type { Actor } from '@libs/authorization/actor.js';
import type { PrincipalOrganization } from '@libs/auth/principal.js';
import { DataAccess, type ScopedTx } from '@libs/database/data-access.js';
import type { KeysetPage } from '@libs/database/sql.js';
import { BadUserInputError, ForbiddenError, PossibleDuplicateError } from '@libs/graphql/errors.js';
import { AuditLedger } from '@libs/ledger/audit-ledger.js';
import { FieldCipher } from '@libs/crypto/field-cipher.js';
import { matchKeyInput, normalizeName } from './identity-normalizer.js';
import type { NewPatient, Patient } from './patient.js';
import { PatientIdentityRepository } from './patient-identity.repository.js';
import { PatientsRepository } from './patients.repository.js';

/** The person as registered: trimmed, aliases once each; refused when a name is only punctuation. */
function registrable(input: NewPatient): NewPatient {
  const aliases = [...new Set((input.aliases ?? []).map((a) => a.trim()))];
  const person = { givenName: input.givenName.trim(), familyName: input.familyName.trim(), dateOfBirth: input.dateOfBirth, aliases };
  // A name made only of punctuation would match everyone else's punctuation-only name.
  const blank: string[] = (['givenName', 'familyName'] as const).filter((field) => normalizeName(person[field]) === '');
  if (aliases.some((a) => normalizeName(a) === '')) blank.push('aliases');
  if (blank.length > 0) throw new BadUserInputError(blank);
  return person;
}

/**
 * Treatment providers' patients. A patient of another organisation is indistinguishable from
 * one that does not exist: same null, same error, same audit shape (the repository never reads it).
 */
@Injectable()
export class PatientsService {
  constructor(
    private readonly data: DataAccess,
    private readonly patients: PatientsRepository,
    private readonly ledger: AuditLedger,
    private readonly identities: PatientIdentityRepository,
    private readonly cipher: FieldCipher,
  ) {}

  register(actor: Actor, input: NewPatient): Promise<Patient> {
    return this.data.forCaller(actor).transaction((db) => this.registerIn(db, actor.principal.org, input));
  }

  /**
   * Registers a patient of `organization` (the caller's own; the demo seed's provider). Authorised
   * before anything is written: only a treatment provider has patients, whatever a token's roles
   * say, and only a scope that may create one there.
   */
  async registerIn(db: ScopedTx, organization: Pick<PrincipalOrganization, 'id' | 'key' | 'kind'>, input: NewPatient): Promise<Patient> {
    if (organization.kind !== 'TREATMENT_PROVIDER' || !db.allows('Patient.create', { organizationKey: organization.key })) throw new ForbiddenError();
    const person = registrable(input);
    // A second record of one person hides them from every lookup (two matches answer "no"):
    // refused unless the staff member confirms it is another person.
    await this.identities.lockIdentities(db, organization.id);
    const duplicate = await this.identities.possibleDuplicate(db, organization.id, this.identities.matchKeysOf(person), null);
    if (duplicate && !input.confirmDistinctPerson) throw new PossibleDuplicateError(duplicate);
    const id = await this.patients.insert(db, organization.id, person);
    const patient = (await this.patients.findById(db, id, 'Patient.create'))!;
    await this.ledger.append(db, {
      action: 'registerPatient',
      outcome: 'SUCCESS',
      patientIds: [id],
      subjectOrganizationKeys: [patient.organizationKey],
      ...(duplicate ? { details: { confirmedDistinctPerson: true, possibleDuplicateOf: duplicate } } : {}),
    });
    return patient;
  }

  get(actor: Actor, id: string): Promise<Patient | null> {
    return this.data.forCaller(actor).transaction(async (db) => {
      const patient = await this.patients.findById(db, id, 'Patient.read');
      await this.ledger.append(db, {
        action: 'patient',
        outcome: 'SUCCESS',
        patientIds: patient ? [patient.id] : [],
        subjectOrganizationKeys: patient ? [patient.organizationKey] : [],
        details: { found: patient !== null },
      });
      return patient;
    });
  }

  /**
   * The caller's organisation's patients who are this person: matched as a responder lookup is
   * (normalised names, a given name or any alias, through the blind index), so staff find a
   * patient without paging through every record. Audited like any read, with the identity
   * searched for only as a keyed hash (C3, C16).
   */
  find(actor: Actor, person: { givenName: string; familyName: string; dateOfBirth: string }): Promise<Patient[]> {
    const searched = matchKeyInput(person.familyName, person.dateOfBirth, person.givenName);
    return this.data.forCaller(actor).transaction(async (db) => {
      const found = await this.patients.findByIdentity(db, this.cipher.blindIndex(searched));
      await this.ledger.append(db, {
        action: 'findPatients',
        outcome: 'SUCCESS',
        patientIds: found.map((p) => p.id),
        subjectOrganizationKeys: [...new Set(found.map((p) => p.organizationKey))],
        details: { searchedIdentity: this.cipher.auditSubject(searched), count: found.length },
      });
      return found;
    });
  }

  list(actor: Actor, limit: number, after: readonly [string, string] | null): Promise<KeysetPage<Patient>> {
    return this.data.forCaller(actor).transaction(async (db) => {
      const page = await this.patients.page(db, limit, after);
      await this.ledger.append(db, {
        action: 'patients',
        outcome: 'SUCCESS',
        patientIds: page.items.map((p) => p.id),
        subjectOrganizationKeys: [...new Set(page.items.map((p) => p.organizationKey))],
        details: { count: page.items.length },
      });
      return page;
    });
  }
}
