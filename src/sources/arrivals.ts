// Which sources (facts.source: a SQL source, the push API, an import) supply which measures, and
// whether each is late now: its days with data over the recent history, its configuration, and
// for a SQL source its last syncs (source_syncs), judged by cadence.ts. Read by the alert cycle
// (a late source stops the rules that need it, src/alerts/lateness.ts) and by `/kpi status`.
import { addDays, todayIn } from '../kpi/periods.ts';
import type { IsoDate } from '../kpi/types.ts';
import type { Db } from '../store/db.ts';
import { listSourceSyncs } from '../store/source-syncs.ts';
import type { ArrivalConfig } from './arrival.ts';
import { type Arrival, arrivalOf, LEARN_DAYS_MAX } from './cadence.ts';

export interface SourceArrival extends Arrival {
  /** facts.source: `sql:google-ads`, `api`, `import`… */
  source: string;
  /** Late although its days are on time: its SQL syncs keep failing. */
  syncsFailing?: true;
}

export interface Arrivals {
  /** Measure → the sources that have written it. */
  sourcesOf: Map<string, string[]>;
  /** Source → its arrival now. */
  bySource: Map<string, SourceArrival>;
}

/** How people know a source: a SQL source by its name, the others by their facts.source. */
export function sourceLabel(source: string): string {
  return source.startsWith('sql:') ? source.slice(4) : source;
}

/** The sources of `measures` and whether each is late at `at` (local date and time in `timeZone`). */
export async function arrivalsFor(
  db: Db,
  measures: readonly string[],
  at: Date,
  timeZone: string,
  configs: Readonly<Record<string, ArrivalConfig>>,
): Promise<Arrivals> {
  const out: Arrivals = { sourcesOf: new Map(), bySource: new Map() };
  if (measures.length === 0) return out;
  const supplies = await db.query<{ measure: string; source: string }>(
    'select measure, source from measure_freshness where measure = any($1::text[])',
    [[...measures]],
  );
  for (const { measure, source } of supplies) {
    out.sourcesOf.set(measure, [...(out.sourcesOf.get(measure) ?? []), source]);
  }
  const sources = [...new Set(supplies.map((s) => s.source))];
  if (sources.length === 0) return out;
  const today = todayIn({ now: at, timeZone, weekStartsOn: 1 });
  const time = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
  // Weekly sources need LEARN_DAYS_MAX weeks of history; the days after today are ignored.
  const days = await db.query<{ source: string; days: IsoDate[] }>(
    `select source, array_agg(distinct day::text order by day::text) as days from facts
     where measure = any($1::text[]) and source = any($2::text[])
       and day >= $3::date and day <= $4::date
     group by source`,
    [[...measures], sources, addDays(today, -7 * LEARN_DAYS_MAX), today],
  );
  const daysOf = new Map(days.map((d) => [d.source, d.days]));
  const syncs = sources.some((s) => s.startsWith('sql:')) ? await listSourceSyncs(db) : [];
  for (const source of sources) {
    const arrival = arrivalOf(daysOf.get(source) ?? [], today, time, configs[source]);
    const sync = syncs.find((s) => `sql:${s.source}` === source);
    const failing =
      sync?.error !== undefined && arrival.expected !== null && !arrival.late
        ? syncBehind(sync.synced?.at, at, arrival)
        : undefined;
    out.bySource.set(source, {
      ...arrival,
      source,
      ...(failing ? { late: true, syncsFailing: true, reason: failing } : {}),
    });
  }
  return out;
}

/**
 * A SQL source whose syncs fail: late once its last successful sync is older than its cadence
 * allows, even if the days it read then still look recent.
 */
function syncBehind(syncedAt: Date | undefined, at: Date, arrival: Arrival): string | undefined {
  const allowedMs = ((arrival.cadence === 'weekly' ? 7 : 1) + 1) * 86_400_000;
  if (syncedAt !== undefined && at.getTime() - syncedAt.getTime() <= allowedMs) return undefined;
  return `its syncs fail${syncedAt ? `; the last one that worked was at ${syncedAt.toISOString()}` : ''}`;
}

/** The late sources a rule needing `measures` depends on (none: it can be checked). */
export function lateSourcesOf(arrivals: Arrivals, measures: readonly string[]): SourceArrival[] {
  const late = new Map<string, SourceArrival>();
  for (const m of measures) {
    for (const s of arrivals.sourcesOf.get(m) ?? []) {
      const a = arrivals.bySource.get(s);
      if (a?.late) late.set(s, a);
    }
  }
  return [...late.values()].sort((a, b) => a.source.localeCompare(b.source));
}
