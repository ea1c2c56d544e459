import { TumblingWindowEngine } from '@cryptostream/windowing';
import { Provider } from '@nestjs/common';
import { AGGREGATOR_CONFIG, AggregatorConfig } from '../config/aggregator.config';
import type { WindowEngine } from './partition-windows';

/** Makes a partition's engine, starting from a stored watermark after a restart. */
export type WindowEngineFactory = (initialWatermarkMs: number | null) => WindowEngine;

export const WINDOW_ENGINE_FACTORY = Symbol('WINDOW_ENGINE_FACTORY');

export const windowEngineFactoryProvider: Provider = {
  provide: WINDOW_ENGINE_FACTORY,
  inject: [AGGREGATOR_CONFIG],
  useFactory:
    (config: AggregatorConfig): WindowEngineFactory =>
    (initialWatermarkMs) =>
      new TumblingWindowEngine({
        windowSizeMs: config.windowSizeMs,
        graceMs: config.windowGraceMs,
        latePolicy: 'drop',
        initialWatermarkMs: initialWatermarkMs ?? undefined,
      }),
};
