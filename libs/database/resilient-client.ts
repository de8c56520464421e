import { Logger } from '@nestjs/common';
import pg from 'pg';
import { describeConnectionLoss } from './connection-loss.js';

const logger = new Logger('Database');

/**
 * Logs a lost connection once per client, at warn, with its codes only: never a message, a
 * statement or its parameters (C3).
 */
export function logConnectionLoss(source: string, error: unknown): void {
  logger.warn({ source, ...describeConnectionLoss(error) }, 'database connection lost');
}

/**
 * A node-postgres client that can never take the process down. A client emits `error` when its
 * server goes away (pg_terminate_backend, a restart, a failover), and an `error` event nobody
 * listens to ends the process. The pool and TypeORM listen only part of the time: TypeORM adds
 * its listener a tick after the pool hands the client over, and a backend terminated right as it
 * became ready fails in that tick. This listener is there from construction to the end; the pool
 * still drops the broken client, TypeORM still releases it.
 */
export class ResilientPgClient extends pg.Client {
  private lossLogged = false;

  constructor(config?: string | pg.ClientConfig, source = 'pool') {
    super(config);
    this.on('error', (error: unknown) => {
      if (this.lossLogged) return;
      this.lossLogged = true;
      logConnectionLoss(source, error);
    });
  }
}

/** `extra` for TypeORM's PostgreSQL pool: every client it makes is a ResilientPgClient. */
export function resilientPoolOptions(): { Client: typeof pg.Client } {
  return { Client: ResilientPgClient };
}
