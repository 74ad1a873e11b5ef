// Unpacks a tar archive (ustar, as PGlite's dumpDataDir writes it; gzipped or not) from a file
// into a folder, as a stream: the store template is unpacked with a few buffers of memory,
// instead of whole inside PGlite's in-memory file system.
import { closeSync, createReadStream, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createGunzip } from 'node:zlib';

const BLOCK = 512;

function text(block: Buffer, from: number, length: number): string {
  const field = block.subarray(from, from + length);
  const end = field.indexOf(0);
  return (end === -1 ? field : field.subarray(0, end)).toString('utf8');
}

function octal(block: Buffer, from: number, length: number): number {
  const digits = text(block, from, length).trim();
  return digits === '' ? 0 : Number.parseInt(digits, 8);
}

interface Header {
  /** Relative: a leading `/` (PGlite writes absolute names) is dropped. */
  path: string;
  kind: 'file' | 'directory';
  mode: number;
  size: number;
}

function parseHeader(block: Buffer): Header | undefined {
  if (block.every((b) => b === 0)) return undefined; // end of the archive
  const prefix = text(block, 257, 6).startsWith('ustar') ? text(block, 345, 155) : '';
  const name = prefix ? `${prefix}/${text(block, 0, 100)}` : text(block, 0, 100);
  const path = name.replace(/^\/+/, '').replace(/\/+$/, '');
  if (path.split('/').includes('..')) throw new Error(`tar entry outside its folder: ${name}`);
  const type = String.fromCharCode(block[156] ?? 0);
  const kind = type === '5' ? 'directory' : type === '0' || type === '\0' ? 'file' : undefined;
  if (!kind) throw new Error(`tar entry of a kind this reader does not unpack (${type}): ${name}`);
  return { path, kind, mode: octal(block, 100, 8), size: octal(block, 124, 12) };
}

function isGzip(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const magic = Buffer.alloc(2);
    return readSync(fd, magic, 0, 2, 0) === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/** Unpacks the files and folders of the archive `file` into `dir`; links and the like are refused. */
export async function extractTar(file: string, dir: string): Promise<void> {
  const source = createReadStream(file);
  const stream = isGzip(file) ? source.pipe(createGunzip()) : source;
  let pending: Buffer = Buffer.alloc(0);
  let entry: { fd: number | undefined; left: number; padding: number } | undefined;
  let ended = false;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      while (!ended) {
        if (entry) {
          // The entry's data, then the padding to the next block.
          const take = Math.min(entry.left, pending.length);
          if (take > 0 && entry.fd !== undefined) writeSync(entry.fd, pending, 0, take);
          entry.left -= take;
          pending = pending.subarray(take);
          if (entry.left > 0) break;
          if (entry.fd !== undefined) closeSync(entry.fd);
          entry.fd = undefined;
          const skip = Math.min(entry.padding, pending.length);
          entry.padding -= skip;
          pending = pending.subarray(skip);
          if (entry.padding > 0) break;
          entry = undefined;
        }
        if (pending.length < BLOCK) break;
        const header = parseHeader(pending.subarray(0, BLOCK));
        pending = pending.subarray(BLOCK);
        if (!header) {
          ended = true;
          break;
        }
        const path = join(dir, header.path);
        const padding = (BLOCK - (header.size % BLOCK)) % BLOCK;
        if (header.kind === 'directory') {
          mkdirSync(path, { recursive: true, mode: header.mode || 0o700 });
          entry = { fd: undefined, left: header.size, padding };
        } else {
          mkdirSync(dirname(path), { recursive: true });
          entry = { fd: openSync(path, 'w', header.mode || 0o600), left: header.size, padding };
        }
      }
      if (ended) break;
    }
  } finally {
    if (entry?.fd !== undefined) closeSync(entry.fd);
    source.destroy();
  }
  // The end-of-archive blocks are optional; an entry's data is not.
  if (entry && entry.left > 0) throw new Error(`tar archive cut short: ${file}`);
}
