import { Controller, Get, Header } from '@nestjs/common';
import { ArchiverMetrics } from './archiver.metrics';

/** `GET /metrics` in the Prometheus text format. */
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: ArchiverMetrics) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
