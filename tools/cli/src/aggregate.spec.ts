import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { combineKlines, Kline, readKlineFile } from '@cryptostream/market-data';
import { canonicalDecimal } from '@cryptostream/schema';
import { RECORDINGS } from '@cryptostream/testing';

const ROOT = join(__dirname, '../../..');
const { TRXUSDT, TRXUSD_PERP, TRXUSDT_KLINES: KLINES } = RECORDINGS;

/** Runs the command as `npm run -s aggregate -- …` does. */
function aggregate(...args: string[]) {
  const run = spawnSync(process.execPath, ['-r', '@swc-node/register', 'tools/cli/src/aggregate.main.ts', ...args], { cwd: ROOT, encoding: 'utf8' });
  const windows = run.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, string | number | null>);
  return { windows, stderr: run.stderr, status: run.status };
}

/** Decimals compared by value: "0.23030" and "0.2303" are the same number. */
const normalise = canonicalDecimal;

/** Every value column of a Binance kline, from a window `aggregate` printed and from the kline file. */
const klineColumnsOf = (w: Record<string, string | number | null> | undefined) => ({
  open: w?.['open'], high: w?.['high'], low: w?.['low'], close: w?.['close'], volume: w?.['volume'], quoteVolume: w?.['quote_volume'],
  count: w?.['trade_count'], takerBuyVolume: w?.['taker_buy_volume'], takerBuyQuoteVolume: w?.['taker_buy_quote_volume'],
});
const binanceColumnsOf = (k: Kline) => ({
  open: normalise(k.open), high: normalise(k.high), low: normalise(k.low), close: normalise(k.close), volume: normalise(k.volume),
  quoteVolume: normalise(k.quoteVolume), count: k.tradeCount, takerBuyVolume: normalise(k.takerBuyVolume), takerBuyQuoteVolume: normalise(k.takerBuyQuoteVolume),
});

describe('aggregate (the command)', () => {
  it('reproduces Binance\'s 1-minute klines of TRXUSDT digit for digit in every column, for every complete minute', async () => {
    const { windows, stderr, status } = aggregate('--window', '1m', TRXUSDT);
    expect(status).toBe(0);
    expect(stderr).toMatch(/9999 trades in 17 windows; left out: 1 non-market \(1 × non-positive price 0\.0\), 0 malformed, 0 late/);
    const klines = await readKlineFile(KLINES);
    const complete = klines.filter(({ openTimeMs }) => openTimeMs <= Date.UTC(2025, 2, 4, 0, 15));
    expect(complete).toHaveLength(16);
    const equal = complete.filter((kline) => {
      const window = windows.find((w) => w['start_time'] === new Date(kline.openTimeMs).toISOString());
      expect({ minute: window?.['start_time'], ...klineColumnsOf(window) }).toEqual({ minute: new Date(kline.openTimeMs).toISOString(), ...binanceColumnsOf(kline) });
      return true;
    });
    expect(equal).toHaveLength(16);
    expect(windows.find((w) => w['start_time'] === '2025-03-04T00:15:00.000Z')?.['trade_count']).toBe(715);
  });

  it('gives 1m and 5m windows at once; each complete 5m window is Binance\'s 1m klines combined, digit for digit in every column', async () => {
    const { windows, status } = aggregate('--window', '1m,5m', TRXUSDT);
    expect(status).toBe(0);
    const klines = (await readKlineFile(KLINES)).slice(0, 16);
    for (const [size, expected] of [['1m', klines], ['5m', combineKlines(klines, 300_000)]] as const) {
      if (size === '5m') expect(expected.map((k) => new Date(k.openTimeMs).toISOString().slice(11, 16))).toEqual(['00:00', '00:05', '00:10']);
      for (const kline of expected) {
        const window = windows.find((w) => w['window_size'] === size && w['start_time'] === new Date(kline.openTimeMs).toISOString());
        expect({ size, ...klineColumnsOf(window) }).toEqual({ size, ...binanceColumnsOf(kline) });
      }
    }
    // And every 5m window equals what the engine gives for 5m alone.
    const alone = aggregate('--window', '5m', TRXUSDT).windows;
    expect(windows.filter((w) => w['window_size'] === '5m')).toEqual(alone);
  });

  it('gives a COIN-M symbol a base volume and a taker buy base volume when its contract size is known', () => {
    const { windows } = aggregate('--window', '1h', '--contract-sizes', 'TRXUSD_PERP:10', TRXUSD_PERP);
    expect(windows).toHaveLength(4);
    expect(windows.every((w) => typeof w['base_volume'] === 'string' && /^\d+\.\d{1,8}$/.test(w['base_volume'] as string))).toBe(true);
    // A naive reference: every MARKET trade of the first hour, quantity × 10 / price at 8 decimals half-up, summed.
    const E8 = 10n ** 8n;
    const toScaled = (text: string, scale: number) => BigInt(text.replace('.', '') + '0'.repeat(scale - (text.split('.')[1]?.length ?? 0)));
    const firstHour = readFileSync(TRXUSD_PERP, 'utf8').trim().split('\n').slice(1).map((line) => line.split(','))
      .filter((cells) => cells[10] === 'MARKET' && Number(cells[4]) < Date.UTC(2025, 2, 4, 1));
    const baseOf = (trades: string[][]) => trades.reduce((total, cells) => {
      const [quantity, price] = [toScaled(cells[8], 10), toScaled(cells[7], 10)];
      return total + (2n * quantity * 10n * E8 + price) / (2n * price);
    }, 0n);
    const text = (sum: bigint) => canonicalDecimal(`${sum / E8}.${(sum % E8).toString().padStart(8, '0')}`);
    const takerBuys = firstHour.filter((cells) => cells[9] === '0');
    expect(takerBuys.length).toBeGreaterThan(100);
    expect(windows[0]['base_volume']).toBe(text(baseOf(firstHour)));
    expect(windows[0]['taker_buy_base_volume']).toBe(text(baseOf(takerBuys)));
    const tenths = takerBuys.reduce((total, cells) => total + toScaled(cells[8], 1), 0n); // quantities have one decimal
    expect(windows[0]['taker_buy_volume']).toBe(canonicalDecimal(`${tenths / 10n}.${tenths % 10n}`));
    expect(aggregate('--window', '1h', TRXUSD_PERP).windows.every((w) => !('base_volume' in w))).toBe(true);
  });

  it('prints every field, with ISO-8601 UTC times and decimals as strings', () => {
    const { windows } = aggregate(TRXUSDT);
    expect(windows[0]).toEqual({
      symbol: 'TRXUSDT', start_time: '2025-03-04T00:00:00.000Z', end_time: '2025-03-04T00:01:00.000Z', window_size: '1m',
      average_price: expect.stringMatching(/^0\.\d{8}$/), open: '0.23103', high: '0.23103', low: '0.23057', close: '0.23078',
      volume: '1443073', quote_volume: '332948.24274', vwap: expect.stringMatching(/^0\.\d{8}$/), trade_count: 714,
      taker_buy_volume: '288873', taker_buy_quote_volume: '66656.86979',
    });
  });

  it('keeps one symbol with --symbol, and sizes windows with --window', () => {
    const { windows, stderr } = aggregate('--window', '1h', '--symbol', 'trxusd_perp', TRXUSDT, TRXUSD_PERP);
    // Expected counts from: awk -F, 'NR>1 && $11=="MARKET" {c[int($5/3600000)]++}' on the file.
    expect(windows.map((w) => `${w['symbol']} ${w['start_time']} ${w['trade_count']}`)).toEqual([
      'TRXUSD_PERP 2025-03-04T00:00:00.000Z 1581',
      'TRXUSD_PERP 2025-03-04T01:00:00.000Z 4165',
      'TRXUSD_PERP 2025-03-04T02:00:00.000Z 3665',
      'TRXUSD_PERP 2025-03-04T03:00:00.000Z 589',
    ]);
    expect(stderr).toMatch(/10000 of other symbols/);
  });

  it('reports a malformed line with its file and number, skips it and exits 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aggregate-'));
    try {
      const file = join(dir, 'BTCUSDT-aggTrades-2026-01-01.csv');
      writeFileSync(file, '1,87648.5,0.001,10,12,1767225600000123,True,True\n2,87648.5,oops,13,13,1767225600500000,False,True\n3,87649.5,0.003,14,14,1767225660000000,False,True\n');
      const { windows, stderr, status } = aggregate(file);
      expect(status).toBe(1);
      expect(stderr).toContain(`${file}:2: price and quantity must be decimals`);
      expect(stderr).toMatch(/2 trades in 2 windows; left out: 0 non-market, 1 malformed/);
      expect(windows.map((w) => [w['start_time'], w['trade_count'], w['volume']])).toEqual([
        ['2026-01-01T00:00:00.000Z', 3, '0.001'],
        ['2026-01-01T00:01:00.000Z', 1, '0.003'],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a trade the engine refuses (negative quantity in JSON) as a malformed line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aggregate-'));
    try {
      const file = join(dir, 'stream.jsonl');
      writeFileSync(file, [
        '{"stream":"btcusdt@trade","data":{"e":"trade","E":1700000000001,"T":1700000000000,"s":"BTCUSDT","t":1,"p":"43200.12","q":"-0.5","m":true}}',
        '{"stream":"btcusdt@trade","data":{"e":"trade","E":1700000000002,"T":1700000000001,"s":"BTCUSDT","t":2,"p":"43200.10","q":"0.5","m":true}}',
      ].join('\n'));
      const { windows, stderr, status } = aggregate(file);
      expect(status).toBe(1);
      expect(stderr).toContain(`${file}:1: quantity must be a non-negative decimal string, got "-0.5"`);
      expect(windows).toMatchObject([{ symbol: 'BTCUSDT', open: '43200.1', volume: '0.5', trade_count: 1 }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('explains a bad option', () => {
    const { stderr, status } = aggregate('--window', '90x', TRXUSDT);
    expect(status).toBe(2);
    expect(stderr).toMatch(/--window must be a duration like 30s, 1m/);
  });
});
