// Builders for KPI engine tests: measure aggregates written by hand.
import { buildCatalog, type Catalog } from '../../src/kpi/catalog.ts';
import type { MeasureAggregate, MeasureValues } from '../../src/kpi/types.ts';

export function catalog(): Catalog {
  const built = buildCatalog();
  if (!built.ok) throw new Error(built.errors.join('\n'));
  return built.catalog;
}

/** An additive or average measure: `sum` (and `avg`) given; days default to a week. */
export function agg(sum: number, extra: Partial<MeasureAggregate> = {}): MeasureAggregate {
  return {
    sum,
    avg: sum / 7,
    opening: Number.NaN,
    closing: Number.NaN,
    days: 7,
    firstDay: '2026-11-16',
    lastDay: '2026-11-22',
    ...extra,
  };
}

/** A snapshot measure with its opening and closing values. */
export function snapshot(opening: number, closing: number): MeasureAggregate {
  return agg(Number.NaN, { avg: Number.NaN, opening, closing });
}

export function values(entries: Record<string, MeasureAggregate>): MeasureValues {
  return new Map(Object.entries(entries));
}
