// The rendered PNGs, decoded: against golden images with a tolerance (anti-aliasing may differ
// by a shade; the picture may not), and probed where the SVG says bars, gaps and lines are.
import { describe, expect, it } from 'vitest';
import { breakdownChart } from '../../src/charts/breakdown.ts';
import { renderPng } from '../../src/charts/render.ts';
import { COLORS } from '../../src/charts/svg.ts';
import { trendChart } from '../../src/charts/trend.ts';
import { breakdownAnswer, context, trendAnswer } from './fixtures.ts';
import { golden } from './golden.ts';
import { colourDistance, decodePng, differingShare, hexRgb, pixelAt } from './png-pixels.ts';
import { ofKind, svgElements } from './svg-parse.ts';

const SCALE = 2;
/** A pixel differs when a channel is off by more than this… */
const SHADE = 48;
/** …and at most this share of the pixels may differ. */
const MAX_DIFFERING = 0.005;

describe.each([
  ['trend', trendChart(trendAnswer, context)],
  ['breakdown', breakdownChart(breakdownAnswer, context)],
])('the %s chart as a PNG', (name, chart) => {
  const rendered = renderPng(chart.svg, { scale: SCALE });
  const pixels = decodePng(rendered.png);

  it('is twice the SVG size', () => {
    expect([pixels.width, pixels.height]).toEqual([chart.width * SCALE, chart.height * SCALE]);
  });

  it('matches its golden image within the tolerance', () => {
    const expected = decodePng(golden(`${name}.png`, rendered.png));
    expect(differingShare(pixels, expected, SHADE)).toBeLessThanOrEqual(MAX_DIFFERING);
  });

  it('draws text with the shipped font (the title row is not blank)', () => {
    let dark = 0;
    for (let x = 16 * SCALE; x < 300 * SCALE; x++)
      if (colourDistance(pixelAt(pixels, x, 20 * SCALE), [255, 255, 255]) > 128) dark++;
    expect(dark).toBeGreaterThan(20);
  });
});

describe('pixels where the SVG puts things', () => {
  const chart = breakdownChart(breakdownAnswer, context);
  const pixels = decodePng(renderPng(chart.svg, { scale: SCALE }).png);
  const els = svgElements(chart.svg);
  const series = hexRgb(COLORS.series);

  it('each bar is filled in the series colour', () => {
    for (const bar of ofKind(els, 'bar')) {
      const x = Number(bar.attrs.x) + Number(bar.attrs.width) / 2;
      const y = Number(bar.attrs.y) + Number(bar.attrs.height) / 2;
      expect(colourDistance(pixelAt(pixels, x * SCALE, y * SCALE), series)).toBeLessThan(8);
    }
  });

  it('a group without data has no bar: beyond its label the row is background', () => {
    const [google] = ofKind(els, 'bar');
    const zero = Number(google!.attrs.x);
    for (const label of ofKind(els, 'no-data')) {
      const y = Number(label.attrs.y) - 4;
      // Past the "no data" words, up to where the longest bar ends (grid and floor lines aside).
      for (let x = zero + 90; x < zero + Number(google!.attrs.width); x += 7) {
        const px = pixelAt(pixels, x * SCALE, y * SCALE);
        expect(colourDistance(px, series)).toBeGreaterThan(100);
      }
    }
  });

  it('the floor line is drawn in the threshold colour', () => {
    const [line] = ofKind(els, 'threshold');
    const x = Number(line!.attrs.x1);
    const threshold = hexRgb(COLORS.threshold);
    let hits = 0;
    for (let y = Number(line!.attrs.y1); y < Number(line!.attrs.y2); y += 1)
      if (colourDistance(pixelAt(pixels, x * SCALE, y * SCALE), threshold) < 40) hits++;
    expect(hits).toBeGreaterThan(40); // dashed: 6 on, 4 off
  });
});
