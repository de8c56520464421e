import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { describeConnectionLoss, isConnectionLoss } from '@libs/database/connection-loss.js';
import { DataAccess } from '@libs/database/data-access.js';
import { UnavailableError } from '@libs/graphql/errors.js';
import { AuditRepository } from './audit.repository.js';

const MONTHS_AHEAD = 3;
const CHECK_EVERY_MS = 6 * 3600_000;

/**
 * Keeps monthly audit partitions created ahead of time: an append into a month with no partition
 * would fail, and with it the operation (fail-closed, C17).
 */
@Injectable()
export class AuditPartitionMaintainer implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly data: DataAccess,
    private readonly audit: AuditRepository,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext('AuditPartitions');
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.ensure();
    this.timer = setInterval(() => {
      // Partitions are made three months ahead: a round missed in a failover is made up six hours later.
      this.ensure().catch((error: unknown) =>
        error instanceof UnavailableError || isConnectionLoss(error)
          ? this.logger.warn(describeConnectionLoss(error), 'audit partitions not checked: database unavailable')
          : this.logger.error({ err: error }, 'could not create audit partitions'),
      );
    }, CHECK_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async ensure(): Promise<void> {
    const created = await this.data.forSystem('maintainAuditPartitions').transaction((db) => this.audit.ensurePartitions(db, 0, MONTHS_AHEAD));
    if (created > 0) this.logger.info({ created }, 'audit partitions created');
  }
}
