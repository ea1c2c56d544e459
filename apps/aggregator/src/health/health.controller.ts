import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { KafkaHealthIndicator } from '../consumer/kafka.health';
import { MysqlHealthIndicator } from '../persistence/mysql.health';

/** `/health/live`: the process answers. `/health/ready`: Kafka consumes and MySQL answers. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly kafka: KafkaHealthIndicator,
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
    return this.health.check([() => this.kafka.check(), () => this.mysql.check()]);
  }
}
