// Which business KPIs may be the headline's movers (best and worst). Pure.
//
// - Never a change of a change: a KPI whose formula uses previous() (organic traffic growth) is
//   itself a growth between two periods, so its change is a growth of a growth ("+949 %" on a
//   small base), never news. The catalog tells them apart by their formula
//   (requiredMeasures(…).needsPrevious), custom KPIs included.
// - Enough volume: each of the KPI's base measures that has a floor (minVolume in pins.ts:
//   spend, clicks, sessions, orders…) reaches it in both periods compared; a big move on a tiny
//   base is noise. Measures without a floor (revenue, churned customers…) are not guarded.

export type MoverExclusion =
  | { reason: 'change-of-change' }
  | {
      reason: 'low-volume';
      measure: string;
      /** The measure's total in the period (`current`) or the one before (`previous`). */
      period: 'current' | 'previous';
      value: number;
      floor: number;
    };

/** A base measure's totals over the period and the one before (0 when it has no facts). */
export interface VolumeReading {
  measure: string;
  current: number;
  previous: number;
}

/** Why the KPI may not be a mover, or undefined when it may. */
export function moverExclusion(
  needsPrevious: boolean,
  volumes: readonly VolumeReading[],
  floors: Readonly<Record<string, number>>,
): MoverExclusion | undefined {
  if (needsPrevious) return { reason: 'change-of-change' };
  for (const v of volumes) {
    const floor = floors[v.measure];
    if (floor === undefined) continue;
    for (const period of ['previous', 'current'] as const) {
      if (v[period] < floor)
        return { reason: 'low-volume', measure: v.measure, period, value: v[period], floor };
    }
  }
  return undefined;
}
