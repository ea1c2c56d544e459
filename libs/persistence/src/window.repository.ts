import { ClosedWindow, KLINE_INTERVALS, SizeSymbolState } from '@cryptostream/windowing';
import type { Pool, PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { PartitionProgress } from './partition-progress';
import { asWriteError, insertDeadWindows, RefusedWindow, refuseChangedValues, upsertSettingApartRefused } from './refused-windows';
import { WINDOW_COLUMNS, windowRowValues } from './window-row';
import { PartitionWindowState, sizeSymbolStateOf, WINDOW_STATE_COLUMNS, windowStateRows } from './window-state';

/** Where closed windows are kept. Writing the same window again changes nothing. */
export interface WindowRepository {
  upsertWindows(windows: readonly ClosedWindow[]): Promise<void>;
  /**
   * Writes windows, the progress that produced them and the window state of that progress
   * atomically: all or nothing. State is written only for partitions whose progress was taken.
   * Failures are {@link CryptostreamError}s, retriable unless MySQL refused the data. With
   * `setApartRefused`, windows MySQL refuses for their data go to `dead_windows` instead, in the
   * same transaction, and are returned.
   */
  commitWindows(
    windows: readonly ClosedWindow[], progress: readonly PartitionProgress[], state?: readonly PartitionWindowState[], options?: { setApartRefused?: boolean },
  ): Promise<RefusedWindow[]>;
  /** The stored progress of a consumer group in a topic, by partition. */
  readProgress(consumerGroup: string, topic: string): Promise<Map<number, PartitionProgress>>;
  /** The stored window state of one partition (several sizes, EMPTY_WINDOWS=carry). */
  readWindowState(consumerGroup: string, topic: string, partition: number): Promise<SizeSymbolState[]>;
}

/** The subset of mysql2 that the repository needs: a pool or one connection inside a transaction. */
export type SqlExecutor = Pick<Pool | PoolConnection, 'query'>;

/** A pool that can also lend one connection for a transaction. */
export type SqlPool = SqlExecutor & Pick<Pool, 'getConnection'>;

const ROWS_PER_STATEMENT = 500;
const PLACEHOLDERS = `(${WINDOW_COLUMNS.map(() => '?').join(', ')})`;
/*
 * A correction (revision > 0 from the engine) revises the stored row: revision + 1. A window
 * written again with revision 0 (rebuilt after a restart, same content) keeps the stored revision:
 * the engine cannot know how often a row was corrected before it started.
 */
const UPDATES = WINDOW_COLUMNS.filter((column) => !['start_time', 'end_time', 'window_size', 'symbol'].includes(column))
  .map((column) => (column === 'revision' ? 'revision = IF(VALUES(revision) > 0, revision + 1, revision)' : `${column} = VALUES(${column})`))
  .join(', ');

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

  /** Upserts in multi-row statements; call inside a transaction to make the batch atomic. */
  async upsertWindows(windows: readonly ClosedWindow[], executor: SqlExecutor = this.pool): Promise<void> {
    for (let from = 0; from < windows.length; from += ROWS_PER_STATEMENT) {
      const chunk = windows.slice(from, from + ROWS_PER_STATEMENT);
      const sql =
        `INSERT INTO moving_averages (${WINDOW_COLUMNS.join(', ')}) VALUES ` +
        chunk.map(() => PLACEHOLDERS).join(', ') +
        ` ON DUPLICATE KEY UPDATE ${UPDATES}`;
      const [result] = await executor.query<ResultSetHeader>(sql, chunk.flatMap(windowRowValues));
      await refuseChangedValues(executor, result);
    }
  }

  async commitWindows(
    windows: readonly ClosedWindow[], progress: readonly PartitionProgress[], state: readonly PartitionWindowState[] = [], { setApartRefused = false } = {},
  ): Promise<RefusedWindow[]> {
    if (!this.pool.getConnection) throw new Error('commitWindows needs a pool, not a single connection');
    const connection = await this.pool.getConnection();
    let refused: RefusedWindow[] = [];
    try {
      await connection.query('START TRANSACTION');
      if (setApartRefused) {
        refused = await upsertSettingApartRefused(windows, connection, (part) => this.upsertWindows(part, connection));
        await insertDeadWindows(connection, refused);
      } else {
        await this.upsertWindows(windows, connection);
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
