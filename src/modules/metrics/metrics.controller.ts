import { Controller, Get, Header } from '@nestjs/common';
import { Public } from '@libs/auth/public.decorator.js';
import { MetricsService } from './metrics.service.js';

/**
 * Prometheus text exposition for scrapers. Public on purpose: it carries counts, ages and flags
 * of the service's own machinery only — no label values, no ids, nothing about a person (C3) —
 * so that a scraper needs no token. Keep it off the public internet at the ingress anyway
 * (docs/operations.md).
 */
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Public()
  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  exposition(): Promise<string> {
    return this.metrics.exposition();
  }
}
