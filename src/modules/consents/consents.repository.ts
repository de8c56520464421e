import { Injectable } from '@nestjs/common';
import { FieldCipher } from '@libs/crypto/field-cipher.js';
import type { Permission, ScopedTx, ScopeColumns } from '@libs/database/data-access.js';
import { isUuid } from '@libs/database/sql.js';
import type { Consent, ConsentRevocation, OrganizationRef, RevocationMethod } from './consent.js';

/** Where each Consent policy condition lives. */
const CONSENT_COLUMNS: ScopeColumns = { organizationKey: 'o.key', id: 'c.id' };

/** SELECT's row. */
interface ConsentRow {
  id: string;
  lineage_id: string;
  version: number;
  supersedes_consent_id: string | null;
  patient_id: string;
  organization_id: string;
  organization_key: string;
  organization_name: string;
  purpose: Consent['purpose'];
  data_categories: Consent['dataCategories'];
  effective_from: Date;
  expires_at: Date;
  expiration_event_enc: string | null;
  signer_name_enc: string;
  signer_relationship: Consent['signerRelationship'];
  signed_at: Date;
  ack_right_to_revoke: boolean;
  ack_treatment_not_conditioned: boolean;
  ack_redisclosure_restricted: boolean;
  scope_description_enc: string;
  recorded_at: Date;
  recorded_by: string;
  superseded_by_id: string | null;
  superseded_at: Date | null;
}

const SELECT = `SELECT c.id, c.lineage_id, c.version, c.supersedes_consent_id, c.patient_id, c.organization_id,
    o.key AS organization_key, o.name AS organization_name, c.purpose, c.data_categories, c.effective_from, c.expires_at,
    c.expiration_event_enc, c.signer_name_enc, c.signer_relationship, c.signed_at, c.ack_right_to_revoke,
    c.ack_treatment_not_conditioned, c.ack_redisclosure_restricted, c.scope_description_enc, c.recorded_at, c.recorded_by,
    s.id AS superseded_by_id, s.recorded_at AS superseded_at
  FROM consent c
  JOIN organization o ON o.id = c.organization_id
  LEFT JOIN consent s ON s.supersedes_consent_id = c.id`;

/** RECIPIENTS_SQL's row. */
type RecipientRow = OrganizationRef & { consent_id: string };

const RECIPIENTS_SQL = `SELECT cr.consent_id, o.id, o.key, o.name FROM consent_recipient cr JOIN organization o ON o.id = cr.organization_id
WHERE cr.consent_id = ANY($1::uuid[]) ORDER BY o.name, o.key`;

/** REVOCATIONS_SQL's row: a revocation, and the consent it revokes. */
type RevocationRow = ConsentRevocation & { consentId: string };

const REVOCATIONS_SQL = `SELECT r.id, r.consent_id AS "consentId", r.whole, r.method, r.received_at AS "receivedAt", r.recorded_at AS "recordedAt",
  r.recorded_by AS "recordedBy", COALESCE(array_agg(rr.organization_id) FILTER (WHERE rr.organization_id IS NOT NULL), '{}') AS "recipientOrganizationIds"
FROM consent_revocation r LEFT JOIN consent_revocation_recipient rr ON rr.revocation_id = r.id
WHERE r.consent_id = ANY($1::uuid[]) GROUP BY r.id ORDER BY r.recorded_at`;

/** A consent version as it is inserted: the §2.31(a) elements, its place in the lineage, and the scope in words. */
export type NewConsentRow = Pick<
  Consent,
  | 'version'
  | 'supersedesConsentId'
  | 'patientId'
  | 'purpose'
  | 'dataCategories'
  | 'effectiveFrom'
  | 'expiresAt'
  | 'expirationEvent'
  | 'signerName'
  | 'signerRelationship'
  | 'signedAt'
  | 'acknowledgements'
  | 'scopeDescription'
> & { lineageId: string | null; organizationId: string; recipientOrganizationIds: string[] };

/**
 * All SQL on consent, consent_recipient, consent_revocation and consent_revocation_recipient.
 * Reads reach only the consents the scope may see. The signer's name, the expiry event and the
 * scope in words are ciphertext (C23).
 */
@Injectable()
export class ConsentsRepository {
  constructor(private readonly cipher: FieldCipher) {}

  /** The database's clock: every consent decision uses one clock, whatever the app servers' say. */
  async now(db: ScopedTx): Promise<Date> {
    const [{ now }] = await db.query<{ now: Date }>('SELECT clock_timestamp() AS now');
    return now;
  }

  /** Serialises changes to one consent's versions and revocations for the rest of the transaction. */
  async lockLineage(db: ScopedTx, lineageId: string): Promise<void> {
    await db.query(`SELECT pg_advisory_xact_lock(hashtext('consent:' || $1))`, [lineageId]);
  }

  /** Inserts a consent version and its recipients, recorded by whoever `db` acts for; the caller decided it may. */
  async insert(db: ScopedTx, consent: NewConsentRow): Promise<string> {
    const [{ id }] = await db.query<{ id: string }>(
      `INSERT INTO consent (id, lineage_id, version, supersedes_consent_id, patient_id, organization_id, purpose,
         data_categories, effective_from, expires_at, expiration_event_enc, signer_name_enc, signer_relationship,
         signed_at, ack_right_to_revoke, ack_treatment_not_conditioned, ack_redisclosure_restricted,
         scope_description_enc, recorded_by)
       SELECT g.id, COALESCE($1::uuid, g.id), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18
       FROM (SELECT gen_random_uuid() AS id) g
       RETURNING id`,
      [
        consent.lineageId,
        consent.version,
        consent.supersedesConsentId,
        consent.patientId,
        consent.organizationId,
        consent.purpose,
        consent.dataCategories,
        consent.effectiveFrom,
        consent.expiresAt,
        // "when <name> is discharged from methadone maintenance": encrypted like the signer's name (C23).
        consent.expirationEvent === null ? null : this.cipher.encrypt(consent.expirationEvent, 'consent.expiration_event'),
        this.cipher.encrypt(consent.signerName, 'consent.signer_name'),
        consent.signerRelationship,
        consent.signedAt,
        consent.acknowledgements.rightToRevoke,
        consent.acknowledgements.treatmentNotConditioned,
        consent.acknowledgements.redisclosureRestricted,
        this.cipher.encrypt(consent.scopeDescription, 'consent.scope_description'),
        db.auditActor.sub,
      ],
    );
    await db.query(`INSERT INTO consent_recipient (consent_id, organization_id) SELECT $1, unnest($2::uuid[])`, [id, consent.recipientOrganizationIds]);
    return id;
  }

  /** Inserts a revocation (of the whole consent, or of some recipients), recorded by whoever `db` acts for. */
  async insertRevocation(
    db: ScopedTx,
    revocation: { consentId: string; whole: boolean; recipientOrganizationIds: string[]; method: RevocationMethod; receivedAt: Date },
  ): Promise<string> {
    const [{ id }] = await db.query<{ id: string }>(
      `INSERT INTO consent_revocation (consent_id, whole, method, received_at, recorded_by) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [revocation.consentId, revocation.whole, revocation.method, revocation.receivedAt, db.auditActor.sub],
    );
    if (!revocation.whole) {
      await db.query(
        `INSERT INTO consent_revocation_recipient (revocation_id, consent_id, organization_id) SELECT $1, $2, unnest($3::uuid[])`,
        [id, revocation.consentId, revocation.recipientOrganizationIds],
      );
    }
    return id;
  }

  /** The consent version if `db` may use it for `permission`; null otherwise, exactly as for an unknown id. */
  async findById(db: ScopedTx, id: string, permission: Extract<Permission, 'Consent.read' | 'Consent.update' | 'Consent.revoke'>): Promise<Consent | null> {
    if (!isUuid(id)) return null;
    return (await this.load(db, permission, 'c.id = $', [id]))[0] ?? null;
  }

  /** Every version of every consent of a patient that `db` may read, oldest first. */
  forPatient(db: ScopedTx, patientId: string): Promise<Consent[]> {
    return this.load(db, 'Consent.read', 'c.patient_id = $ ORDER BY c.recorded_at, c.version', [patientId]);
  }

  /** Every version of one consent that `db` may read, oldest first. */
  lineage(db: ScopedTx, lineageId: string): Promise<Consent[]> {
    return this.load(db, 'Consent.read', 'c.lineage_id = $ ORDER BY c.version', [lineageId]);
  }

  /** Consents meeting `condition` (its `$` the one parameter) within the scope, with their recipients and revocations. */
  private async load(db: ScopedTx, permission: Permission, condition: string, params: [unknown]): Promise<Consent[]> {
    const scope = db.rowsWhere(permission, CONSENT_COLUMNS);
    const rows = await db.query<ConsentRow>(`${SELECT} WHERE (${scope.sql}) AND ${condition.replace('$', `$${scope.params.length + 1}`)}`, [...scope.params, ...params]);
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const recipients = await db.query<RecipientRow>(RECIPIENTS_SQL, [ids]);
    const revocations = await db.query<RevocationRow>(REVOCATIONS_SQL, [ids]);
    return rows.map((row) =>
      this.toConsent(
        row,
        recipients.filter((r) => r.consent_id === row.id).map(({ id, key, name }) => ({ id, key, name })),
        revocations.filter((r) => r.consentId === row.id).map(({ consentId: _, ...revocation }) => revocation),
      ),
    );
  }

  private toConsent(row: ConsentRow, recipients: OrganizationRef[], revocations: ConsentRevocation[]): Consent {
    return {
      id: row.id,
      lineageId: row.lineage_id,
      version: row.version,
      supersedesConsentId: row.supersedes_consent_id,
      patientId: row.patient_id,
      disclosingOrganization: { id: row.organization_id, key: row.organization_key, name: row.organization_name },
      recipients,
      purpose: row.purpose,
      dataCategories: row.data_categories,
      effectiveFrom: row.effective_from,
      expiresAt: row.expires_at,
      expirationEvent: row.expiration_event_enc === null ? null : this.cipher.decrypt(row.expiration_event_enc, 'consent.expiration_event'),
      signerName: this.cipher.decrypt(row.signer_name_enc, 'consent.signer_name'),
      signerRelationship: row.signer_relationship,
      signedAt: row.signed_at,
      acknowledgements: {
        rightToRevoke: row.ack_right_to_revoke,
        treatmentNotConditioned: row.ack_treatment_not_conditioned,
        redisclosureRestricted: row.ack_redisclosure_restricted,
      },
      scopeDescription: this.cipher.decrypt(row.scope_description_enc, 'consent.scope_description'),
      recordedAt: row.recorded_at,
      recordedBy: row.recorded_by,
      revocations,
      supersededAt: row.superseded_at,
      supersededByConsentId: row.superseded_by_id,
    };
  }
}
