import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { isLakeFileName } from './lake-paths';

/** Size and SHA-256 of a written file, as the manifest records them. */
export interface FileDigest {
  readonly bytes: number;
  readonly sha256: string;
}

/** Creates the directory a file will be written into. */
export async function ensureDirectoryOf(path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
}

/** Forces a written file's bytes to disk, then returns its size and checksum. */
export async function syncAndDigest(path: string): Promise<FileDigest> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return { bytes: (await stat(path)).size, sha256: hash.digest('hex') };
}

/** Renames the temporary file to its final name, then syncs the directory so the rename survives a crash. */
export async function publishFile(temporaryPath: string, finalPath: string): Promise<void> {
  await rename(temporaryPath, finalPath);
  const directory = await open(dirname(finalPath), 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}

/** Every lake file (data files and temporaries) under `root`, as paths relative to it. */
export async function listLakeFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  return entries
    .filter((entry) => entry.isFile() && isLakeFileName(entry.name))
    .map((entry) => join(entry.parentPath, entry.name).slice(root.length + 1));
}

export async function removeFile(path: string): Promise<void> {
  await rm(path, { force: true });
}
