// The volume guard's readings from the store: for each business KPI, the totals of its floored
// base measures over the period and the one before (with the KPI's own filter, organic_* on
// organic), and so which KPIs may not be headline movers (movers.ts).

import type { Catalog } from '../kpi/catalog.ts';
import { requiredMeasures } from '../kpi/evaluate.ts';
import type { DateRange, KpiDefinition } from '../kpi/types.ts';
import type { Db } from '../store/db.ts';
import { aggregateMeasures } from '../store/facts.ts';
import { type MoverExclusion, moverExclusion, type VolumeReading } from './movers.ts';

export async function moverExclusions(
  deps: { db: Db; catalog: Catalog },
  kpis: readonly KpiDefinition[],
  periods: { current: DateRange; previous: DateRange },
  floors: Readonly<Record<string, number>>,
): Promise<Map<string, MoverExclusion>> {
  const needs = kpis.map((kpi) => ({ kpi, needs: requiredMeasures(deps.catalog, kpi.id) }));
  const byFilter = new Map<string, { filter: KpiDefinition['filter']; measures: Set<string> }>();
  for (const { kpi, needs: n } of needs) {
    const key = JSON.stringify(kpi.filter ?? {});
    const entry = byFilter.get(key) ?? { filter: kpi.filter, measures: new Set<string>() };
    for (const m of n.measures) if (floors[m] !== undefined) entry.measures.add(m);
    byFilter.set(key, entry);
  }
  const totals = new Map<string, Map<string, VolumeReading>>();
  await Promise.all(
    [...byFilter].map(async ([key, { filter, measures }]) => {
      const rows = await aggregateMeasures(deps.db, {
        measures: [...measures],
        periods: [periods.current, periods.previous],
        filters: filter ?? {},
      });
      const readings = new Map<string, VolumeReading>(
        [...measures].map((m) => [m, { measure: m, current: 0, previous: 0 }]),
      );
      for (const r of rows) {
        const reading = readings.get(r.measure);
        if (reading) reading[r.period === 0 ? 'current' : 'previous'] = r.agg.sum;
      }
      totals.set(key, readings);
    }),
  );
  const out = new Map<string, MoverExclusion>();
  for (const { kpi, needs: n } of needs) {
    const readings = totals.get(JSON.stringify(kpi.filter ?? {}));
    const volumes = n.measures.flatMap((m) => readings?.get(m) ?? []);
    const excluded = moverExclusion(n.needsPrevious, volumes, floors);
    if (excluded) out.set(kpi.id, excluded);
  }
  return out;
}
