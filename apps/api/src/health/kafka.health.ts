import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { WindowUpdatesReader } from '../live/window-updates.reader';

/** Kafka is up when the window-update reader has joined and reads. */
@Injectable()
export class KafkaHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly reader: WindowUpdatesReader,
  ) {}

  check(key = 'kafka'): HealthIndicatorResult {
    const session = this.health.check(key);
    const problem = this.reader.problem;
    return problem ? session.down({ message: problem }) : session.up();
  }
}
