import { Injectable } from '@nestjs/common';
import { FieldCipher } from '@libs/crypto/field-cipher.js';
import type { Permission, ScopedTx, ScopeColumns } from '@libs/database/data-access.js';
import { isUuid } from '@libs/database/sql.js';
import type { CareTeamContact, ConfidentialityCode, Enrollment, SensitivityLabel, ServiceType } from './enrollment.js';

/** Where each Enrollment policy condition lives. */
const ENROLLMENT_COLUMNS: ScopeColumns = { organizationKey: 'o.key', id: 'e.id' };

/** SELECT's row: the enrollment with its free text still sealed. */
type EnrollmentRow = Omit<Enrollment, 'programName' | 'careTeam' | 'engagementNotes'> & {
  programNameEnc: string;
  careTeamEnc: string;
  engagementNotesEnc: string | null;
};

const SELECT = `SELECT e.id, e.patient_id AS "patientId", o.key AS "organizationKey", e.program_name_enc AS "programNameEnc",
  e.service_type AS "serviceType", e.status, to_char(e.started_on, 'YYYY-MM-DD') AS "startedOn", to_char(e.ended_on, 'YYYY-MM-DD') AS "endedOn",
  e.care_team_enc AS "careTeamEnc", e.engagement_notes_enc AS "engagementNotesEnc", e.sensitivity_labels AS "sensitivityLabels",
  e.confidentiality, e.created_at AS "createdAt"
  FROM enrollment e JOIN organization o ON o.id = e.organization_id`;

export interface NewEnrollmentRow {
  patientId: string;
  organizationId: string;
  programName: string;
  serviceType: ServiceType;
  startedOn: string;
  careTeam: CareTeamContact[];
  engagementNotes: string | null;
  sensitivityLabels: SensitivityLabel[];
  confidentiality: ConfidentialityCode;
}

/**
 * All SQL on enrollment. Reads reach only the rows the scope may see. Program names, care-team
 * contacts and engagement notes are ciphertext (C23).
 */
@Injectable()
export class EnrollmentsRepository {
  constructor(private readonly cipher: FieldCipher) {}

  /** Inserts an enrollment, recorded by whoever `db` acts for; the caller decided it may. */
  async insert(db: ScopedTx, enrollment: NewEnrollmentRow): Promise<string> {
    const rows = await db.query<{ id: string }>(
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
        db.auditActor.sub,
      ],
    );
    return rows[0].id;
  }

  /** The enrollment if `db` may use it for `permission` (locked for the rest of the transaction when `forUpdate`); null otherwise. */
  async findById(db: ScopedTx, id: string, permission: Extract<Permission, 'Enrollment.read' | 'Enrollment.update'>, forUpdate = false): Promise<Enrollment | null> {
    if (!isUuid(id)) return null;
    const scope = db.rowsWhere(permission, ENROLLMENT_COLUMNS);
    const rows = await db.query<EnrollmentRow>(`${SELECT} WHERE (${scope.sql}) AND e.id = $${scope.params.length + 1}${forUpdate ? ' FOR UPDATE OF e' : ''}`, [...scope.params, id]);
    return rows.length === 0 ? null : this.toEnrollment(rows[0]);
  }

  /** The enrollments of these patients that `db` may read, oldest first. */
  async ofPatients(db: ScopedTx, patientIds: string[]): Promise<Enrollment[]> {
    const scope = db.rowsWhere('Enrollment.read', ENROLLMENT_COLUMNS);
    const rows = await db.query<EnrollmentRow>(
      `${SELECT} WHERE (${scope.sql}) AND e.patient_id = ANY($${scope.params.length + 1}::uuid[]) ORDER BY e.started_on, e.created_at, e.id`,
      [...scope.params, patientIds],
    );
    return rows.map((row) => this.toEnrollment(row));
  }

  /** Ends an active enrollment, as whoever `db` acts for; false when it was no longer active. */
  async end(db: ScopedTx, id: string, endedOn: string): Promise<boolean> {
    const rows = await db.query<{ id: string }>(
      `WITH ended AS (
         UPDATE enrollment SET status = 'ENDED', ended_on = $2, ended_by = $3 WHERE id = $1 AND status = 'ACTIVE' RETURNING id
       ) SELECT id FROM ended`,
      [id, endedOn, db.auditActor.sub],
    );
    return rows.length === 1;
  }

  /** Rewrites what staff may correct: program name, care team, engagement notes (encrypted as on the way in, C23). */
  async correct(db: ScopedTx, id: string, fields: { programName: string; careTeam: CareTeamContact[]; engagementNotes: string | null }): Promise<void> {
    await db.query(
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

  private toEnrollment({ programNameEnc, careTeamEnc, engagementNotesEnc, ...row }: EnrollmentRow): Enrollment {
    return {
      ...row,
      programName: this.cipher.decrypt(programNameEnc, 'enrollment.program_name'),
      careTeam: this.cipher.decryptJson<CareTeamContact[]>(careTeamEnc, 'enrollment.care_team'),
      engagementNotes: engagementNotesEnc === null ? null : this.cipher.decrypt(engagementNotesEnc, 'enrollment.engagement_notes'),
    };
  }
}
