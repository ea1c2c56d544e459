import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { ConsumerReadiness } from './consumer-readiness';

/** Kafka is up when the consumer has joined its group and fetches. */
@Injectable()
export class KafkaHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly readiness: ConsumerReadiness,
  ) {}

  check(key = 'kafka'): HealthIndicatorResult {
    const session = this.health.check(key);
    const problem = this.readiness.problem(Date.now());
    return problem ? session.down({ message: problem }) : session.up();
  }
}
