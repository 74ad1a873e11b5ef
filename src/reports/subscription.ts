// Summary subscriptions: the text after `/kpi subscribe`, the cron a subscription fires on, the
// period a firing covers, and how a subscription is described. Pure.
//
//   subscribe weekly|monthly [#channel] [monday 08:00] [1st] [Europe/Oslo]
//
// Defaults: weekly on Monday at 08:00, covering the previous ISO week (Monday–Sunday); monthly
// on the 1st at 08:00, covering the previous calendar month; the configured timezone. A firing's
// period follows from its date in the subscription's timezone, so a late firing (caught up after
// downtime) still covers the same period as the scheduled one, and the post's idempotency key
// `summary:<subscription>:<period>` makes a second post for that period impossible.
import { addDays, isoWeekOf, isValidTimeZone, todayIn } from '../kpi/periods.ts';
import { wordsFor } from '../messages/lang.ts';
import { SUBSCRIPTION_WORDS } from '../messages/subscriptions.ts';
import { timeOfDay, weekdayOf } from '../scheduler/schedule-text.ts';

export type SubscriptionKind = 'weekly' | 'monthly';

export interface Subscription {
  id: string;
  kind: SubscriptionKind;
  /** Slack channel id (`C0123…`) or `#name`. */
  channel: string;
  /** Weekly: 0 = Sunday … 6 = Saturday. */
  weekday?: number;
  /** Monthly: 1–28. */
  dayOfMonth?: number;
  hour: number;
  minute: number;
  /** Absent: the configured timezone. */
  timeZone?: string;
  createdBy: string;
  /** ISO timestamp. */
  createdAt: string;
}

export interface SubscriptionDraft {
  kind: SubscriptionKind;
  /** Absent: the channel the command was typed in. */
  channel?: string;
  weekday?: number;
  dayOfMonth?: number;
  hour: number;
  minute: number;
  timeZone?: string;
}

export type SubscriptionTextResult =
  | { ok: true; draft: SubscriptionDraft }
  | { ok: false; error: string };

export const SUBSCRIBE_EXAMPLES = [
  '/kpi subscribe weekly',
  '/kpi subscribe weekly #marketing monday 08:00',
  '/kpi subscribe monthly #ledning 1st 09:00 Europe/Stockholm',
];

export const DEFAULT_HOUR = 8;
export const DEFAULT_WEEKDAY = 1;
export const DEFAULT_DAY_OF_MONTH = 1;

const KINDS: Record<string, SubscriptionKind> = {
  weekly: 'weekly',
  week: 'weekly',
  veckovis: 'weekly',
  vecka: 'weekly',
  monthly: 'monthly',
  month: 'monthly',
  månadsvis: 'monthly',
  månad: 'monthly',
};

/** Words that may stand between the parts and mean nothing: `on monday at 08:00 in #x`. */
const FILLER = new Set(['on', 'at', 'in', 'to', 'the', 'kl', 'kl.', 'på', 'i', 'den', 'every']);

const fail = (error: string): SubscriptionTextResult => ({ ok: false, error });

/** `<#C0123|marketing>`, `<#C0123>` (Slack's escaped mention) or `#marketing`. */
export function channelOf(token: string): string | undefined {
  const mention = /^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(token);
  if (mention) return mention[1];
  if (/^#[a-z0-9][a-z0-9_\-.]{0,79}$/i.test(token)) return token.toLowerCase();
  return undefined;
}

/** `1st`, `2nd`, `15th`, `1:a`, `2:a` or a bare `1`…`31`. */
function dayOf(token: string): number | undefined {
  const m = /^(\d{1,2})(?:st|nd|rd|th|:a|:e)?$/.exec(token);
  return m ? Number(m[1]) : undefined;
}

/**
 * Parses the text after `/kpi subscribe`. Slack sends `<` and `>` escaped in some places; both
 * forms are accepted.
 */
export function parseSubscriptionText(text: string): SubscriptionTextResult {
  const tokens = text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  const kindWord = tokens.shift()?.toLowerCase();
  const kind = kindWord === undefined ? undefined : KINDS[kindWord];
  if (kind === undefined) {
    return fail(
      kindWord === undefined
        ? 'Weekly or monthly? e.g. `/kpi subscribe weekly`.'
        : `\`${kindWord}\` is not a summary kind: use \`weekly\` or \`monthly\`.`,
    );
  }
  const draft: SubscriptionDraft = { kind, hour: DEFAULT_HOUR, minute: 0 };
  let sawTime = false;
  for (const token of tokens) {
    const lower = token.toLowerCase();
    if (FILLER.has(lower)) continue;
    const channel = channelOf(token);
    if (channel !== undefined) {
      if (draft.channel !== undefined) return fail('Give one channel.');
      draft.channel = channel;
      continue;
    }
    const time = timeOfDay(token, { bareHour: false }); // a bare number is a day, not a time
    if (time !== undefined) {
      if (sawTime) return fail('Give one time of day, e.g. `08:00`.');
      sawTime = true;
      draft.hour = time.hour;
      draft.minute = time.minute;
      continue;
    }
    const weekday = weekdayOf(lower);
    if (weekday !== undefined) {
      if (kind !== 'weekly') {
        return fail(
          'A monthly summary is posted on a day of the month, e.g. `1st`; not on a weekday.',
        );
      }
      if (draft.weekday !== undefined) return fail('Give one weekday.');
      draft.weekday = weekday;
      continue;
    }
    const day = dayOf(lower);
    if (day !== undefined) {
      if (kind !== 'monthly') {
        return fail('A weekly summary is posted on a weekday, e.g. `monday`; not on a date.');
      }
      if (day < 1 || day > 28) {
        return fail(`Day ${day}: choose a day from 1 to 28, so that every month has it.`);
      }
      if (draft.dayOfMonth !== undefined) return fail('Give one day of the month.');
      draft.dayOfMonth = day;
      continue;
    }
    if ((token.includes('/') || /^utc$/i.test(token)) && isValidTimeZone(token)) {
      draft.timeZone = /^utc$/i.test(token) ? 'UTC' : token;
      continue;
    }
    if (token.includes('/')) {
      return fail(
        `\`${token}\` is not a timezone I know: use an IANA name such as Europe/Stockholm.`,
      );
    }
    return fail(
      `I did not understand \`${token}\`. Write \`weekly|monthly [#channel] [monday 08:00] [timezone]\`.`,
    );
  }
  if (kind === 'weekly') draft.weekday ??= DEFAULT_WEEKDAY;
  else draft.dayOfMonth ??= DEFAULT_DAY_OF_MONTH;
  return { ok: true, draft };
}

/** The five-field cron a subscription fires on (read in its timezone). */
export function subscriptionCron(
  sub: Pick<Subscription, 'kind' | 'weekday' | 'dayOfMonth' | 'hour' | 'minute'>,
): string {
  return sub.kind === 'weekly'
    ? `${sub.minute} ${sub.hour} * * ${sub.weekday ?? DEFAULT_WEEKDAY}`
    : `${sub.minute} ${sub.hour} ${sub.dayOfMonth ?? DEFAULT_DAY_OF_MONTH} * *`;
}

/**
 * The period phrase a firing at `fireTime` covers, from its date in `timeZone`: weekly → the
 * previous ISO week (`2026-W47`), monthly → the previous month (`2026-10`).
 */
export function periodForFiring(kind: SubscriptionKind, fireTime: Date, timeZone: string): string {
  const today = todayIn({ now: fireTime, timeZone, weekStartsOn: 1 });
  if (kind === 'weekly') {
    const { year, week } = isoWeekOf(addDays(today, -7));
    return `${year}-W${String(week).padStart(2, '0')}`;
  }
  const firstOfMonth = `${today.slice(0, 7)}-01`;
  return addDays(firstOfMonth, -1).slice(0, 7);
}

/** The outbox key of a subscription's post for a period: one post per subscription and period. */
export function summaryPostKey(subscriptionId: string, periodPhrase: string): string {
  return `summary:${subscriptionId}:${periodPhrase}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "weekly, Mondays at 08:00 (Europe/Stockholm), covering the previous week", in `locale`'s language. */
export function describeSubscription(
  sub: Pick<Subscription, 'kind' | 'weekday' | 'dayOfMonth' | 'hour' | 'minute' | 'timeZone'>,
  defaultTimeZone: string,
  locale = 'en-US',
): string {
  const w = wordsFor(SUBSCRIPTION_WORDS, locale);
  const at = `${pad(sub.hour)}:${pad(sub.minute)}`;
  const zone = sub.timeZone ?? defaultTimeZone;
  return sub.kind === 'weekly'
    ? w.weekly(sub.weekday ?? DEFAULT_WEEKDAY, at, zone)
    : w.monthly(sub.dayOfMonth ?? DEFAULT_DAY_OF_MONTH, at, zone);
}
