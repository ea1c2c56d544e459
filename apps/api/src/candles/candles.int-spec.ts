import 'reflect-metadata';
import { MysqlWindowRepository } from '@cryptostream/persistence';
import { AppProcess, createTestDatabase, createTestTopics, freePort, TEST_KAFKA_BROKERS, TestDatabase } from '@cryptostream/testing';
import { WindowFigures } from '@cryptostream/windowing';
import { mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

jest.setTimeout(120_000);

const T0 = Date.UTC(2025, 2, 4);
const LOGS = join(__dirname, '../../../../tmp/candles-test');

const trades = (minute: number, figures: Partial<WindowFigures> = {}): WindowFigures => ({
  symbol: 'TRXUSD_PERP', startMs: T0 + minute * 60_000, endMs: T0 + (minute + 1) * 60_000, averagePrice: '0.23080000', open: '0.23097',
  high: '0.231', low: '0.2305', close: '0.2309', volume: '1443073.5', quoteVolume: '332948.242740000000000001', vwap: '0.23072234',
  tradeCount: 714, eventCount: 714, revision: 0, takerBuyVolume: '288873', takerBuyQuoteVolume: '66656.86979', ...figures,
});

/** The taker-buy figures a reader gets: none for ticker windows or when unknown; COIN-M's base volume instead of the quote volume. */
const takerBuyOf = (window: WindowFigures) =>
  window.source === 'ticker' || window.takerBuyVolume === undefined
    ? { takerBuyVolume: null, takerBuyQuoteVolume: null, takerBuyBaseVolume: null }
    : { takerBuyVolume: window.takerBuyVolume, takerBuyQuoteVolume: window.baseVolume === undefined ? window.takerBuyQuoteVolume ?? null : null, takerBuyBaseVolume: window.takerBuyBaseVolume ?? null };

/** What GET /api/candles gives for a window written by the aggregator (candle.mapper's CandleDto). */
const candleOf = (window: WindowFigures) => ({
  symbol: window.symbol, interval: '1m', source: window.source ?? 'trades', startMs: window.startMs, endMs: window.endMs,
  open: window.open, high: window.high, low: window.low, close: window.close,
  volume: window.source === 'ticker' ? null : window.volume,
  quoteVolume: window.source === 'ticker' || window.baseVolume !== undefined ? null : window.quoteVolume,
  baseVolume: window.baseVolume ?? null, ...takerBuyOf(window), vwap: window.source === 'ticker' ? null : window.vwap,
  averagePrice: window.averagePrice.replace(/\.?0+$/, ''), tradeCount: window.source === 'ticker' ? null : window.tradeCount,
  revision: window.revision, closed: true,
});

describe('GET /api/candles (the API as a process, real MySQL)', () => {
  let db: TestDatabase;
  let topics: Awaited<ReturnType<typeof createTestTopics>>;
  let api: AppProcess;
  const windows = [
    trades(0),
    // At the storage contract's limits: 15 integer and 12 fraction digits, a quote volume to 24.
    trades(1, { open: '999999999999999.999999999999', high: '999999999999999.999999999999', low: '0.000000000001', close: '100',
      volume: '0', quoteVolume: '0.000000000000000000000001', vwap: '12.5', averagePrice: '999999999999999.99999999', tradeCount: 4_294_967_295 }),
    trades(2, { source: 'ticker', vwap: null }),
    trades(3, { baseVolume: '1234567.12345678', takerBuyBaseVolume: '1000000.5', revision: 3 }),
    // Written before the taker-buy volumes were kept, or of trades without their side: null, not 0.
    trades(4, { takerBuyVolume: undefined, takerBuyQuoteVolume: undefined }),
    ...Array.from({ length: 5 }, (_, i) => trades(5 + i, { close: `0.23${11 + i}` })),
  ];
  const get = async (query: string) => {
    const response = await fetch(`http://127.0.0.1:${api.port}/api/candles?${query}`);
    return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
  };

  beforeAll(async () => {
    mkdirSync(LOGS, { recursive: true });
    db = await createTestDatabase();
    await new MysqlWindowRepository(db.pool).upsertWindows(windows);
    topics = await createTestTopics(['windows']);
    api = AppProcess.start('api', await freePort(), {
      MYSQL_URL: db.url, KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','), KAFKA_WINDOWS_TOPIC: topics.topics['windows'],
    }, LOGS);
    await api.waitReady(60_000);
  });

  afterAll(async () => {
    await api?.stop();
    await topics?.dispose();
    await db?.drop();
  });

  it('gives every decimal exactly, nulls of ticker and COIN-M windows, newest last, and pages back by key', async () => {
    const newest = await get('symbol=TRXUSD_PERP&limit=6');
    expect(newest.status).toBe(200);
    expect(newest.type).toBe('application/json; charset=utf-8');
    expect(newest.text).toBe(JSON.stringify({ symbol: 'TRXUSD_PERP', interval: '1m', candles: windows.slice(4).map(candleOf), next: `b${T0 + 4 * 60_000}` }));
    const older = await get(`symbol=TRXUSD_PERP&limit=6&cursor=b${T0 + 4 * 60_000}`);
    expect(older.text).toBe(JSON.stringify({ symbol: 'TRXUSD_PERP', interval: '1m', candles: windows.slice(0, 4).map(candleOf), next: null }));
  });

  it('reads forward from a start, and answers an empty page for an unknown symbol', async () => {
    const forward = JSON.parse((await get(`symbol=TRXUSD_PERP&from=${T0 + 60_000}&limit=2`)).text);
    expect(forward).toEqual({ symbol: 'TRXUSD_PERP', interval: '1m', candles: windows.slice(1, 3).map(candleOf), next: `f${T0 + 2 * 60_000 + 1}` });
    const next = JSON.parse((await get(`symbol=TRXUSD_PERP&from=${T0 + 60_000}&limit=2&cursor=${forward.next}`)).text);
    expect(next.candles.map((c: { startMs: number }) => (c.startMs - T0) / 60_000)).toEqual([3, 4]);
    expect(await get('symbol=ETHUSDT')).toMatchObject({ status: 200, text: '{"symbol":"ETHUSDT","interval":"1m","candles":[],"next":null}' });
  });

  it('answers many pages at once, each exact, while their output buffers are reused (ResponseBuffers)', async () => {
    // 3 rounds of 40 answers at once: more than the 16 buffers kept, each reused from an earlier answer.
    for (let round = 0; round < 3; round++) {
      const pages = Array.from({ length: 40 }, (_, i) => ({ from: i % 10, limit: 1 + ((i + round) % 10) }));
      const answers = await Promise.all(pages.map(({ from, limit }) => get(`symbol=TRXUSD_PERP&from=${T0 + from * 60_000}&limit=${limit}`)));
      answers.forEach((answer, i) => {
        const { from, limit } = pages[i];
        const candles = windows.slice(from, from + limit);
        const next = from + limit < windows.length ? `f${candles[candles.length - 1].startMs + 1}` : null;
        expect(answer.text).toBe(JSON.stringify({ symbol: 'TRXUSD_PERP', interval: '1m', candles: candles.map(candleOf), next }));
      });
    }
  });

  it('keeps each answer\'s buffer until a slow client has read it, while other answers take buffers', async () => {
    const big = Array.from({ length: 1000 }, (_, minute) => trades(minute, { symbol: 'BIGUSDT', close: `0.${2300 + minute}1` }));
    await new MysqlWindowRepository(db.pool).upsertWindows(big);
    const expected = JSON.stringify({ symbol: 'BIGUSDT', interval: '1m', candles: big.map(candleOf), next: null });
    // The slow client sends 16 requests for the whole 330 KiB page at once (pipelined) and reads
    // nothing for a while: more than the kernel's socket buffers take, so answers wait in the
    // API's process, each holding its buffer.
    const PIPELINED = 16;
    const slow = connect({ host: '127.0.0.1', port: api.port });
    const received: Buffer[] = [];
    slow.pause();
    slow.on('data', (chunk: Buffer) => received.push(chunk));
    const ended = new Promise((resolve) => slow.on('end', resolve));
    for (let n = 1; n <= PIPELINED; n++) {
      slow.write(`GET /api/candles?symbol=BIGUSDT&limit=1000 HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: ${n === PIPELINED ? 'close' : 'keep-alive'}\r\n\r\n`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Meanwhile other answers, as large, take buffers (those of the waiting answers, were they back too early).
    for (let round = 0; round < 3; round++) {
      const others = await Promise.all(Array.from({ length: 20 }, (_, i) => get(`symbol=BIGUSDT&limit=${1000 - i}&to=${T0 + (1000 - round) * 60_000}`)));
      for (const other of others) expect(other.status).toBe(200);
    }
    slow.resume();
    await ended;
    const bodies = httpBodies(Buffer.concat(received));
    expect(bodies).toHaveLength(PIPELINED);
    for (const body of bodies) {
      // Where they part, not 330 KiB of both.
      let at = 0;
      while (at < expected.length && body[at] === expected[at]) at++;
      expect({ length: body.length, from: body.slice(at, at + 80) }).toEqual({ length: expected.length, from: expected.slice(at, at + 80) });
    }
  });

  it('tags each page with an ETag: 304 while it is unchanged, 200 and a new tag once a row in it is revised', async () => {
    const url = `http://127.0.0.1:${api.port}/api/candles?symbol=TRXUSD_PERP&from=${T0}&limit=3`;
    const first = await fetch(url);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]{27}"$/);
    const body = await first.text();
    const again = await fetch(url, { headers: { 'if-none-match': etag! } });
    expect({ status: again.status, etag: again.headers.get('etag'), body: await again.text() }).toEqual({ status: 304, etag, body: '' });
    expect((await fetch(url, { headers: { 'if-none-match': `"other", W/${etag}` } })).status).toBe(304);
    expect((await fetch(url, { headers: { 'if-none-match': '"other"' } })).status).toBe(200);
    // A late trade revises minute 1: the page changes, and so does its tag.
    await new MysqlWindowRepository(db.pool).upsertWindows([{ ...windows[1], close: '101', revision: 1 }]);
    const revised = await fetch(url, { headers: { 'if-none-match': etag! } });
    expect(revised.status).toBe(200);
    expect(revised.headers.get('etag')).not.toBe(etag);
    expect(await revised.text()).not.toBe(body);
  });

  it('refuses a bad parameter with a 400 naming it', async () => {
    const response = await get('symbol=TRXUSD_PERP&limit=5000');
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text)).toMatchObject({ parameter: 'limit' });
  });
});

/** The bodies of HTTP/1.1 answers one after another on a connection, each with a Content-Length. */
function httpBodies(bytes: Buffer): string[] {
  const bodies: string[] = [];
  for (let at = 0; at < bytes.length;) {
    const headEnd = bytes.indexOf('\r\n\r\n', at);
    const length = Number(/content-length: *(\d+)/i.exec(bytes.toString('latin1', at, headEnd))?.[1]);
    bodies.push(bytes.toString('utf8', headEnd + 4, headEnd + 4 + length));
    at = headEnd + 4 + length;
  }
  return bodies;
}
