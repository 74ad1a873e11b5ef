// Every goal in force: those made in Slack (the store) and those in kpibot.config.yml (read from
// the configuration each time, never copied into the store). A config entry that does not make
// a goal (unknown KPI, a target in the wrong unit…) is reported, not silently dropped.
import type { Catalog } from '../kpi/catalog.ts';
import { isAdditiveTotal } from '../kpi/evaluate.ts';
import { resolveKpi } from '../kpi/lookup.ts';
import type { KpiDefinition } from '../kpi/types.ts';
import type { ReportDeps } from './deps.ts';
import {
  buildGoal,
  CONFIG_GOALS_AUTHOR,
  type Goal,
  type GoalConfig,
  type GoalKpi,
} from './goal.ts';
import { loadGoals } from './store.ts';

/** The facts about a KPI that `buildGoal` needs. */
export function goalKpi(catalog: Catalog, kpi: KpiDefinition): GoalKpi {
  return {
    id: kpi.id,
    unit: kpi.unit,
    good: kpi.good,
    additive: isAdditiveTotal(catalog, kpi.id),
  };
}

export interface ConfigGoals {
  goals: Goal[];
  /** `goals[1] (roas-4x): unknown KPI "rosa" — did you mean roas?` */
  errors: string[];
}

/**
 * The `goals:` entries of kpibot.config.yml as goals. Pure. Use it at start-up to fail fast on a
 * bad entry; summaries skip bad entries (with a warning in the log).
 */
export function goalsFromConfig(
  catalog: Catalog,
  entries: readonly GoalConfig[],
  opts: { currency?: string; createdAt?: string } = {},
): ConfigGoals {
  const goals: Goal[] = [];
  const errors: string[] = [];
  for (const [i, entry] of entries.entries()) {
    const where = `goals[${i}] (${entry.id})`;
    const found = resolveKpi(catalog, entry.kpi);
    if (!found.ok) {
      const hint =
        found.suggestions.length > 0 ? ` — did you mean ${found.suggestions.join(', ')}?` : '';
      errors.push(`${where}: unknown KPI "${entry.kpi}"${hint}`);
      continue;
    }
    const built = buildGoal(entry, goalKpi(catalog, found.kpi), {
      id: entry.id,
      createdBy: CONFIG_GOALS_AUTHOR,
      createdAt: opts.createdAt ?? new Date(0).toISOString(),
      currency: opts.currency,
    });
    if (built.ok) goals.push(built.goal);
    else errors.push(`${where}: ${built.error}`);
  }
  return { goals, errors };
}

/** Config goals first (in the file's order), then the ones made in Slack (oldest first). */
export async function allGoals(deps: ReportDeps): Promise<Goal[]> {
  const fromConfig = goalsFromConfig(deps.catalog, deps.config.goals ?? [], {
    currency: deps.config.currency,
  });
  if (fromConfig.errors.length > 0) {
    deps.logger.warn({ errors: fromConfig.errors }, 'reports: goals in the configuration skipped');
  }
  return [...fromConfig.goals, ...(await loadGoals(deps.db))];
}
