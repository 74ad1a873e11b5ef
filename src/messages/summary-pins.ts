// The words of the summary's pinned KPIs: the thread's "more business KPIs" part and the
// `/kpi summary pin|unpin|pins` replies, in both languages (see lang.ts). Pure.
import type { Words } from './lang.ts';

export interface SummaryPinWords {
  /** Header of the thread reply's part with the business KPIs that are not pinned. */
  moreTitle(periodLabel: string): string;
  /** The same part in the terminal, where there is no thread. */
  moreHeading: string;
  /** The message's line naming the business KPIs it leaves out (a posted summary's thread has them). */
  moreLine(names: readonly string[]): string;
  pinned(name: string): string;
  unpinned(name: string): string;
  alreadyPinned(name: string): string;
  notPinned(name: string): string;
  nothingChanged: string;
  /** `names`: the pinned KPIs, joined. */
  nowShown(names: string): string;
  restInThread: string;
  full(max: number): string;
  contextMetric(name: string): string;
  unknownKpi(text: string): string;
  whichKpi: string;
  listTitle(count: number): string;
  none: string;
  fromDefault: string;
  fromConfig: string;
  pinnedBy(user: string, day: string): string;
  howToChange: string;
}

export const SUMMARY_PIN_WORDS: Words<SummaryPinWords> = {
  en: {
    moreTitle: (label) => `More business KPIs — ${label}`,
    moreHeading: 'More business KPIs (in the thread in Slack)',
    moreLine: (names) =>
      `${names.length} more business ${names.length === 1 ? 'KPI' : 'KPIs'}: ${names.join(', ')}`,
    pinned: (name) => `${name} pinned to the summary`,
    unpinned: (name) => `${name} unpinned from the summary`,
    alreadyPinned: (name) => `${name} is pinned already`,
    notPinned: (name) => `${name} is not pinned`,
    nothingChanged: 'Nothing was changed.',
    nowShown: (names) => `The summary shows, after the goals: ${names}.`,
    restInThread: 'Every other business KPI is in the summary’s thread.',
    full: (max) =>
      `${max} KPIs are pinned, the most a summary shows: unpin one first (\`/kpi summary unpin <kpi>\`).`,
    contextMetric: (name) =>
      `${name} is a context metric: it stays below the divider. Pin a business KPI.`,
    unknownKpi: (text) => `I don't know the KPI \`${text}\`.`,
    whichKpi: 'Which KPI? Name it, e.g. `/kpi summary pin roas`.',
    listTitle: (count) => `Pinned KPIs in the summary: ${count}`,
    none: 'None: the summary shows only the KPIs with goals.',
    fromDefault: 'default',
    fromConfig: 'kpibot.config.yml',
    pinnedBy: (user, day) => `pinned by ${user} on ${day}`,
    howToChange: 'Change them with `/kpi summary pin <kpi>` and `/kpi summary unpin <kpi>`.',
  },
  sv: {
    moreTitle: (label) => `Fler affärsnyckeltal — ${label}`,
    moreHeading: 'Fler affärsnyckeltal (i tråden i Slack)',
    moreLine: (names) => `${names.length} affärsnyckeltal till: ${names.join(', ')}`,
    pinned: (name) => `${name} är fäst i sammanfattningen`,
    unpinned: (name) => `${name} är inte längre fäst i sammanfattningen`,
    alreadyPinned: (name) => `${name} är redan fäst`,
    notPinned: (name) => `${name} är inte fäst`,
    nothingChanged: 'Inget ändrades.',
    nowShown: (names) => `Sammanfattningen visar, efter målen: ${names}.`,
    restInThread: 'Övriga affärsnyckeltal finns i sammanfattningens tråd.',
    full: (max) =>
      `${max} nyckeltal är fästa, det största antal en sammanfattning visar: lossa ett först (\`/kpi summary unpin <kpi>\`).`,
    contextMetric: (name) =>
      `${name} är ett kontextmått: det står kvar under avdelaren. Fäst ett affärsnyckeltal.`,
    unknownKpi: (text) => `Jag känner inte till nyckeltalet \`${text}\`.`,
    whichKpi: 'Vilket nyckeltal? Ange det, t.ex. `/kpi summary pin roas`.',
    listTitle: (count) => `Fästa nyckeltal i sammanfattningen: ${count}`,
    none: 'Inga: sammanfattningen visar bara nyckeltalen med mål.',
    fromDefault: 'standard',
    fromConfig: 'kpibot.config.yml',
    pinnedBy: (user, day) => `fäst av ${user} den ${day}`,
    howToChange: 'Ändra dem med `/kpi summary pin <kpi>` och `/kpi summary unpin <kpi>`.',
  },
};
