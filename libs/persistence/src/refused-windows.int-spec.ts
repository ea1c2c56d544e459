import { CryptostreamError } from '@cryptostream/schema';
import { createTestDatabase, TestDatabase } from './testing';
import type { WindowFigures } from '@cryptostream/windowing';
import type { RowDataPacket } from 'mysql2/promise';
import { MysqlWindowRepository } from './window.repository';

const T0 = Date.UTC(2025, 2, 4);
const window = (symbol: string, fields: Partial<WindowFigures> = {}): WindowFigures => ({
  symbol, startMs: T0, endMs: T0 + 60_000, averagePrice: '1.50000000', open: '1.5', high: '1.5', low: '1.5', close: '1.5',
  volume: '2', quoteVolume: '3', vwap: '1.50000000', tradeCount: 1, eventCount: 1, revision: 0, ...fields,
});
const progress = { consumerGroup: 'g', topic: 't', partition: 0, resumeOffset: 10, nextOffset: 12, watermarkMs: T0 + 60_000 };

/** Windows MySQL cannot take as they are: past INT UNSIGNED, and one more fraction digit than the column keeps. */
const POISON = [window('TOOMANYUSDT', { tradeCount: 5_000_000_000 }), window('ROUNDEDUSDT', { open: '1.0000000000001' })];

describe('windows MySQL refuses for their data (real MySQL)', () => {
  let db: TestDatabase;
  let repository: MysqlWindowRepository;
  beforeEach(async () => {
    db = await createTestDatabase();
    repository = new MysqlWindowRepository(db.pool);
  });
  afterEach(async () => {
    await db.drop();
  });
  const symbols = async (table: string) =>
    (await db.pool.query<RowDataPacket[]>(`SELECT symbol FROM ${table} ORDER BY symbol`))[0].map((row) => row['symbol'] as string);

  it('fail the whole transaction with a data error that is not retriable, rounding included', async () => {
    for (const poison of POISON) {
      const failure = await repository.commitAllOrNothing([window('GOODUSDT'), poison], [progress]).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(CryptostreamError);
      expect(failure).toMatchObject({ retriable: false, message: expect.stringMatching(/refused the data: Out of range value for column 'trade_count'|would change a value.*1265: Data truncated for column 'open'/) });
    }
    expect(await symbols('moving_averages')).toEqual([]);
    expect((await repository.readProgress('g', 't')).size).toBe(0);
  });

  it('are set apart into dead_windows with the reason, while the rest and the progress are written', async () => {
    const good = Array.from({ length: 1_200 }, (_, i) => window(`S${String(i).padStart(4, '0')}USDT`));
    const batch = [...good.slice(0, 300), POISON[0], ...good.slice(300, 900), POISON[1], ...good.slice(900)];
    const refused = await repository.commitWindows(batch, [progress]);
    expect(refused.map((r) => r.window.symbol)).toEqual(['TOOMANYUSDT', 'ROUNDEDUSDT']);
    expect(await symbols('moving_averages')).toEqual(good.map((w) => w.symbol));
    expect((await repository.readProgress('g', 't')).get(0)).toEqual(progress);
    const [dead] = await db.pool.query<RowDataPacket[]>('SELECT symbol, start_ms, end_ms, reason, window_json FROM dead_windows ORDER BY id');
    expect(dead).toEqual([
      { symbol: 'TOOMANYUSDT', start_ms: String(T0), end_ms: String(T0 + 60_000), reason: expect.stringMatching(/Out of range value for column 'trade_count'/), window_json: JSON.stringify(POISON[0]) },
      { symbol: 'ROUNDEDUSDT', start_ms: String(T0), end_ms: String(T0 + 60_000), reason: expect.stringMatching(/Data truncated for column 'open'/), window_json: JSON.stringify(POISON[1]) },
    ]);
  });

  it('leave a connection or schema error retriable, and write nothing', async () => {
    await db.pool.query('RENAME TABLE consumer_progress TO consumer_progress_hidden');
    const failure = await repository.commitWindows([window('GOODUSDT'), POISON[0]], [progress]).catch((error: unknown) => error);
    expect(failure).toMatchObject({ retriable: true, message: expect.stringMatching(/consumer_progress/) });
    expect(await symbols('moving_averages')).toEqual([]);
    expect(await symbols('dead_windows')).toEqual([]);
  });
});
