import { SchemaRegistryHealthIndicator } from '@cryptostream/schema-registry';
import { Controller, Get, OnModuleInit } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { ArchiverMetrics } from '../metrics/archiver.metrics';
import { ArchiveHealthIndicator } from '../consumer/archive.health';
import { MysqlHealthIndicator } from '../persistence/mysql.health';

/** `/health/live`: the process answers. `/health/ready`: the archive consumes and commits, MySQL answers, (with a registry) schema ids can be checked. */
@Controller('health')
export class HealthController implements OnModuleInit {
  constructor(
    private readonly health: HealthCheckService,
    private readonly metrics: ArchiverMetrics,
    private readonly archive: ArchiveHealthIndicator,
    private readonly mysql: MysqlHealthIndicator,
    private readonly schemaRegistry: SchemaRegistryHealthIndicator,
  ) {}

  /** `archiver_ready` on /metrics answers what this readiness check answers. */
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
    return this.health.check([() => this.archive.check(), () => this.mysql.check(), () => this.schemaRegistry.check()]);
  }
}
