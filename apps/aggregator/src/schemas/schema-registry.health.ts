import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { RegisteredSchemas } from './registered-schemas.service';

/** Up without a registry, or once every schema is registered; down with the reason otherwise. */
@Injectable()
export class SchemaRegistryHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly schemas: RegisteredSchemas,
  ) {}

  check(key = 'schemaRegistry'): HealthIndicatorResult {
    const indicator = this.indicators.check(key);
    const problem = this.schemas.problem;
    return problem === undefined ? indicator.up({ enabled: this.schemas.enabled }) : indicator.down({ message: problem });
  }
}
