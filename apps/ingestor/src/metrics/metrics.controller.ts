import { Controller, Get, Header } from '@nestjs/common';
import { IngestorMetrics } from './ingestor.metrics';

@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: IngestorMetrics) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
