import { appConfigModule } from '@cryptostream/config';
import { aggregatorConfig } from './aggregator.config';

/** Provides the validated, frozen {@link AggregatorConfig} to every module (`@Inject(AGGREGATOR_CONFIG)`). */
export const ConfigModule = appConfigModule(aggregatorConfig);
