import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { OrganizationKind } from '@libs/auth/principal.js';
import type { Tx } from '@libs/database/transaction-runner.js';
import { OrganizationEntity } from './organization.entity.js';

/** All SQL on organization. */
@Injectable()
export class OrganizationsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Outside any transaction: authentication looks the caller's organisation up on every request. */
  findByKey(key: string): Promise<OrganizationEntity | null> {
    return this.dataSource.getRepository(OrganizationEntity).findOne({ where: { key } });
  }

  findByKeys(tx: Tx, keys: string[]): Promise<OrganizationEntity[]> {
    return tx.getRepository(OrganizationEntity).createQueryBuilder('o').where('o.key = ANY(:keys)', { keys }).getMany();
  }

  findById(tx: Tx, id: string): Promise<OrganizationEntity | null> {
    return tx.getRepository(OrganizationEntity).findOne({ where: { id } });
  }

  list(tx: Tx): Promise<OrganizationEntity[]> {
    return tx.getRepository(OrganizationEntity).find({ order: { name: 'ASC', key: 'ASC' } });
  }

  /** Inserts unless the key is taken; null when it is (no error aborts the transaction). */
  async insert(
    tx: Tx,
    organization: { key: string; name: string; kind: OrganizationKind; part2Program: boolean; createdBy: string },
  ): Promise<OrganizationEntity | null> {
    const rows: Array<{ id: string }> = await tx.query(
      `INSERT INTO organization (key, name, kind, part2_program, created_by) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (key) DO NOTHING RETURNING id`,
      [organization.key, organization.name, organization.kind, organization.part2Program, organization.createdBy],
    );
    return rows.length === 0 ? null : this.findById(tx, rows[0].id);
  }

  /** Organisations of one kind, by name (the directory of responder agencies). */
  listOfKind(tx: Tx, kind: OrganizationKind): Promise<OrganizationEntity[]> {
    return tx.getRepository(OrganizationEntity).find({ where: { kind }, order: { name: 'ASC', key: 'ASC' } });
  }
}
