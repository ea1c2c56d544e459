import { Global, Module } from '@nestjs/common';
import { AGGREGATOR_CONFIG, loadAggregatorConfig } from './aggregator.config';

/** Provides the validated, frozen {@link AggregatorConfig} to every module. */
@Global()
@Module({
  providers: [{ provide: AGGREGATOR_CONFIG, useFactory: () => loadAggregatorConfig() }],
  exports: [AGGREGATOR_CONFIG],
})
export class ConfigModule {}
