import { Injectable } from '@nestjs/common';
import { FieldCipher } from '@libs/crypto/field-cipher.js';
import type { Sql } from '@libs/database/sql.js';
import { matchKeyInputs } from './identity-normalizer.js';
import type { NewPatient } from './patient.js';

/**
 * All SQL of keeping a patient's identity right: possible duplicates (shared blind indexes at one
 * provider), corrections (identifiers re-encrypted, match keys rewritten), and merges (recorded,
 * append-only; enrollments and consents follow the survivor; the merged record's match keys go).
 */
@Injectable()
export class PatientIdentityRepository {
  constructor(private readonly cipher: FieldCipher) {}

  /** One provider's registrations, corrections and merges take turns: two desks cannot both miss each other's duplicate. */
  async lockIdentities(db: Sql, organizationId: string): Promise<void> {
    await db.query(`SELECT pg_advisory_xact_lock(hashtext('patient-identity:' || $1::text))`, [organizationId]);
  }

  /** The blind indexes of a person: one per given name and alias, with family name and date of birth. */
  matchKeysOf(person: NewPatient): string[] {
    return matchKeyInputs(person).map((input) => this.cipher.blindIndex(input));
  }

  /**
   * A patient of this provider who may be this person: the same normalised family name and date
   * of birth and a given name or alias in common, which is exactly a shared match key. Merged
   * records have none left. The oldest such record, or null.
   */
  async possibleDuplicate(db: Sql, organizationId: string, matchKeys: string[], except: string | null): Promise<string | null> {
    const rows = await db.query<{ patient_id: string }>(
      `SELECT k.patient_id FROM patient_match_key k JOIN patient p ON p.id = k.patient_id
       WHERE k.organization_id = $1 AND k.match_key = ANY($2::text[]) AND ($3::uuid IS NULL OR k.patient_id <> $3::uuid)
       ORDER BY p.created_at, p.id LIMIT 1`,
      [organizationId, matchKeys, except],
    );
    return rows[0]?.patient_id ?? null;
  }

  /** New identifiers, encrypted, and the match keys rewritten to them: the old name stops matching at once. */
  async correct(db: Sql, patientId: string, organizationId: string, person: NewPatient): Promise<void> {
    await db.query(
      `WITH corrected AS (
         UPDATE patient SET given_name_enc = $2, family_name_enc = $3, date_of_birth_enc = $4, aliases_enc = $5 WHERE id = $1 RETURNING id
       ) SELECT id FROM corrected`,
      [
        patientId,
        this.cipher.encrypt(person.givenName, 'patient.given_name'),
        this.cipher.encrypt(person.familyName, 'patient.family_name'),
        this.cipher.encrypt(person.dateOfBirth, 'patient.date_of_birth'),
        this.cipher.encryptJson(person.aliases, 'patient.aliases'),
      ],
    );
    await this.dropMatchKeys(db, patientId);
    await db.query(
      `INSERT INTO patient_match_key (match_key, patient_id, organization_id)
       SELECT k, $2, $3 FROM unnest($1::text[]) AS k ON CONFLICT DO NOTHING`,
      [this.matchKeysOf(person), patientId, organizationId],
    );
  }

  async dropMatchKeys(db: Sql, patientId: string): Promise<void> {
    await db.query(`WITH dropped AS (DELETE FROM patient_match_key WHERE patient_id = $1 RETURNING patient_id) SELECT count(*) FROM dropped`, [patientId]);
  }

  /**
   * Records that `mergedId` is the same person as `survivorId` (append-only), then moves the merged
   * record's enrollments and consents to the survivor (the consent trigger allows that one change,
   * for a recorded merge only) and drops its match keys. Returns what moved.
   */
  async merge(db: Sql, merge: { survivorId: string; mergedId: string; organizationId: string; mergedBy: string }): Promise<{ enrollmentIds: string[]; consentIds: string[] }> {
    await db.query(`INSERT INTO patient_merge (merged_id, survivor_id, organization_id, merged_by) VALUES ($1, $2, $3, $4)`, [
      merge.mergedId,
      merge.survivorId,
      merge.organizationId,
      merge.mergedBy,
    ]);
    const enrollments = await db.query<{ id: string }>(
      `WITH moved AS (UPDATE enrollment SET patient_id = $2 WHERE patient_id = $1 RETURNING id) SELECT id FROM moved ORDER BY id`,
      [merge.mergedId, merge.survivorId],
    );
    const consents = await db.query<{ id: string }>(
      `WITH moved AS (UPDATE consent SET patient_id = $2 WHERE patient_id = $1 RETURNING id) SELECT id FROM moved ORDER BY id`,
      [merge.mergedId, merge.survivorId],
    );
    await this.dropMatchKeys(db, merge.mergedId);
    return { enrollmentIds: enrollments.map((r) => r.id), consentIds: consents.map((r) => r.id) };
  }

  /** Every id that answers as the same record as this one: its survivor first, then everything merged into it. */
  async familyOf(db: Sql, patientId: string): Promise<string[]> {
    const rows = await db.query<{ family: string[] }>(`SELECT patient_family($1::uuid)::text[] AS family`, [patientId]);
    return rows[0].family;
  }

  /** For each of these records, the ids merged into it (transitively), oldest merge first. */
  async mergedInto(db: Sql, patientIds: string[]): Promise<Map<string, string[]>> {
    if (patientIds.length === 0) return new Map();
    const rows = await db.query<{ id: string; family: string[] }>(`SELECT id::text, patient_family(id)::text[] AS family FROM unnest($1::uuid[]) AS id`, [patientIds]);
    return new Map(rows.map((r) => [r.id, r.family.filter((id) => id !== r.id)]));
  }
}
