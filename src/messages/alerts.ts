// The words of alert messages (src/alerts/message.ts): the alert itself, its thread replies
// (reminder, a group joining or recovering, resolved), "no data", a source that stopped
// arriving, and data back. Values come in already formatted; Slack markup (dates, mentions,
// escaping) is the caller's. Pure.
import type { Words } from './lang.ts';

type Comparator = '<' | '<=' | '>' | '>=';
type Dimension = 'channel' | 'campaign';
type Cadence = 'daily' | 'weekly';

export interface AlertWords {
  comparator: Readonly<Record<Comparator, string>>;
  dimension: Readonly<Record<Dimension, string>>;
  dimensionPlural: Readonly<Record<Dimension, string>>;
  /** The label of the empty group: `(no channel)`. */
  noGroup(dimension: Dimension): string;
  rule(id: string): string;
  firedResolved(fired: string, resolved: string): string;
  firingSince(since: string): string;
  acknowledgedBy(user: string): string;
  snoozedUntil(until: string): string;
  buttons: { acknowledge: string; snooze1h: string; snooze1d: string; snooze1w: string };
  resolvedTitle(what: string, words: string, threshold: string): string;
  firingTitle(what: string, words: string, threshold: string): string;
  /** The grouped alert's title: `🔴 ROAS is below 3.0× in 5 campaigns`. */
  groupedTitle(kpi: string, words: string, threshold: string, n: number, dim: Dimension): string;
  groupedResolvedTitle(kpi: string, words: string, threshold: string, dim: Dimension): string;
  fields: {
    value: string;
    threshold: string;
    window: string;
    now: string;
    trend(n: number): string;
  };
  lookAtFirst(dimension: Dimension): string;
  /** The breaching groups of a grouped alert: `Breaching campaigns, worst first:`. */
  breachingGroups(dimension: Dimension): string;
  andMore(n: number): string;
  noValue: string;
  fallbackFiring(what: string, value: string, window: string, words: string, t: string): string;
  fallbackResolved(what: string, value: string, comparator: string, t: string): string;
  fallbackGrouped(kpi: string, n: number, dim: Dimension, words: string, t: string): string;
  fallbackGroupedResolved(kpi: string, dim: Dimension, words: string, t: string): string;
  stillBreaching(words: string, threshold: string, what: string, value: string, w: string): string;
  stillBreachingGroups(words: string, threshold: string, n: number, dim: Dimension): string;
  repeatNote(since: string, trend: string | undefined): string;
  resolvedReply(what: string, value: string, window: string, bound: string, t: string): string;
  resolvedGroupsReply(kpi: string, dim: Dimension, words: string, threshold: string): string;
  joined(n: number, dim: Dimension, words: string, threshold: string): string;
  recovered(n: number, dim: Dimension, bound: string): string;
  /** Groups of a grouped alert without data now: `⚠️ ROAS: 2 campaigns cannot be checked:`. */
  lostData(kpi: string, n: number, dim: Dimension): string;
  dataBackGroups(kpi: string, n: number, dim: Dimension, window: string): string;
  /** A new group while the firing is acknowledged: no new alert, no reminder. */
  joinedWhileAcknowledged: string;
  noDataFor(measures: string, since: string | undefined, window: string): string;
  noKpiValue(kpi: string, window: string): string;
  cannotBeChecked(what: string, whatFailed: string): string;
  toldOnce(rule: string): string;
  dataBack(what: string, value: string, window: string): string;
  /** A source that used to arrive and is late. */
  sourceLate(source: string, lastDay: string, rules: string[], more: number): string;
  sourceLateNote(cadence: Cadence, by: string | undefined, learned: boolean): string;
  sourceBack(source: string, lastDay: string): string;
  cadence: Readonly<Record<Cadence, string>>;
}

const en: AlertWords = {
  comparator: { '<': 'below', '<=': 'at or below', '>': 'above', '>=': 'at or above' },
  dimension: { channel: 'channel', campaign: 'campaign' },
  dimensionPlural: { channel: 'channels', campaign: 'campaigns' },
  noGroup: (d) => `(no ${d})`,
  rule: (id) => `Rule ${id}`,
  firedResolved: (fired, resolved) => `fired ${fired}, resolved ${resolved}`,
  firingSince: (since) => `firing since ${since}`,
  acknowledgedBy: (user) => `acknowledged by ${user}`,
  snoozedUntil: (until) => `snoozed until ${until}`,
  buttons: {
    acknowledge: 'Acknowledge',
    snooze1h: 'Snooze 1 h',
    snooze1d: 'Snooze 1 d',
    snooze1w: 'Snooze 1 w',
  },
  resolvedTitle: (what, words, t) => `✅ Resolved: ${what} was ${words} ${t}`,
  firingTitle: (what, words, t) => `🔴 ${what} is ${words} ${t}`,
  groupedTitle: (kpi, words, t, n, d) =>
    `🔴 ${kpi} is ${words} ${t} in ${n} ${n === 1 ? d : en.dimensionPlural[d]}`,
  groupedResolvedTitle: (kpi, words, t, d) =>
    `✅ Resolved: ${kpi} is no longer ${words} ${t} in any ${d}`,
  fields: {
    value: 'Value',
    threshold: 'Threshold',
    window: 'Window',
    now: 'Now',
    trend: (n) => `Trend, last ${n} periods`,
  },
  lookAtFirst: (d) => `Look at first — worst ${en.dimensionPlural[d]}:`,
  breachingGroups: (d) => `Breaching ${en.dimensionPlural[d]}, worst first:`,
  andMore: (n) => `…and ${n} more`,
  noValue: 'no data',
  fallbackFiring: (what, value, window, words, t) =>
    `${what} is ${value} over ${window}, ${words} the threshold ${t}.`,
  fallbackResolved: (what, value, c, t) =>
    `Resolved: ${what} is back at ${value} (threshold ${c} ${t}).`,
  fallbackGrouped: (kpi, n, d, words, t) =>
    `${kpi} is ${words} the threshold ${t} in ${n} ${n === 1 ? d : en.dimensionPlural[d]}.`,
  fallbackGroupedResolved: (kpi, d, words, t) =>
    `Resolved: ${kpi} is no longer ${words} ${t} in any ${d}.`,
  stillBreaching: (words, t, what, value, w) =>
    `🔁 Still ${words} ${t}: ${what} is ${value} over ${w}.`,
  stillBreachingGroups: (words, t, n, d) =>
    `🔁 Still ${words} ${t} in ${n} ${n === 1 ? d : en.dimensionPlural[d]}:`,
  repeatNote: (since, trend) =>
    `Firing since ${since}${trend ? ` · trend ${trend}` : ''} · acknowledge to stop reminders`,
  resolvedReply: (what, value, window, bound, t) =>
    `✅ Resolved: ${what} is back at ${value} over ${window} (past ${bound}; threshold ${t}).`,
  resolvedGroupsReply: (kpi, d, words, t) =>
    `✅ Resolved: ${kpi} is no longer ${words} ${t} in any ${d}.`,
  joined: (n, d, words, t) =>
    `➕ ${n === 1 ? `1 more ${d} is` : `${n} more ${en.dimensionPlural[d]} are`} ${words} ${t}:`,
  recovered: (n, d, bound) =>
    `✅ ${n === 1 ? `1 ${d} is` : `${n} ${en.dimensionPlural[d]} are`} back past ${bound}:`,
  lostData: (kpi, n, d) =>
    `⚠️ ${kpi}: ${n} ${n === 1 ? `${d} cannot` : `${en.dimensionPlural[d]} cannot`} be checked:`,
  dataBackGroups: (kpi, n, d, window) =>
    `📈 Data is back for ${n} ${n === 1 ? d : en.dimensionPlural[d]}: ${kpi} over ${window}:`,
  joinedWhileAcknowledged: 'This alert is acknowledged: no new alert and no reminders.',
  noDataFor: (m, since, window) => `No data for ${m}${since ? ` since ${since}` : ` in ${window}`}`,
  noKpiValue: (kpi, window) => `${kpi} has no value over ${window} (e.g. nothing to divide by)`,
  cannotBeChecked: (what, failed) => `⚠️ ${failed}: ${what} cannot be checked.`,
  toldOnce: (rule) => `Rule ${rule} · told once; I will say when data is back`,
  dataBack: (what, value, window) => `📈 Data is back: ${what} is ${value} over ${window}.`,
  sourceLate: (source, last, rules, more) =>
    `⏳ ${source} data stopped arriving after ${last}; ${rules.length + more} ${rules.length + more === 1 ? "rule can't" : "rules can't"} be checked: ${rules.join(', ')}${more > 0 ? ` and ${more} more` : ''}.`,
  sourceLateNote: (cadence, by, learned) =>
    `Usually arrives ${en.cadence[cadence]}${by ? ` by ${by}` : ''} (${learned ? 'learned from its history' : 'configured'}) · told once per source; I will say when it is back`,
  sourceBack: (source, last) =>
    `📈 ${source} data is arriving again (up to ${last}); its rules are checked again.`,
  cadence: { daily: 'daily', weekly: 'weekly' },
};

const sv: AlertWords = {
  comparator: { '<': 'under', '<=': 'högst', '>': 'över', '>=': 'minst' },
  dimension: { channel: 'kanal', campaign: 'kampanj' },
  dimensionPlural: { channel: 'kanaler', campaign: 'kampanjer' },
  noGroup: (d) => `(ingen ${sv.dimension[d]})`,
  rule: (id) => `Regel ${id}`,
  firedResolved: (fired, resolved) => `larmade ${fired}, löst ${resolved}`,
  firingSince: (since) => `larmar sedan ${since}`,
  acknowledgedBy: (user) => `kvitterat av ${user}`,
  snoozedUntil: (until) => `tystat till ${until}`,
  buttons: {
    acknowledge: 'Kvittera',
    snooze1h: 'Tysta 1 tim',
    snooze1d: 'Tysta 1 dygn',
    snooze1w: 'Tysta 1 vecka',
  },
  resolvedTitle: (what, words, t) => `✅ Löst: ${what} var ${words} ${t}`,
  firingTitle: (what, words, t) => `🔴 ${what} är ${words} ${t}`,
  groupedTitle: (kpi, words, t, n, d) =>
    `🔴 ${kpi} är ${words} ${t} i ${n} ${n === 1 ? sv.dimension[d] : sv.dimensionPlural[d]}`,
  groupedResolvedTitle: (kpi, words, t, d) =>
    `✅ Löst: ${kpi} är inte längre ${words} ${t} i någon ${sv.dimension[d]}`,
  fields: {
    value: 'Värde',
    threshold: 'Gräns',
    window: 'Fönster',
    now: 'Nu',
    trend: (n) => `Trend, senaste ${n} perioderna`,
  },
  lookAtFirst: (d) => `Titta först på — sämsta ${sv.dimensionPlural[d]}:`,
  breachingGroups: (d) => `${cap(sv.dimensionPlural[d])} utanför gränsen, sämst först:`,
  andMore: (n) => `…och ${n} till`,
  noValue: 'inga data',
  fallbackFiring: (what, value, window, words, t) =>
    `${what} är ${value} över ${window}, ${words} gränsen ${t}.`,
  fallbackResolved: (what, value, c, t) =>
    `Löst: ${what} är tillbaka på ${value} (gräns ${c} ${t}).`,
  fallbackGrouped: (kpi, n, d, words, t) =>
    `${kpi} är ${words} gränsen ${t} i ${n} ${n === 1 ? sv.dimension[d] : sv.dimensionPlural[d]}.`,
  fallbackGroupedResolved: (kpi, d, words, t) =>
    `Löst: ${kpi} är inte längre ${words} ${t} i någon ${sv.dimension[d]}.`,
  stillBreaching: (words, t, what, value, w) =>
    `🔁 Fortfarande ${words} ${t}: ${what} är ${value} över ${w}.`,
  stillBreachingGroups: (words, t, n, d) =>
    `🔁 Fortfarande ${words} ${t} i ${n} ${n === 1 ? sv.dimension[d] : sv.dimensionPlural[d]}:`,
  repeatNote: (since, trend) =>
    `Larmar sedan ${since}${trend ? ` · trend ${trend}` : ''} · kvittera för att slippa påminnelser`,
  resolvedReply: (what, value, window, bound, t) =>
    `✅ Löst: ${what} är tillbaka på ${value} över ${window} (förbi ${bound}; gräns ${t}).`,
  resolvedGroupsReply: (kpi, d, words, t) =>
    `✅ Löst: ${kpi} är inte längre ${words} ${t} i någon ${sv.dimension[d]}.`,
  joined: (n, d, words, t) =>
    `➕ ${n === 1 ? `1 ${sv.dimension[d]} till är` : `${n} ${sv.dimensionPlural[d]} till är`} ${words} ${t}:`,
  recovered: (n, d, bound) =>
    `✅ ${n === 1 ? `1 ${sv.dimension[d]} är` : `${n} ${sv.dimensionPlural[d]} är`} tillbaka förbi ${bound}:`,
  lostData: (kpi, n, d) =>
    `⚠️ ${kpi}: ${n} ${n === 1 ? sv.dimension[d] : sv.dimensionPlural[d]} kan inte kontrolleras:`,
  dataBackGroups: (kpi, n, d, window) =>
    `📈 Data är tillbaka för ${n} ${n === 1 ? sv.dimension[d] : sv.dimensionPlural[d]}: ${kpi} över ${window}:`,
  joinedWhileAcknowledged: 'Larmet är kvitterat: inget nytt larm och inga påminnelser.',
  noDataFor: (m, since, window) =>
    `Inga data för ${m}${since ? ` sedan ${since}` : ` i ${window}`}`,
  noKpiValue: (kpi, window) => `${kpi} saknar värde över ${window} (t.ex. inget att dela med)`,
  cannotBeChecked: (what, failed) => `⚠️ ${failed}: ${what} kan inte kontrolleras.`,
  toldOnce: (rule) => `Regel ${rule} · sägs en gång; jag säger till när data är tillbaka`,
  dataBack: (what, value, window) => `📈 Data är tillbaka: ${what} är ${value} över ${window}.`,
  sourceLate: (source, last, rules, more) =>
    `⏳ Data från ${source} har inte kommit efter ${last}; ${rules.length + more} ${rules.length + more === 1 ? 'regel' : 'regler'} kan inte kontrolleras: ${rules.join(', ')}${more > 0 ? ` och ${more} till` : ''}.`,
  sourceLateNote: (cadence, by, learned) =>
    `Kommer vanligen ${sv.cadence[cadence]}${by ? ` före ${by}` : ''} (${learned ? 'inlärt från historiken' : 'enligt konfigurationen'}) · sägs en gång per källa; jag säger till när den är tillbaka`,
  sourceBack: (source, last) =>
    `📈 Data från ${source} kommer igen (till och med ${last}); dess regler kontrolleras igen.`,
  cadence: { daily: 'dagligen', weekly: 'varje vecka' },
};

function cap(s: string): string {
  return `${s.charAt(0).toUpperCase()}${s.slice(1)}`;
}

export const ALERT_WORDS: Words<AlertWords> = { en, sv };
