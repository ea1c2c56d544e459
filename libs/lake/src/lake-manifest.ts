import type { Pool, PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { DatasetName } from './lake-datasets';
import type { FileDigest } from './lake-files';
import type { FileSpan } from './lake-paths';

/** One committed file, as `lake_files` lists it. */
export interface LakeFile extends FileSpan, FileDigest {
  /** Relative to LAKE_DIR. */
  readonly path: string;
  readonly dataset: DatasetName;
  readonly partitionDir: string;
  readonly rows: number;
  readonly minEventTimeMs: number;
  readonly maxEventTimeMs: number;
}

/** Where the archiver's group stands in one partition, and where its buffered records began. */
export interface ProgressStep {
  readonly consumerGroup: string;
  readonly topic: string;
  readonly partition: number;
  /** The progress the files were built from: the commit is refused unless the table still says so. */
  readonly fromOffset: number;
  /** The first offset after the records the files (and the skipped records) cover. */
  readonly nextOffset: number;
}

/** A file of the manifest as readers use it. */
export interface ListedFile {
  readonly id: number;
  readonly path: string;
  readonly partitionDir: string;
  readonly topic: string;
  readonly partition: number;
  readonly firstOffset: number;
  readonly lastOffset: number;
  readonly rows: number;
  readonly minEventTimeMs: number;
  readonly maxEventTimeMs: number;
}

const FILE_COLUMNS =
  'id, path, partition_dir AS partitionDir, topic, kafka_partition AS `partition`, first_offset AS firstOffset, last_offset AS lastOffset, ' +
  'row_count AS `rows`, min_event_time_ms AS minEventTimeMs, max_event_time_ms AS maxEventTimeMs';

/**
 * The lake's manifest in MySQL (`lake_files`, `lake_progress`, migration 011): the only record
 * of which files are part of the lake. Files and the progress past their records are committed
 * in one transaction, so each record of the topics is in exactly one committed file.
 */
export class LakeManifest {
  constructor(private readonly pool: Pool) {}

  /** `next_offset` of each partition of `topic` for the group (partitions never archived are absent). */
  async readProgress(consumerGroup: string, topic: string): Promise<Map<number, number>> {
    const [rows] = await this.pool.query<RowDataPacket[]>(
      'SELECT kafka_partition AS p, next_offset AS n FROM lake_progress WHERE consumer_group = ? AND topic = ?',
      [consumerGroup, topic],
    );
    return new Map(rows.map((row) => [Number(row['p']), Number(row['n'])]));
  }

  /**
   * Commits `files` and moves the partition's progress from `fromOffset` to `nextOffset`, in one
   * transaction. Returns false, committing nothing, when the stored progress is no longer
   * `fromOffset`: another archiver took the partition and archived past it (a rebalance).
   */
  async commit(step: ProgressStep, files: readonly LakeFile[]): Promise<boolean> {
    return this.#transaction(async (connection) => {
      const [rows] = await connection.query<RowDataPacket[]>(
        'SELECT next_offset AS n FROM lake_progress WHERE consumer_group = ? AND topic = ? AND kafka_partition = ? FOR UPDATE',
        [step.consumerGroup, step.topic, step.partition],
      );
      const stored = rows.length === 0 ? undefined : Number(rows[0]['n']);
      if (stored !== undefined && stored !== step.fromOffset) return false;
      if (files.length > 0) {
        await connection.query(
          'INSERT INTO lake_files (path, dataset, partition_dir, topic, kafka_partition, first_offset, last_offset, row_count, bytes, sha256, min_event_time_ms, max_event_time_ms) VALUES ?',
          [files.map((f) => [f.path, f.dataset, f.partitionDir, f.topic, f.partition, f.firstOffset, f.lastOffset, f.rows, f.bytes, f.sha256, f.minEventTimeMs, f.maxEventTimeMs])],
        );
      }
      await connection.query(
        'INSERT INTO lake_progress (consumer_group, topic, kafka_partition, next_offset) VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE next_offset = VALUES(next_offset)',
        [step.consumerGroup, step.topic, step.partition, step.nextOffset],
      );
      return true;
    });
  }

  /** Every path the manifest knows, committed or retired: files on disk outside it are not the lake's. */
  async knownPaths(): Promise<Set<string>> {
    const [rows] = await this.pool.query<RowDataPacket[]>('SELECT path FROM lake_files');
    return new Set(rows.map((row) => String(row['path'])));
  }

  /**
   * The committed files of a dataset, oldest offsets first; with `fromMs`/`toMs`, only those whose
   * event times meet `[fromMs, toMs)`, and with `partitionDirPattern` (SQL LIKE) only those directories.
   */
  async committedFiles(dataset: DatasetName, filter: { fromMs?: number; toMs?: number; partitionDirLike?: string } = {}): Promise<ListedFile[]> {
    const where = ["dataset = ?", "state = 'committed'"];
    const params: (string | number)[] = [dataset];
    if (filter.fromMs !== undefined) {
      where.push('max_event_time_ms >= ?');
      params.push(filter.fromMs);
    }
    if (filter.toMs !== undefined) {
      where.push('min_event_time_ms < ?');
      params.push(filter.toMs);
    }
    if (filter.partitionDirLike !== undefined) {
      where.push('partition_dir LIKE ?');
      params.push(filter.partitionDirLike);
    }
    const [rows] = await this.pool.query<RowDataPacket[]>(
      `SELECT ${FILE_COLUMNS} FROM lake_files WHERE ${where.join(' AND ')} ORDER BY topic, kafka_partition, first_offset`,
      params,
    );
    return rows.map(listedFile);
  }

  /**
   * Replaces `retired` (committed files of one directory) by `merged`, in one transaction: readers
   * that list the manifest see either the old files or the new one, never both or neither.
   * Returns false, changing nothing, when one of them is no longer committed (a concurrent compaction).
   */
  async replace(retired: readonly ListedFile[], merged: LakeFile): Promise<boolean> {
    return this.#transaction(async (connection) => {
      const ids = retired.map((file) => file.id);
      const [result] = await connection.query<ResultSetHeader>(
        "UPDATE lake_files SET state = 'retired', retired_at = CURRENT_TIMESTAMP(3) WHERE id IN (?) AND state = 'committed'",
        [ids],
      );
      if (result.affectedRows !== ids.length) return false;
      const f = merged;
      await connection.query(
        'INSERT INTO lake_files (path, dataset, partition_dir, topic, kafka_partition, first_offset, last_offset, row_count, bytes, sha256, min_event_time_ms, max_event_time_ms) VALUES (?)',
        [[f.path, f.dataset, f.partitionDir, f.topic, f.partition, f.firstOffset, f.lastOffset, f.rows, f.bytes, f.sha256, f.minEventTimeMs, f.maxEventTimeMs]],
      );
      return true;
    });
  }

  /** Retired files whose readers' grace has passed: safe to delete from disk, then {@link forget}. */
  async retiredBefore(graceMs: number): Promise<{ id: number; path: string }[]> {
    const [rows] = await this.pool.query<RowDataPacket[]>(
      "SELECT id, path FROM lake_files WHERE state = 'retired' AND retired_at < CURRENT_TIMESTAMP(3) - INTERVAL ? MICROSECOND",
      [graceMs * 1000],
    );
    return rows.map((row) => ({ id: Number(row['id']), path: String(row['path']) }));
  }

  async forget(ids: readonly number[]): Promise<void> {
    if (ids.length > 0) await this.pool.query("DELETE FROM lake_files WHERE state = 'retired' AND id IN (?)", [ids]);
  }

  async #transaction<T>(work: (connection: PoolConnection) => Promise<T>): Promise<T> {
    const connection = await this.pool.getConnection();
    try {
      await connection.beginTransaction();
      const result = await work(connection);
      if (result === false) await connection.rollback();
      else await connection.commit();
      return result;
    } catch (error) {
      await connection.rollback().catch(() => undefined);
      throw error;
    } finally {
      connection.release();
    }
  }
}

function listedFile(row: RowDataPacket): ListedFile {
  return {
    id: Number(row['id']), path: String(row['path']), partitionDir: String(row['partitionDir']), topic: String(row['topic']),
    partition: Number(row['partition']), firstOffset: Number(row['firstOffset']), lastOffset: Number(row['lastOffset']),
    rows: Number(row['rows']), minEventTimeMs: Number(row['minEventTimeMs']), maxEventTimeMs: Number(row['maxEventTimeMs']),
  };
}
