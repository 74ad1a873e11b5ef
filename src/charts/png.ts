// The few PNG facts the charts need, without a decoder: the signature, the IHDR size, and text
// chunks (the alt text travels inside the image as an iTXt `Description`, UTF-8).
import { crc32 } from 'node:zlib';

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface PngChunk {
  type: string;
  data: Buffer;
}

/** Every chunk in order; throws on a buffer that is not a PNG or is cut short. */
export function pngChunks(png: Buffer): PngChunk[] {
  if (png.length < 8 || !png.subarray(0, 8).equals(PNG_SIGNATURE))
    throw new Error('not a PNG: the signature is missing');
  const chunks: PngChunk[] = [];
  let at = 8;
  while (at < png.length) {
    if (at + 12 > png.length) throw new Error('PNG cut short');
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    if (at + 12 + length > png.length) throw new Error(`PNG chunk ${type} cut short`);
    chunks.push({ type, data: png.subarray(at + 8, at + 8 + length) });
    at += 12 + length;
  }
  return chunks;
}

/** Width and height from the IHDR chunk, which must come first. */
export function pngSize(png: Buffer): { width: number; height: number } {
  const ihdr = pngChunks(png)[0];
  if (ihdr?.type !== 'IHDR' || ihdr.data.length < 8) throw new Error('PNG without IHDR first');
  return { width: ihdr.data.readUInt32BE(0), height: ihdr.data.readUInt32BE(4) };
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** The PNG with an uncompressed iTXt chunk (`keyword`, UTF-8 `text`) inserted before IEND. */
export function withText(png: Buffer, keyword: string, value: string): Buffer {
  const chunks = pngChunks(png);
  if (chunks.at(-1)?.type !== 'IEND') throw new Error('PNG without IEND last');
  // keyword NUL, compression flag 0, method 0, language tag "" NUL, translated keyword "" NUL.
  const data = Buffer.concat([
    Buffer.from(keyword, 'latin1'),
    Buffer.from([0, 0, 0, 0, 0]),
    Buffer.from(value, 'utf8'),
  ]);
  const iend = png.length - 12;
  return Buffer.concat([png.subarray(0, iend), chunk('iTXt', data), png.subarray(iend)]);
}

/** The text of the first iTXt chunk named `keyword` (uncompressed), or undefined. */
export function readText(png: Buffer, keyword: string): string | undefined {
  for (const c of pngChunks(png)) {
    if (c.type !== 'iTXt') continue;
    const nul = c.data.indexOf(0);
    if (c.data.toString('latin1', 0, nul) !== keyword || c.data[nul + 1] !== 0) continue;
    const language = c.data.indexOf(0, nul + 3);
    const translated = c.data.indexOf(0, language + 1);
    return c.data.toString('utf8', translated + 1);
  }
  return undefined;
}
