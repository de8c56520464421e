import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { resilientPoolOptions } from './resilient-client.js';
import { DataAccess } from './data-access.js';
import { TransactionRunner } from './transaction-runner.js';

export interface DatabaseModuleOptions {
  url: string;
  entities: Function[];
  poolSize?: number;
}

/** TypeORM over PostgreSQL. The schema changes only through migrations/ (never `synchronize`). */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseModuleOptions): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRoot({
          type: 'postgres',
          url: options.url,
          entities: options.entities,
          synchronize: false,
          migrationsRun: false,
          logging: false,
          // A failover or restart costs the requests in flight, never the process: every client
          // listens for its own errors (ResilientPgClient, which logs them); the pool drops a
          // broken idle client and opens a fresh one on the next request.
          poolErrorHandler: () => undefined,
          // A request waits at most this long for a connection (a free one, or a new one to a
          // PostgreSQL that does not answer), then fails as UNAVAILABLE instead of queueing.
          connectTimeoutMS: 5_000,
          extra: { max: options.poolSize ?? 20, application_name: 'crisis-link', ...resilientPoolOptions() },
        }),
      ],
      // DataAccess is the one way in to the data; the runner under it is not handed out.
      providers: [TransactionRunner, DataAccess],
      exports: [DataAccess],
    };
  }
}
