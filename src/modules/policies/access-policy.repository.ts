import { Injectable } from '@nestjs/common';
import type { ActivePolicy, PolicyRule } from '@libs/authorization/policy-document.js';
import type { Role } from '@libs/auth/principal.js';
import type { ScopedTx } from '@libs/database/data-access.js';
import { AccessPolicyEntity } from './access-policy.entity.js';

/**
 * All SQL on access_policy: reads through TypeORM's API, writes in SQL (the next version number
 * and the one active version per role are decided in the statement). Versions are rows;
 * activating one deactivates the others of its role. Policies hold no patient data: any scope
 * reads them; who may is decided at the edge (`AccessPolicy.read`).
 */
@Injectable()
export class AccessPolicyRepository {
  async activePolicies(db: ScopedTx): Promise<ActivePolicy[]> {
    const rows = await db.manager.getRepository(AccessPolicyEntity).find({ where: { active: true } });
    return rows.map((row) => ({ role: row.role as Role, version: row.version, rules: row.rules }));
  }

  list(db: ScopedTx): Promise<AccessPolicyEntity[]> {
    return db.manager.getRepository(AccessPolicyEntity).find({ order: { role: 'ASC', version: 'DESC' } });
  }

  versionsOf(db: ScopedTx, role: string): Promise<AccessPolicyEntity[]> {
    return db.manager.getRepository(AccessPolicyEntity).find({ where: { role }, order: { version: 'DESC' } });
  }

  /** Serialises policy changes across instances for the rest of the transaction. */
  async lockPolicies(db: ScopedTx): Promise<void> {
    await db.query(`SELECT pg_advisory_xact_lock(hashtext('access_policy'))`);
  }

  async activate(db: ScopedTx, role: string, version: number): Promise<void> {
    await db.query('UPDATE access_policy SET active = false WHERE role = $1 AND active', [role]);
    await db.query('UPDATE access_policy SET active = true WHERE role = $1 AND version = $2', [role, version]);
  }

  /** Inserts the role's next version, active, published by whoever `db` acts for. */
  async insertActiveVersion(db: ScopedTx, policy: { role: string; rules: PolicyRule[]; contentHash: string; source: 'DEFAULT' | 'PUBLISHED' }): Promise<{ id: string; role: string; version: number }> {
    await db.query('UPDATE access_policy SET active = false WHERE role = $1 AND active', [policy.role]);
    const [created] = await db.query<{ id: string; role: string; version: number }>(
      `INSERT INTO access_policy (role, version, rules, content_hash, source, published_by, active)
       VALUES ($1, COALESCE((SELECT max(version) FROM access_policy WHERE role = $1), 0) + 1, $2, $3, $4, $5, true)
       RETURNING id, role, version`,
      [policy.role, JSON.stringify(policy.rules), policy.contentHash, policy.source, db.auditActor.sub],
    );
    return created;
  }
}
