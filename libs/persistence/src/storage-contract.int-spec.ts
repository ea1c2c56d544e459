import {
  canonicalDecimal, DECIMAL_FRACTION_DIGITS as F, DECIMAL_INTEGER_DIGITS as I, MAX_EVENT_TIME_MS, MIN_EVENT_TIME_MS,
  parsePriceMessage, SYMBOL_MAX_LENGTH,
} from '@cryptostream/schema';
import { createTestDatabase, TestDatabase, testDatabaseName } from './testing';
import { WindowFigures, MultiSizeWindowEngine, windowSizeLabel } from '@cryptostream/windowing';
import fc from 'fast-check';
import type { RowDataPacket } from 'mysql2/promise';
import { MysqlCandleRepository, StoredCandle } from './candle.repository';
import { migrate } from './migrate';
import { MIGRATIONS } from './migrations';
import { exactWindowColumns } from './migrations/005-exact-window-columns';
import { createMysqlPool, ensureDatabase } from './mysql-pool';
import { parseMysqlUrl } from './mysql-url';
import { checkStorageContract } from './storage-contract';
import { toMysqlDateTime } from './window-row';
import { MysqlWindowRepository } from './window.repository';

const LARGEST = `${'9'.repeat(I)}.${'9'.repeat(F)}`;
const SMALLEST = `0.${'0'.repeat(F - 1)}1`;

/** Decimal strings the schema accepts, biased to its edges: longest, largest, smallest. */
const decimalAtLimits = (positive: boolean) =>
  fc.oneof(
    fc.constantFrom(LARGEST, SMALLEST, '9'.repeat(I), `1${'0'.repeat(I - 1)}`, `0.${'9'.repeat(F)}`, ...(positive ? [] : ['0', `0.${'0'.repeat(F)}`])),
    fc.tuple(fc.bigInt({ min: positive ? 1n : 0n, max: 10n ** BigInt(I + F) - 1n }), fc.nat({ max: F })).map(([mantissa, places]) => {
      const digits = mantissa.toString().padStart(places + 1, '0');
      const text = places === 0 ? digits : `${digits.slice(0, -places)}.${digits.slice(-places)}`;
      return text.replace(/^0+(?=\d)/, '');
    }).filter((text) => text.split('.')[0].length <= I),
  );

const symbolAtLimits = fc.oneof(fc.constantFrom('A'.repeat(SYMBOL_MAX_LENGTH), `9${'_-Z'.repeat(10)}X`, 'BT'), fc.stringMatching(/^[A-Z0-9][A-Z0-9_-]{1,31}$/));
const timeAtLimits = fc.oneof(fc.constantFrom(MIN_EVENT_TIME_MS, MAX_EVENT_TIME_MS, MAX_EVENT_TIME_MS - 1), fc.integer({ min: MIN_EVENT_TIME_MS, max: MAX_EVENT_TIME_MS }));

const message = fc.record({
  symbol: symbolAtLimits,
  price: decimalAtLimits(true),
  quantity: decimalAtLimits(false),
  eventTimeMs: timeAtLimits,
  tradeId: fc.oneof(fc.constantFrom(0, Number.MAX_SAFE_INTEGER), fc.nat()),
  tradeCount: fc.oneof(fc.constantFrom(1, 1_000_000), fc.integer({ min: 1, max: 1_000_000 })),
  contractSize: fc.option(decimalAtLimits(true), { freq: 3, nil: undefined }),
  // Mostly taker buys, so that the taker-buy sums reach the limits of the volumes they are part of.
  isBuyerMaker: fc.constantFrom(false, false, false, true),
  repeat: fc.oneof({ weight: 9, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.integer({ min: 2, max: 300 }) }),
});

interface MessageSpec {
  readonly symbol: string;
  readonly price: string;
  readonly quantity: string;
  readonly eventTimeMs: number;
  readonly tradeId: number;
  readonly tradeCount: number;
  /** COIN-M contract size: the window gets a base volume (of the symbol's messages that carry one). */
  readonly contractSize?: string;
  readonly isBuyerMaker: boolean;
  /** How many times the message is added (distinct trade ids): sums far past one value, yet
   * at most 12 × 300 × 1,000,000 trades, within INT UNSIGNED trade_count. */
  readonly repeat: number;
}

/**
 * The windows the engine makes of the messages (each checked by the schema first), in the finest
 * size and rolled up to a day: the largest sums.
 */
function windowsOf(messages: readonly MessageSpec[], finestMs: number): WindowFigures[] {
  const engine = new MultiSizeWindowEngine({ sizesMs: [finestMs, 3_600_000, 86_400_000], graceMs: MAX_EVENT_TIME_MS });
  for (const { repeat, ...fields } of messages) {
    const raw = JSON.stringify({ ...fields, timestamp: fields.eventTimeMs / 1000 });
    const parsed = parsePriceMessage(raw);
    if (typeof parsed === 'string') throw new Error(`generated an invalid message (${parsed}): ${raw}`);
    for (let i = 0; i < repeat; i++) engine.add({ ...fields, tradeId: Math.abs(fields.tradeId - i) });
  }
  return engine.closeAll();
}

/** One symbol is COIN-M or not: a contract size on some of its messages only is not a market. */
function oneKindPerSymbol(messages: readonly MessageSpec[]): MessageSpec[] {
  const contractSizes = new Map<string, string | undefined>();
  return messages.map((spec) => {
    if (!contractSizes.has(spec.symbol)) contractSizes.set(spec.symbol, spec.contractSize);
    return { ...spec, contractSize: contractSizes.get(spec.symbol) };
  });
}

describe('storage contract (real MariaDB/MySQL)', () => {
  let db: TestDatabase;
  beforeAll(async () => { db = await createTestDatabase(); });
  afterAll(async () => { await db.drop(); });

  it('stores every window of valid messages at the limits exactly as computed', async () => {
    const repository = new MysqlWindowRepository(db.pool);
    const seen = { windows: 0, coinM: 0, day: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(message, { minLength: 1, maxLength: 12 }), fc.constantFrom(1_000, 60_000), async (messages, finestMs) => {
        const windows = windowsOf(oneKindPerSymbol(messages), finestMs);
        seen.windows += windows.length;
        seen.coinM += windows.filter((w) => w.baseVolume !== undefined).length;
        seen.day += windows.filter((w) => w.endMs - w.startMs === 86_400_000).length;
        await db.pool.query('DELETE FROM moving_averages');
        await repository.upsertWindows(windows);
        const [rows] = await db.pool.query<RowDataPacket[]>('SELECT * FROM moving_averages');
        expect(rows).toHaveLength(windows.length);
        const byKey = new Map(rows.map((row) => [`${row['symbol']} ${row['start_time']} ${row['end_time']}`, row]));
        for (const window of windows) {
          const row = byKey.get(`${window.symbol} ${toMysqlDateTime(window.startMs)} ${toMysqlDateTime(window.endMs)}`);
          expect(row && storedWindow(row)).toEqual(expectedRow(window));
          // And the API reads it back exactly (the row text of candle pages).
          const windowSize = windowSizeLabel(window.endMs - window.startMs);
          const { candles } = await new MysqlCandleRepository(db.pool).page({ symbol: window.symbol, windowSize, direction: 'forward', fromMs: window.startMs, limit: 1 });
          expect(candles).toEqual([expectedCandle(window)]);
        }
      }),
      { numRuns: 60 },
    );
    expect(seen.coinM).toBeGreaterThan(0);
    expect(seen.day).toBeGreaterThan(0);
    // 60 runs of upserts and reads: about 3 s idle, several times that on a loaded machine.
  }, 120_000);

  it('refuses to run on columns narrower than the schema accepts, naming them', async () => {
    const url = new URL(db.url);
    url.pathname = `/${testDatabaseName('cryptostream_test_old')}`;
    const settings = parseMysqlUrl(url.toString());
    await ensureDatabase(settings);
    const pool = createMysqlPool(settings);
    try {
      await migrate(pool, MIGRATIONS.filter((m) => m.version < exactWindowColumns.version));
      await expect(checkStorageContract(pool)).rejects.toThrow(
        /average_price is decimal\(20,8\), needs DECIMAL\(24,8\).*open is decimal\(30,10\), needs DECIMAL\(27,12\).*apply the migrations/,
      );
      expect(await migrate(pool)).toEqual(MIGRATIONS.filter((m) => m.version >= exactWindowColumns.version).map((m) => m.version));
      await checkStorageContract(pool);
    } finally {
      await pool.query(`DROP DATABASE IF EXISTS \`${settings.database}\``);
      await pool.end();
    }
  });
});

const DECIMALS = ['average_price', 'open', 'high', 'low', 'close', 'volume', 'quote_volume', 'base_volume', 'taker_buy_volume', 'taker_buy_quote_volume', 'taker_buy_base_volume', 'vwap'] as const;

function expectedRow(window: WindowFigures): Record<string, unknown> {
  return {
    symbol: window.symbol, start_time: toMysqlDateTime(window.startMs), end_time: toMysqlDateTime(window.endMs),
    average_price: canonicalDecimal(window.averagePrice), open: window.open, high: window.high, low: window.low, close: window.close,
    volume: window.volume, quote_volume: window.baseVolume === undefined ? window.quoteVolume : null,
    base_volume: window.baseVolume ?? null, taker_buy_volume: window.takerBuyVolume,
    taker_buy_quote_volume: window.baseVolume === undefined ? window.takerBuyQuoteVolume : null, taker_buy_base_volume: window.takerBuyBaseVolume ?? null,
    vwap: window.vwap === null ? null : canonicalDecimal(window.vwap),
    trade_count: window.tradeCount, event_count: window.eventCount,
    first_trade_id: String(window.firstTradeId), last_trade_id: String(window.lastTradeId),
  };
}

function expectedCandle(window: WindowFigures): StoredCandle {
  return {
    symbol: window.symbol, source: 'trades', startMs: window.startMs, endMs: window.endMs,
    open: window.open, high: window.high, low: window.low, close: window.close,
    volume: window.volume, quoteVolume: window.baseVolume === undefined ? window.quoteVolume : null, baseVolume: window.baseVolume ?? null,
    takerBuyVolume: window.takerBuyVolume!, takerBuyQuoteVolume: window.baseVolume === undefined ? window.takerBuyQuoteVolume! : null,
    takerBuyBaseVolume: window.takerBuyBaseVolume ?? null,
    vwap: window.vwap === null ? null : canonicalDecimal(window.vwap), averagePrice: canonicalDecimal(window.averagePrice),
    tradeCount: window.tradeCount, revision: window.revision,
  };
}

function storedWindow(row: RowDataPacket): Record<string, unknown> {
  const stored: Record<string, unknown> = {
    symbol: row['symbol'], start_time: row['start_time'], end_time: row['end_time'],
    trade_count: row['trade_count'], event_count: row['event_count'],
    first_trade_id: String(row['first_trade_id']), last_trade_id: String(row['last_trade_id']),
  };
  for (const column of DECIMALS) stored[column] = row[column] === null ? null : canonicalDecimal(String(row[column]));
  return stored;
}
