import { Controller, Get, Header, Res } from '@nestjs/common';
import { HealthCheckService } from '@nestjs/terminus';
import type { Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { Public } from '@libs/auth/public.decorator.js';
import { ReadinessIndicators } from '@libs/health/readiness.js';

/** All an anonymous caller learns: up or down, no indicator names, details or timings. */
export interface ReadinessAnswer {
  status: 'ok' | 'error';
}

/**
 * Liveness (the process answers) and readiness (every registered indicator is up: the database,
 * and whatever else registers in ReadinessIndicators), for orchestrators. Terminus runs the
 * indicators; which one is down, and why, goes to the logs, not to the caller.
 */
@Controller('health')
export class HealthController {
  private wasReady = true;

  constructor(
    private readonly health: HealthCheckService,
    private readonly readiness: ReadinessIndicators,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext('Readiness');
  }

  @Public()
  @Get('live')
  @Header('Cache-Control', 'no-store')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Public()
  @Get('ready')
  async ready(@Res({ passthrough: true }) res: Response): Promise<ReadinessAnswer> {
    res.setHeader('Cache-Control', 'no-store');
    const down = await this.downIndicators();
    // Logged when readiness changes, not on every probe of an outage.
    if (down.length > 0 && this.wasReady) this.logger.warn({ down }, 'not ready');
    if (down.length === 0 && !this.wasReady) this.logger.info('ready again');
    this.wasReady = down.length === 0;
    if (down.length === 0) return { status: 'ok' };
    res.status(503);
    return { status: 'error' };
  }

  /** Names of the indicators that are down; all of them when the check itself failed. */
  private async downIndicators(): Promise<string[]> {
    try {
      await this.health.check(this.readiness.all());
      return [];
    } catch (error) {
      // Terminus throws ServiceUnavailableException with { error: { name: {...} } } when an indicator is down.
      const response = (error as { getResponse?: () => unknown }).getResponse?.() as { error?: Record<string, unknown> } | undefined;
      const names = Object.keys(response?.error ?? {});
      return names.length > 0 ? names : this.readiness.names();
    }
  }
}
