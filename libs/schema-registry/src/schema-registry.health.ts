import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { SchemaRegistryStatus } from './schema-registry.status';

/** `schemaRegistry` in `/health/ready`: up without a registry, or once it can be used; down with the reason otherwise. */
@Injectable()
export class SchemaRegistryHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly status: SchemaRegistryStatus,
  ) {}

  check(key = 'schemaRegistry'): HealthIndicatorResult {
    const indicator = this.indicators.check(key);
    const problem = this.status.problem;
    return problem === undefined ? indicator.up({ enabled: this.status.enabled }) : indicator.down({ message: problem });
  }
}
