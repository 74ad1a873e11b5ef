// Axis domains and ticks: nice steps, zero when asked, and never two ticks with one label.
import { describe, expect, it } from 'vitest';
import { linearScale, niceDomain, readableDomain } from '../../src/charts/scale.ts';
import { createFormatter } from '../../src/kpi/format.ts';

const format = createFormatter({ locale: 'sv-SE', currency: 'SEK' });

describe('niceDomain', () => {
  it.each([
    // values, fromZero, expected ticks
    [[1.6, 4.0], true, [0, 1, 2, 3, 4]], // bars start at zero
    [[2.4, 4.2], false, [2, 2.5, 3, 3.5, 4, 4.5]], // a trend hugs its values
    [[0.1, 0.3], false, [0.1, 0.15, 0.2, 0.25, 0.3]], // no float noise (0.30000000000000004)
    [[5, 5], false, [4.5, 5, 5.5]], // equal values get room around them
    [[], true, [0, 0.5, 1]], // nothing to show: a unit axis
  ] as const)('%j (from zero: %s) → %j', (values, fromZero, ticks) => {
    expect(niceDomain(values, { fromZero }).ticks).toEqual(ticks);
  });
});

describe('readableDomain', () => {
  it('widens a domain the formatter cannot tell apart (3,081 % and 3,087 %)', () => {
    const label = (t: number) => format.value(t, 'percent');
    const plain = niceDomain([0.03081, 0.03087], { fromZero: false }).ticks.map(label);
    expect(new Set(plain).size).toBeLessThan(plain.length); // what it fixes: all `3,08 %`
    const { ticks } = readableDomain([0.03081, 0.03087], label, { fromZero: false });
    const labels = ticks.map(label);
    expect(new Set(labels).size).toBe(labels.length);
    expect(ticks[0]).toBeLessThanOrEqual(0.03081);
    expect(ticks.at(-1)).toBeGreaterThanOrEqual(0.03087);
  });

  it('keeps a readable domain as it is', () => {
    const label = (t: number) => format.value(t, 'multiple');
    expect(readableDomain([2.4, 4.2], label, { fromZero: false })).toEqual(
      niceDomain([2.4, 4.2], { fromZero: false }),
    );
  });
});

describe('linearScale', () => {
  it('maps a domain onto a reversed range (a y axis)', () => {
    const y = linearScale([0, 10], [300, 100]);
    expect([y(0), y(5), y(10)]).toEqual([300, 200, 100]);
  });
});
