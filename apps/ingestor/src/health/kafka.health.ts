import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { PricePublisher } from '../publisher/price.publisher';

/** Up while the producer is connected and its last send went through. */
@Injectable()
export class KafkaHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly publisher: PricePublisher,
  ) {}

  check(key = 'kafka'): HealthIndicatorResult {
    const state = this.publisher.state();
    const indicator = this.indicators.check(key);
    return state.connected ? indicator.up() : indicator.down({ message: state.reason });
  }
}
