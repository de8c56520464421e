import { Injectable } from '@nestjs/common';
import type { Permission, ScopedTx, ScopeColumns } from '@libs/database/data-access.js';
import { isUuid } from '@libs/database/sql.js';
import type { PartnershipAgreement, PartnershipKind, PartnershipSide } from './partnership.js';

/**
 * The status of agreement `a` at the statement's clock, built on the one definition of "in
 * force" (partnership_agreement_in_force, migration Partnerships): ended (or a side deactivated:
 * no one's partner, migration DeactivationEndsPartnerships) or expired first, then in force, else proposed (not accepted yet, or not effective yet).
 */
const STATUS_SQL = `CASE
    WHEN a.ended_at IS NOT NULL AND a.ended_at <= clock_timestamp() THEN 'ENDED'
    WHEN EXISTS (SELECT 1 FROM organization side WHERE side.id IN (a.provider_org_id, a.agency_org_id) AND side.deactivated_at <= clock_timestamp()) THEN 'ENDED'
    WHEN a.expires_at IS NOT NULL AND a.expires_at <= clock_timestamp() THEN 'EXPIRED'
    WHEN partnership_agreement_in_force(a, clock_timestamp()) THEN 'IN_FORCE'
    ELSE 'PROPOSED' END`;

/** Where each PartnershipAgreement policy condition lives. */
const PARTNERSHIP_COLUMNS: ScopeColumns = { providerOrganizationKey: 'p.key', agencyOrganizationKey: 'g.key', status: `(${STATUS_SQL})` };

const side = (alias: string) =>
  `json_build_object('id', ${alias}.id, 'key', ${alias}.key, 'name', ${alias}.name, 'kind', ${alias}.kind, 'part2Program', ${alias}.part2_program,
     'agencyType', ${alias}.agency_type, 'createdAt', ${alias}.created_at, 'createdBy', ${alias}.created_by,
     'deactivatedAt', ${alias}.deactivated_at)`;

const SELECT = `SELECT a.id, a.kind, ${STATUS_SQL} AS status, ${side('p')} AS provider, ${side('g')} AS agency,
    a.effective_from AS "effectiveFrom", a.expires_at AS "expiresAt", a.document_reference AS "documentReference",
    a.document_sha256 AS "documentSha256", a.signatories, a.proposed_by_org_id AS "proposedByOrganizationId",
    a.proposed_at AS "proposedAt", a.accepted_at AS "acceptedAt", a.ended_at AS "endedAt"
  FROM partnership_agreement a
  JOIN organization p ON p.id = a.provider_org_id
  JOIN organization g ON g.id = a.agency_org_id`;

type Row = Omit<PartnershipAgreement, 'provider' | 'agency'> & { provider: PartnershipSide & { createdAt: string; deactivatedAt: string | null }; agency: PartnershipSide & { createdAt: string; deactivatedAt: string | null } };

export interface NewPartnership {
  providerOrganizationId: string;
  agencyOrganizationId: string;
  proposedByOrganizationId: string;
  kind: PartnershipKind;
  effectiveFrom: Date;
  expiresAt: Date | null;
  documentReference: string;
  documentSha256: string;
  signatories: string[];
}

/**
 * All SQL on partnership_agreement. Every read of an agreement is filtered by the caller's
 * PartnershipAgreement scope (a side their organisation is on); the gate questions
 * (`agenciesNotInForce`) read across agreements by design, as the service's own rule, and answer
 * only about the pair asked (house rule 5).
 */
@Injectable()
export class PartnershipsRepository {
  /** The database clock, which decides every agreement's status. */
  async now(db: ScopedTx): Promise<Date> {
    const [{ now }] = await db.query<{ now: Date }>('SELECT clock_timestamp() AS now');
    return new Date(now);
  }

  async insert(db: ScopedTx, row: NewPartnership): Promise<string> {
    const [{ id }] = await db.query<{ id: string }>(
      `INSERT INTO partnership_agreement (provider_org_id, agency_org_id, kind, effective_from, expires_at, document_reference,
         document_sha256, signatories, proposed_by_org_id, proposed_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [
        row.providerOrganizationId,
        row.agencyOrganizationId,
        row.kind,
        row.effectiveFrom,
        row.expiresAt,
        row.documentReference,
        row.documentSha256,
        row.signatories,
        row.proposedByOrganizationId,
        db.auditActor.sub,
      ],
    );
    return id;
  }

  /** The agreement if `db` may act on it with `permission`, locked for the rest of the transaction when `lock`; null otherwise, as for an unknown id. */
  async findById(db: ScopedTx, id: string, permission: Permission, lock = false): Promise<PartnershipAgreement | null> {
    if (!isUuid(id)) return null;
    const scope = db.rowsWhere(permission, PARTNERSHIP_COLUMNS);
    const rows = await db.query<Row>(`${SELECT} WHERE (${scope.sql}) AND a.id = $${scope.params.length + 1}${lock ? ' FOR UPDATE OF a' : ''}`, [...scope.params, id]);
    return rows.length === 0 ? null : toAgreement(rows[0]);
  }

  /** Every agreement `db` may read, newest proposal first. */
  async list(db: ScopedTx): Promise<PartnershipAgreement[]> {
    const scope = db.rowsWhere('PartnershipAgreement.read', PARTNERSHIP_COLUMNS);
    const rows = await db.query<Row>(`${SELECT} WHERE (${scope.sql}) ORDER BY a.proposed_at DESC, a.id`, scope.params);
    return rows.map(toAgreement);
  }

  /** Accepts a proposal that is neither accepted nor ended, as whoever `db` acts for; false otherwise. */
  async accept(db: ScopedTx, id: string): Promise<boolean> {
    const rows = await db.query<{ id: string }>(
      // A CTE: TypeORM answers a bare UPDATE with a count, not its rows.
      `WITH accepted AS (
         UPDATE partnership_agreement SET accepted_by = $2, accepted_at = clock_timestamp()
         WHERE id = $1 AND accepted_at IS NULL AND ended_at IS NULL RETURNING id
       ) SELECT id FROM accepted`,
      [id, db.auditActor.sub],
    );
    return rows.length === 1;
  }

  /** Ends an agreement not ended yet, at once (statement clock), as whoever `db` acts for; false when it was ended already. */
  async end(db: ScopedTx, id: string): Promise<boolean> {
    const rows = await db.query<{ id: string }>(
      `WITH ended AS (
         UPDATE partnership_agreement SET ended_by = $2, ended_at = clock_timestamp() WHERE id = $1 AND ended_at IS NULL RETURNING id
       ) SELECT id FROM ended`,
      [id, db.auditActor.sub],
    );
    return rows.length === 1;
  }

  /**
   * Of `agencyIds`, those with no agreement in force with the provider right now (statement
   * clock, partnership_in_force): what a consent may not name.
   */
  async agenciesNotInForce(db: ScopedTx, providerOrganizationId: string, agencyIds: string[]): Promise<string[]> {
    if (agencyIds.length === 0) return [];
    const rows = await db.query<{ id: string }>(
      `SELECT agency.id FROM unnest($2::uuid[]) AS agency(id) WHERE NOT partnership_in_force($1, agency.id, clock_timestamp())`,
      [providerOrganizationId, agencyIds],
    );
    return rows.map((r) => r.id);
  }
}

function toAgreement(row: Row): PartnershipAgreement {
  const sideOf = (s: Row['provider']): PartnershipSide => ({ ...s, createdAt: new Date(s.createdAt), deactivatedAt: s.deactivatedAt === null ? null : new Date(s.deactivatedAt) });
  return { ...row, provider: sideOf(row.provider), agency: sideOf(row.agency) };
}
