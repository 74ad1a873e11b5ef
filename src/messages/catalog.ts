// The words of `/kpi help` and `/kpi list` (the catalog by tier) in both languages (see
// lang.ts), for Slack and the terminal. Commands arrive quoted where they are code. Pure.
import type { Words } from './lang.ts';

export interface CatalogWords {
  helpTitle: string;
  askHeading: string;
  withoutPeriod(period: string): string;
  examples: string;
  more: string;
  listLine: string;
  explainLine: string;
  statusLine: string;
  helpLine: string;
  onlyYou(button: string): string;
  helpFallback(usage: string, period: string): string;
  /** The terminal's help. */
  askLine(usage: string): string;
  otherCommands: string;
  listTitle: string;
  /** A tier's heading: its name and what it means. */
  tier: Record<'business' | 'context', { name: string; note: string }>;
  none: string;
  explainHint(command: string): string;
  listFallback(business: string, context: string): string;
}

export const CATALOG_WORDS: Words<CatalogWords> = {
  en: {
    helpTitle: 'kpibot — KPIs in Slack',
    askHeading: 'Ask for a KPI',
    withoutPeriod: (p) => `Without a period you get ${p}.`,
    examples: 'Examples',
    more: 'More',
    listLine: 'every KPI, the business KPIs first',
    explainLine: 'formula, measures, benchmark and how fresh the data is',
    statusLine: 'how fresh the data is, per measure and source',
    helpLine: 'this message',
    onlyYou: (button) => `Answers are shown only to you; press *${button}* to share one.`,
    helpFallback: (usage, p) =>
      `Ask for a KPI: ${usage}. Without a period: ${p}. Also: /kpi list, /kpi explain <kpi>, /kpi status.`,
    askLine: (usage) => `Ask for a KPI: ${usage}`,
    otherCommands: 'Other commands: list, explain <kpi>, help',
    listTitle: 'KPI catalog',
    tier: {
      business: { name: 'Business KPIs', note: 'tied to goals; they lead every report' },
      context: { name: 'Context metrics', note: 'shown below the business KPIs' },
    },
    none: 'none',
    explainHint: (command) => `${command} shows a KPI's formula, measures and benchmark.`,
    listFallback: (b, c) => `Business KPIs: ${b}. Context metrics: ${c}.`,
  },
  sv: {
    helpTitle: 'kpibot — nyckeltal i Slack',
    askHeading: 'Fråga efter ett nyckeltal',
    withoutPeriod: (p) => `Utan period får du ${p}.`,
    examples: 'Exempel',
    more: 'Mer',
    listLine: 'alla nyckeltal, affärsnyckeltalen först',
    explainLine: 'formel, mått, riktvärde och hur färska data är',
    statusLine: 'hur färska data är, per mått och källa',
    helpLine: 'det här meddelandet',
    onlyYou: (button) => `Svaren visas bara för dig; tryck *${button}* för att dela ett.`,
    helpFallback: (usage, p) =>
      `Fråga efter ett nyckeltal: ${usage}. Utan period: ${p}. Även: /kpi list, /kpi explain <kpi>, /kpi status.`,
    askLine: (usage) => `Fråga efter ett nyckeltal: ${usage}`,
    otherCommands: 'Andra kommandon: list, explain <kpi>, help',
    listTitle: 'Nyckeltalskatalog',
    tier: {
      business: { name: 'Affärsnyckeltal', note: 'knutna till mål; de leder varje rapport' },
      context: { name: 'Kontextmått', note: 'visas under affärsnyckeltalen' },
    },
    none: 'inga',
    explainHint: (command) => `${command} visar ett nyckeltals formel, mått och riktvärde.`,
    listFallback: (b, c) => `Affärsnyckeltal: ${b}. Kontextmått: ${c}.`,
  },
};
