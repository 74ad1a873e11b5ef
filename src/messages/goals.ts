// The words of a goal's line in the summary (pacing and ratio goals), in both languages (see
// lang.ts). Values arrive formatted; `name` is the KPI as named inside a sentence. Pure.
import type { Words } from './lang.ts';

type Per = 'week' | 'month' | 'quarter' | 'year';

export interface GoalWords {
  /** "the month", "the period" (the goal's period inside a sentence). */
  when(per: Per | undefined): string;
  endedWithin(name: string, when: string, actual: string, target: string, cap: boolean): string;
  endedOff(
    name: string,
    when: string,
    actual: string,
    pct: string,
    target: string,
    cap: boolean,
  ): string;
  reached(name: string, target: string, actual: string): string;
  alreadyOver(name: string, actual: string, target: string, when: string): string;
  tooEarly(elapsed: number, total: number, name: string, actual: string, target: string): string;
  /** `at this pace revenue ends the month at 412 000 kr`. */
  ends(name: string, when: string, projection: string): string;
  aboveGoal(ends: string, pct: string, target: string): string;
  short(ends: string, pct: string, perDay: string): string;
  underCap(ends: string, pct: string, target: string): string;
  overCap(ends: string, pct: string, target: string, perDay: string): string;
  /** `goal ≥ 4×` */
  ratioHead(sign: string, target: string): string;
  noData: string;
  ratioStatus: Record<'met' | 'missed' | 'no_data', string>;
  above: string;
  below: string;
  /** A ratio goal judged over another period than the summary's: `… in October 2026`. */
  inPeriod(text: string, label: string): string;
  noDataYet(name: string, label: string, target: string): string;
  notInCatalog(kpi: string): string;
  /** The pace expected day by day from last year's same period, not a straight line. */
  pacedLikeLastYear: string;
}

const SV_PER: Record<Per, string> = {
  week: 'veckan',
  month: 'månaden',
  quarter: 'kvartalet',
  year: 'året',
};

export const GOAL_WORDS: Words<GoalWords> = {
  en: {
    when: (per) => (per === undefined ? 'the period' : `the ${per}`),
    endedWithin: (name, when, actual, target, cap) =>
      `${name} ended ${when} at ${actual}, within the ${target} ${cap ? 'cap' : 'goal'}`,
    endedOff: (name, when, actual, pct, target, cap) =>
      `${name} ended ${when} at ${actual}, ${pct} ${cap ? 'over' : 'short of'} the ${target} ${cap ? 'cap' : 'goal'}`,
    reached: (name, target, actual) => `${name} has reached the ${target} goal: ${actual} so far`,
    alreadyOver: (name, actual, target, when) =>
      `${name} is already ${actual}, over the ${target} cap for ${when}`,
    tooEarly: (e, t, name, actual, target) =>
      `too early to tell: ${e} of ${t} days in, ${name} ${actual} so far (goal ${target})`,
    ends: (name, when, projection) => `at this pace ${name} ends ${when} at ${projection}`,
    aboveGoal: (ends, pct, target) => `${ends}, ${pct} above the ${target} goal`,
    short: (ends, pct, perDay) => `${ends}, ${pct} short; ${perDay} a day needed from here`,
    underCap: (ends, pct, target) => `${ends}, ${pct} under the ${target} cap`,
    overCap: (ends, pct, target, perDay) =>
      `${ends}, ${pct} over the ${target} cap; at most ${perDay} a day from here to stay within it`,
    ratioHead: (sign, target) => `goal ${sign} ${target}`,
    noData: 'no data',
    ratioStatus: { met: 'met', missed: 'missed', no_data: 'no data' },
    above: 'above',
    below: 'below',
    inPeriod: (text, label) => `${text} in ${label}`,
    noDataYet: (name, label, target) => `no data for ${name} in ${label} yet (goal ${target})`,
    notInCatalog: (kpi) => `${kpi} is not in the KPI catalog any more`,
    pacedLikeLastYear: 'paced like last year',
  },
  sv: {
    when: (per) => (per === undefined ? 'perioden' : SV_PER[per]),
    endedWithin: (name, when, actual, target, cap) =>
      `${name} slutade ${when} på ${actual}, inom ${cap ? 'taket' : 'målet'} ${target}`,
    endedOff: (name, when, actual, pct, target, cap) =>
      `${name} slutade ${when} på ${actual}, ${pct} ${cap ? 'över taket' : 'under målet'} ${target}`,
    reached: (name, target, actual) => `${name} har nått målet ${target}: ${actual} hittills`,
    alreadyOver: (name, actual, target, when) =>
      `${name} är redan ${actual}, över taket ${target} för ${when}`,
    tooEarly: (e, t, name, actual, target) =>
      `för tidigt att säga: ${e} av ${t} dagar gått, ${name} ${actual} hittills (mål ${target})`,
    ends: (name, when, projection) => `i denna takt slutar ${name} ${when} på ${projection}`,
    aboveGoal: (ends, pct, target) => `${ends}, ${pct} över målet ${target}`,
    short: (ends, pct, perDay) => `${ends}, ${pct} under målet; ${perDay} per dag behövs härifrån`,
    underCap: (ends, pct, target) => `${ends}, ${pct} under taket ${target}`,
    overCap: (ends, pct, target, perDay) =>
      `${ends}, ${pct} över taket ${target}; högst ${perDay} per dag härifrån för att hålla det`,
    ratioHead: (sign, target) => `mål ${sign} ${target}`,
    noData: 'inga data',
    ratioStatus: { met: 'nått', missed: 'missat', no_data: 'inga data' },
    above: 'över',
    below: 'under',
    inPeriod: (text, label) => `${text} för ${label}`,
    noDataYet: (name, label, target) => `inga data för ${name} i ${label} ännu (mål ${target})`,
    notInCatalog: (kpi) => `${kpi} finns inte längre i KPI-katalogen`,
    pacedLikeLastYear: 'takt som i fjol',
  },
};
