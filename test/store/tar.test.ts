// Unpacking the store template: archives written here by hand (ustar headers), plain and
// gzipped, with data that spans many stream chunks; and what is refused.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractTar } from '../../src/store/tar.ts';

interface Entry {
  name: string;
  type?: '0' | '5' | '2';
  mode?: number;
  data?: Buffer;
}

function header(e: Entry): Buffer {
  const h = Buffer.alloc(512);
  h.write(e.name, 0, 100, 'utf8');
  h.write(`${(e.mode ?? 0o644).toString(8).padStart(7, '0')}\0`, 100);
  h.write(`${(e.data?.length ?? 0).toString(8).padStart(11, '0')}\0`, 124);
  h.write(e.type ?? '0', 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  h.fill(' ', 148, 156); // the checksum is computed over spaces in its own field
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return h;
}

function tar(entries: Entry[], { end = true } = {}): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    parts.push(header(e));
    const data = e.data ?? Buffer.alloc(0);
    parts.push(data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  if (end) parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/** 300 KB of a pattern that shows any shifted or lost byte. */
const BIG = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 31 + (i >> 9)) % 251));

const ENTRIES: Entry[] = [
  { name: '/base/', type: '5', mode: 0o700 },
  { name: '/base/1/', type: '5', mode: 0o700 },
  { name: '/base/1/1249', mode: 0o600, data: BIG },
  { name: '/PG_VERSION', mode: 0o600, data: Buffer.from('17\n') },
  { name: '/empty', mode: 0o600 },
];

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'kpibot-tar-'));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

function archive(name: string, bytes: Buffer): string {
  const path = join(root, name);
  writeFileSync(path, bytes);
  return path;
}

describe('extractTar', () => {
  it.each([
    ['plain', (b: Buffer) => b],
    ['gzipped', (b: Buffer) => gzipSync(b)],
  ])(
    'unpacks a %s archive: folders, files byte for byte, modes, no leading slash',
    async (kind, pack) => {
      const dir = join(root, `out-${kind}`);
      await extractTar(archive(`t-${kind}.tar`, pack(tar(ENTRIES))), dir);
      expect(readdirSync(dir).sort()).toEqual(['PG_VERSION', 'base', 'empty']);
      expect(readFileSync(join(dir, 'base/1/1249')).equals(BIG)).toBe(true);
      expect(readFileSync(join(dir, 'PG_VERSION'), 'utf8')).toBe('17\n');
      expect(statSync(join(dir, 'empty')).size).toBe(0);
      expect(statSync(join(dir, 'base/1/1249')).mode & 0o777).toBe(0o600);
    },
  );

  it('unpacks an archive without the end-of-archive blocks', async () => {
    const dir = join(root, 'out-no-end');
    await extractTar(archive('no-end.tar', tar(ENTRIES, { end: false })), dir);
    expect(readFileSync(join(dir, 'base/1/1249')).equals(BIG)).toBe(true);
  });

  it('refuses an archive cut short in the middle of a file', async () => {
    const whole = tar(ENTRIES, { end: false });
    const path = archive('short.tar', whole.subarray(0, 512 * 3 + 1000));
    await expect(extractTar(path, join(root, 'out-short'))).rejects.toThrow(/cut short/);
  });

  it('refuses an entry that climbs out of the folder, and links', async () => {
    const climb = archive('climb.tar', tar([{ name: '../evil', data: Buffer.from('x') }]));
    await expect(extractTar(climb, join(root, 'out-climb'))).rejects.toThrow(/outside/);
    const link = archive('link.tar', tar([{ name: 'l', type: '2' }]));
    await expect(extractTar(link, join(root, 'out-link'))).rejects.toThrow(/kind/);
  });
});
