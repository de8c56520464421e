import { Global, Injectable, Module } from '@nestjs/common';
import type { HealthIndicatorFunction } from '@nestjs/terminus';

/**
 * What `/health/ready` checks: every part the instance cannot serve without registers one
 * terminus indicator under its own name (today the database; the audit ledger's sealing state
 * can join it the same way), and the instance is ready only when all of them are up.
 *
 * To add one, import ReadinessModule (global: one registry per application) and register at
 * start, for example in a provider's constructor or onModuleInit:
 *
 *     readiness.register('auditLedger', () => this.health.check('auditLedger').up());
 *
 * An indicator returns `{ [name]: { status: 'up' | 'degraded' | 'down', ...details } }` or
 * throws. Details are for the logs only: an anonymous caller is told up or down, nothing else.
 */
@Injectable()
export class ReadinessIndicators {
  private readonly indicators = new Map<string, HealthIndicatorFunction>();

  register(name: string, indicator: HealthIndicatorFunction): void {
    if (this.indicators.has(name)) throw new Error(`readiness indicator "${name}" is registered twice`);
    this.indicators.set(name, indicator);
  }

  names(): string[] {
    return [...this.indicators.keys()];
  }

  all(): HealthIndicatorFunction[] {
    return [...this.indicators.values()];
  }
}

@Global()
@Module({ providers: [ReadinessIndicators], exports: [ReadinessIndicators] })
export class ReadinessModule {}
