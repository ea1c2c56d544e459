import type { DuckDBConnection } from '@duckdb/node-api';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { DatasetName } from './lake-datasets';
import { sqlString } from './lake-duckdb';
import { ensureDirectoryOf, publishFile, removeFile, syncAndDigest } from './lake-files';
import type { LakeFile, LakeManifest, ListedFile } from './lake-manifest';
import { lakeFilePath, temporaryPathOf } from './lake-paths';
import { PARQUET_OPTIONS } from './parquet-writer';

/** Which directories to compact. */
export interface CompactionScope {
  readonly dataset: DatasetName;
  readonly symbol?: string;
  /** `YYYY-MM-DD`. */
  readonly date?: string;
}

export interface CompactionResult {
  /** Directories (of one topic partition each) whose files were merged. */
  readonly merged: number;
  readonly filesBefore: number;
  readonly filesAfter: number;
  /** Retired files of earlier compactions deleted from disk, their readers' grace over. */
  readonly deletedRetired: number;
}

/**
 * Merges each directory's committed files (a symbol-day's, per topic partition) into one, in
 * offset order: the new file is written, fsynced and renamed, then one transaction retires the
 * old files and commits the new one ({@link LakeManifest.replace}). A reader that listed the
 * manifest before keeps reading the old files, which stay on disk for `retiredGraceMs`; one
 * that lists it after reads the new file. The rows are the same either way.
 */
export async function compactLake(root: string, manifest: LakeManifest, connection: DuckDBConnection, scope: CompactionScope, retiredGraceMs: number): Promise<CompactionResult> {
  const retired = await manifest.retiredBefore(retiredGraceMs);
  for (const file of retired) await removeFile(join(root, file.path));
  await manifest.forget(retired.map((file) => file.id));
  const like = `%${scope.symbol === undefined ? '' : `symbol=${scope.symbol}/%`}${scope.date === undefined ? '' : `date=${scope.date}`}%`;
  const files = await manifest.committedFiles(scope.dataset, { partitionDirLike: like });
  const groups = new Map<string, ListedFile[]>();
  for (const file of files) {
    const key = `${file.partitionDir} ${file.topic} ${file.partition}`;
    groups.set(key, [...(groups.get(key) ?? []), file]);
  }
  const token = randomBytes(4).toString('hex');
  let merged = 0;
  let filesBefore = 0;
  for (const group of groups.values()) {
    filesBefore += group.length;
    if (group.length < 2) continue;
    if (await mergeGroup(root, manifest, connection, scope.dataset, group, token)) merged++;
  }
  const after = await manifest.committedFiles(scope.dataset, { partitionDirLike: like });
  return { merged, filesBefore, filesAfter: after.length, deletedRetired: retired.length };
}

async function mergeGroup(root: string, manifest: LakeManifest, connection: DuckDBConnection, dataset: DatasetName, group: readonly ListedFile[], token: string): Promise<boolean> {
  const { partitionDir, topic, partition } = group[0];
  const span = { topic, partition, firstOffset: Math.min(...group.map((f) => f.firstOffset)), lastOffset: Math.max(...group.map((f) => f.lastOffset)) };
  const path = lakeFilePath(dataset, partitionDir, span, token, true);
  const finalPath = join(root, path);
  const temporaryPath = temporaryPathOf(finalPath);
  await ensureDirectoryOf(finalPath);
  const sources = group.map((file) => sqlString(join(root, file.path))).join(', ');
  await connection.run(`COPY (SELECT * FROM read_parquet([${sources}], hive_partitioning = false) ORDER BY kafka_partition, kafka_offset) TO ${sqlString(temporaryPath)} (${PARQUET_OPTIONS})`);
  const digest = await syncAndDigest(temporaryPath);
  await publishFile(temporaryPath, finalPath);
  const mergedFile: LakeFile = {
    path, dataset, partitionDir, ...span, ...digest,
    rows: group.reduce((sum, file) => sum + file.rows, 0),
    minEventTimeMs: Math.min(...group.map((f) => f.minEventTimeMs)),
    maxEventTimeMs: Math.max(...group.map((f) => f.maxEventTimeMs)),
  };
  try {
    if (await manifest.replace(group, mergedFile)) return true;
  } catch (error) {
    await removeFile(finalPath);
    throw error;
  }
  await removeFile(finalPath);
  return false;
}
