// A minimal PNG decoder for the tests: 8-bit RGBA, not interlaced (what resvg writes), the five
// row filters undone. Enough to compare rendered pixels, not a general decoder.
import { inflateSync } from 'node:zlib';
import { pngChunks, pngSize } from '../../src/charts/png.ts';

export interface Pixels {
  width: number;
  height: number;
  /** RGBA, row by row. */
  data: Uint8Array;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

export function decodePng(png: Buffer): Pixels {
  const { width, height } = pngSize(png);
  const chunks = pngChunks(png);
  const ihdr = chunks[0]!.data;
  if (ihdr[8] !== 8 || ihdr[9] !== 6 || ihdr[12] !== 0)
    throw new Error('only 8-bit RGBA, non-interlaced PNGs are decoded here');
  const raw = inflateSync(
    Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)),
  );
  const stride = width * 4;
  const data = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const src = y * (stride + 1) + 1;
    const row = y * stride;
    for (let i = 0; i < stride; i++) {
      const x = raw[src + i]!;
      const a = i >= 4 ? data[row + i - 4]! : 0;
      const b = y > 0 ? data[row - stride + i]! : 0;
      const c = i >= 4 && y > 0 ? data[row - stride + i - 4]! : 0;
      const predictor =
        filter === 0
          ? 0
          : filter === 1
            ? a
            : filter === 2
              ? b
              : filter === 3
                ? (a + b) >> 1
                : paeth(a, b, c);
      data[row + i] = (x + predictor) & 0xff;
    }
  }
  return { width, height, data };
}

/** The RGB of one pixel. */
export function pixelAt(p: Pixels, x: number, y: number): [number, number, number] {
  const i = (Math.round(y) * p.width + Math.round(x)) * 4;
  return [p.data[i]!, p.data[i + 1]!, p.data[i + 2]!];
}

export function hexRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
}

/** The largest channel difference between two colours. */
export function colourDistance(a: readonly number[], b: readonly number[]): number {
  return Math.max(...a.map((v, i) => Math.abs(v - (b[i] ?? 0))));
}

/** Share of pixels whose largest channel difference exceeds `threshold` (same size required). */
export function differingShare(a: Pixels, b: Pixels, threshold: number): number {
  if (a.width !== b.width || a.height !== b.height) return 1;
  let differing = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    const d = Math.max(
      Math.abs(a.data[i]! - b.data[i]!),
      Math.abs(a.data[i + 1]! - b.data[i + 1]!),
      Math.abs(a.data[i + 2]! - b.data[i + 2]!),
      Math.abs(a.data[i + 3]! - b.data[i + 3]!),
    );
    if (d > threshold) differing++;
  }
  return differing / (a.width * a.height);
}
