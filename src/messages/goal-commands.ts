// The words of `/kpi goals`, `/kpi goal set <goal>` and `/kpi goal remove <id>`
// (src/reports/goal-commands.ts), in both languages (see lang.ts). Values, ids and commands come
// in already formatted and escaped. Pure.
import type { Words } from './lang.ts';

type Per = 'week' | 'month' | 'quarter' | 'year';
type Status = 'on_track' | 'met' | 'at_risk' | 'off_track' | 'missed' | 'too_early' | 'no_data';

export interface GoalCommandWords {
  /** How to write one: `shapes` (code spans) joined by "or", then `example`. */
  write(shapes: readonly string[], example: string): string;
  refusalTitle: string;
  refusalBody: string;
  refusalLook: string;
  status: Readonly<Record<Status, string>>;
  /** `per month` after a goal's target. */
  per(per: Per): string;
  unknownSub(sub: string): string;
  helpTitle: string;
  helpSet(hint: string): string;
  helpList: string;
  helpKinds: string;
  whichGoal(hint: string): string;
  unknownKpi(word: string): string;
  exists(id: string): string;
  nothingChanged: string;
  updated(id: string): string;
  was(before: string): string;
  set(id: string): string;
  paced: string;
  compared: string;
  toldOnce(channel: string, per: Per): string;
  removeWith(id: string): string;
  noneTitle: string;
  setOne(example: string): string;
  inConfig: string;
  fromFile(file: string): string;
  setBy(user: string, day: string): string;
  alertsIn(channel: string): string;
  andMore(n: number): string;
  listNote: string;
  listTitle(count: number): string;
  whichId: string;
  definedInConfig(id: string): string;
  removeFromFile: string;
  noSuchGoal(id: string): string;
  removed(id: string): string;
}

const SV_PER: Record<Per, string> = {
  week: 'vecka',
  month: 'månad',
  quarter: 'kvartal',
  year: 'år',
};

export const GOAL_COMMAND_WORDS: Words<GoalCommandWords> = {
  en: {
    write: (shapes, example) => `Write ${shapes.join(', or ')}, e.g. ${example}`,
    refusalTitle: 'Only admins can change goals',
    refusalBody:
      'Nothing was changed. They are managed by the people listed in KPIBOT_ADMINS (or, if none are listed, by workspace admins and owners).',
    refusalLook: 'Anyone can see them with `/kpi goals`.',
    status: {
      on_track: 'on track',
      met: 'met',
      at_risk: '*at risk*',
      off_track: '*off track*',
      missed: '*missed*',
      too_early: 'too early to tell',
      no_data: 'no data',
    },
    per: (per) => `per ${per}`,
    unknownSub: (sub) =>
      `I don't know \`goal ${sub}\`: use \`goal set\`, \`goals\` or \`goal remove <id>\`.`,
    helpTitle: 'Goals',
    helpSet: (hint) => `\`/kpi goal set <goal>\`: ${hint}`,
    helpList: '`/kpi goals`: every goal and where it stands',
    helpKinds:
      'A goal on a total (revenue, new customers…) needs a period and is paced through it; a goal on a ratio (ROAS, CAC…) compares the period’s value with the target.',
    whichGoal: (hint) => `Which goal? ${hint}`,
    unknownKpi: (word) => `I don't know the KPI \`${word}\`.`,
    exists: (id) => `That goal exists already: ${id}`,
    nothingChanged: 'Nothing was changed.',
    updated: (id) => `Goal ${id} updated`,
    was: (before) => `(was ${before})`,
    set: (id) => `Goal ${id} set`,
    paced: 'Summaries pace it through each period and say whether it is on track.',
    compared: 'Summaries compare each period’s value with it.',
    toldOnce: (channel, per) => `If it goes off track, ${channel} is told once per ${per}.`,
    removeWith: (id) => `Remove it with \`/kpi goal remove ${id}\`.`,
    noneTitle: 'No goals yet',
    setOne: (example) => `Set one: \`${example}\``,
    inConfig: 'Goals can also be listed under `goals:` in kpibot.config.yml.',
    fromFile: (file) => `from ${file}`,
    setBy: (user, day) => `set by ${user} on ${day}`,
    alertsIn: (channel) => ` (alerts in ${channel})`,
    andMore: (n) => `…and ${n} more.`,
    listNote:
      '_Totals are paced through their period so far; ratio goals without a period are judged over the last 7 days._',
    listTitle: (count) => `Goals: ${count}`,
    whichId: 'Which goal? Give its id, e.g. `/kpi goal remove g1` (see `/kpi goals`).',
    definedInConfig: (id) => `${id} is defined in kpibot.config.yml`,
    removeFromFile:
      'Remove it from the file; it is read from there on every summary. Nothing was changed.',
    noSuchGoal: (id) => `There is no goal \`${id}\`.`,
    removed: (id) => `Goal ${id} removed`,
  },
  sv: {
    write: (shapes, example) => `Skriv ${shapes.join(', eller ')}, t.ex. ${example}`,
    refusalTitle: 'Bara administratörer kan ändra mål',
    refusalBody:
      'Inget ändrades. Målen hanteras av personerna i KPIBOT_ADMINS (eller, om ingen står där, av arbetsytans administratörer och ägare).',
    refusalLook: 'Alla kan se dem med `/kpi goals`.',
    status: {
      on_track: 'i fas',
      met: 'nått',
      at_risk: '*i riskzonen*',
      off_track: '*ur fas*',
      missed: '*missat*',
      too_early: 'för tidigt att säga',
      no_data: 'inga data',
    },
    per: (per) => `per ${SV_PER[per]}`,
    unknownSub: (sub) =>
      `Jag känner inte till \`goal ${sub}\`: använd \`goal set\`, \`goals\` eller \`goal remove <id>\`.`,
    helpTitle: 'Mål',
    helpSet: (hint) => `\`/kpi goal set <mål>\`: ${hint}`,
    helpList: '`/kpi goals`: alla mål och hur de ligger till',
    helpKinds:
      'Ett mål på en summa (intäkter, nya kunder…) behöver en period, och takten följs genom den; ett mål på en kvot (ROAS, CAC…) jämför periodens värde med målet.',
    whichGoal: (hint) => `Vilket mål? ${hint}`,
    unknownKpi: (word) => `Jag känner inte till nyckeltalet \`${word}\`.`,
    exists: (id) => `Det målet finns redan: ${id}`,
    nothingChanged: 'Inget ändrades.',
    updated: (id) => `Mål ${id} uppdaterat`,
    was: (before) => `(var ${before})`,
    set: (id) => `Mål ${id} satt`,
    paced: 'Sammanfattningarna följer takten genom varje period och säger om målet är i fas.',
    compared: 'Sammanfattningarna jämför värdet för varje period med målet.',
    toldOnce: (channel, per) =>
      `Om det hamnar ur fas får ${channel} veta det en gång per ${SV_PER[per]}.`,
    removeWith: (id) => `Ta bort det med \`/kpi goal remove ${id}\`.`,
    noneTitle: 'Inga mål ännu',
    setOne: (example) => `Sätt ett: \`${example}\``,
    inConfig: 'Mål kan också anges under `goals:` i kpibot.config.yml.',
    fromFile: (file) => `från ${file}`,
    setBy: (user, day) => `satt av ${user} den ${day}`,
    alertsIn: (channel) => ` (larm i ${channel})`,
    andMore: (n) => `…och ${n} till.`,
    listNote:
      '_Summor följs upp mot takten hittills i sin period; kvotmål utan period bedöms över de senaste 7 dagarna._',
    listTitle: (count) => `Mål: ${count}`,
    whichId: 'Vilket mål? Ange dess id, t.ex. `/kpi goal remove g1` (se `/kpi goals`).',
    definedInConfig: (id) => `${id} är definierat i kpibot.config.yml`,
    removeFromFile:
      'Ta bort det ur filen; det läses därifrån vid varje sammanfattning. Inget ändrades.',
    noSuchGoal: (id) => `Det finns inget mål \`${id}\`.`,
    removed: (id) => `Mål ${id} borttaget`,
  },
};
