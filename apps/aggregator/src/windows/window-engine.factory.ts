import { MultiSizeWindowEngine, SizeSymbolState } from '@cryptostream/windowing';
import { Provider } from '@nestjs/common';
import { AGGREGATOR_CONFIG, AggregatorConfig } from '../config/aggregator.config';
import type { WindowEngine } from './partition-windows';

/**
 * Makes a partition's engine; after a restart from the stored watermark and the window state
 * stored with it (the open larger windows, the carried closes), with the records before
 * `replayUntilOffset` known to have been taken into account already.
 */
export type WindowEngineFactory = (initialWatermarkMs: number | null, restored?: readonly SizeSymbolState[], replayUntilOffset?: number) => WindowEngine;

export const WINDOW_ENGINE_FACTORY = Symbol('WINDOW_ENGINE_FACTORY');

export const windowEngineFactoryProvider: Provider = {
  provide: WINDOW_ENGINE_FACTORY,
  inject: [AGGREGATOR_CONFIG],
  useFactory:
    (config: AggregatorConfig): WindowEngineFactory =>
    (initialWatermarkMs, restored = [], replayUntilOffset) =>
      new MultiSizeWindowEngine({
        sizesMs: config.windowSizesMs,
        graceMs: config.windowGraceMs,
        emptyWindows: config.emptyWindows,
        initialWatermarkMs: initialWatermarkMs ?? undefined,
        restored,
        // Late trades revise their written row (revision + 1) within the allowed lateness.
        latePolicy: 'correct',
        allowedLatenessMs: config.allowedLatenessMs,
        sourceTimeoutMs: config.sourceProgressTimeoutMs,
        replayUntilSequence: replayUntilOffset,
      }),
};
