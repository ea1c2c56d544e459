import { CandlestickSeries, createChart, HistogramSeries, IChartApi, ISeriesApi, UTCTimestamp } from 'lightweight-charts';
import type { Candle } from './candle';

const UP = '#26a69a';
const DOWN = '#ef5350';

/**
 * The candlestick chart with volume beneath. Prices become numbers here, for drawing only; the
 * table beside the chart shows the exact decimals.
 */
export class CandleChart {
  readonly #chart: IChartApi;
  readonly #candles: ISeriesApi<'Candlestick'>;
  readonly #volume: ISeriesApi<'Histogram'>;
  #lastStartMs = -Infinity;
  #bars = 0;

  constructor(private readonly container: HTMLElement) {
    this.#chart = createChart(container, {
      autoSize: true,
      layout: { background: { color: '#161b24' }, textColor: '#d7dce5' },
      grid: { vertLines: { color: '#222938' }, horzLines: { color: '#222938' } },
      // A short history fills the width, with bars no wider than a finger.
      timeScale: { timeVisible: true, secondsVisible: true, maxBarSpacing: 40 },
    });
    this.#candles = this.#chart.addSeries(CandlestickSeries, { upColor: UP, downColor: DOWN, wickUpColor: UP, wickDownColor: DOWN, borderVisible: false });
    this.#volume = this.#chart.addSeries(HistogramSeries, { priceScaleId: 'volume', priceFormat: { type: 'volume' } });
    this.#chart.priceScale('volume').applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
    this.#candles.priceScale().applyOptions({ scaleMargins: { top: 0.05, bottom: 0.25 } });
  }

  /** Replaces everything with `candles` (oldest first). */
  setHistory(candles: readonly Candle[]): void {
    const precision = Math.max(2, ...candles.slice(-50).flatMap((c) => [c.open, c.high, c.low, c.close].map(fractionDigits)));
    this.#candles.applyOptions({ priceFormat: { type: 'price', precision, minMove: 10 ** -precision } });
    this.#candles.setData(candles.map(bar));
    this.#volume.setData(candles.map(volumeBar));
    this.#lastStartMs = candles.length > 0 ? candles[candles.length - 1].startMs : -Infinity;
    this.#bars = candles.length;
    this.#publish();
    // A short history fills the width (bars at most 40 px); a long one shows its newest part.
    if (candles.length < 120) this.#chart.timeScale().fitContent();
    else this.#chart.timeScale().scrollToRealTime();
  }

  /** Moves the newest bar or appends one; an older bar than the newest is left as drawn. */
  update(candle: Candle): void {
    if (candle.startMs < this.#lastStartMs) return;
    if (candle.startMs > this.#lastStartMs) this.#bars++;
    this.#lastStartMs = candle.startMs;
    this.#candles.update(bar(candle));
    this.#volume.update(volumeBar(candle));
    this.#publish();
  }

  /** What is drawn, on the element, for people inspecting the page and for the browser test. */
  #publish(): void {
    this.container.dataset['bars'] = String(this.#bars);
    this.container.dataset['lastStartMs'] = String(this.#lastStartMs);
  }
}

const fractionDigits = (decimal: string): number => Math.min(8, decimal.split('.')[1]?.length ?? 0);

const time = (candle: Candle) => (candle.startMs / 1000) as UTCTimestamp;

function bar(candle: Candle) {
  return { time: time(candle), open: Number(candle.open), high: Number(candle.high), low: Number(candle.low), close: Number(candle.close) };
}

function volumeBar(candle: Candle) {
  const up = Number(candle.close) >= Number(candle.open);
  return { time: time(candle), value: Number(candle.volume ?? candle.baseVolume ?? 0), color: up ? 'rgba(38,166,154,0.5)' : 'rgba(239,83,80,0.5)' };
}
