import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ActivePolicy, ActivePolicySource, PolicyRule } from '@libs/authorization/policy-document.js';
import type { Role } from '@libs/auth/principal.js';
import type { Tx } from '@libs/database/transaction-runner.js';
import { AccessPolicyEntity } from './access-policy.entity.js';

/** All SQL on access_policy. Versions are rows; activating one deactivates the others of its role. */
@Injectable()
export class AccessPolicyRepository implements ActivePolicySource {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async activePolicies(): Promise<ActivePolicy[]> {
    const rows = await this.dataSource.getRepository(AccessPolicyEntity).find({ where: { active: true } });
    return rows.map((row) => ({ role: row.role as Role, version: row.version, rules: row.rules }));
  }

  list(tx: Tx): Promise<AccessPolicyEntity[]> {
    return tx.getRepository(AccessPolicyEntity).find({ order: { role: 'ASC', version: 'DESC' } });
  }

  versionsOf(tx: Tx, role: string): Promise<AccessPolicyEntity[]> {
    return tx.getRepository(AccessPolicyEntity).find({ where: { role }, order: { version: 'DESC' } });
  }

  /** Serialises policy changes across instances for the rest of the transaction. */
  async lockPolicies(tx: Tx): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('access_policy'))`);
  }

  async activate(tx: Tx, role: string, version: number): Promise<void> {
    await tx.query('UPDATE access_policy SET active = false WHERE role = $1 AND active', [role]);
    await tx.query('UPDATE access_policy SET active = true WHERE role = $1 AND version = $2', [role, version]);
  }

  async insertActiveVersion(
    tx: Tx,
    policy: { role: string; rules: PolicyRule[]; contentHash: string; source: 'DEFAULT' | 'PUBLISHED'; publishedBy: string },
  ): Promise<AccessPolicyEntity> {
    await tx.query('UPDATE access_policy SET active = false WHERE role = $1 AND active', [policy.role]);
    const rows: AccessPolicyEntity[] = await tx.query(
      `INSERT INTO access_policy (role, version, rules, content_hash, source, published_by, active)
       VALUES ($1, COALESCE((SELECT max(version) FROM access_policy WHERE role = $1), 0) + 1, $2, $3, $4, $5, true)
       RETURNING id, role, version`,
      [policy.role, JSON.stringify(policy.rules), policy.contentHash, policy.source, policy.publishedBy],
    );
    return rows[0];
  }
}
