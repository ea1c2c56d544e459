import 'reflect-metadata';
import { MysqlWindowRepository } from '@cryptostream/persistence';
import type { WindowUpdate } from '@cryptostream/schema';
import { readRecordedTrades } from '@cryptostream/testing';
import { WindowFigures, MultiSizeWindowEngine } from '@cryptostream/windowing';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ApiWithUpdates } from '../testing/api-with-updates';

jest.setTimeout(180_000);

const LOGS = join(__dirname, '../../../../tmp/ccxt-test');

/** The recorded TRXUSDT (USDⓈ-M) and TRXUSD_PERP (COIN-M, 10 USD contracts) trades as stored windows of 1m and 5m. */
async function recordedWindows(): Promise<WindowFigures[]> {
  // One engine a symbol: the recordings follow each other, not one clock.
  const engines = new Map<string, MultiSizeWindowEngine>();
  const windows: WindowFigures[] = [];
  for (const trade of await readRecordedTrades()) {
    let engine = engines.get(trade.symbol);
    if (!engine) engines.set(trade.symbol, (engine = new MultiSizeWindowEngine({ sizesMs: [60_000, 300_000] })));
    engine.add({
      symbol: trade.symbol, price: trade.price, quantity: trade.quantity, eventTimeMs: trade.tradeTimeMs, tradeId: trade.tradeId,
      tradeCount: trade.tradeCount, isBuyerMaker: trade.isBuyerMaker, ...(trade.symbol.endsWith('_PERP') ? { contractSize: '10' } : {}),
    });
    windows.push(...engine.drainClosed());
  }
  for (const engine of engines.values()) windows.push(...engine.closeAll());
  return windows;
}

const CLIENT = join(__dirname, 'testing/ccxt-client.mjs');

/** ccxt as a user runs it, in a process of its own (testing/ccxt-client.mjs): the JSON lines it prints, as they come. */
function ccxtClient(job: object) {
  const child = spawn(process.execPath, [CLIENT, JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  createInterface({ input: child.stdout }).on('line', (line) => {
    try {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      stderr += `${line}\n`; // not the client's own line (a library's message): kept for the failure text
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  /** The next line after `after` lines that has `key`; an error line fails the test. */
  const line = async (key: string, after = 0, timeoutMs = 60_000): Promise<Record<string, unknown>> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = lines.slice(after).find((l) => key in l || 'error' in l);
      if (found && 'error' in found) throw new Error(`ccxt: ${String(found['error'])} ${stderr}`);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`ccxt printed no ${key} in ${timeoutMs} ms: ${JSON.stringify(lines).slice(0, 500)} ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  return { lines, line, exited, kill: () => child.kill(), stderr: () => stderr };
}

interface Candle { startMs: number; open: string; high: string; low: string; close: string; volume: string; baseVolume: string | null }
interface Fetched { ohlcv: number[][]; raw: string; path: string }

describe('ccxt, unchanged, against the API (real ccxt from npm, the API as a process, real MySQL)', () => {
  let stack: ApiWithUpdates;
  let apiUrl: string;
  const candles = async (symbol: string, interval: string): Promise<Candle[]> =>
    ((await (await fetch(`${apiUrl}/api/candles?symbol=${symbol}&interval=${interval}&limit=1000`)).json()) as { candles: Candle[] }).candles;
  /** ccxt parses the strings into numbers: the API's own strings, converted the same way. */
  const asOhlcv = (list: Candle[]) => list.map((c) => [c.startMs, Number(c.open), Number(c.high), Number(c.low), Number(c.close), Number(c.volume)]);

  beforeAll(async () => {
    stack = await ApiWithUpdates.start(LOGS, { WINDOW_SIZES: '1m,5m' });
    await new MysqlWindowRepository(stack.db.pool).upsertWindows(await recordedWindows());
    apiUrl = stack.url;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('binance: loadMarkets asks spot, USDⓈ-M and COIN-M exchangeInfo; fetchOHLCV equals /api/candles digit for digit, raw answer and all', async () => {
    const stored = await candles('TRXUSDT', '1m');
    expect(stored).toHaveLength(17);
    const client = ccxtClient({
      exchange: 'binance', apiUrl,
      fetches: [{ symbol: 'TRX/USDT', timeframe: '1m', limit: 1000 }, { symbol: 'TRX/USDT', timeframe: '1m', since: stored[5].startMs, limit: 3 }],
    });
    expect(await client.exited).toBe(0);
    const [{ calls }, all, paged] = client.lines as [{ calls: string[] }, Fetched, Fetched];
    expect([...calls].sort()).toEqual(['/api/v3/exchangeInfo', '/dapi/v1/exchangeInfo', '/fapi/v1/exchangeInfo']);
    expect(all.path).toBe('/api/v3/klines');
    expect(all.ohlcv).toEqual(asOhlcv(stored));
    // The raw answer ccxt parsed is byte for byte the API's, and its strings are /api/candles' own.
    const raw = await (await fetch(`${apiUrl}/api/v3/klines?symbol=TRXUSDT&interval=1m&limit=1000`)).text();
    expect(all.raw).toBe(raw);
    expect((JSON.parse(raw) as string[][]).map((k) => k.slice(1, 6))).toEqual(stored.map((c) => [c.open, c.high, c.low, c.close, c.volume]));
    // Paging by `since`, as ccxt users fetch history.
    expect(paged.ohlcv).toEqual(asOhlcv(stored.slice(5, 8)));
  });

  it('binanceusdm: loadMarkets asks USDⓈ-M exchangeInfo only; fetchOHLCV of a perpetual equals /api/candles', async () => {
    const stored = await candles('TRXUSDT', '5m');
    expect(stored.length).toBeGreaterThanOrEqual(4);
    const client = ccxtClient({ exchange: 'binanceusdm', apiUrl, fetches: [{ symbol: 'TRX/USDT:USDT', timeframe: '5m' }] });
    expect(await client.exited).toBe(0);
    const [{ calls }, fetched] = client.lines as [{ calls: string[] }, Fetched];
    expect(calls).toEqual(['/fapi/v1/exchangeInfo']);
    expect(fetched.path).toBe('/fapi/v1/klines');
    expect(fetched.ohlcv).toEqual(asOhlcv(stored));
    expect(fetched.raw).toBe(await (await fetch(`${apiUrl}/fapi/v1/klines?interval=5m&limit=500&symbol=TRXUSDT`)).text());
  });

  it('binancecoinm: fetchOHLCV of an inverse perpetual equals /api/candles, its volume the base asset volume (ccxt reads field 7 of COIN-M klines)', async () => {
    const stored = await candles('TRXUSD_PERP', '1m');
    const client = ccxtClient({ exchange: 'binancecoinm', apiUrl, fetches: [{ symbol: 'TRX/USD:TRX', timeframe: '1m', since: stored[0].startMs, limit: 1000 }] });
    expect(await client.exited).toBe(0);
    const [{ calls }, fetched] = client.lines as [{ calls: string[] }, Fetched];
    expect(calls).toEqual(['/dapi/v1/exchangeInfo']);
    expect(fetched.ohlcv).toEqual(asOhlcv(stored.map((c) => ({ ...c, volume: c.baseVolume! }))));
  });

  /**
   * ccxt pro's watchOHLCV of `symbol` while the aggregator's updates of one minute arrive: the
   * open candle twice (moving), the final one (after its row is in MySQL), the next minute open.
   */
  async function watchesTheCandleMoveAndClose(exchange: string, symbol: string, minute: number): Promise<void> {
    const startMs = (await candles('TRXUSDT', '1m')).at(-1)!.startMs + minute * 60_000;
    const state = (close: string, closed: boolean, at = startMs): WindowUpdate => ({
      symbol: 'TRXUSDT', source: 'trades', windowSizeMs: 60_000, startMs: at, endMs: at + 60_000, open: '0.23', high: '0.24', low: '0.22', close,
      volume: '10', quoteVolume: '2.3', baseVolume: null, takerBuyVolume: '4', takerBuyQuoteVolume: '0.92', takerBuyBaseVolume: null, vwap: '0.23',
      averagePrice: '0.23', tradeCount: 5, eventCount: 5, revision: 0, closed, publishedAtMs: Date.now(), firstTradeId: 1, lastTradeId: 5,
    });
    const send = (update: WindowUpdate) => stack.send(update);
    const client = ccxtClient({ exchange, apiUrl, watch: { symbol, timeframe: '1m', count: 1000 } });
    try {
      const last = (line: Record<string, unknown>) => (line['watch'] as number[][]).at(-1)!;
      /** Publishes `update` until ccxt's newest candle is the one expected (ccxt may connect after the first send). */
      const until = async (update: WindowUpdate, want: number[]) => {
        const deadline = Date.now() + 60_000;
        let seen = client.lines.length;
        for (;;) {
          await send({ ...update, publishedAtMs: Date.now() });
          const line = await client.line('watch', seen, 2_000).catch((error: Error) => {
            if (error.message.startsWith('ccxt:')) throw error;
            return undefined;
          });
          if (line && JSON.stringify(last(line)) === JSON.stringify(want)) return;
          if (Date.now() > deadline) throw new Error(`ccxt never saw ${JSON.stringify(want)}: ${JSON.stringify(client.lines.slice(-3))} ${client.stderr()}`);
          seen = client.lines.length;
        }
      };
      await until(state('0.231', false), [startMs, 0.23, 0.24, 0.22, 0.231, 10]);
      await until(state('0.232', false), [startMs, 0.23, 0.24, 0.22, 0.232, 10]);
      await new MysqlWindowRepository(stack.db.pool).upsertWindows([{
        symbol: 'TRXUSDT', startMs, endMs: startMs + 60_000, averagePrice: '0.23', open: '0.23', high: '0.24', low: '0.22', close: '0.233', volume: '10',
        quoteVolume: '2.3', vwap: '0.23', tradeCount: 5, eventCount: 5, revision: 0, takerBuyVolume: '4', takerBuyQuoteVolume: '0.92',
      }]);
      await until(state('0.233', true), [startMs, 0.23, 0.24, 0.22, 0.233, 10]);
      await until(state('0.234', false, startMs + 60_000), [startMs + 60_000, 0.23, 0.24, 0.22, 0.234, 10]);
      // The REST history has the closed candle ccxt saw last for the minute.
      expect((await candles('TRXUSDT', '1m')).at(-1)).toMatchObject({ startMs, close: '0.233' });
    } finally {
      client.kill();
      await client.exited;
    }
  }

  it('binance (ccxt pro): watchOHLCV sees the open candle moving, then the closed one, then the next', async () => {
    await watchesTheCandleMoveAndClose('binance', 'TRX/USDT', 1);
  });

  it('binanceusdm (ccxt pro): the same for a USDⓈ-M perpetual, on the futures stream path', async () => {
    await watchesTheCandleMoveAndClose('binanceusdm', 'TRX/USDT:USDT', 3);
  });
});
