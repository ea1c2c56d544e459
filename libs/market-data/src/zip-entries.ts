import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';

/** One file inside a .zip archive, with a stream of its uncompressed bytes. */
export interface ZipEntry {
  readonly name: string;
  /** Opens the entry; `raw` sees the compressed bytes as they are read from disk. */
  open(onRawBytes?: (bytes: number) => void): Readable;
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_FILE_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;

/**
 * Lists the files of a .zip archive (as Binance's public data archives are), reading only the
 * central directory; entries are inflated as streams, never loaded whole. Zip64 and encrypted
 * archives are refused with a clear error.
 */
export async function zipEntries(path: string): Promise<ZipEntry[]> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const tailLength = Math.min(size, 65_557);
    const tail = Buffer.alloc(tailLength);
    await file.read(tail, 0, tailLength, size - tailLength);
    let end = tailLength - 22;
    while (end >= 0 && tail.readUInt32LE(end) !== END_OF_CENTRAL_DIRECTORY) end--;
    if (end < 0) throw new Error('not a zip archive (no end of central directory)');
    const count = tail.readUInt16LE(end + 10);
    const directorySize = tail.readUInt32LE(end + 12);
    const directoryOffset = tail.readUInt32LE(end + 16);
    if (count === 0xffff || directoryOffset === 0xffffffff) throw new Error('zip64 archives are not supported; unzip it first');
    const directory = Buffer.alloc(directorySize);
    await file.read(directory, 0, directorySize, directoryOffset);

    const entries: ZipEntry[] = [];
    let at = 0;
    for (let i = 0; i < count; i++) {
      if (directory.readUInt32LE(at) !== CENTRAL_FILE_HEADER) throw new Error('corrupt zip central directory');
      const flags = directory.readUInt16LE(at + 8);
      const method = directory.readUInt16LE(at + 10);
      const compressedSize = directory.readUInt32LE(at + 20);
      const nameLength = directory.readUInt16LE(at + 28);
      const extraLength = directory.readUInt16LE(at + 30);
      const commentLength = directory.readUInt16LE(at + 32);
      const localOffset = directory.readUInt32LE(at + 42);
      const name = directory.toString('utf8', at + 46, at + 46 + nameLength);
      at += 46 + nameLength + extraLength + commentLength;
      if (name.endsWith('/')) continue;
      if (flags & 1) throw new Error(`${name}: encrypted zip entries are not supported`);
      if (method !== STORED && method !== DEFLATED) throw new Error(`${name}: zip compression method ${method} is not supported`);

      const local = Buffer.alloc(30);
      await file.read(local, 0, 30, localOffset);
      if (local.readUInt32LE(0) !== LOCAL_FILE_HEADER) throw new Error(`${name}: corrupt zip local header`);
      const dataOffset = localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
      entries.push({
        name,
        open(onRawBytes) {
          const raw = createReadStream(path, { start: dataOffset, end: dataOffset + compressedSize - 1 });
          if (onRawBytes) raw.on('data', (chunk) => onRawBytes(chunk.length));
          if (compressedSize === 0) return raw;
          return method === DEFLATED ? raw.pipe(createInflateRaw()) : raw;
        },
      });
    }
    return entries;
  } finally {
    await file.close();
  }
}
