// Versioned schema migrations, applied in order on open. All pending migrations run in one
// transaction under an advisory lock, so replicas starting together never race: the second one
// waits, then finds nothing left to do. Never edit a released migration; add the next version.
import type { Db, StoreLogger } from './port.ts';
import { AUDIT_MIGRATIONS } from './schema-audit.ts';
import { REPORT_MIGRATIONS } from './schema-reports.ts';
import { ALERT_MIGRATIONS, SCHEDULING_MIGRATIONS } from './schema-scheduling.ts';
import { SLACK_MIGRATIONS } from './schema-slack.ts';
import { SOURCE_MIGRATIONS } from './schema-sources.ts';
import { SUMMARY_MIGRATIONS } from './schema-summary.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The transaction-local setting under which the daily_totals triggers leave the work to the writer. */
export const DEFER_DAILY_TOTALS = 'kpibot.defer_daily_totals';

/**
 * A trigger function that recomputes daily_totals from facts for the (measure, day, channel)
 * keys in the statement's transition table `rows`. Each key is summed by a lateral lookup on
 * the facts primary key, so a batch costs its own size whatever the table's (a join planned
 * against the transition table, which has no statistics, scanned all of facts per batch).
 */
function refreshDailyTotals(
  name: string,
  rows: 'new_rows' | 'old_rows',
  opts: { deferrable?: boolean } = {},
): string {
  const refresh = `
        with k as (select distinct measure, day, channel from ${rows}),
        s as (
          select k.measure, k.day, k.channel, x.total, x.n
          from k, lateral (
            select sum(f.value) as total, count(*)::int as n from facts f
            where f.measure = k.measure and f.day = k.day and f.channel = k.channel
          ) x
        ),
        gone as (
          delete from daily_totals d using s
          where s.n = 0 and d.measure = s.measure and d.day = s.day and d.channel = s.channel
        )
        insert into daily_totals (measure, day, channel, total, n)
          select measure, day, channel, total, n from s where n > 0
        on conflict (measure, day, channel) do update set total = excluded.total, n = excluded.n`;
  if (!opts.deferrable) {
    return `
      create function ${name}() returns trigger language plpgsql as $$
      begin
        ${refresh};
        return null;
      end $$;`;
  }
  return `
      create or replace function ${name}() returns trigger language plpgsql as $$
      begin
        if current_setting('${DEFER_DAILY_TOTALS}', true) = 'on' then
          return null;
        end if;
        execute $refresh$ ${refresh} $refresh$;
        return null;
      end $$;`;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'facts',
    // facts: columns ordered widest-alignment first (float8, timestamptz, date, then texts) so
    // rows carry no padding. The primary key leads with (measure, day): every read is
    // "these measures, this date range", i.e. one contiguous index range per measure, for a
    // week as for a year. INCLUDE (value) puts every column an aggregate reads (measure, day,
    // channel, campaign, value) into the index, so those reads can be index-only scans.
    // The key texts are identifiers, so they use the "C" collation: byte comparisons, the same
    // order on every server, and no locale-aware strcoll() on each index comparison.
    //
    // dimension_values: the distinct channel/campaign names, kept by upsertFacts, so that
    // listing them (for "did you mean" and pickers) never scans the facts.
    sql: `
      create table facts (
        value double precision not null,
        updated_at timestamptz not null default now(),
        day date not null,
        measure text collate "C" not null,
        channel text collate "C" not null default '',
        campaign text collate "C" not null default '',
        source text not null default 'import',
        constraint facts_pkey primary key (measure, day, channel, campaign) include (value)
      );

      create table measure_freshness (
        measure text collate "C" not null,
        source text not null,
        last_day date not null,
        last_written_at timestamptz not null,
        primary key (measure, source)
      );

      create table dimension_values (
        dimension text not null check (dimension in ('channel', 'campaign')),
        value text collate "C" not null,
        primary key (dimension, value)
      );
    `,
  },
  {
    version: 2,
    name: 'daily_totals',
    // daily_totals: each (measure, day, channel)'s sum and count of facts, kept exact by
    // statement triggers on facts (recomputed from facts for the keys a statement touched, so no
    // floating-point drift from adding and subtracting). Questions without a campaign breakdown
    // or filter read it instead of facts: ~20× fewer rows (one per channel instead of one per
    // campaign), which is most of the cost of a year or of an 8-period sparkline.
    sql: `
      create table daily_totals (
        measure text collate "C" not null,
        day date not null,
        channel text collate "C" not null,
        total double precision not null,
        n integer not null,
        primary key (measure, day, channel) include (total, n)
      );
      insert into daily_totals (measure, day, channel, total, n)
        select measure, day, channel, sum(value), count(*) from facts group by 1, 2, 3;

      ${refreshDailyTotals('daily_totals_refresh_new', 'new_rows')}
      ${refreshDailyTotals('daily_totals_refresh_old', 'old_rows')}

      create function daily_totals_clear() returns trigger language plpgsql as $$
      begin
        delete from daily_totals;
        return null;
      end $$;

      create trigger daily_totals_on_insert after insert on facts
        referencing new table as new_rows for each statement
        execute function daily_totals_refresh_new();
      create trigger daily_totals_on_update after update on facts
        referencing new table as new_rows for each statement
        execute function daily_totals_refresh_new();
      create trigger daily_totals_on_delete after delete on facts
        referencing old table as old_rows for each statement
        execute function daily_totals_refresh_old();
      create trigger daily_totals_on_truncate after truncate on facts
        for each statement execute function daily_totals_clear();
    `,
  },
  {
    version: 3,
    name: 'daily_totals_bulk',
    // Two changes to the per-statement refresh (version 2):
    //  - A bulk writer (an import, the demo) sets kpibot.defer_daily_totals for its transaction
    //    and recomputes daily_totals once, per measure and day range, when it finishes (see
    //    fact-writer.ts); the trigger then does nothing. Per batch it cost a lookup per key.
    //  - The refresh runs through EXECUTE, so it is planned on each call. plpgsql otherwise keeps
    //    a statement's plan for the session, and PGlite has no autovacuum: a plan made while
    //    facts looked empty (a new store) scanned all of facts for every key, so each batch cost
    //    the table's size (90,000 demo facts into a new store: 175 s instead of 2 s).
    sql: `
      ${refreshDailyTotals('daily_totals_refresh_new', 'new_rows', { deferrable: true })}
      ${refreshDailyTotals('daily_totals_refresh_old', 'old_rows', { deferrable: true })}
    `,
  },
  // task_runs (scheduler claims), outbox (durable Slack messages), alert rules/state/audit.
  ...SCHEDULING_MIGRATIONS,
  ...ALERT_MIGRATIONS,
  // Slack requests already seen: replays refused, retries answered once (src/slack/).
  ...SLACK_MIGRATIONS,
  // goals, summary subscriptions, their audit log (src/reports/).
  ...REPORT_MIGRATIONS,
  // one audit log for alerts, goals and subscriptions, replacing the two tables above.
  ...AUDIT_MIGRATIONS,
  // what each scheduled SQL source's last sync did (src/sources/).
  ...SOURCE_MIGRATIONS,
  // the summary's pinned KPIs set in Slack (src/reports/pins.ts).
  ...SUMMARY_MIGRATIONS,
];

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export interface MigrateOptions {
  /** Create this schema first (server stores isolated by schema; the connection's search_path). */
  schema?: string;
  logger?: StoreLogger;
  /** For tests: the migrations to apply instead of MIGRATIONS. */
  migrations?: readonly Migration[];
}

/** Applies pending migrations in order; returns the versions applied (none when up to date). */
export async function migrate(db: Db, opts: MigrateOptions = {}): Promise<number[]> {
  const migrations = [...(opts.migrations ?? MIGRATIONS)].sort((a, b) => a.version - b.version);
  const { schema, logger } = opts;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new Error(`Invalid schema name "${schema}": use lower-case letters, digits and _`);
  }
  return db.transaction(async (tx) => {
    // Transaction-scoped: released by COMMIT/ROLLBACK, even if this process dies.
    await tx.query('select pg_advisory_xact_lock(hashtext($1))', [
      `kpibot.migrations:${schema ?? ''}`,
    ]);
    if (schema !== undefined) await tx.exec(`create schema if not exists "${schema}"`);
    await tx.exec(`
      create table if not exists schema_migrations (
        version integer primary key,
        name text not null,
        applied_at timestamptz not null default now()
      )
    `);
    const rows = await tx.query<{ version: number }>('select version from schema_migrations');
    const applied = new Set(rows.map((r) => r.version));
    const done: number[] = [];
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      await tx.exec(m.sql);
      await tx.query('insert into schema_migrations (version, name) values ($1, $2)', [
        m.version,
        m.name,
      ]);
      logger?.info({ version: m.version, name: m.name }, 'store: applied migration');
      done.push(m.version);
    }
    const known = new Set(migrations.map((m) => m.version));
    const unknown = [...applied].filter((v) => !known.has(v));
    if (unknown.length > 0) {
      logger?.info(
        { versions: unknown },
        'store: database has migrations this version does not know',
      );
    }
    return done;
  });
}
