// The words of `/kpi status` and `kpibot status` (data freshness per measure and source, SQL
// sources' syncs, each source's cadence) in both languages (see lang.ts). Pure.
import type { Words } from './lang.ts';

type Cadence = 'daily' | 'weekly';

/** What a late source's line is made of (src/sources/cadence.ts's Arrival). */
export interface LateArrival {
  cadence: Cadence | null;
  by?: string;
  learned: boolean;
  lastDay: string | null;
  expected: string | null;
  /** On time by its days, but its syncs keep failing. */
  syncsFailing?: boolean;
  /** The English reason the sources layer gives (and logs). */
  reason: string;
}

export interface StatusWords {
  // Warnings (src/query/status.ts)
  stoppedArriving(measure: string, source: string, lastDay: string, days: number): string;
  sqlFailed(name: string, error: string, since: string): string;
  lastGoodSync(at: string): string;
  neverSynced: string;
  sqlNoRows(name: string, start: string, end: string): string;
  /** A late source: behind its cadence, or its syncs failing. */
  sourceLate(source: string, a: LateArrival): string;
  // The views
  title: string;
  titleToday(today: string): string;
  noDataSlack(status: string): string;
  noDataFallback(today: string): string;
  noDataText: string;
  today(day: string): string;
  upToDate: string;
  behind(days: number): string;
  staleDays(days: number): string;
  staleSummary(stale: number, of: number, names: string): string;
  staleFallback(stale: number, of: number, rows: string): string;
  staleRow(measure: string, source: string, lastDay: string, behind: string): string;
  allArriving(n: number): string;
  staleLegend(mark: string): string;
  explainHint(command: string): string;
  columns: {
    measure: string;
    source: string;
    lastDay: string;
    written: string;
    behind: string;
  };
  sqlColumns: { source: string; lastRun: string; window: string; rows: string; result: string };
  sqlSources: string;
  failed: string;
  failedWith(error: string): string;
  noRows: string;
  ok: string;
  arrivals: string;
  arrivalColumns: { source: string; cadence: string; newest: string };
  cadence(cadence: Cadence, by: string | undefined, learned: boolean): string;
  irregular: string;
  noRegularCadence: string;
  newest(day: string): string;
  late: string;
}

export const STATUS_WORDS: Words<StatusWords> = {
  en: {
    stoppedArriving: (m, s, day, n) =>
      `${m} from ${s} stopped arriving: last day with data ${day}, ${n} days behind.`,
    sqlFailed: (name, error, since) => `SQL source ${name} failed: ${error} (${since}).`,
    lastGoodSync: (at) => `last good sync ${at} UTC`,
    neverSynced: 'never synced',
    sqlNoRows: (name, a, b) => `SQL source ${name} returned no rows for ${a} – ${b}.`,
    sourceLate: (s, a) => `Source ${s} is late: ${a.reason}.`,
    title: 'Data freshness',
    titleToday: (today) => `Data freshness (today is ${today})`,
    noDataSlack: (status) =>
      `*No data yet.* Import daily facts with \`npx kpibot import FILE.csv\` or \`POST /api/v1/facts\`, then ask again with ${status}.`,
    noDataFallback: (today) =>
      `No data yet (today ${today}). Import daily facts with npx kpibot import FILE.csv or POST /api/v1/facts.`,
    noDataText:
      'No data yet. Import with `npx kpibot import FILE.csv` (or `npx kpibot demo`), or POST /api/v1/facts.',
    today: (day) => `today ${day}`,
    upToDate: 'up to date',
    behind: (n) => `${n} ${n === 1 ? 'day' : 'days'} behind`,
    staleDays: (n) => `stale (${n} days behind)`,
    staleSummary: (stale, of, names) =>
      `*${stale} of ${of} ${of === 1 ? 'feed' : 'feeds'} stale* — no new data for ${names}`,
    staleFallback: (stale, of, rows) => `${stale} of ${of} stale: ${rows}.`,
    staleRow: (m, s, day, behind) => `${m} (${s}, last day ${day}, ${behind})`,
    allArriving: (n) =>
      n === 1
        ? 'The one feed (measure from a source) is arriving.'
        : `All ${n} feeds (measure from a source) are arriving.`,
    staleLegend: (mark) => `${mark} stale: no new data for longer than expected`,
    explainHint: (command) => `${command} shows which measures a KPI needs`,
    columns: {
      measure: 'measure',
      source: 'source',
      lastDay: 'last day',
      written: 'written',
      behind: 'behind',
    },
    sqlColumns: {
      source: 'SQL source',
      lastRun: 'last run',
      window: 'window',
      rows: 'rows',
      result: 'result',
    },
    sqlSources: 'SQL sources',
    failed: 'failed',
    failedWith: (error) => `failed: ${error}`,
    noRows: 'no rows',
    ok: 'ok',
    arrivals: 'Arrivals',
    arrivalColumns: { source: 'source', cadence: 'cadence', newest: 'newest day' },
    cadence: (c, by, learned) =>
      `${c}${by ? ` by ${by}` : ''} (${learned ? 'learned' : 'configured'})`,
    irregular: 'irregular',
    noRegularCadence: 'no regular cadence',
    newest: (day) => `newest ${day}`,
    late: 'late',
  },
  sv: {
    stoppedArriving: (m, s, day, n) =>
      `${m} från ${s} slutade komma: senaste dag med data ${day}, ${n} dagar efter.`,
    sqlFailed: (name, error, since) => `SQL-källan ${name} misslyckades: ${error} (${since}).`,
    lastGoodSync: (at) => `senaste lyckade synk ${at} UTC`,
    neverSynced: 'aldrig synkad',
    sqlNoRows: (name, a, b) => `SQL-källan ${name} gav inga rader för ${a} – ${b}.`,
    sourceLate: (s, a) => {
      const how = a.cadence
        ? `${a.cadence === 'daily' ? 'dagligen' : 'varje vecka'}${a.by ? ` senast ${a.by}` : ''}${a.learned ? ' (inlärd)' : ''}`
        : 'oregelbunden';
      return a.syncsFailing
        ? `Källan ${s} är sen: ${how}: dess synkningar misslyckas.`
        : `Källan ${s} är sen: ${how}: data till och med ${a.expected} väntades, den senaste är ${a.lastDay ?? '–'}.`;
    },
    title: 'Datafärskhet',
    titleToday: (today) => `Datafärskhet (i dag är ${today})`,
    noDataSlack: (status) =>
      `*Inga data ännu.* Importera dagliga fakta med \`npx kpibot import FILE.csv\` eller \`POST /api/v1/facts\`, fråga sedan igen med ${status}.`,
    noDataFallback: (today) =>
      `Inga data ännu (i dag ${today}). Importera dagliga fakta med npx kpibot import FILE.csv eller POST /api/v1/facts.`,
    noDataText:
      'Inga data ännu. Importera med `npx kpibot import FILE.csv` (eller `npx kpibot demo`), eller `POST /api/v1/facts`.',
    today: (day) => `i dag ${day}`,
    upToDate: 'aktuell',
    behind: (n) => `${n} ${n === 1 ? 'dag' : 'dagar'} efter`,
    staleDays: (n) => `inaktuell (${n} dagar efter)`,
    staleSummary: (stale, of, names) =>
      `*${stale} av ${of} ${of === 1 ? 'flöde' : 'flöden'} inaktuella* — inga nya data för ${names}`,
    staleFallback: (stale, of, rows) => `${stale} av ${of} inaktuella: ${rows}.`,
    staleRow: (m, s, day, behind) => `${m} (${s}, senaste dag ${day}, ${behind})`,
    allArriving: (n) =>
      n === 1
        ? 'Det enda flödet (mått från en källa) anländer.'
        : `Alla ${n} flöden (mått från en källa) anländer.`,
    staleLegend: (mark) => `${mark} inaktuell: inga nya data på längre tid än väntat`,
    explainHint: (command) => `${command} visar vilka mått ett nyckeltal behöver`,
    columns: {
      measure: 'mått',
      source: 'källa',
      lastDay: 'senaste dag',
      written: 'skrivet',
      behind: 'efter',
    },
    sqlColumns: {
      source: 'SQL-källa',
      lastRun: 'senaste körning',
      window: 'fönster',
      rows: 'rader',
      result: 'resultat',
    },
    sqlSources: 'SQL-källor',
    failed: 'misslyckades',
    failedWith: (error) => `misslyckades: ${error}`,
    noRows: 'inga rader',
    ok: 'ok',
    arrivals: 'Ankomster',
    arrivalColumns: { source: 'källa', cadence: 'takt', newest: 'senaste dag' },
    cadence: (c, by, learned) =>
      `${c === 'daily' ? 'dagligen' : 'varje vecka'}${by ? ` senast ${by}` : ''} (${learned ? 'inlärd' : 'konfigurerad'})`,
    irregular: 'oregelbunden',
    noRegularCadence: 'ingen regelbunden takt',
    newest: (day) => `senaste ${day}`,
    late: 'sen',
  },
};
