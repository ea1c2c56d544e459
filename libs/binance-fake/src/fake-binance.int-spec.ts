import { readFileSync } from 'node:fs';
import { WebSocket } from 'ws';
import { FakeBinance, startFakeBinance } from './fake-binance.server';
import { RECORDINGS } from '@cryptostream/testing';

const { TRXUSDT, TRXUSD_PERP: PERP } = RECORDINGS;

describe('fake Binance', () => {
  let fake: FakeBinance;

  beforeAll(async () => {
    fake = await startFakeBinance({
      recordings: [{ file: TRXUSDT }, { file: PERP }],
      speed: 20,
      weights: { limit: 100, windowMs: 2000, banMs: 1500 },
      streams: { pingIntervalMs: 200, pongTimeoutMs: 600 },
    });
  });
  afterAll(() => fake.close());

  it('reproduces Binance’s own 1m klines from the recorded trades', async () => {
    fake.market.clock.advance(2 * 3_600_000);
    const response = await fetch(`${fake.restUrl}/api/v3/klines?symbol=TRXUSDT&interval=1m&startTime=1741046400000&endTime=1741047299999`);
    expect(response.status).toBe(200);
    expect(Number(response.headers.get('x-mbx-used-weight-1m'))).toBeGreaterThan(0);
    const rows = (await response.json()) as unknown[][];
    const expected = readFileSync(RECORDINGS.TRXUSDT_KLINES, 'utf8').trim().split('\n').slice(1, 16).map((line) => line.split(','));
    expect(rows).toHaveLength(15);
    rows.forEach((row, index) => {
      const want = expected[index];
      expect(row[0]).toBe(Number(want[0]));
      for (const [column, field] of [[1, 'open'], [2, 'high'], [3, 'low'], [4, 'close'], [5, 'volume'], [7, 'quote volume'], [9, 'taker buy volume'], [10, 'taker buy quote']] as const) {
        expect({ field, value: Number(row[column]) }).toEqual({ field, value: Number(want[column]) });
      }
      expect(row[8]).toBe(Number(want[8]));
      expect(row[6]).toBe(Number(want[6]));
    });
  });

  it('answers ticker/price for several symbols and aggTrades pages by fromId', async () => {
    const tickers = await (await fetch(`${fake.restUrl}/api/v3/ticker/price?symbols=${encodeURIComponent('["TRXUSDT","TRXUSD_PERP"]')}`)).json();
    expect(tickers).toEqual([
      { symbol: 'TRXUSDT', price: expect.stringMatching(/^0\.\d{8}$/) },
      { symbol: 'TRXUSD_PERP', price: expect.stringMatching(/^0\.\d{8}$/) },
    ]);
    const page = (await (await fetch(`${fake.restUrl}/api/v3/aggTrades?symbol=TRXUSD_PERP&fromId=1000010&limit=3`)).json()) as Array<Record<string, unknown>>;
    expect(page.map((row) => row['a'])).toEqual([1000010, 1000011, 1000012]);
    expect(Object.keys(page[0]).sort()).toEqual(['M', 'T', 'a', 'f', 'l', 'm', 'p', 'q']);
    const bad = await fetch(`${fake.restUrl}/api/v3/aggTrades?symbol=NOPE`);
    expect([bad.status, await bad.json()]).toEqual([400, { code: -1121, msg: 'Invalid symbol.' }]);
  });

  it('serves exchangeInfo of the three markets, with COIN-M contract sizes', async () => {
    const info = async (path: string) => ((await (await fetch(`${fake.restUrl}${path}`)).json()) as { symbols: Array<Record<string, unknown>> }).symbols;
    expect(await info('/dapi/v1/exchangeInfo')).toEqual([
      expect.objectContaining({ symbol: 'TRXUSD_PERP', pair: 'TRXUSD', contractType: 'PERPETUAL', baseAsset: 'TRX', quoteAsset: 'USD', contractSize: 10 }),
    ]);
    expect((await info('/fapi/v1/exchangeInfo')).map((s) => [s['symbol'], s['baseAsset'], s['quoteAsset']])).toEqual([['TRXUSDT', 'TRX', 'USDT']]);
    expect((await info('/api/v3/exchangeInfo')).map((s) => s['symbol'])).toEqual(['TRXUSDT']);
  });

  it('answers 429 with Retry-After past the weight limit, then bans with 418 a client that keeps asking', async () => {
    await new Promise((resolve) => setTimeout(resolve, 2000 - (Date.now() % 2000) + 10));
    const statuses: number[] = [];
    for (let index = 0; index < 30; index += 1) {
      const response = await fetch(`${fake.restUrl}/api/v3/aggTrades?symbol=TRXUSDT&limit=1`);
      statuses.push(response.status);
      if (response.status !== 200) expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    expect(statuses.slice(0, 25).every((status) => status === 200)).toBe(true);
    expect(statuses[25]).toBe(429);
    expect(statuses[26]).toBe(418);
  });

  it('streams combined aggTrade events, pings with a payload and drops a client that does not pong', async () => {
    fake.market.clock.resume();
    const socket = new WebSocket(`${fake.wsUrl}/stream?streams=trxusd_perp@aggTrade/trxusdt@trade`, { autoPong: false });
    const frames: Array<{ stream: string; data: Record<string, unknown> }> = [];
    socket.on('message', (data) => frames.push(JSON.parse(data.toString())));
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    await closed;
    expect(fake.stats.closedForMissingPong).toBe(1);
    expect(frames.length).toBeGreaterThan(0);
    expect(frames[0]).toEqual({ stream: 'trxusd_perp@aggTrade', data: expect.objectContaining({ e: 'aggTrade', s: 'TRXUSD_PERP', a: expect.any(Number), f: expect.any(Number), l: expect.any(Number) }) });
    const ids = frames.filter((frame) => frame.stream === 'trxusd_perp@aggTrade').map((frame) => frame.data['a'] as number);
    expect(ids.every((id, index) => index === 0 || id === ids[index - 1] + 1)).toBe(true);
  });

  it('keeps a client that pongs with the ping payload and sends serverShutdown before closing', async () => {
    const socket = new WebSocket(`${fake.wsUrl}/ws/trxusdt@trade`);
    await new Promise((resolve) => socket.on('open', resolve));
    await new Promise((resolve) => setTimeout(resolve, 900));
    expect(socket.readyState).toBe(WebSocket.OPEN);
    expect(fake.stats.pongsMatched).toBeGreaterThanOrEqual(3);
    const frames: string[] = [];
    socket.on('message', (data) => frames.push(data.toString()));
    fake.hub.serverShutdown(100);
    const code = await new Promise<number>((resolve) => socket.on('close', (closeCode) => resolve(closeCode)));
    expect(code).toBe(1001);
    expect(frames.some((frame) => JSON.parse(frame).e === 'serverShutdown')).toBe(true);
  });

  it('refuses more than 1024 streams on one connection', async () => {
    const streams = Array.from({ length: 1025 }, (_, index) => `s${index}usdt@trade`).join('/');
    const socket = new WebSocket(`${fake.wsUrl}/stream?streams=${streams}`);
    const error = await new Promise<Error>((resolve) => socket.on('error', resolve));
    expect(error.message).toMatch(/400/);
  });
});
