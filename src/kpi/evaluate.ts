// The rule of numbers: measures are aggregated over the period (or group) first — by the store —
// and only then does a KPI's formula apply. A measure with no facts, a zero denominator or a
// missing previous period gives null ("no data"), never 0, NaN or Infinity. Pure.
import type { Catalog } from './catalog.ts';
import { evaluateExpression, type FunctionName, referencesOf } from './expression.ts';
import { findMeasure } from './measures.ts';
import type { MeasureAggregate, MeasureValues } from './types.ts';

export interface MeasureNeeds {
  /** Base measures the KPI needs, in the order its formula names them. */
  measures: string[];
  /** The formula uses previous(): the period just before must be aggregated too. */
  needsPrevious: boolean;
}

/** Base measures behind a KPI, following references to other KPIs. */
export function requiredMeasures(catalog: Catalog, id: string): MeasureNeeds {
  const measures: string[] = [];
  let needsPrevious = false;
  const visit = (kpiId: string, underPrevious: boolean) => {
    for (const ref of referencesOf(catalog.formulaOf(kpiId))) {
      const previous = underPrevious || ref.fn === 'previous';
      if (ref.fn === 'previous') needsPrevious = true;
      if (findMeasure(ref.name)) {
        if (!measures.includes(ref.name)) measures.push(ref.name);
      } else if (ref.name !== kpiId) {
        visit(ref.name, previous);
      }
    }
  };
  visit(id, false);
  return { measures, needsPrevious };
}

/** The value a measure contributes to a formula: its kind decides which statistic. */
function measureValue(
  agg: MeasureAggregate | undefined,
  name: string,
  fn?: FunctionName,
): number | null {
  if (!agg) return null;
  if (fn === 'opening') return agg.opening;
  if (fn === 'closing') return agg.closing;
  switch (findMeasure(name)?.kind) {
    case 'snapshot':
      return agg.closing;
    case 'average':
      return agg.avg;
    default:
      return agg.sum;
  }
}

/**
 * The KPI's value from aggregates of its measures over one period (and group). `previous` holds
 * the aggregates of the period just before, for formulas that use previous().
 */
export function evaluateKpi(
  catalog: Catalog,
  id: string,
  current: MeasureValues,
  previous?: MeasureValues,
): number | null {
  return evaluateExpression(catalog.formulaOf(id), (ref) => {
    const values = ref.fn === 'previous' ? previous : current;
    if (!values) return null;
    if (findMeasure(ref.name)) {
      const value = measureValue(
        values.get(ref.name),
        ref.name,
        ref.fn === 'previous' ? undefined : ref.fn,
      );
      return value !== null && Number.isFinite(value) ? value : null;
    }
    // Another KPI (its own previous() refers to the period before `values`, which we lack).
    return evaluateKpi(catalog, ref.name, values, ref.fn === 'previous' ? undefined : previous);
  });
}

/** A KPI that is the plain total of one additive measure (revenue, orders): goals can pace it. */
export function isAdditiveTotal(catalog: Catalog, id: string): boolean {
  const expr = catalog.formulaOf(id);
  return expr.type === 'ref' && findMeasure(expr.name)?.kind === 'additive';
}

/** Churn over a year from a monthly rate: it compounds, 1 − (1 − monthly)¹² (5 % → 46 %). */
export function annualiseChurn(monthly: number | null): number | null {
  if (monthly === null || !Number.isFinite(monthly) || monthly < 0 || monthly > 1) return null;
  return 1 - (1 - monthly) ** 12;
}
