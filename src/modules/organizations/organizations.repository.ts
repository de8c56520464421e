import { Injectable } from '@nestjs/common';
import type { AgencyType, OrganizationKind } from '@libs/auth/principal.js';
import type { Permission, ScopeColumns, ScopedTx } from '@libs/database/data-access.js';
import { IsNull } from 'typeorm';
import { OrganizationEntity } from './organization.entity.js';

/** The policy's condition fields on Organization (vocabulary.ts) and the columns that hold them. */
const ORGANIZATION_COLUMNS: ScopeColumns = { id: 'o.id', key: 'o.key', name: 'o.name', kind: 'o.kind', part2Program: 'o.part2_program' };

/**
 * All SQL on organization, through TypeORM's API but for the insert. The organisations are the
 * service's directory (keys, names, kinds: never patient data), read unscoped by any scope; who
 * may list them is decided at the edge (`Organization.read`).
 */
@Injectable()
export class OrganizationsRepository {
  /** Serialises the work that `purpose` names (the demo seed) across instances, for the rest of the transaction. */
  async lockDirectory(db: ScopedTx, purpose: string): Promise<void> {
    await db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [purpose]);
  }

  findByKey(db: ScopedTx, key: string): Promise<OrganizationEntity | null> {
    return db.manager.getRepository(OrganizationEntity).findOne({ where: { key } });
  }

  findByKeys(db: ScopedTx, keys: string[]): Promise<OrganizationEntity[]> {
    return db.manager.getRepository(OrganizationEntity).createQueryBuilder('o').where('o.key = ANY(:keys)', { keys }).getMany();
  }

  findById(db: ScopedTx, id: string): Promise<OrganizationEntity | null> {
    return db.manager.getRepository(OrganizationEntity).findOne({ where: { id } });
  }

  list(db: ScopedTx): Promise<OrganizationEntity[]> {
    return db.manager.getRepository(OrganizationEntity).find({ order: { name: 'ASC', key: 'ASC' } });
  }

  /**
   * Inserts unless the key is taken, created by whoever `db` acts for; null when it is taken.
   * Raw SQL: TypeORM's insert cannot say ON CONFLICT DO NOTHING without an error that would
   * abort the transaction.
   */
  async insert(
    db: ScopedTx,
    organization: { key: string; name: string; kind: OrganizationKind; part2Program: boolean; agencyType?: AgencyType | null },
  ): Promise<OrganizationEntity | null> {
    // A responder agency without a type gets OTHER from the database (trigger); other kinds none.
    const rows = await db.query<{ id: string }>(
      `INSERT INTO organization (key, name, kind, part2_program, created_by, agency_type) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (key) DO NOTHING RETURNING id`,
      [organization.key, organization.name, organization.kind, organization.part2Program, db.auditActor.sub, organization.agencyType ?? null],
    );
    return rows.length === 0 ? null : this.findById(db, rows[0].id);
  }

  /**
   * The responder agencies with a partnership agreement in force with `providerOrganizationId`
   * right now (partnership_in_force, statement clock), by name: the agencies its consents may name.
   */
  agenciesInForceWith(db: ScopedTx, providerOrganizationId: string): Promise<OrganizationEntity[]> {
    return db.manager
      .getRepository(OrganizationEntity)
      .createQueryBuilder('o')
      .where(`o.kind = 'RESPONDER_AGENCY'`)
      .andWhere('o.deactivated_at IS NULL')
      .andWhere('partnership_in_force(:provider, o.id, clock_timestamp())', { provider: providerOrganizationId })
      .orderBy('o.name', 'ASC')
      .addOrderBy('o.key', 'ASC')
      .getMany();
  }

  /**
   * Renames an active organisation the scope may update (`Organization.update`, its conditions in
   * SQL); null when there is no such row: unknown, outside the policy, or deactivated.
   */
  async rename(db: ScopedTx, key: string, name: string): Promise<OrganizationEntity | null> {
    return this.updateActive(db, 'Organization.update', key, 'name = $1', [name]);
  }

  /**
   * Changes the type of an active responder agency the scope may update (`Organization.update`);
   * null when there is no such row. The database keeps types to agencies alone.
   */
  async changeAgencyType(db: ScopedTx, key: string, agencyType: AgencyType): Promise<OrganizationEntity | null> {
    return this.updateActive(db, 'Organization.update', key, 'agency_type = $1', [agencyType]);
  }

  /**
   * The agreements of `organizationId` in force now (partnership_agreement_in_force, statement
   * clock) and the organisation on their other side: what deactivating it ends.
   */
  agreementsInForceOf(db: ScopedTx, organizationId: string): Promise<Array<{ agreementId: string; counterpartKey: string }>> {
    return db.query<{ agreementId: string; counterpartKey: string }>(
      `SELECT a.id AS "agreementId", other.key AS "counterpartKey"
         FROM partnership_agreement a
         JOIN organization other ON other.id = CASE WHEN a.provider_org_id = $1 THEN a.agency_org_id ELSE a.provider_org_id END
        WHERE (a.provider_org_id = $1 OR a.agency_org_id = $1) AND partnership_agreement_in_force(a, clock_timestamp())
        ORDER BY a.accepted_at, a.id`,
      [organizationId],
    );
  }

  /**
   * Deactivates an active organisation the scope may deactivate (`Organization.deactivate`), by
   * whoever `db` acts for; null when there is no such row (unknown, outside the policy, or
   * deactivated already: two admins at once, one wins).
   */
  async deactivate(db: ScopedTx, key: string): Promise<OrganizationEntity | null> {
    return this.updateActive(db, 'Organization.deactivate', key, 'deactivated_at = clock_timestamp(), deactivated_by = $1', [db.auditActor.sub]);
  }

  private async updateActive(db: ScopedTx, permission: Permission, key: string, set: string, values: unknown[]): Promise<OrganizationEntity | null> {
    const scope = db.rowsWhere(permission, ORGANIZATION_COLUMNS, values.length);
    // Wrapped in a SELECT: TypeORM answers a bare UPDATE with [rows, count] instead of the rows.
    const rows = await db.query<{ id: string }>(
      `WITH changed AS (
         UPDATE organization o SET ${set}
         WHERE o.key = $${values.length + 1 + scope.params.length} AND o.deactivated_at IS NULL AND (${scope.sql})
         RETURNING o.id)
       SELECT id FROM changed`,
      [...values, ...scope.params, key],
    );
    return rows.length === 0 ? null : this.findById(db, rows[0].id);
  }

  /** Active organisations of one kind, by name: the responder agencies a new consent may name. */
  listActiveOfKind(db: ScopedTx, kind: OrganizationKind): Promise<OrganizationEntity[]> {
    return db.manager.getRepository(OrganizationEntity).find({ where: { kind, deactivatedAt: IsNull() }, order: { name: 'ASC', key: 'ASC' } });
  }

  /** Organisations of one kind, by name (the directory of responder agencies). */
  listOfKind(db: ScopedTx, kind: OrganizationKind): Promise<OrganizationEntity[]> {
    return db.manager.getRepository(OrganizationEntity).find({ where: { kind }, order: { name: 'ASC', key: 'ASC' } });
  }
}
