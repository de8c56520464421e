import { Injectable } from '@nestjs/common';
import { FieldCipher } from '@libs/crypto/field-cipher.js';
import type { Tx } from '@libs/database/transaction-runner.js';
import type { Consent, ConsentPurpose, ConsentRevocation, DataCategory, OrganizationRef, RevocationMethod, SignerRelationship } from './consent.js';

interface ConsentRow {
  id: string;
  lineage_id: string;
  version: number;
  supersedes_consent_id: string | null;
  patient_id: string;
  organization_id: string;
  organization_key: string;
  organization_name: string;
  purpose: ConsentPurpose;
  data_categories: DataCategory[];
  effective_from: Date;
  expires_at: Date;
  expiration_event_enc: string | null;
  signer_name_enc: string;
  signer_relationship: SignerRelationship;
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

export interface NewConsentRow {
  lineageId: string | null;
  version: number;
  supersedesConsentId: string | null;
  patientId: string;
  organizationId: string;
  recipientOrganizationIds: string[];
  purpose: ConsentPurpose;
  dataCategories: DataCategory[];
  effectiveFrom: Date;
  expiresAt: Date;
  expirationEvent: string | null;
  signerName: string;
  signerRelationship: SignerRelationship;
  signedAt: Date;
  acknowledgements: { rightToRevoke: boolean; treatmentNotConditioned: boolean; redisclosureRestricted: boolean };
  scopeDescription: string;
  recordedBy: string;
}

const SELECT = `SELECT c.*, o.key AS organization_key, o.name AS organization_name,
    s.id AS superseded_by_id, s.recorded_at AS superseded_at
  FROM consent c
  JOIN organization o ON o.id = c.organization_id
  LEFT JOIN consent s ON s.supersedes_consent_id = c.id`;

/**
 * All SQL on consent, consent_recipient, consent_revocation and consent_revocation_recipient.
 * The signer's name, the expiry event and the scope in words are ciphertext (C23).
 */
@Injectable()
export class ConsentsRepository {
  constructor(private readonly cipher: FieldCipher) {}

  /** The database's clock: every consent decision uses one clock, whatever the app servers' say. */
  async now(tx: Tx): Promise<Date> {
    const rows: Array<{ now: Date }> = await tx.query('SELECT clock_timestamp() AS now');
    return rows[0].now;
  }

  /** Serialises changes to one consent's versions and revocations. */
  async lockLineage(tx: Tx, lineageId: string): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('consent:' || $1))`, [lineageId]);
  }

  async insert(tx: Tx, consent: NewConsentRow): Promise<string> {
    const rows: Array<{ id: string }> = await tx.query(
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
        consent.recordedBy,
      ],
    );
    const id = rows[0].id;
    await tx.query(
      `INSERT INTO consent_recipient (consent_id, organization_id) SELECT $1, unnest($2::uuid[])`,
      [id, consent.recipientOrganizationIds],
    );
    return id;
  }

  async insertRevocation(
    tx: Tx,
    revocation: { consentId: string; whole: boolean; recipientOrganizationIds: string[]; method: RevocationMethod; receivedAt: Date; recordedBy: string },
  ): Promise<string> {
    const rows: Array<{ id: string }> = await tx.query(
      `INSERT INTO consent_revocation (consent_id, whole, method, received_at, recorded_by) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [revocation.consentId, revocation.whole, revocation.method, revocation.receivedAt, revocation.recordedBy],
    );
    if (!revocation.whole) {
      await tx.query(
        `INSERT INTO consent_revocation_recipient (revocation_id, consent_id, organization_id) SELECT $1, $2, unnest($3::uuid[])`,
        [rows[0].id, revocation.consentId, revocation.recipientOrganizationIds],
      );
    }
    return rows[0].id;
  }

  async findById(tx: Tx, id: string): Promise<Consent | null> {
    return (await this.load(tx, `${SELECT} WHERE c.id = $1`, [id]))[0] ?? null;
  }

  /** Every version of every consent of a patient, oldest first. */
  forPatient(tx: Tx, patientId: string): Promise<Consent[]> {
    return this.load(tx, `${SELECT} WHERE c.patient_id = $1 ORDER BY c.recorded_at, c.version`, [patientId]);
  }

  /** Every version of one consent, oldest first. */
  lineage(tx: Tx, lineageId: string): Promise<Consent[]> {
    return this.load(tx, `${SELECT} WHERE c.lineage_id = $1 ORDER BY c.version`, [lineageId]);
  }

  private async load(tx: Tx, query: string, params: unknown[]): Promise<Consent[]> {
    const rows: ConsentRow[] = await tx.query(query, params);
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const recipients: Array<OrganizationRef & { consent_id: string }> = await tx.query(
      `SELECT cr.consent_id, o.id, o.key, o.name FROM consent_recipient cr JOIN organization o ON o.id = cr.organization_id
       WHERE cr.consent_id = ANY($1::uuid[]) ORDER BY o.name, o.key`,
      [ids],
    );
    const revocations: Array<{
      id: string;
      consent_id: string;
      whole: boolean;
      method: RevocationMethod;
      received_at: Date;
      recorded_at: Date;
      recorded_by: string;
      recipients: string[];
    }> = await tx.query(
      `SELECT r.id, r.consent_id, r.whole, r.method, r.received_at, r.recorded_at, r.recorded_by,
         COALESCE(array_agg(rr.organization_id) FILTER (WHERE rr.organization_id IS NOT NULL), '{}') AS recipients
       FROM consent_revocation r LEFT JOIN consent_revocation_recipient rr ON rr.revocation_id = r.id
       WHERE r.consent_id = ANY($1::uuid[]) GROUP BY r.id ORDER BY r.recorded_at`,
      [ids],
    );
    return rows.map((row) => ({
      id: row.id,
      lineageId: row.lineage_id,
      version: row.version,
      supersedesConsentId: row.supersedes_consent_id,
      patientId: row.patient_id,
      disclosingOrganization: { id: row.organization_id, key: row.organization_key, name: row.organization_name },
      recipients: recipients.filter((r) => r.consent_id === row.id).map(({ id, key, name }) => ({ id, key, name })),
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
      revocations: revocations
        .filter((r) => r.consent_id === row.id)
        .map(
          (r): ConsentRevocation => ({
            id: r.id,
            whole: r.whole,
            recipientOrganizationIds: r.recipients,
            method: r.method,
            receivedAt: r.received_at,
            recordedAt: r.recorded_at,
            recordedBy: r.recorded_by,
          }),
        ),
      supersededAt: row.superseded_at,
      supersededByConsentId: row.superseded_by_id,
    }));
  }
}
