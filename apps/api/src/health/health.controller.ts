import { SchemaRegistryHealthIndicator } from '@cryptostream/schema-registry';
import { Controller, Get, OnModuleInit } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { ApiMetrics } from '../metrics/api.metrics';
import { KafkaHealthIndicator } from './kafka.health';
import { MysqlHealthIndicator } from './mysql.health';

/** `/health/live`: the process answers. `/health/ready`: MySQL answers, live updates flow in and (with a registry) their schema ids can be checked. */
@ApiTags('health')
@Controller('health')
export class HealthController implements OnModuleInit {
  constructor(
    private readonly health: HealthCheckService,
    private readonly metrics: ApiMetrics,
    private readonly kafka: KafkaHealthIndicator,
    private readonly mysql: MysqlHealthIndicator,
    private readonly schemaRegistry: SchemaRegistryHealthIndicator,
  ) {}

  /** `<app>_ready` on /metrics answers what this readiness check answers. */
  onModuleInit(): void {
    this.metrics.ready.probeWith(() => this.ready().then(() => true, () => false));
  }

  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.kafka.check(), () => this.mysql.check(), () => this.schemaRegistry.check()]);
  }
}
