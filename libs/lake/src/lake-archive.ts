import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ensureDirectoryOf, publishFile, removeFile, syncAndDigest } from './lake-files';
import { LakeFile, LakeManifest, ProgressStep } from './lake-manifest';
import { lakeFilePath, temporaryPathOf } from './lake-paths';
import type { LakeRow } from './lake-row';
import type { ParquetWriter } from './parquet-writer';
import { LakeStage, StagedFile } from './lake-stage';

/**
 * Where a fault test may stop the process (ARCHIVER_FAULT_POINT): with a temporary file
 * written, with the files renamed but not committed, and just after the commit.
 */
export const FAULT_POINTS = ['after-temporary-write', 'after-rename', 'after-commit'] as const;
export type FaultPoint = (typeof FAULT_POINTS)[number];

/** Called at each fault point; a fault test's hook kills the process there. */
export type FaultHook = (point: FaultPoint) => void;

/** What one commit did. */
export interface ArchiveCommit {
  /** False when the partition's stored progress had moved (another archiver has it): nothing kept. */
  readonly committed: boolean;
  readonly files: readonly LakeFile[];
}

/**
 * Writes records to the lake exactly once: each directory's rows to a temporary file, fsynced,
 * renamed, and then every file and the partition's progress in one MySQL transaction. A crash at
 * any point leaves either committed files with the progress past their records, or files the
 * manifest does not list — removed at the next start ({@link removeUncommittedFiles}) and
 * written again from the stored progress.
 */
export class LakeArchive {
  readonly #token = randomBytes(4).toString('hex');

  constructor(
    private readonly root: string,
    private readonly writer: ParquetWriter,
    private readonly manifest: LakeManifest,
    private readonly fault: FaultHook = () => undefined,
  ) {}

  /** Archives the rows (or the stage of rows) read from one topic partition between `step.fromOffset` and `step.nextOffset`. */
  async commit(step: ProgressStep, rows: readonly LakeRow[] | LakeStage): Promise<ArchiveCommit> {
    const stage = rows instanceof LakeStage ? rows : LakeStage.of(rows);
    const files: LakeFile[] = [];
    try {
      for (const staged of stage.files()) files.push(await this.#writeFile(step, staged));
      const committed = await this.manifest.commit(step, files);
      if (!committed) await this.#remove(files);
      else this.fault('after-commit');
      return { committed, files: committed ? files : [] };
    } catch (error) {
      // Whatever was written is not in the manifest: gone now, or at the next start if this fails too.
      await this.#remove(files).catch(() => undefined);
      throw error;
    }
  }

  async #writeFile(step: ProgressStep, staged: StagedFile): Promise<LakeFile> {
    const { dataset, partitionDir, firstOffset, lastOffset, minEventTimeMs, maxEventTimeMs } = staged;
    const span = { topic: step.topic, partition: step.partition, firstOffset, lastOffset };
    const path = lakeFilePath(dataset, partitionDir, span, this.#token);
    const finalPath = join(this.root, path);
    const temporaryPath = temporaryPathOf(finalPath);
    await ensureDirectoryOf(finalPath);
    await this.writer.writeStaged(staged, temporaryPath);
    this.fault('after-temporary-write');
    const digest = await syncAndDigest(temporaryPath);
    await publishFile(temporaryPath, finalPath);
    this.fault('after-rename');
    return { path, dataset, partitionDir, ...span, ...digest, rows: staged.rows, minEventTimeMs, maxEventTimeMs };
  }

  async #remove(files: readonly LakeFile[]): Promise<void> {
    for (const file of files) await removeFile(join(this.root, file.path));
  }
}
