import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { KafkaBatchServer } from './kafka-batch.server';

/** Kafka is up when the consumer has joined its group and fetches. */
@Injectable()
export class KafkaHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly server: KafkaBatchServer,
  ) {}

  check(key = 'kafka'): HealthIndicatorResult {
    const session = this.health.check(key);
    const problem = this.server.problem;
    return problem ? session.down({ message: problem }) : session.up();
  }
}
