import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ReadinessModule } from '@libs/health/readiness.js';
import { DatabaseReadiness } from './database.readiness.js';
import { HealthController } from './health.controller.js';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), ReadinessModule],
  controllers: [HealthController],
  providers: [DatabaseReadiness],
})
export class HealthModule {}
