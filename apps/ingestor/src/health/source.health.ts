import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { READY_STATES, TRADE_SOURCE, TradeSource } from '../source/trade-source';

/** Up while the source is live, catching up, replaying or finished. */
@Injectable()
export class SourceHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(TRADE_SOURCE) private readonly source: TradeSource,
  ) {}

  check(key = 'source'): HealthIndicatorResult {
    const { state, detail } = this.source.status();
    const indicator = this.indicators.check(key);
    const data = { source: this.source.name, state, ...(detail === undefined ? {} : { detail }) };
    return READY_STATES.has(state) ? indicator.up(data) : indicator.down({ ...data, message: `source ${this.source.name} is ${state}${detail ? `: ${detail}` : ''}` });
  }
}
