import { Controller, Get, OnModuleInit } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { AggregatorMetrics } from '../metrics/aggregator.metrics';
import { KafkaHealthIndicator } from '../consumer/kafka.health';
import { MysqlHealthIndicator } from '../persistence/mysql.health';
import { SchemaRegistryHealthIndicator } from '@cryptostream/schema-registry';

/**
 * The aggregator serves no OpenAPI document: without `swaggerDocumentation: false` terminus loads
 * `@nestjs/swagger` at start-up only to describe these two routes.
 */
const UNDOCUMENTED = { noCache: true, swaggerDocumentation: false };

/** `/health/live`: the process answers. `/health/ready`: Kafka consumes, MySQL answers, the schemas are registered (with a registry). */
@Controller('health')
export class HealthController implements OnModuleInit {
  constructor(
    private readonly health: HealthCheckService,
    private readonly metrics: AggregatorMetrics,
    private readonly kafka: KafkaHealthIndicator,
    private readonly mysql: MysqlHealthIndicator,
    private readonly schemaRegistry: SchemaRegistryHealthIndicator,
  ) {}

  /** `<app>_ready` on /metrics answers what this readiness check answers. */
  onModuleInit(): void {
    this.metrics.ready.probeWith(() => this.ready().then(() => true, () => false));
  }

  @Get('live')
  @HealthCheck(UNDOCUMENTED)
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck(UNDOCUMENTED)
  ready() {
    return this.health.check([() => this.kafka.check(), () => this.mysql.check(), () => this.schemaRegistry.check()]);
  }
}
