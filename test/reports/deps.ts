// Report dependencies over a test store: the real catalog (with optional tier overrides and
// custom KPIs), the real formatter in en-US, a fixed clock, a silent logger; and a small helper
// to write daily facts.
import { buildCatalog, type CustomKpi } from '../../src/kpi/catalog.ts';
import { createFormatter } from '../../src/kpi/format.ts';
import { addDays } from '../../src/kpi/periods.ts';
import type { FactInput, IsoDate, Tier } from '../../src/kpi/types.ts';
import { createLogger } from '../../src/logger.ts';
import type { ReportDeps } from '../../src/reports/deps.ts';
import type { GoalConfig } from '../../src/reports/goal.ts';
import type { SummaryConfig } from '../../src/reports/pins.ts';
import type { Db } from '../../src/store/db.ts';
import { upsertFacts } from '../../src/store/facts.ts';

export const STHLM = 'Europe/Stockholm';

export interface DepsOptions {
  now: Date;
  tiers?: Record<string, Tier>;
  customKpis?: CustomKpi[];
  goals?: GoalConfig[];
  summary?: SummaryConfig;
  timeZone?: string;
  locale?: string;
}

export function makeDeps(db: Db, opts: DepsOptions): ReportDeps & { clock: { now: Date } } {
  const built = buildCatalog({ customKpis: opts.customKpis, tierOverrides: opts.tiers });
  if (!built.ok) throw new Error(built.errors.join('\n'));
  const clock = { now: opts.now };
  const timeZone = opts.timeZone ?? STHLM;
  return {
    clock,
    db,
    catalog: built.catalog,
    format: createFormatter({ locale: opts.locale ?? 'en-US', currency: 'SEK' }),
    logger: createLogger('silent'),
    now: () => clock.now,
    periodContext: (at?: Date) => ({ now: at ?? clock.now, timeZone, weekStartsOn: 1 }),
    config: {
      timeZone,
      weekStartsOn: 1,
      locale: opts.locale ?? 'en-US',
      currency: 'SEK',
      businessModel: 'ecommerce',
      ...(opts.goals ? { goals: opts.goals } : {}),
      ...(opts.summary ? { summary: opts.summary } : {}),
    },
  };
}

/** One fact a day from `start` to `end` (inclusive); `value` may depend on the day and its index. */
export function daily(
  measure: string,
  start: IsoDate,
  end: IsoDate,
  value: number | ((day: IsoDate, i: number) => number),
  dims: { channel?: string; campaign?: string } = {},
): FactInput[] {
  const out: FactInput[] = [];
  for (let day = start, i = 0; day <= end; day = addDays(day, 1), i++) {
    out.push({
      day,
      measure,
      value: typeof value === 'number' ? value : value(day, i),
      channel: dims.channel ?? '',
      campaign: dims.campaign ?? '',
    });
  }
  return out;
}

export async function seed(db: Db, facts: FactInput[], source = 'test'): Promise<void> {
  await upsertFacts(db, facts, { source });
}

/** The sum of a measure's facts over inclusive dates, optionally filtered (independent of SQL). */
export function sumOf(
  facts: readonly FactInput[],
  measure: string,
  start: IsoDate,
  end: IsoDate,
  where: (f: FactInput) => boolean = () => true,
): number {
  return facts
    .filter((f) => f.measure === measure && f.day >= start && f.day <= end && where(f))
    .reduce((acc, f) => acc + f.value, 0);
}
