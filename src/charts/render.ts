// SVG to PNG in-process with resvg (Rust, prebuilt for each platform in its npm package): no
// browser, no system library, no system font. The one font is DejaVu Sans from the
// `dejavu-fonts-ttf` package, so a chart is drawn the same on every machine.
import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import { FONT_FAMILY } from './svg.ts';

const require = createRequire(import.meta.url);

/** Paths of the TTF files resvg loads (regular and bold: titles are bold). */
export function fontFiles(): string[] {
  return [
    require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
    require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
    require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Oblique.ttf'),
  ];
}

export interface RenderOptions {
  /** Pixels per CSS pixel: 2 (the default) keeps text sharp on high-density screens. */
  scale?: number;
}

export interface RenderedPng {
  png: Buffer;
  width: number;
  height: number;
}

/** The SVG as a PNG, `scale` times its size. Throws on an SVG resvg cannot parse. */
export function renderPng(svg: string, opts: RenderOptions = {}): RenderedPng {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: opts.scale ?? 2 },
    font: {
      fontFiles: fontFiles(),
      loadSystemFonts: false,
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
    },
    logLevel: 'off',
  });
  const image = resvg.render();
  return { png: image.asPng(), width: image.width, height: image.height };
}
