// The words of `/kpi alert …` and `/kpi alerts` (src/alerts/commands.ts) and of how a rule, its
// schedule and its state read back (src/alerts/describe.ts), in both languages (see lang.ts).
// Values, ids and commands come in already formatted and escaped. Pure.
import type { Words } from './lang.ts';
import { EN_DAYS, SV_DAYS } from './weekdays.ts';

type Status = 'ok' | 'pending' | 'firing' | 'no_data';
type Change = 'remove' | 'pause' | 'resume';

export interface AlertCommandWords {
  /** How to write one: `shapes` (code spans) joined by "or", then `example`. */
  write(shapes: readonly string[], example: string): string;
  refusalTitle: string;
  refusalBody: string;
  refusalLook: string;
  notACommand: string;
  helpTitle: string;
  helpList: string;
  /** `hint`: the rule grammar's hint, escaped. */
  helpAdd(hint: string): string;
  unknownSub(sub: string): string;
  whatToWatch(hint: string): string;
  unknownKpi(word: string): string;
  window(window: string, error: string): string;
  neverMatches(kpi: string, filter: string): string;
  whereToPost: string;
  exists(id: string): string;
  nothingAdded: string;
  nothingChanged: string;
  added(id: string): string;
  checked(schedule: string): string;
  channels(readings: string): string;
  /** `written`, `channel`: code spans. */
  readsAs(written: string, channel: string): string;
  removeOrPause(id: string): string;
  paused: string;
  pausedInConfig: string;
  fromFile(file: string): string;
  createdBy(user: string): string;
  noneTitle: string;
  addOne(example: string): string;
  andMore(n: number): string;
  listTitle(count: number, firing: number): string;
  whichRule(what: Change): string;
  noSuchRule(id: string): string;
  definedInConfig(id: string): string;
  removeFromFile(id: string): string;
  removed(id: string): string;
  noLongerPosts(channel: string, isDefault: boolean): string;
  alreadyPaused(id: string): string;
  pausedTitle(id: string): string;
  notCheckedUntil(id: string): string;
  pausedInConfigTitle(id: string): string;
  setPausedFalse: string;
  notPaused(id: string): string;
  resumed(id: string): string;
  staysPausedInConfig: string;
  checkedAgain(schedule: string): string;
  // describe.ts
  postsNowhere: string;
  over(window: string): string;
  by(dimension: string): string;
  afterChecks(n: number): string;
  reminders(schedule: string, every: string): string;
  status: Readonly<Record<Status, string>>;
  ack(user: string): string;
  snoozedUntil(when: string): string;
  notCheckedYet: string;
  allGroups(dimension: string): string;
  more(n: number): string;
  // the schedule (src/scheduler/schedule-text.ts's describeCron)
  cron: {
    daily(at: string, tz: string): string;
    weekdays(at: string, tz: string): string;
    /** `dow`: 0 = Sunday. */
    weekly(dow: number, at: string, tz: string): string;
    monthly(day: string, at: string, tz: string): string;
    hourly(minute: string): string;
    everyMinutes(n: string): string;
    other(cron: string, tz: string): string;
  };
}

export const ALERT_COMMAND_WORDS: Words<AlertCommandWords> = {
  en: {
    write: (shapes, example) => `Write ${shapes.join(', or ')}, e.g. ${example}`,
    refusalTitle: 'Only admins can change alert rules',
    refusalBody:
      'Nothing was changed. Alert rules are managed by the people listed in KPIBOT_ADMINS (or, if none are listed, by workspace admins and owners).',
    refusalLook: 'Anyone can see the rules and their state with `/kpi alerts`.',
    notACommand: 'That is not an alert command.',
    helpTitle: 'Alert rules',
    helpList: '`/kpi alerts`: every rule with its state and last value',
    helpAdd: (hint) => `\`/kpi alert add <rule>\`: ${hint}`,
    unknownSub: (sub) =>
      `I don't know \`alert ${sub}\`: use \`alert add\`, \`alerts\`, or \`alert remove|pause|resume <id>\`.`,
    whatToWatch: (hint) => `What should I watch? ${hint}`,
    unknownKpi: (word) => `I don't know the KPI \`${word}\`.`,
    window: (window, err) => `Window \`${window}\`: ${err}`,
    neverMatches: (kpi, filter) =>
      `${kpi} only counts ${filter}, so these filters would never match any data.`,
    whereToPost: 'Where should the alert be posted? Add `in #channel`.',
    exists: (id) => `That rule exists already: ${id}`,
    nothingAdded: 'Nothing was added.',
    nothingChanged: 'Nothing was changed.',
    added: (id) => `Alert ${id} added`,
    checked: (schedule) => `Checked ${schedule}.`,
    channels: (readings) => `Channels: ${readings}.`,
    readsAs: (written, channel) => `${written} reads as ${channel}`,
    removeOrPause: (id) =>
      `Remove it with \`/kpi alert remove ${id}\`, pause it with \`/kpi alert pause ${id}\`.`,
    paused: '_paused_',
    pausedInConfig: '_paused in kpibot.config.yml_',
    fromFile: (file) => `from ${file}`,
    createdBy: (user) => `created by ${user}`,
    noneTitle: 'No alert rules yet',
    addOne: (example) => `Add one: \`${example}\``,
    andMore: (n) => `…and ${n} more.`,
    listTitle: (count, firing) => `Alert rules: ${count}${firing > 0 ? `, ${firing} firing` : ''}`,
    whichRule: (what) =>
      `Which rule? Give its id, e.g. \`/kpi alert ${what} a1\` (see \`/kpi alerts\`).`,
    noSuchRule: (id) => `There is no alert rule \`${id}\`.`,
    definedInConfig: (id) => `${id} is defined in kpibot.config.yml`,
    removeFromFile: (id) =>
      'Remove it from the file (it comes back on every start otherwise), or pause it here with ' +
      `\`/kpi alert pause ${id}\`. Nothing was changed.`,
    removed: (id) => `Alert ${id} removed`,
    noLongerPosts: (channel, isDefault) =>
      `It no longer posts to ${channel}.${isDefault ? ' (A default rule: it stays removed.)' : ''}`,
    alreadyPaused: (id) => `${id} is paused already`,
    pausedTitle: (id) => `Alert ${id} paused`,
    notCheckedUntil: (id) =>
      `It is not checked until \`/kpi alert resume ${id}\`; its state is kept.`,
    pausedInConfigTitle: (id) => `${id} is paused in kpibot.config.yml`,
    setPausedFalse:
      'Set `paused: false` there (or remove the line) to resume it. Nothing was changed.',
    notPaused: (id) => `${id} is not paused`,
    resumed: (id) => `Alert ${id} resumed`,
    staysPausedInConfig:
      'It stays paused in kpibot.config.yml until `paused: true` is removed there.',
    checkedAgain: (schedule) => `It is checked again ${schedule}.`,
    postsNowhere: '_posts nowhere (no channel set)_',
    over: (window) => `over ${window}`,
    by: (dimension) => `by ${dimension}`,
    afterChecks: (n) => `after ${n} breaching checks in a row`,
    reminders: (schedule, every) => `${schedule} · reminders every ${every} while firing`,
    status: { ok: 'ok', pending: 'pending', firing: '*firing*', no_data: 'no data' },
    ack: (user) => `ack ${user}`,
    snoozedUntil: (when) => `snoozed until ${when}`,
    notCheckedYet: 'not checked yet',
    allGroups: (dimension) => `all ${dimension}s`,
    more: (n) => ` +${n} more`,
    cron: {
      daily: (at, tz) => `daily at ${at}${tz}`,
      weekdays: (at, tz) => `weekdays at ${at}${tz}`,
      weekly: (dow, at, tz) => `${EN_DAYS[dow % 7]}s at ${at}${tz}`,
      monthly: (day, at, tz) => `monthly on day ${day} at ${at}${tz}`,
      hourly: (minute) => `hourly at :${minute}`,
      everyMinutes: (n) => `every ${n} minutes`,
      other: (cron, tz) => `on cron \`${cron}\`${tz}`,
    },
  },
  sv: {
    write: (shapes, example) => `Skriv ${shapes.join(', eller ')}, t.ex. ${example}`,
    refusalTitle: 'Bara administratörer kan ändra larmregler',
    refusalBody:
      'Inget ändrades. Larmreglerna hanteras av personerna i KPIBOT_ADMINS (eller, om ingen står där, av arbetsytans administratörer och ägare).',
    refusalLook: 'Alla kan se reglerna och deras läge med `/kpi alerts`.',
    notACommand: 'Det är inget larmkommando.',
    helpTitle: 'Larmregler',
    helpList: '`/kpi alerts`: alla regler med läge och senaste värde',
    helpAdd: (hint) => `\`/kpi alert add <regel>\`: ${hint}`,
    unknownSub: (sub) =>
      `Jag känner inte till \`alert ${sub}\`: använd \`alert add\`, \`alerts\` eller \`alert remove|pause|resume <id>\`.`,
    whatToWatch: (hint) => `Vad ska jag bevaka? ${hint}`,
    unknownKpi: (word) => `Jag känner inte till nyckeltalet \`${word}\`.`,
    window: (window, err) => `Fönstret \`${window}\`: ${err}`,
    neverMatches: (kpi, filter) =>
      `${kpi} räknar bara ${filter}, så de här filtren skulle aldrig träffa några data.`,
    whereToPost: 'Var ska larmet postas? Lägg till `in #kanal`.',
    exists: (id) => `Den regeln finns redan: ${id}`,
    nothingAdded: 'Inget lades till.',
    nothingChanged: 'Inget ändrades.',
    added: (id) => `Larm ${id} tillagt`,
    checked: (schedule) => `Kontrolleras ${schedule}.`,
    channels: (readings) => `Kanaler: ${readings}.`,
    readsAs: (written, channel) => `${written} läses som ${channel}`,
    removeOrPause: (id) =>
      `Ta bort det med \`/kpi alert remove ${id}\`, pausa det med \`/kpi alert pause ${id}\`.`,
    paused: '_pausat_',
    pausedInConfig: '_pausat i kpibot.config.yml_',
    fromFile: (file) => `från ${file}`,
    createdBy: (user) => `skapat av ${user}`,
    noneTitle: 'Inga larmregler ännu',
    addOne: (example) => `Lägg till en: \`${example}\``,
    andMore: (n) => `…och ${n} till.`,
    listTitle: (count, firing) => `Larmregler: ${count}${firing > 0 ? `, ${firing} larmar` : ''}`,
    whichRule: (what) =>
      `Vilken regel? Ange dess id, t.ex. \`/kpi alert ${what} a1\` (se \`/kpi alerts\`).`,
    noSuchRule: (id) => `Det finns ingen larmregel \`${id}\`.`,
    definedInConfig: (id) => `${id} är definierad i kpibot.config.yml`,
    removeFromFile: (id) =>
      'Ta bort den ur filen (annars kommer den tillbaka vid varje start), eller pausa den här med ' +
      `\`/kpi alert pause ${id}\`. Inget ändrades.`,
    removed: (id) => `Larm ${id} borttaget`,
    noLongerPosts: (channel, isDefault) =>
      `Det postar inte längre i ${channel}.${isDefault ? ' (En standardregel: den förblir borttagen.)' : ''}`,
    alreadyPaused: (id) => `${id} är redan pausat`,
    pausedTitle: (id) => `Larm ${id} pausat`,
    notCheckedUntil: (id) =>
      `Det kontrolleras inte förrän \`/kpi alert resume ${id}\`; dess läge sparas.`,
    pausedInConfigTitle: (id) => `${id} är pausat i kpibot.config.yml`,
    setPausedFalse:
      'Sätt `paused: false` där (eller ta bort raden) för att återuppta det. Inget ändrades.',
    notPaused: (id) => `${id} är inte pausat`,
    resumed: (id) => `Larm ${id} återupptaget`,
    staysPausedInConfig:
      'Det förblir pausat i kpibot.config.yml tills `paused: true` tas bort där.',
    checkedAgain: (schedule) => `Det kontrolleras igen ${schedule}.`,
    postsNowhere: '_postas ingenstans (ingen kanal angiven)_',
    over: (window) => `över ${window}`,
    by: (dimension) =>
      `per ${dimension === 'channel' ? 'kanal' : dimension === 'campaign' ? 'kampanj' : dimension}`,
    afterChecks: (n) => `efter ${n} kontroller i rad utanför gränsen`,
    reminders: (schedule, every) => `${schedule} · påminnelser var ${every} medan det larmar`,
    status: { ok: 'ok', pending: 'väntande', firing: '*larmar*', no_data: 'inga data' },
    ack: (user) => `kvitterat av ${user}`,
    snoozedUntil: (when) => `tystat till ${when}`,
    notCheckedYet: 'inte kontrollerad ännu',
    allGroups: (dimension) =>
      dimension === 'channel'
        ? 'alla kanaler'
        : dimension === 'campaign'
          ? 'alla kampanjer'
          : `alla ${dimension}`,
    more: (n) => ` +${n} till`,
    cron: {
      daily: (at, tz) => `dagligen kl. ${at}${tz}`,
      weekdays: (at, tz) => `vardagar kl. ${at}${tz}`,
      weekly: (dow, at, tz) => `${SV_DAYS[dow % 7]} kl. ${at}${tz}`,
      monthly: (day, at, tz) => `varje månad den ${day} kl. ${at}${tz}`,
      hourly: (minute) => `varje timme vid :${minute}`,
      everyMinutes: (n) => `var ${n}:e minut`,
      other: (cron, tz) => `enligt cron \`${cron}\`${tz}`,
    },
  },
};
