import { Injectable } from '@nestjs/common';
import { FieldCipher } from '@libs/crypto/field-cipher.js';
import type { Permission, ScopedTx, ScopeColumns } from '@libs/database/data-access.js';
import { isUuid, Keyset, type KeysetPage, pageOf } from '@libs/database/sql.js';
import { matchKeyInputs } from './identity-normalizer.js';
import type { NewPatient, Patient } from './patient.js';

/** Where each Patient (and Disclosure) policy condition lives. */
const PATIENT_COLUMNS: ScopeColumns = { organizationKey: 'o.key', id: 'p.id' };

/** Registration order, oldest first. */
const REGISTRATION_ORDER = new Keyset('p.created_at', 'p.id', 'uuid', 'ASC');

/** SELECT's row: the patient with its identifiers still sealed, and its cursor time. */
type PatientRow = Omit<Patient, 'givenName' | 'familyName' | 'dateOfBirth' | 'aliases' | 'sortKey'> & {
  givenNameEnc: string;
  familyNameEnc: string;
  dateOfBirthEnc: string;
  aliasesEnc: string;
  sortTime: string;
};

const SELECT = `SELECT p.id, p.organization_id AS "organizationId", o.key AS "organizationKey", p.given_name_enc AS "givenNameEnc",
  p.family_name_enc AS "familyNameEnc", p.date_of_birth_enc AS "dateOfBirthEnc", p.aliases_enc AS "aliasesEnc",
  p.created_at AS "createdAt", ${REGISTRATION_ORDER.cursorColumn('"sortTime"')}
  FROM patient p JOIN organization o ON o.id = p.organization_id`;

/** What a patient row may be read for: the patient itself (`Patient.create`: the one just registered), or the accounting of its disclosures (C19). */
export type PatientPermission = Extract<Permission, 'Patient.create' | 'Patient.read' | 'Patient.update' | 'Disclosure.read'>;

/**
 * All SQL on patient and patient_match_key. Reads reach only the rows the scope may see.
 * Identifiers are encrypted on the way in and decrypted on the way out, with the column bound as
 * associated data; matching uses blind indexes only.
 */
@Injectable()
export class PatientsRepository {
  constructor(private readonly cipher: FieldCipher) {}

  /** Inserts a patient of `organizationId`, registered by whoever `db` acts for; the caller decided it may. */
  async insert(db: ScopedTx, organizationId: string, person: NewPatient): Promise<string> {
    const [{ id }] = await db.query<{ id: string }>(
      `INSERT INTO patient (organization_id, given_name_enc, family_name_enc, date_of_birth_enc, aliases_enc, created_by)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [
        organizationId,
        this.cipher.encrypt(person.givenName, 'patient.given_name'),
        this.cipher.encrypt(person.familyName, 'patient.family_name'),
        this.cipher.encrypt(person.dateOfBirth, 'patient.date_of_birth'),
        this.cipher.encryptJson(person.aliases, 'patient.aliases'),
        db.auditActor.sub,
      ],
    );
    const keys = matchKeyInputs(person).map((input) => this.cipher.blindIndex(input));
    await db.query(
      `INSERT INTO patient_match_key (match_key, patient_id, organization_id)
       SELECT k, $2, $3 FROM unnest($1::text[]) AS k ON CONFLICT DO NOTHING`,
      [keys, id, organizationId],
    );
    return id;
  }

  /**
   * The patient if `db` may use it for `permission`; null otherwise, exactly as for an unknown id.
   * A merged record's id answers as the record it was merged into (patient_survivor).
   */
  async findById(db: ScopedTx, id: string, permission: PatientPermission): Promise<Patient | null> {
    if (!isUuid(id)) return null;
    const scope = db.rowsWhere(permission, PATIENT_COLUMNS);
    const rows = await db.query<PatientRow>(`${SELECT} WHERE (${scope.sql}) AND p.id = patient_survivor($${scope.params.length + 1}::uuid)`, [...scope.params, id]);
    return rows.length === 0 ? null : this.toPatient(rows[0]);
  }

  /** One page of the patients `db` may read, in registration order; a merged record is listed as its survivor only. */
  async page(db: ScopedTx, limit: number, after: readonly [string, string] | null): Promise<KeysetPage<Patient>> {
    const scope = db.rowsWhere('Patient.read', PATIENT_COLUMNS);
    const params = [...scope.params];
    const keyset = REGISTRATION_ORDER.after(after, params);
    const rows = await db.query<PatientRow>(
      `${SELECT} WHERE (${scope.sql})${keyset ? ` AND ${keyset}` : ''} AND NOT EXISTS (SELECT 1 FROM patient_merge m WHERE m.merged_id = p.id)
       ${REGISTRATION_ORDER.orderAndLimit(limit, params)}`,
      params,
    );
    const page = pageOf(rows, limit);
    return { items: page.items.map((row) => this.toPatient(row)), hasNextPage: page.hasNextPage };
  }

  /**
   * Patients `db` may read (`Patient.read`: provider staff, their own organisation's) whose blind
   * index is this one (a given name or alias with the family name and date of birth), in
   * registration order: staff finding a patient without reading the whole list. A merged record has
   * no match keys left, so only its survivor is found.
   */
  async findByIdentity(db: ScopedTx, matchKey: string): Promise<Patient[]> {
    const scope = db.rowsWhere('Patient.read', PATIENT_COLUMNS);
    const rows = await db.query<PatientRow>(
      `${SELECT} WHERE (${scope.sql}) AND p.id IN (SELECT k.patient_id FROM patient_match_key k WHERE k.match_key = $${scope.params.length + 1})
       ORDER BY p.created_at, p.id`,
      [...scope.params, matchKey],
    );
    return rows.map((row) => this.toPatient(row));
  }

  /**
   * Patients `db` may review (`ReviewPatient.read`) whose blind index is this one (a given name or
   * alias with the family name and date of birth), by organisation and registration: a compliance review.
   */
  async findByMatchKey(db: ScopedTx, matchKey: string): Promise<Patient[]> {
    const scope = db.rowsWhere('ReviewPatient.read', PATIENT_COLUMNS);
    const rows = await db.query<PatientRow>(
      `${SELECT} WHERE (${scope.sql}) AND p.id IN (SELECT k.patient_id FROM patient_match_key k WHERE k.match_key = $${scope.params.length + 1})
       ORDER BY o.key, p.created_at, p.id`,
      [...scope.params, matchKey],
    );
    return rows.map((row) => this.toPatient(row));
  }

  private toPatient({ givenNameEnc, familyNameEnc, dateOfBirthEnc, aliasesEnc, sortTime, ...row }: PatientRow): Patient {
    return {
      ...row,
      givenName: this.cipher.decrypt(givenNameEnc, 'patient.given_name'),
      familyName: this.cipher.decrypt(familyNameEnc, 'patient.family_name'),
      dateOfBirth: this.cipher.decrypt(dateOfBirthEnc, 'patient.date_of_birth'),
      aliases: this.cipher.decryptJson<string[]>(aliasesEnc, 'patient.aliases'),
      sortKey: [sortTime, row.id],
    };
  }
}
