import { SETTLEMENT_MONTHS_AFTER } from './agency-report.js';
import { Injectable } from '@nestjs/common';
import { FieldCipher } from '@libs/crypto/field-cipher.js';
import type { Permission, ScopedTx, ScopeColumns } from '@libs/database/data-access.js';
import { isUuid, Keyset, type KeysetPage, pageOf } from '@libs/database/sql.js';
import type { ConsentPurpose, DataCategory, RevocationMethod } from '@app/modules/consents/consent.js';
import type { NewReferral, OutcomeConsent, Referral, ReferralDeclineReason, ReferralOutcome, ReferralStatus } from './referral.js';

/** Where each Referral (and AgencyReport) policy condition lives. */
const REFERRAL_COLUMNS: ScopeColumns = { agencyOrganizationKey: 'ag.key', providerOrganizationKey: 'pr.key', id: 'r.id' };
const REPORT_COLUMNS: ScopeColumns = { organizationKey: 'ag.key' };

/** Newest first: the queue shows what just came in on top. */
const REFERRAL_ORDER = new Keyset('r.created_at', 'r.id', 'uuid', 'DESC');

type ReferralRow = Omit<Referral, 'givenName' | 'familyName' | 'dateOfBirth' | 'callbackPhone' | 'note' | 'sortKey'> & {
  givenNameEnc: string;
  familyNameEnc: string;
  dateOfBirthEnc: string | null;
  callbackPhoneEnc: string | null;
  noteEnc: string | null;
  sortTime: string;
};

const SELECT = `SELECT r.id, r.agency_org_id AS "agencyOrganizationId", ag.key AS "agencyOrganizationKey", ag.name AS "agencyOrganizationName",
  r.provider_org_id AS "providerOrganizationId", pr.key AS "providerOrganizationKey", pr.name AS "providerOrganizationName",
  r.status, r.reason, r.urgency, r.incident_number AS "incidentNumber",
  r.given_name_enc AS "givenNameEnc", r.family_name_enc AS "familyNameEnc", r.date_of_birth_enc AS "dateOfBirthEnc",
  r.callback_phone_enc AS "callbackPhoneEnc", r.note_enc AS "noteEnc", r.created_at AS "createdAt",
  CASE WHEN r.patient_id IS NULL THEN NULL ELSE patient_survivor(r.patient_id) END AS "patientId",
  r.accepted_at AS "acceptedAt", r.declined_at AS "declinedAt", r.decline_reason AS "declineReason",
  r.outcome, to_char(r.outcome_occurred_on, 'YYYY-MM-DD') AS "outcomeOccurredOn", r.outcome_recorded_at AS "outcomeRecordedAt",
  ${REFERRAL_ORDER.cursorColumn('"sortTime"')}
  FROM referral r JOIN organization ag ON ag.id = r.agency_org_id JOIN organization pr ON pr.id = r.provider_org_id`;

/** What a referral row may be read for. */
export type ReferralPermission = Extract<Permission, 'Referral.read' | 'Referral.accept' | 'Referral.decline' | 'Referral.record-outcome'>;

/** What the outcome decision needs of one referral: the database clock, the agreement, the linked patient's consents naming the agency. */
export interface OutcomeFacts {
  now: Date;
  partnershipInForce: boolean;
  /** The agreement in force now (the latest accepted), named in the disclosure's accounting (C19). */
  partnershipAgreementId: string | null;
  consents: OutcomeConsent[];
}

/** One referral of the agency report: no identifier, no name, only what is counted. */
export interface ReportReferral {
  id: string;
  month: string;
  status: ReferralStatus;
  outcome: ReferralOutcome | null;
  patientId: string | null;
  agencyOrganizationId: string;
  providerOrganizationId: string;
  /** Its month's cut-off (the end of the month after, UTC) has passed by the database clock. */
  settled: boolean;
  acceptedBySettlement: boolean;
  engagedBySettlement: boolean;
}

interface ConsentJson {
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
}

/**
 * All SQL on referral. Reads reach only the referrals the scope may see (the referring agency's,
 * the receiving provider's); the person's identifying fields are ciphertext, bound to their
 * column as associated data (C23). The one read beyond the scope is the outcome decision's: the
 * linked patient's consents that name the referring agency, as the responder lookup reads them.
 */
@Injectable()
export class ReferralsRepository {
  constructor(private readonly cipher: FieldCipher) {}

  /** Inserts a referral from `agencyOrganizationId` to `providerOrganizationId`, made by whoever `db` acts for; the caller decided it may. */
  async insert(db: ScopedTx, agencyOrganizationId: string, providerOrganizationId: string, referral: NewReferral): Promise<string> {
    const sealed = (value: string | null | undefined, column: string) => (value === null || value === undefined ? null : this.cipher.encrypt(value, `referral.${column}`));
    const [{ id }] = await db.query<{ id: string }>(
      `INSERT INTO referral (agency_org_id, provider_org_id, reason, urgency, incident_number, given_name_enc, family_name_enc,
         date_of_birth_enc, callback_phone_enc, note_enc, person_agreed, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
      [
        agencyOrganizationId,
        providerOrganizationId,
        referral.reason,
        referral.urgency,
        referral.incidentNumber,
        sealed(referral.givenName, 'given_name'),
        sealed(referral.familyName, 'family_name'),
        sealed(referral.dateOfBirth, 'date_of_birth'),
        sealed(referral.callbackPhone, 'callback_phone'),
        sealed(referral.note, 'note'),
        referral.personAgreed,
        db.auditActor.sub,
      ],
    );
    return id;
  }

  /** Whether a partnership agreement between the two is in force now, by the database clock (partnership_in_force: the one definition). */
  async partnershipInForce(db: ScopedTx, providerOrganizationId: string, agencyOrganizationId: string): Promise<boolean> {
    const [{ inForce }] = await db.query<{ inForce: boolean }>('SELECT partnership_in_force($1::uuid, $2::uuid, clock_timestamp()) AS "inForce"', [providerOrganizationId, agencyOrganizationId]);
    return inForce;
  }

  /** The treatment providers with an agreement in force with the agency now, by name: where its responders may refer. No patient data. */
  partnerProviders(db: ScopedTx, agencyOrganizationId: string): Promise<Array<{ key: string; name: string }>> {
    return db.query(
      `SELECT o.key, o.name FROM organization o
       WHERE o.kind = 'TREATMENT_PROVIDER' AND partnership_in_force(o.id, $1::uuid, clock_timestamp())
       ORDER BY o.name, o.key`,
      [agencyOrganizationId],
    );
  }

  /**
   * The referral if `db` may use it for `permission`; null otherwise, exactly as for an unknown id.
   * `lock` holds the row for the rest of the transaction (a step decided on its status).
   */
  async findById(db: ScopedTx, id: string, permission: ReferralPermission, lock = false): Promise<Referral | null> {
    if (!isUuid(id)) return null;
    const scope = db.rowsWhere(permission, REFERRAL_COLUMNS);
    const rows = await db.query<ReferralRow>(`${SELECT} WHERE (${scope.sql}) AND r.id = $${scope.params.length + 1}${lock ? ' FOR UPDATE OF r' : ''}`, [...scope.params, id]);
    return rows.length === 0 ? null : this.toReferral(rows[0]);
  }

  /** One page of the referrals `db` may read, newest first; optionally only of these statuses. */
  async page(db: ScopedTx, limit: number, after: readonly [string, string] | null, statuses: readonly ReferralStatus[] | null): Promise<KeysetPage<Referral>> {
    const scope = db.rowsWhere('Referral.read', REFERRAL_COLUMNS);
    const params = [...scope.params];
    const where = [`(${scope.sql})`];
    if (statuses) {
      params.push(statuses);
      where.push(`r.status = ANY($${params.length}::text[])`);
    }
    const keyset = REFERRAL_ORDER.after(after, params);
    if (keyset) where.push(keyset);
    const rows = await db.query<ReferralRow>(`${SELECT} WHERE ${where.join(' AND ')} ${REFERRAL_ORDER.orderAndLimit(limit, params)}`, params);
    const page = pageOf(rows, limit);
    return { items: page.items.map((row) => this.toReferral(row)), hasNextPage: page.hasNextPage };
  }

  /** Accepts a received referral, linking the provider's patient; false when it was not RECEIVED (nothing changed). */
  async accept(db: ScopedTx, id: string, patientId: string): Promise<boolean> {
    return this.transition(db, id, 'RECEIVED', `status = 'ACCEPTED', patient_id = $3, accepted_at = clock_timestamp(), accepted_by = $4`, [patientId, db.auditActor.sub]);
  }

  /** Declines a received referral with a reason; false when it was not RECEIVED. */
  async decline(db: ScopedTx, id: string, reason: ReferralDeclineReason): Promise<boolean> {
    return this.transition(db, id, 'RECEIVED', `status = 'DECLINED', decline_reason = $3, declined_at = clock_timestamp(), declined_by = $4`, [reason, db.auditActor.sub]);
  }

  /** Records the outcome of an accepted referral and closes it; false when it was not ACCEPTED. */
  async recordOutcome(db: ScopedTx, id: string, outcome: ReferralOutcome, occurredOn: string): Promise<boolean> {
    return this.transition(
      db,
      id,
      'ACCEPTED',
      `status = 'CLOSED', outcome = $3, outcome_occurred_on = $4::date, outcome_recorded_at = clock_timestamp(), outcome_recorded_by = $5`,
      [outcome, occurredOn, db.auditActor.sub],
    );
  }

  /**
   * For each referral with a linked patient: the database clock, whether the agreement between
   * its provider and agency is in force now, and the consents of the patient (any record merged
   * into it too) that name the agency. Read whatever the decision will be; outcomeGrant decides.
   */
  async outcomeFacts(db: ScopedTx, referralIds: string[]): Promise<Map<string, OutcomeFacts>> {
    if (referralIds.length === 0) return new Map();
    const rows = await db.query<{ id: string; now: Date; in_force: boolean; agreement_id: string | null; consents: ConsentJson[] | null }>(
      `SELECT r.id, clock.now, partnership_in_force(r.provider_org_id, r.agency_org_id, clock.now) AS in_force,
         partnership_in_force_agreement(r.provider_org_id, r.agency_org_id, clock.now) AS agreement_id,
         (SELECT json_agg(json_build_object(
            'id', c.id, 'purpose', c.purpose, 'dataCategories', c.data_categories,
            'effectiveFrom', c.effective_from, 'expiresAt', c.expires_at, 'recordedAt', c.recorded_at,
            'acks', json_build_array(c.ack_right_to_revoke, c.ack_treatment_not_conditioned, c.ack_redisclosure_restricted),
            'recipients', (SELECT json_agg(cr.organization_id) FROM consent_recipient cr WHERE cr.consent_id = c.id),
            'revocations', (SELECT json_agg(json_build_object('id', v.id, 'whole', v.whole, 'method', v.method,
                               'receivedAt', v.received_at, 'recordedAt', v.recorded_at,
                               'recipients', (SELECT json_agg(vr.organization_id) FROM consent_revocation_recipient vr WHERE vr.revocation_id = v.id)))
                            FROM consent_revocation v WHERE v.consent_id = c.id),
            'supersededAt', (SELECT s.recorded_at FROM consent s WHERE s.supersedes_consent_id = c.id)))
           FROM consent c
          WHERE c.patient_id = ANY(patient_family(r.patient_id)) AND c.organization_id = r.provider_org_id
            AND EXISTS (SELECT 1 FROM consent_recipient mine WHERE mine.consent_id = c.id AND mine.organization_id = r.agency_org_id)) AS consents
       FROM (SELECT clock_timestamp() AS now) clock
       JOIN referral r ON r.id = ANY($1::uuid[]) AND r.patient_id IS NOT NULL`,
      [referralIds],
    );
    return new Map(
      rows.map((row) => [
        row.id,
        {
          now: new Date(row.now),
          partnershipInForce: row.in_force,
          partnershipAgreementId: row.agreement_id,
          consents: (row.consents ?? []).map((c) => ({
            id: c.id,
            purpose: c.purpose,
            dataCategories: c.dataCategories,
            effectiveFrom: new Date(c.effectiveFrom),
            expiresAt: new Date(c.expiresAt),
            recordedAt: new Date(c.recordedAt),
            acknowledgements: { rightToRevoke: c.acks[0], treatmentNotConditioned: c.acks[1], redisclosureRestricted: c.acks[2] },
            recipientOrganizationIds: c.recipients ?? [],
            revocations: (c.revocations ?? []).map((v) => ({
              id: v.id,
              whole: v.whole,
              recipientOrganizationIds: v.recipients ?? [],
              method: v.method,
              receivedAt: new Date(v.receivedAt),
              recordedAt: new Date(v.recordedAt),
              recordedBy: '',
            })),
            supersededAt: c.supersededAt === null ? null : new Date(c.supersededAt),
          })),
        },
      ]),
    );
  }

  /** The agency's referrals made in [from, to) for its report, scoped by `AgencyReport.read`: what is counted, nothing that names anyone. */
  async forReport(db: ScopedTx, from: Date, to: Date): Promise<ReportReferral[]> {
    const scope = db.rowsWhere('AgencyReport.read', REPORT_COLUMNS);
    const n = scope.params.length;
    return db.query<ReportReferral>(
      `SELECT r.id, to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, r.status, r.outcome, r.patient_id AS "patientId",
         r.agency_org_id AS "agencyOrganizationId", r.provider_org_id AS "providerOrganizationId",
         clock_timestamp() >= cut.off AS settled,
         COALESCE(r.accepted_at < cut.off, false) AS "acceptedBySettlement",
         COALESCE(r.outcome = 'ENGAGED' AND r.outcome_recorded_at < cut.off, false) AS "engagedBySettlement"
       FROM referral r JOIN organization ag ON ag.id = r.agency_org_id
       -- The month's cut-off: the first instant (UTC) of the second month after it was made.
       CROSS JOIN LATERAL (SELECT (date_trunc('month', r.created_at AT TIME ZONE 'UTC') + interval '${SETTLEMENT_MONTHS_AFTER + 1} months') AT TIME ZONE 'UTC' AS off) cut
       WHERE (${scope.sql}) AND r.created_at >= $${n + 1} AND r.created_at < $${n + 2}`,
      [...scope.params, from, to],
    );
  }

  private async transition(db: ScopedTx, id: string, from: ReferralStatus, set: string, params: unknown[]): Promise<boolean> {
    const rows = await db.query<{ id: string }>(`WITH changed AS (UPDATE referral SET ${set} WHERE id = $1 AND status = $2 RETURNING id) SELECT id FROM changed`, [id, from, ...params]);
    return rows.length === 1;
  }

  private toReferral({ givenNameEnc, familyNameEnc, dateOfBirthEnc, callbackPhoneEnc, noteEnc, sortTime, ...row }: ReferralRow): Referral {
    const open = (value: string | null, column: string) => (value === null ? null : this.cipher.decrypt(value, `referral.${column}`));
    return {
      ...row,
      givenName: open(givenNameEnc, 'given_name')!,
      familyName: open(familyNameEnc, 'family_name')!,
      dateOfBirth: open(dateOfBirthEnc, 'date_of_birth'),
      callbackPhone: open(callbackPhoneEnc, 'callback_phone'),
      note: open(noteEnc, 'note'),
      sortKey: [sortTime, row.id],
    };
  }
}
