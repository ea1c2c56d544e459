import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { LakeConsumer } from './lake-consumer.service';

/** The archive is up when the lake matches the manifest, the consumer has joined its group and the last commit succeeded. */
@Injectable()
export class ArchiveHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly consumer: LakeConsumer,
  ) {}

  check(key = 'archive'): HealthIndicatorResult {
    const session = this.health.check(key);
    const problem = this.consumer.problem;
    return problem ? session.down({ message: problem }) : session.up();
  }
}
