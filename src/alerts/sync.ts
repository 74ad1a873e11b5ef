// Rules that come from the configuration, brought into the store on start: the `alerts:`
// entries of kpibot.config.yml, and the default rules of the KPI reference (which post nowhere
// until a channel is set: give a config entry the same id, e.g. `default-roas-floor`, and a
// channel). Every change is audited; a config rule no longer in the file is removed. A bad
// entry stops start-up with every problem named (nothing is written then).

import { ErrorCode, type ErrorOptions, UserError } from '../errors.ts';
import { canonicalFilters } from '../kpi/channels.ts';
import { resolveKpi } from '../kpi/lookup.ts';
import { parsePeriod } from '../kpi/periods.ts';
import { DEFAULT_RULES_AUTHOR, defaultRules } from './default-rules.ts';
import type { AlertDeps } from './deps.ts';
import { type AlertRule, type AlertRuleConfig, buildRule, CONFIG_RULES_AUTHOR } from './rule.ts';
import {
  type AuditEntry,
  audit,
  deleteAllStates,
  removeRule,
  rulesNotIn,
  stableStringify,
  upsertOwnedRule,
} from './store.ts';

export class AlertConfigError extends UserError {
  constructor(message: string, opts: ErrorOptions = {}) {
    super(ErrorCode.AlertConfig, message, opts);
  }
}

export interface SyncReport {
  inserted: string[];
  updated: string[];
  removed: string[];
  /** Ids the file uses that a rule made in Slack already has: left alone. */
  conflicts: string[];
}

/** What a change of these fields means: the old state no longer describes the new rule. */
const IDENTITY_FIELDS = ['kpi', 'window', 'filters', 'groupBy', 'comparator', 'condition'] as const;

function identityChanged(before: Record<string, unknown>, after: AlertRule): boolean {
  return IDENTITY_FIELDS.some(
    (f) => stableStringify(before[f] ?? null) !== stableStringify(after[f] ?? null),
  );
}

/** Config entries → rules, or every error (`alerts[2] (roas-floor): …`). */
export function rulesFromConfig(
  deps: Pick<AlertDeps, 'catalog' | 'channels' | 'config'>,
  entries: readonly AlertRuleConfig[],
  now: Date,
): { rules: AlertRule[]; errors: string[] } {
  const rules: AlertRule[] = [];
  const errors: string[] = [];
  for (const [i, entry] of entries.entries()) {
    const where = `alerts[${i}] (${entry.id})`;
    const found = resolveKpi(deps.catalog, entry.kpi);
    if (!found.ok) {
      const hint =
        found.suggestions.length > 0 ? ` — did you mean ${found.suggestions.join(', ')}?` : '';
      errors.push(`${where}: unknown KPI "${entry.kpi}"${hint}`);
      continue;
    }
    const period = parsePeriod(entry.window, {
      now,
      timeZone: entry.timeZone ?? deps.config.timeZone,
      weekStartsOn: deps.config.weekStartsOn,
    });
    if (!period.ok) {
      errors.push(`${where}: window "${entry.window}": ${period.error}`);
      continue;
    }
    // `channel: facebook` in the file is the rule on meta (the vocabulary's name).
    const spec = { ...entry, filters: canonicalFilters(deps.channels, entry.filters).filters };
    const built = buildRule(
      spec,
      { id: found.kpi.id, unit: found.kpi.unit },
      {
        id: entry.id,
        createdBy: CONFIG_RULES_AUTHOR,
        createdAt: now.toISOString(),
        currency: deps.config.currency,
      },
    );
    if (!built.ok) {
      errors.push(`${where}: ${built.error}`);
      continue;
    }
    rules.push(built.rule);
  }
  return { rules, errors };
}

/**
 * Upserts the config file's rules and the default rules; removes config rules no longer in the
 * file. Throws AlertConfigError (writing nothing) when an entry is invalid.
 */
export async function syncOwnedRules(
  deps: Pick<AlertDeps, 'db' | 'catalog' | 'channels' | 'config' | 'logger'>,
  entries: readonly AlertRuleConfig[],
  now: Date,
): Promise<SyncReport> {
  const fromConfig = rulesFromConfig(deps, entries, now);
  if (fromConfig.errors.length > 0) {
    throw new AlertConfigError(
      `Invalid alert rules in the configuration:\n${fromConfig.errors.map((e) => `  - ${e}`).join('\n')}`,
    );
  }
  const configIds = new Set(fromConfig.rules.map((r) => r.id));
  const defaults = defaultRules(deps.config.businessModel, now).filter((r) => {
    if (configIds.has(r.id)) return false;
    if (deps.catalog.get(r.kpi)) return true;
    deps.logger.warn(
      { ruleId: r.id, kpi: r.kpi },
      'alerts: default rule for an unknown KPI skipped',
    );
    return false;
  });

  const report: SyncReport = { inserted: [], updated: [], removed: [], conflicts: [] };
  await deps.db.transaction(async (tx) => {
    // Replicas starting together apply the file one after the other, not into each other.
    await tx.query('select pg_advisory_xact_lock(hashtext($1))', ['kpibot.alerts.sync']);
    const entriesAudit: AuditEntry[] = [];
    const upsert = async (rule: AlertRule, source: 'config' | 'default') => {
      const actor = source === 'config' ? CONFIG_RULES_AUTHOR : DEFAULT_RULES_AUTHOR;
      const { outcome, before } = await upsertOwnedRule(tx, rule, source, now);
      if (outcome === 'inserted') {
        report.inserted.push(rule.id);
        entriesAudit.push({
          at: now,
          actor,
          action: `${source}-add`,
          ruleId: rule.id,
          detail: { rule },
        });
      } else if (outcome === 'updated') {
        report.updated.push(rule.id);
        if (before && identityChanged(before, rule)) await deleteAllStates(tx, rule.id);
        entriesAudit.push({
          at: now,
          actor,
          action: `${source}-update`,
          ruleId: rule.id,
          detail: { before: before ?? null, rule },
        });
      } else if (outcome === 'taken') {
        report.conflicts.push(rule.id);
        deps.logger.error(
          { ruleId: rule.id },
          'alerts: a rule made in Slack already has this id; the config entry is ignored',
        );
      }
    };
    for (const rule of fromConfig.rules) await upsert(rule, 'config');
    for (const id of await rulesNotIn(tx, 'config', [...configIds])) {
      await removeRule(tx, id, now);
      report.removed.push(id);
      entriesAudit.push({
        at: now,
        actor: CONFIG_RULES_AUTHOR,
        action: 'config-remove',
        ruleId: id,
      });
    }
    for (const rule of defaults) await upsert(rule, 'default');
    await audit(tx, entriesAudit);
  });
  if (report.inserted.length + report.updated.length + report.removed.length > 0) {
    deps.logger.info(report, 'alerts: rules from the configuration applied');
  }
  return report;
}
