import { Injectable } from '@nestjs/common';
import type { EventEmitter } from 'node:events';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import { UnavailableError } from '@libs/graphql/errors.js';
import { describeConnectionLoss, isConnectionLoss } from './connection-loss.js';
import { logConnectionLoss } from './resilient-client.js';

/**
 * Connections and transactions under DataAccess, which is the only thing that uses it: services
 * and the service's own acts ask DataAccess for a scoped transaction instead. A disclosure and its
 * audit record are written in the same transaction, so they commit together or not at all (C17).
 *
 * A connection lost on the way (failover, restart, pg_terminate_backend) fails the work with
 * UnavailableError: the caller is told to try again and nothing the work read is returned; a
 * commit that may or may not have happened is reported the same way, so a disclosure is never
 * answered without its audit record (C17). The broken client is dropped, not pooled again.
 */
@Injectable()
export class TransactionRunner {
  constructor(private readonly dataSource: DataSource) {}

  /** READ COMMITTED, PostgreSQL's default; naming it would cost a round trip per transaction. */
  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.onConnection(async (runner) => {
      await runner.startTransaction();
      try {
        const result = await work(runner.manager);
        await runner.commitTransaction();
        return result;
      } catch (error) {
        // The first error is the one that counts; a rollback on a lost connection fails too.
        if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
        throw error;
      }
    });
  }

  /**
   * One pooled connection with no transaction around it: each statement commits on its own.
   * Only for work whose atomicity lives in single statements (the responder lookup: one read,
   * then one audit append that is its own transaction), where BEGIN and COMMIT would double
   * the round trips of the service's hottest path. The sealer uses it too, for statements that
   * must run outside any transaction.
   */
  autocommit<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.onConnection((runner) => work(runner.manager));
  }

  private async onConnection<T>(work: (runner: QueryRunner) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    let lost: unknown;
    const onError = (error: unknown) => (lost ??= error);
    let client: EventEmitter | undefined;
    try {
      client = (await runner.connect()) as EventEmitter;
      client.on('error', onError);
      return await work(runner);
    } catch (error) {
      // After a lost connection TypeORM reports "query runner already released" and the like:
      // whatever the work threw then, the cause is the connection.
      if (lost === undefined && !isConnectionLoss(error)) throw error;
      lost ??= error;
      if (!(error instanceof UnavailableError)) logConnectionLoss('operation', lost);
      throw new UnavailableError();
    } finally {
      client?.removeListener('error', onError);
      await releaseRunner(runner, lost);
    }
  }
}

/** Returns the connection to the pool, or, when it was lost, has the pool drop it. */
async function releaseRunner(runner: QueryRunner, lost: unknown): Promise<void> {
  // PostgresQueryRunner's own release-with-error: pg-pool then ends the client instead of pooling it.
  const postgres = runner as QueryRunner & { releasePostgresConnection?: (error?: Error) => Promise<void> };
  if (lost !== undefined && typeof postgres.releasePostgresConnection === 'function') {
    await postgres.releasePostgresConnection(lost instanceof Error ? lost : new Error(String(describeConnectionLoss(lost).code ?? 'connection lost')));
    return;
  }
  await runner.release();
}
