import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { KafkaHealthIndicator } from './kafka.health';
import { SourceHealthIndicator } from './source.health';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly kafka: KafkaHealthIndicator,
    private readonly source: SourceHealthIndicator,
  ) {}

  /** 200 as long as the process answers. */
  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /** 200 when Kafka is connected and the source is live; 503 with the reasons otherwise. */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.kafka.check(), () => this.source.check()]);
  }
}
