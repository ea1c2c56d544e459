import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { ArchiveHealthIndicator } from '../consumer/archive.health';
import { MysqlHealthIndicator } from '../persistence/mysql.health';

/** `/health/live`: the process answers. `/health/ready`: the archive consumes and commits, MySQL answers. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly archive: ArchiveHealthIndicator,
    private readonly mysql: MysqlHealthIndicator,
  ) {}

  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.archive.check(), () => this.mysql.check()]);
  }
}
