import 'reflect-metadata';
import { MysqlWindowRepository } from '@cryptostream/persistence';
import type { WindowUpdate } from '@cryptostream/schema';
import type { WindowFigures } from '@cryptostream/windowing';
import { join } from 'node:path';
import { ApiWithUpdates } from '../testing/api-with-updates';
import { waitFor } from '@cryptostream/testing';

jest.setTimeout(120_000);

const T0 = Date.UTC(2025, 2, 4);
const MINUTE = 60_000;
const LOGS = join(__dirname, '../../../../tmp/binance-rest-test');

/** A 1-minute TRXUSDT window (a 5-minute one with `sizeMinutes: 5`), its figures all distinct. */
const window = (symbol: string, minute: number, figures: Partial<WindowFigures> = {}, sizeMinutes = 1): WindowFigures => ({
  symbol, startMs: T0 + minute * MINUTE, endMs: T0 + (minute + sizeMinutes) * MINUTE, averagePrice: '0.23080000', open: `0.2310${minute + 1}`,
  high: '0.23112', low: '0.2305', close: `0.2307${minute + 1}`, volume: `1443073.${minute + 1}`, quoteVolume: '332948.24274', vwap: '0.23072234',
  tradeCount: 700 + minute, eventCount: 700 + minute, revision: 0, takerBuyVolume: `288873.${minute + 1}`, takerBuyQuoteVolume: '66656.86979', ...figures,
});
const spot = Array.from({ length: 8 }, (_, minute) => window('TRXUSDT', minute));
const coinM = [0, 1].map((minute) => window('TRXUSD_PERP', minute, { volume: '32', baseVolume: '1645.32531982', takerBuyVolume: '6', takerBuyBaseVolume: '259.8640045' }));
const fiveMinutes = window('TRXUSDT', 0, { close: '0.5' }, 5);

/** What Binance's klines hold for a stored window: open time, strings, close time = end − 1, trades, taker buys, "0". */
const klineOf = (w: WindowFigures) => [
  w.startMs, w.open, w.high, w.low, w.close, w.volume, w.endMs - 1, w.baseVolume ?? w.quoteVolume, w.tradeCount,
  w.takerBuyVolume, w.baseVolume === undefined ? w.takerBuyQuoteVolume : w.takerBuyBaseVolume, '0',
];

describe('Binance-compatible REST: /api/v3, /fapi/v1, /dapi/v1 (the API as a process, real MySQL and Kafka)', () => {
  let stack: ApiWithUpdates;
  const get = async (path: string) => {
    const response = await fetch(`${stack.url}${path}`);
    return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
  };
  const json = async (path: string) => JSON.parse((await get(path)).text);

  beforeAll(async () => {
    stack = await ApiWithUpdates.start(LOGS, { WINDOW_SIZES: '1m,5m' });
    await new MysqlWindowRepository(stack.db.pool).upsertWindows([...spot, ...coinM, fiveMinutes]);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('answers klines in Binance\'s shape: 12 fields, exact decimal strings, closeTime = end − 1 ms, oldest first', async () => {
    const answer = await get('/api/v3/klines?symbol=TRXUSDT&interval=1m');
    expect(answer.status).toBe(200);
    expect(answer.type).toMatch(/^application\/json/);
    expect(answer.text).toBe(JSON.stringify(spot.map(klineOf)));
    expect(JSON.parse(answer.text)[0]).toEqual([T0, '0.23101', '0.23112', '0.2305', '0.23071', '1443073.1', T0 + 59_999, '332948.24274', 700, '288873.1', '66656.86979', '0']);
    // The same series on the USDⓈ-M path, and the 5-minute interval.
    expect(await json('/fapi/v1/klines?symbol=TRXUSDT&interval=1m')).toEqual(spot.map(klineOf));
    expect(await json('/api/v3/klines?symbol=TRXUSDT&interval=5m')).toEqual([klineOf(fiveMinutes)]);
  });

  it('gives the same strings as /api/candles, digit for digit', async () => {
    const { candles } = await json('/api/candles?symbol=TRXUSDT&interval=1m&limit=1000');
    const klines = await json('/api/v3/klines?symbol=TRXUSDT&interval=1m&limit=1000');
    expect(klines).toEqual(candles.map((c: Record<string, unknown>) => [
      c['startMs'], c['open'], c['high'], c['low'], c['close'], c['volume'], (c['endMs'] as number) - 1, c['quoteVolume'], c['tradeCount'], c['takerBuyVolume'], c['takerBuyQuoteVolume'], '0',
    ]));
  });

  it('selects by open time as Binance does: the newest without startTime, [startTime, endTime] inclusive, limit at most', async () => {
    const opens = async (query: string) => ((await json(`/api/v3/klines?symbol=TRXUSDT&interval=1m&${query}`)) as number[][]).map((k) => (k[0] - T0) / MINUTE);
    expect(await opens('limit=3')).toEqual([5, 6, 7]);
    expect(await opens(`startTime=${T0 + 2 * MINUTE}&limit=3`)).toEqual([2, 3, 4]);
    expect(await opens(`startTime=${T0 + 2 * MINUTE + 1}&limit=2`)).toEqual([3, 4]);
    expect(await opens(`endTime=${T0 + 4 * MINUTE}&limit=2`)).toEqual([3, 4]);
    expect(await opens(`endTime=${T0 + 4 * MINUTE - 1}&limit=2`)).toEqual([2, 3]);
    expect(await opens(`startTime=${T0 + MINUTE}&endTime=${T0 + 3 * MINUTE}`)).toEqual([1, 2, 3]);
    expect(await opens(`startTime=${T0 + 100 * MINUTE}`)).toEqual([]);
  });

  it('serves COIN-M symbols on /dapi with the base asset volumes in fields 7 and 10, and each symbol on its own market only', async () => {
    expect(await json('/dapi/v1/klines?symbol=TRXUSD_PERP&interval=1m')).toEqual(coinM.map(klineOf));
    expect((await json('/dapi/v1/klines?symbol=TRXUSD_PERP&interval=1m'))[0].slice(7, 11)).toEqual(['1645.32531982', 700, '6', '259.8640045']);
    for (const path of ['/api/v3/klines?symbol=TRXUSD_PERP&interval=1m', '/fapi/v1/klines?symbol=TRXUSD_PERP&interval=1m', '/dapi/v1/klines?symbol=TRXUSDT&interval=1m']) {
      expect(await get(path)).toMatchObject({ status: 400, text: '{"code":-1121,"msg":"Invalid symbol."}' });
    }
  });

  it('refuses bad parameters with Binance\'s error body and HTTP 400', async () => {
    const cases: [string, number, string][] = [
      ['/api/v3/klines?interval=1m', -1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed."],
      ['/api/v3/klines?symbol=TRXUSDT', -1102, "Mandatory parameter 'interval' was not sent, was empty/null, or malformed."],
      ['/api/v3/klines?symbol=NOSUCHUSDT&interval=1m', -1121, 'Invalid symbol.'],
      ['/api/v3/klines?symbol=trxusdt&interval=1m', -1100, "Illegal characters found in parameter 'symbol'; legal range is '^[A-Z0-9][A-Z0-9_-]{1,31}$'."],
      ['/api/v3/klines?symbol=TRXUSDT&symbol=ETHUSDT&interval=1m', -1100, "Illegal characters found in parameter 'symbol'; legal range is '^[A-Z0-9][A-Z0-9_-]{1,31}$'."],
      ['/api/v3/klines?symbol=TRXUSDT&interval=1h', -1120, 'Invalid interval.'],
      ['/api/v3/klines?symbol=TRXUSDT&interval=1m&limit=1001', -1130, "Data sent for parameter 'limit' is not valid."],
      ['/api/v3/klines?symbol=TRXUSDT&interval=1m&limit=0', -1130, "Data sent for parameter 'limit' is not valid."],
      ['/fapi/v1/klines?symbol=TRXUSDT&interval=1m&limit=1501', -1130, "Data sent for parameter 'limit' is not valid."],
      ['/api/v3/klines?symbol=TRXUSDT&interval=1m&startTime=soon', -1100, "Illegal characters found in parameter 'startTime'; legal range is '^[0-9]{1,20}$'."],
      [`/api/v3/klines?symbol=TRXUSDT&interval=1m&startTime=${T0 + 1}&endTime=${T0}`, -1023, 'Start time is greater than end time.'],
    ];
    for (const [path, code, msg] of cases) expect({ path, ...(await get(path)) }).toEqual({ path, status: 400, type: 'application/json;charset=UTF-8', text: JSON.stringify({ code, msg }) });
    expect((await get('/fapi/v1/klines?symbol=TRXUSDT&interval=1m&limit=1500')).status).toBe(200);
  });

  it('ends with the open kline, as Binance does, until MySQL holds it final', async () => {
    const open: WindowUpdate = {
      symbol: 'TRXUSDT', source: 'trades', windowSizeMs: MINUTE, startMs: T0 + 8 * MINUTE, endMs: T0 + 9 * MINUTE, open: '0.2311', high: '0.2312', low: '0.2309',
      close: '0.2310', volume: '12.5', quoteVolume: '2.88775', baseVolume: null, takerBuyVolume: '2.5', takerBuyQuoteVolume: '0.57775', takerBuyBaseVolume: null,
      vwap: '0.23102', averagePrice: '0.23105', tradeCount: 3, eventCount: 3, revision: 0, closed: false, publishedAtMs: Date.now(),
    };
    const send = (update: WindowUpdate) => stack.send(update);
    const last = async () => ((await json('/api/v3/klines?symbol=TRXUSDT&interval=1m')) as unknown[][]).at(-1)!;
    await send(open);
    await waitFor('the open kline', async () => (await last())[0] === open.startMs);
    expect(await last()).toEqual([open.startMs, '0.2311', '0.2312', '0.2309', '0.231', '12.5', open.endMs - 1, '2.88775', 3, '2.5', '0.57775', '0']);
    expect(await json('/api/v3/klines?symbol=TRXUSDT&interval=1m&limit=2')).toHaveLength(2);
    // Not within [startTime, endTime]: left out.
    expect(((await json(`/api/v3/klines?symbol=TRXUSDT&interval=1m&endTime=${open.startMs - 1}`)) as unknown[][]).at(-1)![0]).toBe(T0 + 7 * MINUTE);
    // Final: the row is in MySQL, then the update says so; the kline is the row's, once.
    const final = window('TRXUSDT', 8, { close: '0.2399' });
    await new MysqlWindowRepository(stack.db.pool).upsertWindows([final]);
    await send({ ...open, close: '0.2399', closed: true });
    await waitFor('the final kline', async () => (await last())[4] === '0.2399');
    const klines = (await json('/api/v3/klines?symbol=TRXUSDT&interval=1m')) as unknown[][];
    expect(klines.filter((k) => k[0] === open.startMs)).toEqual([klineOf(final)]);
  });

  it('answers exchangeInfo with the symbols of each market and the intervals, and time and ping', async () => {
    const spotInfo = await json('/api/v3/exchangeInfo');
    expect(spotInfo).toMatchObject({ timezone: 'UTC', klineIntervals: ['1m', '5m'], symbols: [{ symbol: 'TRXUSDT', status: 'TRADING', baseAsset: 'TRX', quoteAsset: 'USDT' }] });
    expect((await json('/fapi/v1/exchangeInfo')).symbols).toMatchObject([{ symbol: 'TRXUSDT', contractType: 'PERPETUAL', status: 'TRADING', marginAsset: 'USDT' }]);
    expect((await json('/dapi/v1/exchangeInfo')).symbols).toMatchObject([{ symbol: 'TRXUSD_PERP', contractType: 'PERPETUAL', contractStatus: 'TRADING', baseAsset: 'TRX', quoteAsset: 'USD', marginAsset: 'TRX', contractSize: 10 }]);
    for (const prefix of ['/api/v3', '/fapi/v1', '/dapi/v1']) {
      const before = Date.now();
      const { serverTime } = await json(`${prefix}/time`);
      expect(serverTime).toBeGreaterThanOrEqual(before);
      expect(serverTime).toBeLessThanOrEqual(Date.now());
      expect(await get(`${prefix}/ping`)).toMatchObject({ status: 200, text: '{}' });
    }
  });
});

