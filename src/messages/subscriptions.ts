// The words of `/kpi subscribe …`, `/kpi subscriptions` and `/kpi unsubscribe <id>`
// (src/reports/subscription-commands.ts) and of how a subscription reads back
// (src/reports/subscription.ts), in both languages (see lang.ts). Values, ids and commands come
// in already formatted and escaped. Pure.
import type { Words } from './lang.ts';
import { EN_DAYS, SV_DAYS } from './weekdays.ts';

export interface SubscriptionWords {
  refusalTitle: string;
  refusalBody: string;
  refusalLook: string;
  setUpBy(user: string, day: string): string;
  whichChannel: string;
  exists(id: string): string;
  nothingAdded: string;
  added(id: string): string;
  goesTo(channel: string, when: string): string;
  late: string;
  stopWith(id: string): string;
  noneTitle: string;
  addOne(example: string): string;
  andMore(n: number): string;
  listTitle(count: number): string;
  whichId: string;
  noSuchSubscription(id: string): string;
  removed(id: string): string;
  noMore(channel: string): string;
  /** `weekly, Mondays at 08:00 (Europe/Stockholm), covering …`; `weekday`: 0 = Sunday. */
  weekly(weekday: number, at: string, zone: string): string;
  monthly(day: number, at: string, zone: string): string;
}

function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  const suffix: Record<number, string> = { 1: 'st', 2: 'nd', 3: 'rd' };
  return `${n}${suffix[n % 10] ?? 'th'}`;
}

export const SUBSCRIPTION_WORDS: Words<SubscriptionWords> = {
  en: {
    refusalTitle: 'Only admins can change summary subscriptions',
    refusalBody:
      'Nothing was changed. They are managed by the people listed in KPIBOT_ADMINS (or, if none are listed, by workspace admins and owners).',
    refusalLook: 'Anyone can see them with `/kpi subscriptions`.',
    setUpBy: (user, day) => `set up by ${user} on ${day}`,
    whichChannel: 'Which channel should the summary go to? Add `#channel`.',
    exists: (id) => `That subscription exists already: ${id}`,
    nothingAdded: 'Nothing was added.',
    added: (id) => `Subscription ${id} added`,
    goesTo: (channel, when) => `The summary goes to ${channel} ${when}.`,
    late: 'If the bot is down at that time, it is posted once when it is back, marked as late.',
    stopWith: (id) => `Stop it with \`/kpi unsubscribe ${id}\`.`,
    noneTitle: 'No summary subscriptions yet',
    addOne: (example) => `Add one: \`${example}\``,
    andMore: (n) => `…and ${n} more.`,
    listTitle: (count) => `Summary subscriptions: ${count}`,
    whichId: 'Which subscription? Give its id, e.g. `/kpi unsubscribe s1`.',
    noSuchSubscription: (id) => `There is no subscription \`${id}\`.`,
    removed: (id) => `Subscription ${id} removed`,
    noMore: (channel) => `No more summaries to ${channel} from it.`,
    weekly: (weekday, at, zone) =>
      `weekly, ${EN_DAYS[weekday % 7]}s at ${at} (${zone}), covering the previous week (Monday–Sunday)`,
    monthly: (day, at, zone) =>
      `monthly, on the ${ordinal(day)} at ${at} (${zone}), covering the previous month`,
  },
  sv: {
    refusalTitle: 'Bara administratörer kan ändra prenumerationer på sammanfattningen',
    refusalBody:
      'Inget ändrades. Prenumerationerna hanteras av personerna i KPIBOT_ADMINS (eller, om ingen står där, av arbetsytans administratörer och ägare).',
    refusalLook: 'Alla kan se dem med `/kpi subscriptions`.',
    setUpBy: (user, day) => `skapad av ${user} den ${day}`,
    whichChannel: 'Vilken kanal ska sammanfattningen gå till? Lägg till `#kanal`.',
    exists: (id) => `Den prenumerationen finns redan: ${id}`,
    nothingAdded: 'Inget lades till.',
    added: (id) => `Prenumeration ${id} tillagd`,
    goesTo: (channel, when) => `Sammanfattningen går till ${channel} ${when}.`,
    late: 'Om boten ligger nere vid den tiden postas den en gång när den är tillbaka, markerad som sen.',
    stopWith: (id) => `Stoppa den med \`/kpi unsubscribe ${id}\`.`,
    noneTitle: 'Inga prenumerationer på sammanfattningen ännu',
    addOne: (example) => `Lägg till en: \`${example}\``,
    andMore: (n) => `…och ${n} till.`,
    listTitle: (count) => `Prenumerationer på sammanfattningen: ${count}`,
    whichId: 'Vilken prenumeration? Ange dess id, t.ex. `/kpi unsubscribe s1`.',
    noSuchSubscription: (id) => `Det finns ingen prenumeration \`${id}\`.`,
    removed: (id) => `Prenumeration ${id} borttagen`,
    noMore: (channel) => `Inga fler sammanfattningar till ${channel} från den.`,
    weekly: (weekday, at, zone) =>
      `varje vecka, ${SV_DAYS[weekday % 7]} kl. ${at} (${zone}), för föregående vecka (måndag–söndag)`,
    monthly: (day, at, zone) => `varje månad, den ${day} kl. ${at} (${zone}), för föregående månad`,
  },
};
