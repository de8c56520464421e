import { Injectable } from '@nestjs/common';
import type { SqlScope } from '@libs/authorization/sql-scope.js';
import { FieldCipher } from '@libs/crypto/field-cipher.js';
import type { Tx } from '@libs/database/transaction-runner.js';
import type { CareTeamContact, ConfidentialityCode, Enrollment, SensitivityLabel, ServiceType } from './enrollment.js';

interface EnrollmentRow {
  id: string;
  patient_id: string;
  organization_key: string;
  program_name_enc: string;
  service_type: ServiceType;
  status: 'ACTIVE' | 'ENDED';
  started_on: string;
  ended_on: string | null;
  care_team_enc: string;
  engagement_notes_enc: string | null;
  sensitivity_labels: SensitivityLabel[];
  confidentiality: ConfidentialityCode;
  created_at: Date;
}

export const ENROLLMENT_SCOPE_COLUMNS = { organizationKey: 'o.key', id: 'e.id' };

const SELECT = `SELECT e.id, e.patient_id, o.key AS organization_key, e.program_name_enc, e.service_type, e.status,
  to_char(e.started_on, 'YYYY-MM-DD') AS started_on, to_char(e.ended_on, 'YYYY-MM-DD') AS ended_on,
  e.care_team_enc, e.engagement_notes_enc, e.sensitivity_labels, e.confidentiality, e.created_at
  FROM enrollment e JOIN organization o ON o.id = e.organization_id`;

/** All SQL on enrollment. Program names, care-team contacts and engagement notes are ciphertext (C23). */
@Injectable()
export class EnrollmentsRepository {
  constructor(private readonly cipher: FieldCipher) {}

  async insert(
    tx: Tx,
    enrollment: {
      patientId: string;
      organizationId: string;
      programName: string;
      serviceType: ServiceType;
      startedOn: string;
      careTeam: CareTeamContact[];
      engagementNotes: string | null;
      sensitivityLabels: SensitivityLabel[];
      confidentiality: ConfidentialityCode;
      createdBy: string;
    },
  ): Promise<string> {
    const rows: Array<{ id: string }> = await tx.query(
      `INSERT INTO enrollment (patient_id, organization_id, program_name_enc, service_type, status, started_on,
         care_team_enc, engagement_notes_enc, sensitivity_labels, confidentiality, created_by)
       VALUES ($1, $2, $3, $4, 'ACTIVE', $5, $6, $7, $8, $9, $10) RETURNING id`,
      [
        enrollment.patientId,
        enrollment.organizationId,
        // A program's name can name the treatment ("Methadone maintenance"): PHI with the patient id (C23).
        this.cipher.encrypt(enrollment.programName, 'enrollment.program_name'),
        enrollment.serviceType,
        enrollment.startedOn,
        this.cipher.encryptJson(enrollment.careTeam, 'enrollment.care_team'),
        enrollment.engagementNotes === null ? null : this.cipher.encrypt(enrollment.engagementNotes, 'enrollment.engagement_notes'),
        enrollment.sensitivityLabels,
        enrollment.confidentiality,
        enrollment.createdBy,
      ],
    );
    return rows[0].id;
  }

  async findById(tx: Tx, id: string, forUpdate = false): Promise<Enrollment | null> {
    const rows: EnrollmentRow[] = await tx.query(`${SELECT} WHERE e.id = $1${forUpdate ? ' FOR UPDATE OF e' : ''}`, [id]);
    return rows.length === 0 ? null : this.toEnrollment(rows[0]);
  }

  /** Enrollments of these patients that the caller's scope allows, oldest first. */
  async forPatients(tx: Tx, scope: SqlScope, patientIds: string[]): Promise<Enrollment[]> {
    const params = [...scope.params, patientIds];
    const rows: EnrollmentRow[] = await tx.query(
      `${SELECT} WHERE (${scope.sql}) AND e.patient_id = ANY($${params.length}::uuid[]) ORDER BY e.started_on, e.created_at, e.id`,
      params,
    );
    return rows.map((row) => this.toEnrollment(row));
  }

  /** Every enrollment of a patient the caller has already been authorised for. */
  async ofAuthorizedPatient(tx: Tx, patientId: string): Promise<Enrollment[]> {
    const rows: EnrollmentRow[] = await tx.query(`${SELECT} WHERE e.patient_id = $1 ORDER BY e.started_on, e.created_at, e.id`, [patientId]);
    return rows.map((row) => this.toEnrollment(row));
  }

  /** Ends an active enrollment; false when it was no longer active. */
  async end(tx: Tx, id: string, endedOn: string, endedBy: string): Promise<boolean> {
    const rows: Array<{ id: string }> = await tx.query(
      `WITH ended AS (
         UPDATE enrollment SET status = 'ENDED', ended_on = $2, ended_by = $3 WHERE id = $1 AND status = 'ACTIVE' RETURNING id
       ) SELECT id FROM ended`,
      [id, endedOn, endedBy],
    );
    return rows.length === 1;
  }

  /** Rewrites what staff may correct: program name, care team, engagement notes (encrypted as on the way in, C23). */
  async correct(tx: Tx, id: string, fields: { programName: string; careTeam: CareTeamContact[]; engagementNotes: string | null }): Promise<void> {
    await tx.query(
      `WITH corrected AS (
         UPDATE enrollment SET program_name_enc = $2, care_team_enc = $3, engagement_notes_enc = $4 WHERE id = $1 RETURNING id
       ) SELECT id FROM corrected`,
      [
        id,
        this.cipher.encrypt(fields.programName, 'enrollment.program_name'),
        this.cipher.encryptJson(fields.careTeam, 'enrollment.care_team'),
        fields.engagementNotes === null ? null : this.cipher.encrypt(fields.engagementNotes, 'enrollment.engagement_notes'),
      ],
    );
  }

  private toEnrollment(row: EnrollmentRow): Enrollment {
    return {
      id: row.id,
      patientId: row.patient_id,
      organizationKey: row.organization_key,
      programName: this.cipher.decrypt(row.program_name_enc, 'enrollment.program_name'),
      serviceType: row.service_type,
      status: row.status,
      startedOn: row.started_on,
      endedOn: row.ended_on,
      careTeam: this.cipher.decryptJson<CareTeamContact[]>(row.care_team_enc, 'enrollment.care_team'),
      engagementNotes: row.engagement_notes_enc === null ? null : this.cipher.decrypt(row.engagement_notes_enc, 'enrollment.engagement_notes'),
      sensitivityLabels: row.sensitivity_labels,
      confidentiality: row.confidentiality,
      createdAt: row.created_at,
    };
  }
}
