import { CANDLE_ROW_FIELDS, CandleRowField } from '@cryptostream/persistence';
import { canonicalDecimal, type CandleFigures } from '@cryptostream/schema';

/**
 * One kline as Binance sends it: `[openTime, "open", "high", "low", "close", "volume",
 * closeTime, "quoteVolume", trades, "takerBuyBase", "takerBuyQuote", "0"]`. On COIN-M (a candle
 * with a base volume) fields 7 and 10 are the base asset volumes instead, as on `/dapi`.
 * Decimals are the exact strings stored (`"0.23103"`, where Binance pads to its precision,
 * `"0.23103000"`: the same number); a figure not known (ticker windows have no volumes, rows
 * from before taker-buy volumes were kept have none) is null, never a made-up 0.
 */
export type BinanceKline = [number, string, string, string, string, string | null, number, string | null, number | null, string | null, string | null, '0'];

export function klineOf(candle: CandleFigures): BinanceKline {
  const coinM = candle.baseVolume !== null;
  return [
    candle.startMs, candle.open, candle.high, candle.low, candle.close, candle.volume, candle.endMs - 1,
    coinM ? candle.baseVolume : candle.quoteVolume, candle.tradeCount,
    candle.takerBuyVolume, coinM ? candle.takerBuyBaseVolume : candle.takerBuyQuoteVolume, '0',
  ];
}

const at = (name: CandleRowField) => CANDLE_ROW_FIELDS.indexOf(name);
const [START, END, OPEN, HIGH, LOW, CLOSE, VOLUME, QUOTE, BASE, TRADES, TAKER, TAKER_QUOTE, TAKER_BASE] = (
  ['startMs', 'endMs', 'open', 'high', 'low', 'close', 'volume', 'quoteVolume', 'baseVolume', 'tradeCount', 'takerBuyVolume', 'takerBuyQuoteVolume', 'takerBuyBaseVolume'] as const
).map(at);

/**
 * {@link klineOf} of a stored row, as JSON, from the row's text (`CANDLE_ROW_FIELDS`: digits,
 * points and signs only, an empty field for NULL, so nothing needs escaping): the same bytes
 * as `JSON.stringify(klineOf(candleOfRowText(…)))`, without the objects.
 */
export function klineJsonOfRow(row: Buffer): string {
  const f = row.toString('latin1').split(',');
  const decimal = (i: number) => (f[i] === '' ? 'null' : `"${canonicalDecimal(f[i])}"`);
  const coinM = f[BASE] !== '';
  return `[${f[START]},${decimal(OPEN)},${decimal(HIGH)},${decimal(LOW)},${decimal(CLOSE)},${decimal(VOLUME)},${Number(f[END]) - 1},` +
    `${decimal(coinM ? BASE : QUOTE)},${f[TRADES] === '' ? 'null' : f[TRADES]},${decimal(TAKER)},${decimal(coinM ? TAKER_BASE : TAKER_QUOTE)},"0"]`;
}

/** The open time of a stored row (its text, as {@link klineJsonOfRow} reads it). */
export function openTimeOfRow(row: Buffer): number {
  const text = row.toString('latin1');
  const from = text.indexOf(',') + 1;
  return Number(text.slice(from, text.indexOf(',', from)));
}
