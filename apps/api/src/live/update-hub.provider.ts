import { windowSizeLabel } from '@cryptostream/windowing';
import { Provider } from '@nestjs/common';
import { klineRenders } from '../binance/kline-event';
import { candleOfUpdate } from '../candles/candle.mapper';
import { API_CONFIG, ApiConfig } from '../config/api.config';
import { UpdateHub } from './update-hub';

export const UPDATE_HUB = Symbol('UPDATE_HUB');

export const updateHubProvider: Provider = {
  provide: UPDATE_HUB,
  inject: [API_CONFIG],
  useFactory: (config: ApiConfig) => {
    const labels = new Map(config.intervals.map((interval) => [interval.ms, interval.label]));
    const labelOf = (windowSizeMs: number) => labels.get(windowSizeMs) ?? windowSizeLabel(windowSizeMs);
    // SSE candles, and Binance's kline events for the WebSocket streams.
    return new UpdateHub(config.replayUpdates, (update) => JSON.stringify(candleOfUpdate(update, labelOf(update.windowSizeMs))), klineRenders(labelOf));
  },
};
