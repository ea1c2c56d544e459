import { CANDLE_ROW_FIELDS, StoredCandle } from '@cryptostream/persistence';
import fc from 'fast-check';
import { CandlePageDto } from './candle.dto';
import { candleOfStored } from './candle.mapper';
import { candlePageJson } from './candle-page.writer';

/** The scale of each DECIMAL column (migration 5): MySQL prints every one of its digits. */
const SCALES = { open: 12, high: 12, low: 12, close: 12, volume: 12, quoteVolume: 24, baseVolume: 8, takerBuyVolume: 12, takerBuyQuoteVolume: 24, takerBuyBaseVolume: 8, vwap: 8, averagePrice: 8 } as const;

/** `1.5` with scale 4 → `1.5000`, as MySQL prints a DECIMAL(…,4) holding 1.5. */
function padded(decimal: string, scale: number): string {
  const [integer, fraction = ''] = decimal.split('.');
  return `${integer}.${fraction.padEnd(scale, '0')}`;
}

/** The row text MySQL gives for a candle (CANDLE_ROW_FIELDS). */
function rowText(candle: StoredCandle): Buffer {
  const text = CANDLE_ROW_FIELDS.map((field) => {
    const value = candle[field];
    if (value === null) return '';
    return field in SCALES ? padded(String(value), SCALES[field as keyof typeof SCALES]) : String(value);
  });
  return Buffer.from(text.join(','), 'latin1');
}

/** Exact decimals as the API gives them (no padding), up to `scale` fraction digits. */
const decimal = (scale: number, signed = false) =>
  fc.tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 15n - 1n }), fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: scale }))
    .map(([negative, integer, fraction]) => {
      const digits = fraction.replace(/0+$/, '');
      const text = digits === '' ? String(integer) : `${integer}.${digits}`;
      return signed && negative && text !== '0' ? `-${text}` : text;
    });

const candle = (symbol: string): fc.Arbitrary<StoredCandle> =>
  fc.record({
    source: fc.constantFrom<'trades' | 'ticker'>('trades', 'ticker'),
    startMs: fc.integer({ min: 0, max: 253_402_300_000_000 }),
    open: decimal(12, true), high: decimal(12), low: decimal(12), close: decimal(12),
    volume: decimal(12), quoteVolume: fc.option(decimal(24)), baseVolume: fc.option(decimal(8)),
    takerBuyVolume: fc.option(decimal(12)), takerBuyQuoteVolume: fc.option(decimal(24)), takerBuyBaseVolume: fc.option(decimal(8)), vwap: decimal(8), averagePrice: decimal(8, true),
    tradeCount: fc.nat({ max: 4_294_967_295 }), revision: fc.nat({ max: 4_294_967_295 }),
  }).map((c): StoredCandle => ({
    ...c, symbol, endMs: c.startMs + 60_000,
    // Ticker windows have no volumes, VWAP or trade count (NULL columns).
    ...(c.source === 'ticker' ? { volume: null, quoteVolume: null, baseVolume: null, takerBuyVolume: null, takerBuyQuoteVolume: null, takerBuyBaseVolume: null, vwap: null, tradeCount: null } : {}),
  }));

const page = fc.tuple(fc.constantFrom('BTCUSDT', 'TRXUSD_PERP', '1000PEPE-USDT'), fc.constantFrom('1m', '1h', '90s'))
  .chain(([symbol, interval]) => fc.record({
    symbol: fc.constant(symbol), interval: fc.constant(interval), candles: fc.array(candle(symbol), { maxLength: 20 }),
    next: fc.option(fc.bigInt({ min: 0n, max: 10n ** 13n }).map((ms) => `b${ms}`)),
  }));

describe('candlePageJson', () => {
  it('writes what JSON.stringify gives for the page of CandleDtos, for any candles', () => {
    fc.assert(fc.property(page, ({ symbol, interval, candles, next }) => {
      const dto: CandlePageDto = { symbol, interval, candles: candles.map((c) => candleOfStored(c, interval)), next };
      const json = candlePageJson({ symbol, interval, rows: candles.map(rowText), next });
      expect(json.toString('latin1')).toBe(JSON.stringify(dto));
    }), { numRuns: 500 });
  });

  it('strips the padding of zero, whole and tiny decimals, and writes nulls', () => {
    const row = Buffer.from('ticker,0,60000,0.000000000000,12.000000000000,0.000000000001,-100.500000000000,,,,,,,,1.00000000,,7', 'latin1');
    expect(JSON.parse(candlePageJson({ symbol: 'BTCUSDT', interval: '1m', rows: [row], next: null }).toString())).toEqual({
      symbol: 'BTCUSDT', interval: '1m', next: null,
      candles: [{
        symbol: 'BTCUSDT', interval: '1m', source: 'ticker', startMs: 0, endMs: 60_000, open: '0', high: '12', low: '0.000000000001', close: '-100.5',
        volume: null, quoteVolume: null, baseVolume: null, takerBuyVolume: null, takerBuyQuoteVolume: null, takerBuyBaseVolume: null,
        vwap: null, averagePrice: '1', tradeCount: null, revision: 7, closed: true,
      }],
    });
  });

  it('writes an empty page', () => {
    expect(candlePageJson({ symbol: 'BTCUSDT', interval: '1m', rows: [], next: null }).toString()).toBe('{"symbol":"BTCUSDT","interval":"1m","candles":[],"next":null}');
  });

  it.each([
    ['a quote in a decimal', 'trades,0,60000,1"2.0,1.0,1.0,1.0,1.0,1.0,,1.0,1.0,3,0'],
    ['a letter in a time', 'trades,0x1,60000,1.0,1.0,1.0,1.0,1.0,1.0,,1.0,1.0,3,0'],
    ['a backslash in the source', 'tra\\es,0,60000,1.0,1.0,1.0,1.0,1.0,1.0,,1.0,1.0,3,0'],
  ])('refuses row text it would have to escape: %s', (_, text) => {
    expect(() => candlePageJson({ symbol: 'BTCUSDT', interval: '1m', rows: [Buffer.from(text, 'latin1')], next: null })).toThrow('candle row text has');
  });
});
