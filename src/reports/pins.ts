// The summary's pinned KPIs: the business KPIs its message shows after the goals (every other
// business KPI goes to the thread reply).
//
// Where pins live: `summary.kpis` in kpibot.config.yml is the starting list (default
// DEFAULT_PINS, the reference's "start with three" plus ROAS and revenue). `/kpi summary pin` and
// `unpin` are stored as changes to it (table summary_pins, migration 340): one row per KPI a
// person pinned or unpinned, replayed in the order they were made. So a pin made in Slack
// survives a restart, and an edit of the file still counts for every KPI no one changed in
// Slack. At most MAX_PINS; a stored pin of a KPI the catalog no longer has (or that is now a
// context metric) is skipped.
import { z } from 'zod';
import type { Catalog } from '../kpi/catalog.ts';
import { resolveKpi } from '../kpi/lookup.ts';
import { findMeasure } from '../kpi/measures.ts';
import type { Logger } from '../logger.ts';
import type { Db } from '../store/db.ts';
import { loadPinChanges, type PinChange } from './pin-store.ts';

export const MAX_PINS = 8;

/** The reference's "start with three" (CAC, conversion rate, LTV/CAC), then ROAS and revenue. */
export const DEFAULT_PINS: readonly string[] = [
  'cac',
  'conversion_rate',
  'ltv_cac',
  'roas',
  'revenue',
];

/**
 * The headline's volume guard: a KPI is a mover only when each of its base measures named here
 * reaches the floor in both periods compared (the period and the one before), so a big change on
 * a tiny base is not news. Amounts in the configured currency.
 */
export const DEFAULT_MIN_VOLUME: Readonly<Record<string, number>> = {
  ad_spend: 5000,
  clicks: 100,
  sessions: 1000,
  conversions: 30,
  orders: 30,
  leads: 30,
  new_customers: 20,
};

/** `summary:` of kpibot.config.yml. */
export const summaryConfigSchema = z
  .strictObject({
    kpis: z
      .array(z.string().min(1))
      .max(MAX_PINS, `at most ${MAX_PINS} KPIs: the rest are in the summary's thread anyway`)
      .optional(),
    minVolume: z
      .record(
        z.string().refine((m) => findMeasure(m) !== undefined, 'must be a measure'),
        z.number().nonnegative(),
      )
      .optional(),
  })
  .prefault({});

export type SummaryConfig = z.infer<typeof summaryConfigSchema>;

/** The floors of the volume guard: the defaults with the configuration's over them. */
export function minVolume(config: SummaryConfig | undefined): Readonly<Record<string, number>> {
  return { ...DEFAULT_MIN_VOLUME, ...(config?.minVolume ?? {}) };
}

export interface PinnedKpi {
  id: string;
  source: 'default' | 'config' | 'slack';
  /** Who pinned it in Slack, and when (source `slack`). */
  by?: string;
  at?: Date;
}

/**
 * The configuration's list as KPI ids (names and aliases resolved), or the default; an entry
 * that is not a business KPI is an error (names the entry). Pure.
 */
export function pinsFromConfig(
  catalog: Catalog,
  config: SummaryConfig | undefined,
): { pins: PinnedKpi[]; errors: string[] } {
  const entries = config?.kpis;
  if (entries === undefined) {
    const pins = DEFAULT_PINS.filter((id) => catalog.tierOf(id) === 'business' && catalog.get(id));
    return { pins: pins.map((id) => ({ id, source: 'default' })), errors: [] };
  }
  const pins: PinnedKpi[] = [];
  const errors: string[] = [];
  for (const [i, entry] of entries.entries()) {
    const found = resolveKpi(catalog, entry);
    if (!found.ok) {
      const hint =
        found.suggestions.length > 0 ? ` — did you mean ${found.suggestions.join(', ')}?` : '';
      errors.push(`summary.kpis[${i}]: unknown KPI "${entry}"${hint}`);
    } else if (catalog.tierOf(found.kpi.id) !== 'business') {
      errors.push(`summary.kpis[${i}]: ${found.kpi.id} is a context metric, not a business KPI`);
    } else if (!pins.some((p) => p.id === found.kpi.id)) {
      pins.push({ id: found.kpi.id, source: 'config' });
    }
  }
  return { pins, errors };
}

/** The starting list with the changes made in Slack replayed over it (oldest first). Pure. */
export function applyPinChanges(
  catalog: Catalog,
  base: readonly PinnedKpi[],
  changes: readonly PinChange[],
): PinnedKpi[] {
  let pins = [...base];
  for (const c of changes) {
    if (!c.pinned) pins = pins.filter((p) => p.id !== c.kpi);
    else if (!pins.some((p) => p.id === c.kpi) && catalog.tierOf(c.kpi) === 'business') {
      if (catalog.get(c.kpi)) pins.push({ id: c.kpi, source: 'slack', by: c.by, at: c.at });
    }
  }
  return pins.slice(0, MAX_PINS);
}

export interface PinDeps {
  db: Pick<Db, 'query'>;
  catalog: Catalog;
  logger: Pick<Logger, 'warn'>;
  config: { summary?: SummaryConfig };
}

/** The pinned KPIs in force, in the order the summary shows them (for the summary and App Home). */
export async function effectivePins(deps: PinDeps): Promise<PinnedKpi[]> {
  const { pins, errors } = pinsFromConfig(deps.catalog, deps.config.summary);
  if (errors.length > 0) {
    deps.logger.warn({ errors }, 'reports: summary pins in the configuration skipped');
  }
  return applyPinChanges(deps.catalog, pins, await loadPinChanges(deps.db));
}
