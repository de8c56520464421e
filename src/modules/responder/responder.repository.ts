import { Injectable } from '@nestjs/common';
import { FieldCipher } from '@libs/crypto/field-cipher.js';
import type { ScopedTx, ScopeColumns } from '@libs/database/data-access.js';
import { isUuid, Keyset, type KeysetPage, pageOf } from '@libs/database/sql.js';
import type { ConsentPurpose, DataCategory, RevocationMethod } from '@app/modules/consents/consent.js';
import type { CareTeamContact } from '@app/modules/enrollments/enrollment.js';
import type { Candidate, CandidateEnrollment } from './lookup-decision.js';

/** CANDIDATES_SQL's row. */
interface CandidateRow {
  now: Date;
  patient_id: string | null;
  organization_id: string | null;
  organization_key: string | null;
  organization_name: string | null;
  partnership_id: string | null;
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
 * whatever its outcome, makes the same round trips (C9). A consent counts only while the
 * provider's partnership agreement with the caller's agency is in force at the statement's clock
 * (issue 15, decided here like expiry); `partnership_id` names that agreement for the accounting.
 * A deactivated program's enrollments are read for no one, in an emergency either: its care team
 * is stale (docs/partnerships.md).
 */
export const CANDIDATES_SQL = `
SELECT clock.now, m.patient_id, m.organization_id, o.key AS organization_key, o.name AS organization_name,
  partnership_in_force_agreement(m.organization_id, $2, clock.now) AS partnership_id,
  (SELECT json_agg(json_build_object('id', e.id, 'programName', e.program_name_enc, 'startedOn', to_char(e.started_on, 'YYYY-MM-DD'),
            'careTeam', e.care_team_enc, 'notes', e.engagement_notes_enc) ORDER BY e.started_on, e.id)
     FROM enrollment e WHERE e.patient_id = m.patient_id AND e.status = 'ACTIVE'
       AND (o.deactivated_at IS NULL OR o.deactivated_at > clock.now)) AS enrollments,
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
       AND EXISTS (SELECT 1 FROM consent_recipient mine WHERE mine.consent_id = c.id AND mine.organization_id = $2)
       AND partnership_in_force(m.organization_id, $2, clock.now)) AS consents
FROM (SELECT clock_timestamp() AS now) clock
LEFT JOIN (SELECT DISTINCT k.patient_id, k.organization_id FROM patient_match_key k WHERE k.match_key = $1) m ON true
LEFT JOIN organization o ON o.id = m.organization_id
ORDER BY m.organization_id, m.patient_id`;

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

/** A §2.51(c) record and its notification, as the disclosing program reads them. */
export interface EmergencyRecord {
  id: string;
  /** The audit event of the disclosure (the responder's disclosureId). */
  auditEventId: string;
  patientId: string;
  programKey: string;
  requesterName: string;
  requesterAffiliation: string;
  disclosedBy: string;
  occurredAt: Date;
  natureOfEmergency: string;
  incidentNumber: string;
  disclosedCategories: string[];
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  /** Keyset position, newest first (microsecond time, id). */
  sortKey: [string, string];
}

/** Where each EmergencyDisclosure policy condition lives (and Disclosure's, for the accounting). */
const EMERGENCY_COLUMNS: ScopeColumns = { organizationKey: 'o.key', id: 'a.id' };

/** Newest first. */
const EMERGENCY_ORDER = new Keyset('a.occurred_at', 'a.id', 'uuid', 'DESC');

/** EMERGENCY_SELECT's row: the record with the nature of the emergency still sealed, and its cursor time. */
type EmergencyRecordRow = Omit<EmergencyRecord, 'natureOfEmergency' | 'sortKey'> & { natureOfEmergencyEnc: string; sortTime: string };

const EMERGENCY_SELECT = `SELECT a.id, a.audit_event_id AS "auditEventId", a.patient_id AS "patientId", o.key AS "programKey",
    a.requester_name AS "requesterName", a.requester_affiliation AS "requesterAffiliation", a.disclosed_by AS "disclosedBy",
    a.occurred_at AS "occurredAt", a.nature_of_emergency_enc AS "natureOfEmergencyEnc", a.incident_number AS "incidentNumber",
    a.disclosed_categories AS "disclosedCategories", n.acknowledged_at AS "acknowledgedAt", n.acknowledged_by AS "acknowledgedBy",
    ${EMERGENCY_ORDER.cursorColumn('"sortTime"')}
  FROM emergency_access a
  JOIN emergency_notification n ON n.emergency_access_id = a.id
  JOIN organization o ON o.id = a.program_organization_id`;

export interface NewEmergencyRecord {
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
}

/**
 * All SQL of the responder lookup and of the §2.51 records. The lookup's read is the one read
 * across providers by design: it finds the records matching one blind-indexed identity and the
 * consents naming the caller's organisation, and decideLookup alone says what of it leaves (C9,
 * C10). The §2.51 records are read only where the scope may see them.
 */
@Injectable()
export class ResponderRepository {
  constructor(private readonly cipher: FieldCipher) {}

  /**
   * In one round trip: the database clock and every candidate record for one blind-indexed
   * identity, read whatever the outcome will be (C9).
   */
  async candidates(db: ScopedTx, matchKey: string, callerOrganizationId: string): Promise<{ now: Date; candidates: Candidate[] }> {
    const rows = await db.prepared<CandidateRow>('lookup-candidates', CANDIDATES_SQL, [matchKey, callerOrganizationId]);
    const now = new Date(rows[0].now);
    const candidates = rows
      .filter((row) => row.patient_id !== null)
      .map(
        (row): Candidate => ({
          patientId: row.patient_id!,
          organizationId: row.organization_id!,
          organizationKey: row.organization_key!,
          organizationName: row.organization_name!,
          partnershipAgreementId: row.partnership_id,
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
  async insertEmergencyRecord(db: ScopedTx, record: NewEmergencyRecord): Promise<string> {
    const [{ id }] = await db.query<{ id: string }>(
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
    return id;
  }

  /** One page of the §2.51 records `db` may read, newest first; optionally only unacknowledged ones. */
  async emergencyRecords(db: ScopedTx, limit: number, after: readonly [string, string] | null, pendingOnly: boolean): Promise<KeysetPage<EmergencyRecord>> {
    const scope = db.rowsWhere('EmergencyDisclosure.read', EMERGENCY_COLUMNS);
    const params = [...scope.params];
    const where = [`(${scope.sql})`, EMERGENCY_ORDER.after(after, params), pendingOnly ? 'n.acknowledged_at IS NULL' : null].filter(Boolean);
    const rows = await db.query<EmergencyRecordRow>(`${EMERGENCY_SELECT} WHERE ${where.join(' AND ')} ${EMERGENCY_ORDER.orderAndLimit(limit, params)}`, params);
    const page = pageOf(rows, limit);
    return { items: page.items.map((row) => this.toEmergencyRecord(row)), hasNextPage: page.hasNextPage };
  }

  /** The §2.51 record if `db` may acknowledge it, its notification locked for the rest of the transaction; null otherwise. */
  async emergencyRecordToAcknowledge(db: ScopedTx, id: string): Promise<EmergencyRecord | null> {
    if (!isUuid(id)) return null;
    const scope = db.rowsWhere('EmergencyDisclosure.acknowledge', EMERGENCY_COLUMNS);
    const rows = await db.query<EmergencyRecordRow>(`${EMERGENCY_SELECT} WHERE (${scope.sql}) AND a.id = $${scope.params.length + 1} FOR UPDATE OF n`, [...scope.params, id]);
    return rows.length === 0 ? null : this.toEmergencyRecord(rows[0]);
  }

  /**
   * The nature of the emergency behind each (audit event, patient), decrypted, for the accounting
   * of disclosures: only of programs whose disclosures `db` may read (C19).
   */
  async naturesOfEmergency(db: ScopedTx, auditEventIds: string[]): Promise<Map<string, string>> {
    if (auditEventIds.length === 0) return new Map();
    const scope = db.rowsWhere('Disclosure.read', EMERGENCY_COLUMNS);
    const rows = await db.query<{ audit_event_id: string; patient_id: string; nature_of_emergency_enc: string }>(
      `SELECT a.audit_event_id, a.patient_id, a.nature_of_emergency_enc FROM emergency_access a JOIN organization o ON o.id = a.program_organization_id
       WHERE (${scope.sql}) AND a.audit_event_id = ANY($${scope.params.length + 1}::uuid[])`,
      [...scope.params, auditEventIds],
    );
    return new Map(rows.map((r) => [`${r.audit_event_id}:${r.patient_id}`, this.cipher.decrypt(r.nature_of_emergency_enc, 'emergency_access.nature_of_emergency')]));
  }

  /** Acknowledges a pending notification, as whoever `db` acts for; false when it was acknowledged already. */
  async acknowledge(db: ScopedTx, id: string): Promise<boolean> {
    const rows = await db.query<{ id: string }>(
      `WITH acknowledged AS (
         UPDATE emergency_notification SET acknowledged_at = clock_timestamp(), acknowledged_by = $2
         WHERE emergency_access_id = $1 AND acknowledged_at IS NULL RETURNING id
       ) SELECT id FROM acknowledged`,
      [id, db.auditActor.sub],
    );
    return rows.length === 1;
  }

  private toEmergencyRecord({ natureOfEmergencyEnc, sortTime, ...row }: EmergencyRecordRow): EmergencyRecord {
    return { ...row, natureOfEmergency: this.cipher.decrypt(natureOfEmergencyEnc, 'emergency_access.nature_of_emergency'), sortKey: [sortTime, row.id] };
  }
}
