// PNG chunk handling: the size from IHDR, the alt text in an iTXt chunk with a valid CRC.
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PNG_SIGNATURE, pngChunks, pngSize, readText, withText } from '../../src/charts/png.ts';
import { renderPng } from '../../src/charts/render.ts';

const svg =
  '<svg xmlns="http://www.w3.org/2000/svg" width="30" height="20"><rect width="30" height="20" fill="#fff"/></svg>';

describe('png', () => {
  const { png } = renderPng(svg, { scale: 1 });

  it('reads the size from IHDR', () => {
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(pngSize(png)).toEqual({ width: 30, height: 20 });
  });

  it('carries UTF-8 text in an iTXt chunk before IEND, with a correct CRC', () => {
    const text = 'ROAS 10,1× − vs previous 10,7× (−5,2 %)';
    const tagged = withText(png, 'Description', text);
    expect(readText(tagged, 'Description')).toBe(text);
    expect(readText(tagged, 'Title')).toBeUndefined();
    const types = pngChunks(tagged).map((c) => c.type);
    expect(types.slice(-2)).toEqual(['iTXt', 'IEND']);
    // The CRC covers type and data.
    const at = tagged.length - 12 - 4;
    const chunk = pngChunks(tagged).at(-2)!;
    const expected = crc32(Buffer.concat([Buffer.from('iTXt', 'latin1'), chunk.data]));
    expect(tagged.readUInt32BE(at)).toBe(expected);
  });

  it('refuses what is not a PNG', () => {
    expect(() => pngSize(Buffer.from('GIF89a'))).toThrow(/not a PNG/);
    expect(() => pngChunks(png.subarray(0, 20))).toThrow(/cut short/);
  });
});
