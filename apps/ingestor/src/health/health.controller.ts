import { SchemaRegistryHealthIndicator } from '@cryptostream/schema-registry';
import { Controller, Get, OnModuleInit } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { IngestorMetrics } from '../metrics/ingestor.metrics';
import { KafkaHealthIndicator } from './kafka.health';
import { SourceHealthIndicator } from './source.health';

@Controller('health')
export class HealthController implements OnModuleInit {
  constructor(
    private readonly health: HealthCheckService,
    private readonly metrics: IngestorMetrics,
    private readonly kafka: KafkaHealthIndicator,
    private readonly source: SourceHealthIndicator,
    private readonly schemaRegistry: SchemaRegistryHealthIndicator,
  ) {}

  /** `<app>_ready` on /metrics answers what this readiness check answers. */
  onModuleInit(): void {
    this.metrics.ready.probeWith(() => this.ready().then(() => true, () => false));
  }

  /** 200 as long as the process answers. */
  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /** 200 when Kafka is connected, the source is live and the schemas registered (with a registry); 503 with the reasons otherwise. */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.kafka.check(), () => this.source.check(), () => this.schemaRegistry.check()]);
  }
}
