// A sparkline in Unicode block characters: the shape of a KPI over its last periods, in one line.

export const SPARK_LEVELS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;
/** Drawn for a period without a value ("no data"), so a gap is never mistaken for a low value. */
export const SPARK_GAP = '·';

/**
 * One character per value, oldest first, scaled between the smallest and the largest value
 * shown. Null (and NaN/Infinity) become SPARK_GAP; when every value is the same the line is flat.
 */
export function sparkline(values: ReadonlyArray<number | null>): string {
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (finite.length === 0) return values.map(() => SPARK_GAP).join('');
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  const top = SPARK_LEVELS.length - 1;
  return values
    .map((v) => {
      if (v === null || !Number.isFinite(v)) return SPARK_GAP;
      const level = max === min ? Math.floor(top / 2) : Math.round(((v - min) / (max - min)) * top);
      return SPARK_LEVELS[level];
    })
    .join('');
}
