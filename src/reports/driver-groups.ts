// The drivers of the KPIs that moved notably: the groups behind each move, fetched from the store
// and handed to drivers.ts for attribution.
//
// - Groups partition the facts: each campaign (named `channel/campaign`, e.g. `meta/retarget`),
//   and per channel the facts without a campaign (`organic`, `email`). Every fact is in exactly
//   one group, so the groups' contributions add up to the KPI's whole move.
// - Attribution needs the KPI as sums over groups: a total (`revenue`), or a ratio of two sums
//   (`revenue / ad_spend`, `(revenue − marketing_cost) / marketing_cost`), possibly plus a
//   constant. References to other KPIs are expanded. KPIs that are not of that shape (LTV =
//   ARPU / churn, averages such as keyword rank, previous()) get no driver line.
// - A ratio whose denominator is not recorded along these groups (active users without a
//   channel, for ARPU) is not split by them: no driver line (`splitsAlong`).
// - Queries: per distinct filter, one by campaign and one by channel, both periods at once.

import type { Catalog } from '../kpi/catalog.ts';
import { type Expr, evaluateExpression } from '../kpi/expression.ts';
import { mergeFilters } from '../kpi/filters.ts';
import { findMeasure } from '../kpi/measures.ts';
import { localName } from '../kpi/names.ts';
import type { DateRange, Filters, KpiDefinition, MeasureAggregate } from '../kpi/types.ts';
import { type AggregateRow, aggregateMeasures } from '../store/facts.ts';
import type { ReportDeps } from './deps.ts';
import { type DriverGroup, driverLine } from './drivers.ts';
import { campaignChannels } from './fact-days.ts';

export interface KpiParts {
  numerator: Expr;
  /** Absent for a total. */
  denominator?: Expr;
  measures: string[];
}

/** The KPI's formula with references to other KPIs replaced by their formulas; null on a cycle. */
function expand(catalog: Catalog, expr: Expr, seen: ReadonlySet<string>): Expr | null {
  switch (expr.type) {
    case 'number':
    case 'call':
      return expr;
    case 'ref': {
      if (findMeasure(expr.name)) return expr;
      if (seen.has(expr.name) || !catalog.get(expr.name)) return null;
      return expand(catalog, catalog.formulaOf(expr.name), new Set([...seen, expr.name]));
    }
    case 'negate': {
      const arg = expand(catalog, expr.arg, seen);
      return arg && { ...expr, arg };
    }
    case 'binary': {
      const left = expand(catalog, expr.left, seen);
      const right = expand(catalog, expr.right, seen);
      return left && right && { ...expr, left, right };
    }
  }
}

/** A sum over groups: additive measures and snapshot openings/closings, + − and constant factors. */
function summable(expr: Expr): boolean {
  switch (expr.type) {
    case 'number':
      return false;
    case 'ref': {
      const kind = findMeasure(expr.name)?.kind;
      return kind === 'additive' || kind === 'snapshot';
    }
    case 'call':
      return expr.fn !== 'previous' && findMeasure(expr.arg.name)?.kind === 'snapshot';
    case 'negate':
      return summable(expr.arg);
    case 'binary':
      switch (expr.op) {
        case '+':
        case '-':
          return summable(expr.left) && summable(expr.right);
        case '*':
          return (
            (expr.left.type === 'number' && summable(expr.right)) ||
            (expr.right.type === 'number' && summable(expr.left))
          );
        case '/':
          return expr.right.type === 'number' && summable(expr.left);
      }
  }
}

function split(expr: Expr): Omit<KpiParts, 'measures'> | null {
  if (summable(expr)) return { numerator: expr };
  if (expr.type !== 'binary') return null;
  if (expr.op === '/' && summable(expr.left) && summable(expr.right)) {
    return { numerator: expr.left, denominator: expr.right };
  }
  // N / D + c, N / D − c, c + N / D: the same changes as N / D.
  if ((expr.op === '+' || expr.op === '-') && expr.right.type === 'number') return split(expr.left);
  if (expr.op === '+' && expr.left.type === 'number') return split(expr.right);
  return null;
}

function measuresOf(expr: Expr, out: Set<string>): void {
  switch (expr.type) {
    case 'ref':
      out.add(expr.name);
      return;
    case 'call':
      out.add(expr.arg.name);
      return;
    case 'negate':
      measuresOf(expr.arg, out);
      return;
    case 'binary':
      measuresOf(expr.left, out);
      measuresOf(expr.right, out);
      return;
    case 'number':
      return;
  }
}

/** The KPI as sums over groups (see the file header), or null when it is not of that shape. */
export function kpiParts(catalog: Catalog, id: string): KpiParts | null {
  const expanded = expand(catalog, catalog.formulaOf(id), new Set([id]));
  const parts = expanded && split(expanded);
  if (!parts) return null;
  const measures = new Set<string>();
  measuresOf(parts.numerator, measures);
  if (parts.denominator) measuresOf(parts.denominator, measures);
  return { ...parts, measures: [...measures] };
}

type Values = ReadonlyMap<string, MeasureAggregate>;

/** A part's value over one group; a measure without facts in the group counts as 0. */
function partValue(expr: Expr, values: Values): number {
  return (
    evaluateExpression(expr, (ref) => {
      const agg = values.get(ref.name);
      if (!agg) return 0;
      if (ref.fn === 'opening') return agg.opening;
      if (ref.fn === 'closing') return agg.closing;
      return findMeasure(ref.name)?.kind === 'snapshot' ? agg.closing : agg.sum;
    }) ?? 0
  );
}

/** `key → [before, now]` values from aggregate rows (period 0 = before, 1 = now). */
function byGroup(rows: AggregateRow[], keyOf: (group: string) => string | null) {
  const out = new Map<string, [Map<string, MeasureAggregate>, Map<string, MeasureAggregate>]>();
  for (const row of rows) {
    const key = keyOf(row.group ?? '');
    if (key === null) continue;
    const entry = out.get(key) ?? [new Map(), new Map()];
    entry[row.period === 0 ? 0 : 1].set(row.measure, row.agg);
    out.set(key, entry);
  }
  return out;
}

/** Before/now aggregates per group (campaigns and campaign-less channels) for one filter. */
async function fetchGroups(
  deps: ReportDeps,
  measures: string[],
  filters: Filters,
  before: DateRange,
  now: DateRange,
) {
  const periods = [before, now];
  const noCampaign = mergeFilters(filters, { campaign: [''] });
  const [byCampaign, byChannel, channels] = await Promise.all([
    aggregateMeasures(deps.db, { measures, periods, filters, groupBy: 'campaign' }),
    noCampaign === null
      ? Promise.resolve([])
      : aggregateMeasures(deps.db, { measures, periods, filters: noCampaign, groupBy: 'channel' }),
    campaignChannels(deps.db, measures, { start: before.start, end: now.end }),
  ]);
  const campaignKey = (campaign: string) => {
    if (campaign === '') return null;
    const owners = channels.get(campaign) ?? [];
    return owners.length === 0 ? campaign : `${owners.join('+')}/${campaign}`;
  };
  return new Map([
    ...byGroup(byCampaign, campaignKey),
    ...byGroup(byChannel, (channel) => (channel === '' ? '(none)' : channel)),
  ]);
}

/** A ratio's share of the numerator (now) that must lie in groups with a denominator. */
export const MIN_SPLIT_SHARE = 0.5;

/**
 * Whether the groups split the ratio: most of its numerator lies in groups that have a
 * denominator too. ARPU (revenue / active users) fails when active users carry no channel or
 * campaign: every group's own ARPU would read as "new". Totals always split.
 */
export function splitsAlong(groups: readonly DriverGroup[]): boolean {
  if (!groups.some((g) => g.denominator !== undefined)) return true;
  let all = 0;
  let covered = 0;
  for (const g of groups) {
    const n = Math.abs(g.numerator.now);
    all += n;
    if ((g.denominator?.now ?? 0) !== 0) covered += n;
  }
  return all === 0 || covered / all >= MIN_SPLIT_SHARE;
}

export interface MovedKpi {
  kpi: KpiDefinition;
  /** The two periods the move is between. */
  before: DateRange;
  now: DateRange;
}

/** Driver lines (drivers.ts) by KPI id, for the KPIs given; KPIs without a line are left out. */
export async function driverLines(
  deps: ReportDeps,
  moved: readonly MovedKpi[],
): Promise<Map<string, string>> {
  const lines = new Map<string, string>();
  const batches = new Map<
    string,
    { filters: Filters; items: Array<MovedKpi & { parts: KpiParts }> }
  >();
  for (const m of moved) {
    const parts = kpiParts(deps.catalog, m.kpi.id);
    const filters = mergeFilters({}, m.kpi.filter);
    if (!parts || filters === null) continue;
    const key = JSON.stringify([filters, m.before, m.now]);
    const batch = batches.get(key) ?? { filters, items: [] };
    batch.items.push({ ...m, parts });
    batches.set(key, batch);
  }
  await Promise.all(
    [...batches.values()].map(async ({ filters, items }) => {
      const first = items[0];
      if (!first) return;
      const measures = [...new Set(items.flatMap((i) => i.parts.measures))];
      const groups = await fetchGroups(deps, measures, filters, first.before, first.now);
      for (const { kpi, parts } of items) {
        const driverGroups: DriverGroup[] = [...groups].map(([key, [before, now]]) => ({
          key,
          numerator: {
            before: partValue(parts.numerator, before),
            now: partValue(parts.numerator, now),
          },
          ...(parts.denominator
            ? {
                denominator: {
                  before: partValue(parts.denominator, before),
                  now: partValue(parts.denominator, now),
                },
              }
            : {}),
        }));
        if (!splitsAlong(driverGroups)) continue;
        const line = driverLine(localName(kpi.name, deps.config.locale), kpi.unit, driverGroups, {
          change: (delta, unit) => deps.format.change(delta, unit),
          pct: (p) => deps.format.pct(p),
        });
        if (line) lines.set(kpi.id, line);
      }
    }),
  );
  return lines;
}
