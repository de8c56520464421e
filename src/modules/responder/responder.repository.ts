import { Injectable } from '@nestjs/common';
import type { SqlScope } from '@libs/authorization/sql-scope.js';
import { FieldCipher } from '@libs/crypto/field-cipher.js';
import { queryPrepared, type Tx } from '@libs/database/transaction-runner.js';
import type { ConsentPurpose, DataCategory, RevocationMethod } from '@app/modules/consents/consent.js';
import type { CareTeamContact } from '@app/modules/enrollments/enrollment.js';
import type { Candidate, CandidateEnrollment } from './lookup-decision.js';

interface CandidateRow {
  now: Date;
  patient_id: string | null;
  organization_id: string | null;
  organization_key: string | null;
  organization_name: string | null;
  enrollments: Array<{ id: string; programName: string; startedOn: string; careTeam: string; notes: string | null }> | null;
  consents: Array<{
    id: string;
    purpose: ConsentPurpose;
    dataCategories: DataCategory[];
    effectiveFrom: string;
    expiresAt: string;
    recordedAt: string;
    acks: [boolean, boolean, boolean];
    recipients: string[];
    revocations: Array<{ id: string; whole: boolean; recipients: string[] | null; method: RevocationMethod; receivedAt: string; recordedAt: string }> | null;
    supersededAt: string | null;
  }> | null;
}

/**
 * One statement fetches everything a lookup may need — the database clock, the matched records,
 * their active enrollments and the consents naming the caller's organisation — so every lookup,
 * whatever its outcome, makes the same round trips (C9).
 */
export const CANDIDATES_SQL = `
SELECT clock.now, m.patient_id, m.organization_id, o.key AS organization_key, o.name AS organization_name,
  (SELECT json_agg(json_build_object('id', e.id, 'programName', e.program_name_enc, 'startedOn', to_char(e.started_on, 'YYYY-MM-DD'),
            'careTeam', e.care_team_enc, 'notes', e.engagement_notes_enc) ORDER BY e.started_on, e.id)
     FROM enrollment e WHERE e.patient_id = m.patient_id AND e.status = 'ACTIVE') AS enrollments,
  (SELECT json_agg(json_build_object(
            'id', c.id, 'purpose', c.purpose, 'dataCategories', c.data_categories,
            'effectiveFrom', c.effective_from, 'expiresAt', c.expires_at, 'recordedAt', c.recorded_at,
            'acks', json_build_array(c.ack_right_to_revoke, c.ack_treatment_not_conditioned, c.ack_redisclosure_restricted),
            'recipients', (SELECT json_agg(cr.organization_id) FROM consent_recipient cr WHERE cr.consent_id = c.id),
            'revocations', (SELECT json_agg(json_build_object('id', r.id, 'whole', r.whole, 'method', r.method,
                               'receivedAt', r.received_at, 'recordedAt', r.recorded_at,
                               'recipients', (SELECT json_agg(rr.organization_id) FROM consent_revocation_recipient rr WHERE rr.revocation_id = r.id)))
                            FROM consent_revocation r WHERE r.consent_id = c.id),
            'supersededAt', (SELECT s.recorded_at FROM consent s WHERE s.supersedes_consent_id = c.id)))
     FROM consent c
     WHERE c.patient_id = m.patient_id
       AND EXISTS (SELECT 1 FROM consent_recipient mine WHERE mine.consent_id = c.id AND mine.organization_id = $2)) AS consents
FROM (SELECT clock_timestamp() AS now) clock
LEFT JOIN (SELECT DISTINCT k.patient_id, k.organization_id FROM patient_match_key k WHERE k.match_key = $1) m ON true
LEFT JOIN organization o ON o.id = m.organization_id
ORDER BY m.organization_id, m.patient_id`;

export interface EmergencyRecordRow {
  id: string;
  audit_event_id: string;
  program_organization_id: string;
  patient_id: string;
  requester_sub: string;
  requester_name: string;
  requester_affiliation: string;
  disclosed_by: string;
  occurred_at: Date;
  nature_of_emergency_enc: string;
  incident_number: string;
  disclosed_categories: string[];
  notification_id: string;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  program_key: string;
}

/**
 * An active enrollment whose encrypted fields are decrypted when first read. decideLookup reads a
 * field only when it discloses it, so a lookup decrypts what it discloses and nothing more (C10),
 * and a matched record that is not disclosed costs no decryption at all (C9: less to time).
 */
function decryptedOnRead(cipher: FieldCipher, sealed: { id: string; programName: string; startedOn: string; careTeam: string; notes: string | null }): CandidateEnrollment {
  const enrollment = { id: sealed.id, startedOn: sealed.startedOn } as CandidateEnrollment;
  const onRead = <K extends keyof CandidateEnrollment>(key: K, decrypt: () => CandidateEnrollment[K]) => {
    let opened: { value: CandidateEnrollment[K] } | undefined;
    Object.defineProperty(enrollment, key, { enumerable: true, get: () => (opened ??= { value: decrypt() }).value });
  };
  onRead('programName', () => cipher.decrypt(sealed.programName, 'enrollment.program_name'));
  onRead('careTeam', () => cipher.decryptJson<CareTeamContact[]>(sealed.careTeam, 'enrollment.care_team'));
  onRead('engagementNotes', () => (sealed.notes === null ? null : cipher.decrypt(sealed.notes, 'enrollment.engagement_notes')));
  return enrollment;
}

export const EMERGENCY_SCOPE_COLUMNS = { organizationKey: 'o.key', id: 'a.id' };

/** All SQL of the responder lookup, its rate limits and the §2.51 records. */
@Injectable()
export class ResponderRepository {
  constructor(private readonly cipher: FieldCipher) {}

  /**
   * In one round trip: the database clock and every candidate record for one blind-indexed
   * identity, read whatever the outcome will be (C9).
   */
  async candidates(tx: Tx, matchKey: string, callerOrganizationId: string): Promise<{ now: Date; candidates: Candidate[] }> {
    const rows = await queryPrepared<CandidateRow>(tx, 'lookup-candidates', CANDIDATES_SQL, [matchKey, callerOrganizationId]);
    const now = new Date(rows[0].now);
    const candidates = rows
      .filter((row) => row.patient_id !== null)
      .map(
        (row): Candidate => ({
          patientId: row.patient_id!,
          organizationId: row.organization_id!,
          organizationKey: row.organization_key!,
          organizationName: row.organization_name!,
          enrollments: (row.enrollments ?? []).map((e) => decryptedOnRead(this.cipher, e)),
          consents: (row.consents ?? []).map((c) => ({
            id: c.id,
            purpose: c.purpose,
            dataCategories: c.dataCategories,
            effectiveFrom: new Date(c.effectiveFrom),
            expiresAt: new Date(c.expiresAt),
            recordedAt: new Date(c.recordedAt),
            acknowledgements: { rightToRevoke: c.acks[0], treatmentNotConditioned: c.acks[1], redisclosureRestricted: c.acks[2] },
            recipientOrganizationIds: c.recipients,
            revocations: (c.revocations ?? []).map((r) => ({
              id: r.id,
              whole: r.whole,
              recipientOrganizationIds: r.recipients ?? [],
              method: r.method,
              receivedAt: new Date(r.receivedAt),
              recordedAt: new Date(r.recordedAt),
              recordedBy: '',
            })),
            supersededAt: c.supersededAt === null ? null : new Date(c.supersededAt),
          })),
        }),
      );
    return { now, candidates };
  }

  /** The §2.51(c) record for one disclosing program, and its notification to that program. */
  async insertEmergencyRecord(
    tx: Tx,
    record: {
      auditEventId: string;
      programOrganizationId: string;
      patientId: string;
      requesterSub: string;
      requesterName: string;
      requesterAffiliation: string;
      requesterOrganizationId: string;
      disclosedBy: string;
      occurredAt: Date;
      natureOfEmergency: string;
      incidentNumber: string;
      disclosedCategories: string[];
    },
  ): Promise<string> {
    const rows: Array<{ id: string }> = await tx.query(
      `WITH record AS (
         INSERT INTO emergency_access (audit_event_id, program_organization_id, patient_id, requester_sub, requester_name,
           requester_affiliation, requester_organization_id, disclosed_by, occurred_at, nature_of_emergency_enc,
           incident_number, disclosed_categories)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id, program_organization_id
       )
       INSERT INTO emergency_notification (emergency_access_id, program_organization_id)
       SELECT id, program_organization_id FROM record RETURNING emergency_access_id AS id`,
      [
        record.auditEventId,
        record.programOrganizationId,
        record.patientId,
        record.requesterSub,
        record.requesterName,
        record.requesterAffiliation,
        record.requesterOrganizationId,
        record.disclosedBy,
        record.occurredAt,
        this.cipher.encrypt(record.natureOfEmergency, 'emergency_access.nature_of_emergency'),
        record.incidentNumber,
        record.disclosedCategories,
      ],
    );
    return rows[0].id;
  }

  /** One program's §2.51 records, newest first, keyset-paged; optionally only unacknowledged ones. */
  async emergencyRecords(
    tx: Tx,
    scope: SqlScope,
    limit: number,
    after: [string, string] | null,
    pendingOnly: boolean,
  ): Promise<{ items: Array<EmergencyRecordRow & { natureOfEmergency: string; sort_time: string }>; hasNextPage: boolean }> {
    const params: unknown[] = [...scope.params];
    let keyset = '';
    if (after) {
      params.push(after[0], after[1]);
      keyset = ` AND (a.occurred_at, a.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
    }
    params.push(limit + 1);
    const rows: Array<EmergencyRecordRow & { sort_time: string }> = await tx.query(
      `SELECT a.*, n.id AS notification_id, n.acknowledged_at, n.acknowledged_by, o.key AS program_key,
         to_char(a.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS sort_time
       FROM emergency_access a
       JOIN emergency_notification n ON n.emergency_access_id = a.id
       JOIN organization o ON o.id = a.program_organization_id
       WHERE (${scope.sql})${keyset}${pendingOnly ? ' AND n.acknowledged_at IS NULL' : ''}
       ORDER BY a.occurred_at DESC, a.id DESC LIMIT $${params.length}`,
      params,
    );
    return {
      items: rows.slice(0, limit).map((row) => ({ ...row, natureOfEmergency: this.cipher.decrypt(row.nature_of_emergency_enc, 'emergency_access.nature_of_emergency') })),
      hasNextPage: rows.length > limit,
    };
  }

  async emergencyRecord(tx: Tx, id: string): Promise<(EmergencyRecordRow & { natureOfEmergency: string }) | null> {
    const rows: EmergencyRecordRow[] = await tx.query(
      `SELECT a.*, n.id AS notification_id, n.acknowledged_at, n.acknowledged_by, o.key AS program_key
       FROM emergency_access a JOIN emergency_notification n ON n.emergency_access_id = a.id
       JOIN organization o ON o.id = a.program_organization_id WHERE a.id = $1 FOR UPDATE OF n`,
      [id],
    );
    return rows.length === 0 ? null : { ...rows[0], natureOfEmergency: this.cipher.decrypt(rows[0].nature_of_emergency_enc, 'emergency_access.nature_of_emergency') };
  }

  /** The nature of the emergency behind each (audit event, patient), decrypted: for the accounting of disclosures. */
  async naturesOfEmergency(tx: Tx, auditEventIds: string[]): Promise<Map<string, string>> {
    if (auditEventIds.length === 0) return new Map();
    const rows: Array<{ audit_event_id: string; patient_id: string; nature_of_emergency_enc: string }> = await tx.query(
      'SELECT audit_event_id, patient_id, nature_of_emergency_enc FROM emergency_access WHERE audit_event_id = ANY($1::uuid[])',
      [auditEventIds],
    );
    return new Map(rows.map((r) => [`${r.audit_event_id}:${r.patient_id}`, this.cipher.decrypt(r.nature_of_emergency_enc, 'emergency_access.nature_of_emergency')]));
  }

  async acknowledge(tx: Tx, id: string, by: string): Promise<boolean> {
    const rows: Array<{ id: string }> = await tx.query(
      `WITH acknowledged AS (
         UPDATE emergency_notification SET acknowledged_at = clock_timestamp(), acknowledged_by = $2
         WHERE emergency_access_id = $1 AND acknowledged_at IS NULL RETURNING id
       ) SELECT id FROM acknowledged`,
      [id, by],
    );
    return rows.length === 1;
  }
}
