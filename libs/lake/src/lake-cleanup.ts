import { join } from 'node:path';
import { listLakeFiles, removeFile } from './lake-files';
import type { LakeManifest } from './lake-manifest';

/** What a clean-up removed. */
export interface CleanupResult {
  /** Files on disk the manifest does not list: written before a crash, never committed. */
  readonly uncommitted: number;
  /** Files a compaction replaced, once readers had `retiredGraceMs` to finish with them. */
  readonly retired: number;
}

/**
 * Makes the disk match the manifest: removes every lake file under `root` that `lake_files` does
 * not list (temporaries, and files renamed but not committed before a crash), and the retired
 * files past the readers' grace. Run before the archiver consumes, so that only committed files
 * are ever left. Only the lake's own file names are touched.
 */
export async function removeUncommittedFiles(root: string, manifest: LakeManifest, retiredGraceMs: number): Promise<CleanupResult> {
  // Disk first: a file committed between the two reads is then in the manifest's answer.
  const onDisk = await listLakeFiles(root);
  const known = await manifest.knownPaths();
  let uncommitted = 0;
  for (const path of onDisk) {
    if (known.has(path)) continue;
    await removeFile(join(root, path));
    uncommitted++;
  }
  const retired = await manifest.retiredBefore(retiredGraceMs);
  for (const file of retired) await removeFile(join(root, file.path));
  await manifest.forget(retired.map((file) => file.id));
  return { uncommitted, retired: retired.length };
}
