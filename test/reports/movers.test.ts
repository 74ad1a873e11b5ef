// The headline movers' guard (movers.ts) as a table: one case per rule, with why.
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../src/kpi/catalog.ts';
import { requiredMeasures } from '../../src/kpi/evaluate.ts';
import { moverExclusion } from '../../src/reports/movers.ts';
import { DEFAULT_MIN_VOLUME, minVolume } from '../../src/reports/pins.ts';

const floors = { ad_spend: 5000, clicks: 100 };

describe('moverExclusion', () => {
  it.each([
    // a formula with previous() is a change itself: its change is a change of a change
    ['growth of a growth', true, [], { reason: 'change-of-change' }],
    // both periods at or above every floor: a mover
    [
      'enough volume',
      false,
      [
        { measure: 'ad_spend', current: 5000, previous: 7000 },
        { measure: 'clicks', current: 100, previous: 100 },
      ],
      undefined,
    ],
    // this week under the floor
    [
      'low this period',
      false,
      [{ measure: 'ad_spend', current: 200, previous: 9000 }],
      { reason: 'low-volume', measure: 'ad_spend', period: 'current', value: 200, floor: 5000 },
    ],
    // the base the change is measured from under the floor
    [
      'low the period before',
      false,
      [{ measure: 'clicks', current: 500, previous: 40 }],
      { reason: 'low-volume', measure: 'clicks', period: 'previous', value: 40, floor: 100 },
    ],
    // a measure with no floor (revenue) is not guarded, however small
    ['no floor', false, [{ measure: 'revenue', current: 1, previous: 1 }], undefined],
  ] as const)('%s', (_name, needsPrevious, volumes, expected) => {
    expect(moverExclusion(needsPrevious, volumes, floors)).toEqual(expected);
  });
});

describe('the catalog tells a change of a change apart by its formula', () => {
  const built = buildCatalog({});
  if (!built.ok) throw new Error(built.errors.join('; '));
  const catalog = built.catalog;
  const changes = catalog
    .list()
    .filter((k) => requiredMeasures(catalog, k.id).needsPrevious)
    .map((k) => k.id);
  it('only organic traffic growth among the built-in KPIs', () => {
    expect(changes).toEqual(['organic_traffic_growth']);
  });
});

describe('minVolume', () => {
  it('the defaults, with the configuration over them', () => {
    expect(minVolume(undefined)).toEqual(DEFAULT_MIN_VOLUME);
    expect(minVolume({ minVolume: { ad_spend: 1000 } })).toEqual({
      ...DEFAULT_MIN_VOLUME,
      ad_spend: 1000,
    });
  });
});
