import { CryptostreamError } from '@cryptostream/schema';
import { WindowFigures, KLINE_INTERVALS, SizeSymbolState } from '@cryptostream/windowing';
import type { Pool, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { PartitionProgress } from './partition-progress';
import { insertDeadWindows, RefusedWindow, upsertSettingApartRefused } from './refused-windows';
import type { SqlExecutor } from './sql-executor';
import { PartitionWindowState, sizeSymbolStateOf, WINDOW_STATE_COLUMNS, windowStateRows } from './window-state';
import { upsertWindowRows } from './window-upsert';
import { asWriteError } from './write-errors';

/** Where closed windows are kept. Writing the same window again changes nothing. */
export interface WindowRepository {
  upsertWindows(windows: readonly WindowFigures[]): Promise<void>;
  /**
   * Writes windows, the progress that produced them and the window state of that progress in one
   * transaction. State is written only for partitions whose progress was taken. When MySQL
   * refuses the transaction for its data, one window must be at fault: it runs again with the
   * windows MySQL refuses set apart into `dead_windows`, so that one such window does not stall
   * every symbol; those are returned. Other failures are retriable {@link CryptostreamError}s,
   * and nothing is written.
   */
  commitWindows(windows: readonly WindowFigures[], progress: readonly PartitionProgress[], state?: readonly PartitionWindowState[]): Promise<RefusedWindow[]>;
  /** The stored progress of a consumer group in a topic, by partition. */
  readProgress(consumerGroup: string, topic: string): Promise<Map<number, PartitionProgress>>;
  /** The stored window state of one partition (several sizes, EMPTY_WINDOWS=carry). */
  readWindowState(consumerGroup: string, topic: string, partition: number): Promise<SizeSymbolState[]>;
}

const ROWS_PER_STATEMENT = 500;

/*
 * Progress only moves forward: a stale writer (an instance that has just lost the partition in a
 * rebalance) must not take it back. MySQL applies assignments left to right, so resume_offset is
 * assigned last and the conditions before it still see the stored value.
 */
const FORWARD = 'VALUES(resume_offset) >= resume_offset';
const PROGRESS_UPSERT =
  'INSERT INTO consumer_progress (consumer_group, topic, kafka_partition, resume_offset, next_offset, watermark_ms) ' +
  'VALUES (?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE ' +
  `next_offset = IF(${FORWARD}, VALUES(next_offset), next_offset), ` +
  `watermark_ms = IF(${FORWARD}, VALUES(watermark_ms), watermark_ms), ` +
  `resume_offset = IF(${FORWARD}, VALUES(resume_offset), resume_offset)`;

const STATE_PLACEHOLDERS = `(${WINDOW_STATE_COLUMNS.map(() => '?').join(', ')})`;
const STATE_FORWARD = 'VALUES(as_of_watermark_ms) >= as_of_watermark_ms';
const STATE_UPDATES = ['partial_window', 'kept_rollups', 'carried_end_ms', 'carried_close', 'carried_recent', 'as_of_watermark_ms']
  .map((column) => `${column} = IF(${STATE_FORWARD}, VALUES(${column}), ${column})`)
  .join(', ');

/**
 * `moving_averages` and `consumer_progress` in MySQL. Rows are upserted on (symbol, start_time,
 * end_time); `updated_at` moves only when a value really changes, so re-writing identical windows
 * is a no-op.
 */
export class MysqlWindowRepository implements WindowRepository {
  constructor(private readonly pool: SqlExecutor & Partial<Pick<Pool, 'getConnection'>>) {}

  /** Upserts in multi-row statements (see {@link upsertWindowRows}). */
  upsertWindows(windows: readonly WindowFigures[]): Promise<void> {
    return upsertWindowRows(this.pool, windows);
  }

  async commitWindows(windows: readonly WindowFigures[], progress: readonly PartitionProgress[], state: readonly PartitionWindowState[] = []): Promise<RefusedWindow[]> {
    try {
      await this.commitAllOrNothing(windows, progress, state);
      return [];
    } catch (error) {
      // Set apart only what MySQL refused for its data; anything else (no connection) is retried by the caller.
      if (!(error instanceof CryptostreamError) || error.retriable) throw error;
      return this.#commit(windows, progress, state, true);
    }
  }

  /**
   * {@link commitWindows} without setting anything apart: a window MySQL refuses fails the whole
   * transaction with a {@link CryptostreamError} that is not retriable.
   */
  async commitAllOrNothing(windows: readonly WindowFigures[], progress: readonly PartitionProgress[], state: readonly PartitionWindowState[] = []): Promise<void> {
    await this.#commit(windows, progress, state, false);
  }

  async #commit(windows: readonly WindowFigures[], progress: readonly PartitionProgress[], state: readonly PartitionWindowState[], setApartRefused: boolean): Promise<RefusedWindow[]> {
    if (!this.pool.getConnection) throw new Error('commitWindows needs a pool, not a single connection');
    const connection = await this.pool.getConnection();
    let refused: RefusedWindow[] = [];
    try {
      await connection.query('START TRANSACTION');
      if (setApartRefused) {
        refused = await upsertSettingApartRefused(connection, windows);
        await insertDeadWindows(connection, refused);
      } else {
        await upsertWindowRows(connection, windows);
      }
      for (const p of progress) {
        await connection.query(PROGRESS_UPSERT, [p.consumerGroup, p.topic, p.partition, p.resumeOffset, p.nextOffset, p.watermarkMs]);
      }
      await this.#upsertState(connection, state, progress);
      await connection.query('COMMIT');
    } catch (error) {
      await connection.query('ROLLBACK').catch(() => undefined);
      // A connection that failed mid-transaction may be broken: do not lend it out again.
      connection.destroy();
      throw asWriteError(error);
    }
    connection.release();
    return refused;
  }

  async readWindowState(consumerGroup: string, topic: string, partition: number): Promise<SizeSymbolState[]> {
    const [rows] = await this.pool.query<RowDataPacket[]>(
      `SELECT ${WINDOW_STATE_COLUMNS.join(', ')} FROM window_state WHERE consumer_group = ? AND topic = ? AND kafka_partition = ?`,
      [consumerGroup, topic, partition],
    );
    return rows.flatMap((row) => sizeSymbolStateOf(row, (label) => KLINE_INTERVALS[label] ?? (/^\d+s$/.test(label) ? parseInt(label, 10) * 1000 : undefined)) ?? []);
  }

  /**
   * True when the stored progress of the state's partition is the one committed with it: a stale
   * writer (a partition lost in a rebalance) whose progress was refused must not write state.
   */
  async #progressTaken(connection: SqlExecutor, state: PartitionWindowState, progress: readonly PartitionProgress[]): Promise<boolean> {
    const ours = progress.find((p) => p.consumerGroup === state.consumerGroup && p.topic === state.topic && p.partition === state.partition);
    if (ours === undefined) return false;
    const [rows] = await connection.query<RowDataPacket[]>(
      'SELECT resume_offset, next_offset FROM consumer_progress WHERE consumer_group = ? AND topic = ? AND kafka_partition = ?',
      [state.consumerGroup, state.topic, state.partition],
    );
    return rows.length === 1 && Number(rows[0]['resume_offset']) === ours.resumeOffset && Number(rows[0]['next_offset']) === ours.nextOffset;
  }

  /** State rows of the partitions whose progress this transaction stored (one check per partition). */
  async #upsertState(connection: SqlExecutor, state: readonly PartitionWindowState[], progress: readonly PartitionProgress[]): Promise<void> {
    if (state.length === 0) return;
    const taken = new Map<string, boolean>();
    const rows: unknown[][] = [];
    for (const entry of state) {
      const key = `${entry.consumerGroup}\u0000${entry.topic}\u0000${entry.partition}`;
      if (!taken.has(key)) taken.set(key, await this.#progressTaken(connection, entry, progress));
      if (taken.get(key)) rows.push(...windowStateRows(entry));
    }
    for (let from = 0; from < rows.length; from += ROWS_PER_STATEMENT) {
      const chunk = rows.slice(from, from + ROWS_PER_STATEMENT);
      const sql = `INSERT INTO window_state (${WINDOW_STATE_COLUMNS.join(', ')}) VALUES ${chunk.map(() => STATE_PLACEHOLDERS).join(', ')} ON DUPLICATE KEY UPDATE ${STATE_UPDATES}`;
      await connection.query<ResultSetHeader>(sql, chunk.flat());
    }
  }

  async readProgress(consumerGroup: string, topic: string): Promise<Map<number, PartitionProgress>> {
    const [rows] = await this.pool.query<RowDataPacket[]>(
      'SELECT kafka_partition, resume_offset, next_offset, watermark_ms FROM consumer_progress WHERE consumer_group = ? AND topic = ?',
      [consumerGroup, topic],
    );
    return new Map(
      rows.map((row) => [
        Number(row['kafka_partition']),
        {
          consumerGroup,
          topic,
          partition: Number(row['kafka_partition']),
          resumeOffset: Number(row['resume_offset']),
          nextOffset: Number(row['next_offset']),
          watermarkMs: row['watermark_ms'] === null ? null : Number(row['watermark_ms']),
        },
      ]),
    );
  }
}
