// The catalog: built-in KPIs plus a team's custom ones, every formula parsed and checked once
// (known measures and KPIs, opening/closing only on snapshot measures, no cycles), tiers with
// the team's overrides applied. Pure.
import { BUILTIN_KPIS } from './builtin-kpis.ts';
import { type Expr, formatExpressionError, parseExpression, referencesOf } from './expression.ts';
import { findMeasure, MEASURES } from './measures.ts';
import { normaliseName, suggestNames } from './names.ts';
import type { GoodDirection, KpiDefinition, Tier, Unit } from './types.ts';

export interface Catalog {
  /** Every KPI, built-in first, in catalog order. */
  list(): KpiDefinition[];
  get(id: string): KpiDefinition | undefined;
  /** The KPI's tier after the team's overrides. */
  tierOf(id: string): Tier;
  /** The parsed formula (every reference checked). */
  formulaOf(id: string): Expr;
}

/** A custom KPI as configuration gives it (see config.ts). */
export interface CustomKpi {
  id: string;
  name?: { sv?: string; en?: string };
  formula: string;
  unit: Unit;
  good: GoodDirection;
  tier: Tier;
  aliases: string[];
  description?: string;
}

export interface CatalogOptions {
  customKpis?: CustomKpi[];
  tierOverrides?: Record<string, Tier>;
}

export type BuildResult = { ok: true; catalog: Catalog } | { ok: false; errors: string[] };

function fromCustom(c: CustomKpi): KpiDefinition {
  return {
    id: c.id,
    name: { sv: c.name?.sv ?? c.name?.en ?? c.id, en: c.name?.en ?? c.name?.sv ?? c.id },
    aliases: c.aliases,
    formula: c.formula,
    unit: c.unit,
    good: c.good,
    tier: c.tier,
    description: c.description ?? `Custom KPI: ${c.formula}`,
  };
}

/** Checks each reference of a parsed formula; returns error texts. */
function checkReferences(
  kpi: KpiDefinition,
  expr: Expr,
  byId: ReadonlyMap<string, KpiDefinition>,
): string[] {
  const errors: string[] = [];
  for (const ref of referencesOf(expr)) {
    const measure = findMeasure(ref.name);
    const other = byId.get(ref.name);
    const at = (message: string) =>
      `${kpi.id}: ${formatExpressionError(kpi.formula, { message, position: ref.pos })}`;
    if (!measure && !other) {
      const near = suggestNames(ref.name, [...byId.keys(), ...MEASURES.map((m) => m.id)]);
      errors.push(
        at(
          `unknown measure or KPI "${ref.name}"${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}`,
        ),
      );
      continue;
    }
    if ((ref.fn === 'opening' || ref.fn === 'closing') && measure?.kind !== 'snapshot') {
      errors.push(
        at(
          `${ref.fn}() needs a snapshot measure (active_customers, active_users, followers), not "${ref.name}"`,
        ),
      );
    }
    if (!measure && other?.filter && other.id !== kpi.id) {
      errors.push(
        at(`"${ref.name}" has its own channel filter and cannot be used inside another formula`),
      );
    }
  }
  return errors;
}

/** Finds a cycle through KPI references, as the ids along it. */
function findCycle(exprs: ReadonlyMap<string, Expr>): string[] | null {
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]): string[] | null => {
    if (state.get(id) === 'done') return null;
    if (state.get(id) === 'visiting') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'visiting');
    const expr = exprs.get(id);
    for (const ref of expr ? referencesOf(expr) : []) {
      if (findMeasure(ref.name) || !exprs.has(ref.name)) continue;
      const cycle = visit(ref.name, [...path, id]);
      if (cycle) return cycle;
    }
    state.set(id, 'done');
    return null;
  };
  for (const id of exprs.keys()) {
    const cycle = visit(id, []);
    if (cycle) return cycle;
  }
  return null;
}

function checkNames(custom: KpiDefinition[]): string[] {
  const errors: string[] = [];
  const owner = new Map<string, string>();
  for (const kpi of BUILTIN_KPIS) {
    for (const name of [kpi.id, kpi.name.sv, kpi.name.en, ...kpi.aliases])
      owner.set(normaliseName(name), kpi.id);
  }
  const seen = new Set<string>();
  for (const kpi of custom) {
    if (BUILTIN_KPIS.some((b) => b.id === kpi.id)) {
      errors.push(`kpis: "${kpi.id}" is a built-in KPI; give the custom KPI another id`);
      continue;
    }
    if (findMeasure(kpi.id)) {
      errors.push(`kpis: "${kpi.id}" is a measure; give the custom KPI another id`);
      continue;
    }
    if (seen.has(kpi.id)) errors.push(`kpis: "${kpi.id}" is defined twice`);
    seen.add(kpi.id);
    for (const name of [kpi.id, ...kpi.aliases]) {
      const taken = owner.get(normaliseName(name));
      if (taken !== undefined && taken !== kpi.id) {
        errors.push(`kpis: "${name}" of ${kpi.id} is already the id or alias of ${taken}`);
      }
      owner.set(normaliseName(name), kpi.id);
    }
  }
  return errors;
}

export function buildCatalog(options: CatalogOptions = {}): BuildResult {
  const custom = (options.customKpis ?? []).map(fromCustom);
  const kpis = [...BUILTIN_KPIS, ...custom];
  const errors = checkNames(custom);
  const byId = new Map(kpis.map((k) => [k.id, k]));
  const exprs = new Map<string, Expr>();
  for (const kpi of kpis) {
    const parsed = parseExpression(kpi.formula);
    if (!parsed.ok) {
      errors.push(`${kpi.id}: ${formatExpressionError(kpi.formula, parsed.error)}`);
      continue;
    }
    errors.push(...checkReferences(kpi, parsed.expr, byId));
    exprs.set(kpi.id, parsed.expr);
  }
  const cycle = findCycle(exprs);
  if (cycle) errors.push(`kpis: formulas refer to each other in a circle: ${cycle.join(' → ')}`);

  const tiers = new Map<string, Tier>();
  for (const [id, tier] of Object.entries(options.tierOverrides ?? {})) {
    if (!byId.has(id)) {
      const near = suggestNames(id, [...byId.keys()]);
      errors.push(
        `tiers.${id}: no such KPI${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}`,
      );
    }
    tiers.set(id, tier);
  }
  if (errors.length > 0) return { ok: false, errors };

  const list = kpis.map((k) => ({ ...k, tier: tiers.get(k.id) ?? k.tier }));
  const listed = new Map(list.map((k) => [k.id, k]));
  return {
    ok: true,
    catalog: {
      list: () => list,
      get: (id) => listed.get(id),
      tierOf: (id) => listed.get(id)?.tier ?? 'context',
      formulaOf: (id) => {
        const expr = exprs.get(id);
        if (!expr) throw new Error(`unknown KPI ${id}`);
        return expr;
      },
    },
  };
}
