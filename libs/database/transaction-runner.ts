import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/** The transaction a repository call runs in. Repositories take it; services pass it along. */
export type Tx = EntityManager;

/**
 * The one way to open a transaction (CONVENTIONS rule 5). A disclosure and its audit record are
 * written through the same Tx, so they commit together or not at all (C17).
 */
@Injectable()
export class TransactionRunner {
  constructor(private readonly dataSource: DataSource) {}

  /** READ COMMITTED, PostgreSQL's default; naming it would cost a round trip per transaction. */
  run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * One pooled connection with no transaction around it: each statement commits on its own.
   * Only for work whose atomicity lives in single statements (the responder lookup: one read,
   * then one audit append that is its own transaction), where BEGIN and COMMIT would double
   * the round trips of the service's hottest path.
   */
  async autocommit<T>(work: (db: Tx) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.connect();
      return await work(runner.manager);
    } finally {
      await runner.release();
    }
  }
}

/**
 * Runs a hot statement as a named prepared statement on the transaction's connection, so
 * PostgreSQL plans it once per connection instead of on every call (node-postgres otherwise
 * sends unnamed statements, planned each time). For statements whose text never varies.
 */
export async function queryPrepared<T>(tx: Tx, name: string, text: string, params: unknown[]): Promise<T[]> {
  const runner = tx.queryRunner;
  if (!runner) return tx.query(text, params);
  const client = (await runner.connect()) as { query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: T[] }> };
  return (await client.query({ name, text, values: params })).rows;
}
