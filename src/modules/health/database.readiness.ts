import { Injectable, type OnModuleInit } from '@nestjs/common';
import { TypeOrmHealthIndicator } from '@nestjs/terminus';
import { ReadinessIndicators } from '@libs/health/readiness.js';

/** Up when PostgreSQL answers `SELECT 1` through the service's own pool within 2 s. */
@Injectable()
export class DatabaseReadiness implements OnModuleInit {
  constructor(
    private readonly readiness: ReadinessIndicators,
    private readonly typeorm: TypeOrmHealthIndicator,
  ) {}

  onModuleInit(): void {
    this.readiness.register('database', () => this.typeorm.pingCheck('database').withTimeout(2000));
  }
}
