import { Injectable } from '@nestjs/common';
import type { SqlScope } from '@libs/authorization/sql-scope.js';
import { FieldCipher } from '@libs/crypto/field-cipher.js';
import type { Tx } from '@libs/database/transaction-runner.js';
import { matchKeyInputs } from './identity-normalizer.js';
import type { NewPatient, Patient } from './patient.js';

interface PatientRow {
  id: string;
  organization_id: string;
  organization_key: string;
  given_name_enc: string;
  family_name_enc: string;
  date_of_birth_enc: string;
  aliases_enc: string;
  created_at: Date;
  sort_time: string;
}

/** Column each policy condition field maps to, for SQL scoping (CONVENTIONS rule 3). */
export const PATIENT_SCOPE_COLUMNS = { organizationKey: 'o.key', id: 'p.id' };

const SELECT = `SELECT p.id, p.organization_id, o.key AS organization_key, p.given_name_enc, p.family_name_enc,
  p.date_of_birth_enc, p.aliases_enc, p.created_at,
  to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS sort_time
  FROM patient p JOIN organization o ON o.id = p.organization_id`;

/**
 * All SQL on patient and patient_match_key. Identifiers are encrypted on the way in and decrypted
 * on the way out, with the column bound as associated data; matching uses blind indexes only.
 */
@Injectable()
export class PatientsRepository {
  constructor(private readonly cipher: FieldCipher) {}

  async insert(tx: Tx, organizationId: string, person: NewPatient, createdBy: string): Promise<string> {
    const rows: Array<{ id: string }> = await tx.query(
      `INSERT INTO patient (organization_id, given_name_enc, family_name_enc, date_of_birth_enc, aliases_enc, created_by)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [
        organizationId,
        this.cipher.encrypt(person.givenName, 'patient.given_name'),
        this.cipher.encrypt(person.familyName, 'patient.family_name'),
        this.cipher.encrypt(person.dateOfBirth, 'patient.date_of_birth'),
        this.cipher.encryptJson(person.aliases, 'patient.aliases'),
        createdBy,
      ],
    );
    const id = rows[0].id;
    const keys = matchKeyInputs(person).map((input) => this.cipher.blindIndex(input));
    await tx.query(
      `INSERT INTO patient_match_key (match_key, patient_id, organization_id)
       SELECT k, $2, $3 FROM unnest($1::text[]) AS k ON CONFLICT DO NOTHING`,
      [keys, id, organizationId],
    );
    return id;
  }

  /**
   * The patient with this id, whoever owns it: the service decides whether the caller may see it.
   * A merged record's id answers as the record it was merged into (patient_survivor).
   */
  async findById(tx: Tx, id: string): Promise<Patient | null> {
    const rows: PatientRow[] = await tx.query(`${SELECT} WHERE p.id = patient_survivor($1::uuid)`, [id]);
    return rows.length === 0 ? null : this.toPatient(rows[0]);
  }

  /** One page in registration order, filtered in SQL by the caller's scope. */
  async page(tx: Tx, scope: SqlScope, limit: number, after: [string, string] | null): Promise<{ items: Patient[]; hasNextPage: boolean }> {
    const params: unknown[] = [...scope.params];
    let keyset = '';
    if (after) {
      params.push(after[0], after[1]);
      keyset = ` AND (p.created_at, p.id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
    }
    params.push(limit + 1);
    // A merged record is listed as its survivor only.
    const rows: PatientRow[] = await tx.query(
      `${SELECT} WHERE (${scope.sql})${keyset} AND NOT EXISTS (SELECT 1 FROM patient_merge m WHERE m.merged_id = p.id) ORDER BY p.created_at, p.id LIMIT $${params.length}`,
      params,
    );
    return { items: rows.slice(0, limit).map((row) => this.toPatient(row)), hasNextPage: rows.length > limit };
  }

  /**
   * Patients the scope allows whose blind index is this one (a given name or alias with the
   * family name and date of birth), by organisation and registration: a compliance review.
   */
  async findByMatchKey(tx: Tx, scope: SqlScope, matchKey: string): Promise<Patient[]> {
    const rows: PatientRow[] = await tx.query(
      `${SELECT} WHERE (${scope.sql}) AND p.id IN (SELECT k.patient_id FROM patient_match_key k WHERE k.match_key = $${scope.params.length + 1})
       ORDER BY o.key, p.created_at, p.id`,
      [...scope.params, matchKey],
    );
    return rows.map((row) => this.toPatient(row));
  }

  private toPatient(row: PatientRow): Patient {
    return {
      id: row.id,
      organizationId: row.organization_id,
      organizationKey: row.organization_key,
      givenName: this.cipher.decrypt(row.given_name_enc, 'patient.given_name'),
      familyName: this.cipher.decrypt(row.family_name_enc, 'patient.family_name'),
      dateOfBirth: this.cipher.decrypt(row.date_of_birth_enc, 'patient.date_of_birth'),
      aliases: this.cipher.decryptJson<string[]>(row.aliases_enc, 'patient.aliases'),
      createdAt: row.created_at,
      sortKey: [row.sort_time, row.id],
    };
  }
}
