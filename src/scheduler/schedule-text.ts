// Schedules and durations as people write them, for alert rules and summary subscriptions alike:
// day names and times of day (English and Swedish), durations (`12h`), cron expressions checked
// field by field, friendly schedules (`daily 09:00`) turned into cron, and cron back into words.
// Pure.

import { ALERT_COMMAND_WORDS } from '../messages/alert-commands.ts';
import { wordsFor } from '../messages/lang.ts';
import { EN_DAYS } from '../messages/weekdays.ts';

/** Day names (English, abbreviated, plural, Swedish) → cron day of week (0 = Sunday). */
const WEEKDAYS: Record<string, number> = Object.fromEntries(
  [
    'sunday sundays sun söndag söndagar sön',
    'monday mondays mon måndag måndagar mån',
    'tuesday tuesdays tue tues tisdag tisdagar tis',
    'wednesday wednesdays wed onsdag onsdagar ons',
    'thursday thursdays thu thurs torsdag torsdagar tor',
    'friday fridays fri fredag fredagar fre',
    'saturday saturdays sat lördag lördagar lör',
  ].flatMap((names, day) => names.split(' ').map((name) => [name, day])),
);

/** English day names by cron day of week (0 = Sunday). */
export const WEEKDAY_NAMES = EN_DAYS;

/** The cron day of week of a day name (`monday`, `mån`, `fredagar`), lower-case. */
export function weekdayOf(word: string): number | undefined {
  return WEEKDAYS[word.toLowerCase()];
}

/**
 * `08:00`, `8:30`, `8.30`, `8pm`; with `bareHour` also `9` (where a number cannot be a day of the
 * month). Undefined when it is no time of day.
 */
export function timeOfDay(
  text: string,
  opts: { bareHour: boolean },
): { hour: number; minute: number } | undefined {
  const t = text.toLowerCase().match(/^(\d{1,2})(?:[:.](\d{2}))?(am|pm)?$/);
  if (!t || (!opts.bareHour && t[2] === undefined)) return undefined;
  let hour = Number(t[1]);
  const minute = Number(t[2] ?? 0);
  if (t[3] === 'pm' && hour < 12) hour += 12;
  if (t[3] === 'am' && hour === 12) hour = 0;
  if (hour > 23 || minute > 59) return undefined;
  return { hour, minute };
}

export type DurationResult = { ok: true; minutes: number } | { ok: false; error: string };

const DURATION_UNITS: ReadonlyArray<[RegExp, number]> = [
  [/^(m|min|mins|minutes?|minuter|minut)$/, 1],
  [/^(h|hrs?|hours?|t|tim|timmar|timme)$/, 60],
  [/^(d|days?|dagar|dag|dygn)$/, 1440],
  [/^(w|weeks?|v|veckor|vecka)$/, 10080],
];

/** `12h`, `12 hours`, `1d`, `90 min`, `1w` → whole minutes (at least 1). */
export function parseDuration(text: string): DurationResult {
  const m = text
    .trim()
    .toLowerCase()
    .match(/^(\d+(?:[.,]\d+)?)\s*([a-zåäö]+)$/);
  const unit = m ? DURATION_UNITS.find(([re]) => re.test(m[2] ?? '')) : undefined;
  if (!m || !unit) {
    return { ok: false, error: `\`${text.trim()}\` is not a duration: write e.g. 12h, 1d or 90m` };
  }
  const minutes = Math.round(Number((m[1] ?? '').replace(',', '.')) * unit[1]);
  if (minutes < 1) return { ok: false, error: `\`${text.trim()}\` is shorter than a minute` };
  return { ok: true, minutes };
}

export type ScheduleResult = { ok: true; cron: string } | { ok: false; error: string };

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
interface CronField {
  name: string;
  min: number;
  max: number;
  names?: string[];
}
const CRON_FIELDS: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day of week', min: 0, max: 7, names: DAYS },
];
const SECONDS_FIELD: CronField = { name: 'second', min: 0, max: 59 };

/** Checks a 5-field cron expression (or 6 with leading seconds, as node-cron allows). */
export function validateCron(expr: string): { ok: true } | { ok: false; error: string } {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) {
    return {
      ok: false,
      error: `\`${expr.trim()}\` is not a cron expression: it needs 5 fields (minute hour day month weekday), e.g. "0 9 * * *"`,
    };
  }
  const specs = fields.length === 6 ? [SECONDS_FIELD, ...CRON_FIELDS] : CRON_FIELDS;
  for (const [i, field] of fields.entries()) {
    const spec = specs[i]!;
    const value = (v: string): number | undefined => {
      if (/^\d+$/.test(v)) return Number(v);
      const index = spec.names?.indexOf(v.toLowerCase()) ?? -1;
      return index < 0 ? undefined : index + spec.min;
    };
    for (const part of field.split(',')) {
      const m = part.match(/^(\*|[0-9a-z]+)(?:-([0-9a-z]+))?(?:\/(\d+))?$/i);
      const from = m && m[1] !== '*' ? value(m[1] ?? '') : spec.min;
      const to = m?.[2] !== undefined ? value(m[2]) : from;
      const step = m?.[3] !== undefined ? Number(m[3]) : 1;
      const ok =
        m !== null &&
        !(m[1] === '*' && m[2] !== undefined) &&
        from !== undefined &&
        to !== undefined &&
        from >= spec.min &&
        to <= spec.max &&
        from <= to &&
        step >= 1;
      if (!ok) {
        return {
          ok: false,
          error: `\`${expr.trim()}\`: the ${spec.name} field \`${field}\` is not valid (${spec.min}–${spec.max})`,
        };
      }
    }
  }
  return { ok: true };
}

/**
 * A schedule as cron: a cron expression as is, or a friendly form — `hourly`, `daily 09:00`,
 * `weekly monday 08:00`, `monthly`, `every day at 9`, `every weekday 8:30`, `every 15 minutes`.
 * Days default to 09:00 and weeks to Monday.
 */
export function parseSchedule(text: string): ScheduleResult {
  const trimmed = text.trim();
  const bare = trimmed.replace(/^(every|varje)\s+/i, '');
  const fields = bare.split(/\s+/);
  if (/^[\d*]/.test(bare) && (/[*/]/.test(bare) || fields.length >= 3)) {
    const valid = validateCron(bare);
    return valid.ok ? { ok: true, cron: fields.join(' ') } : valid;
  }
  const words = trimmed
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== '' && w !== 'at' && w !== 'kl' && w !== 'kl.');
  if (words[0] === 'every' || words[0] === 'varje') words.shift();
  const [first = '', ...rest] = words;
  const fail: ScheduleResult = {
    ok: false,
    error: `\`${trimmed}\` is not a schedule: write e.g. daily 09:00, weekly monday 08:00, hourly or "0 9 * * *"`,
  };
  const at = (days: string, dom = '*', timeWords = rest): ScheduleResult => {
    if (timeWords.length === 0) return { ok: true, cron: `0 9 ${dom} * ${days}` };
    const time = timeOfDay(timeWords.join(''), { bareHour: true });
    if (!time) {
      return {
        ok: false,
        error: `\`${timeWords.join(' ')}\` is not a time of day: write e.g. 09:00`,
      };
    }
    return { ok: true, cron: `${time.minute} ${time.hour} ${dom} * ${days}` };
  };

  const n = Number(first);
  if (Number.isInteger(n) && n > 0 && rest.length === 1) {
    const unit = rest[0] ?? '';
    if (/^(m|min|mins|minutes?|minuter)$/.test(unit) && n < 60) {
      return { ok: true, cron: `*/${n} * * * *` };
    }
    if (/^(h|hours?|timmar)$/.test(unit) && n < 24) return { ok: true, cron: `0 */${n} * * *` };
    return fail;
  }
  if (/^\d/.test(first)) return at('*', '*', words); // `at 08:00` alone: daily
  if (first === 'hourly' || first === 'hour' || first === 'timme') {
    return rest.length === 0 ? { ok: true, cron: '0 * * * *' } : fail;
  }
  if (first === 'daily' || first === 'day' || first === 'dag' || first === 'dagligen')
    return at('*');
  if (first === 'weekdays' || first === 'weekday' || first === 'vardagar') return at('1-5');
  if (first === 'monthly' || first === 'month' || first === 'månad') return at('*', '1');
  if (first === 'weekly' || first === 'week' || first === 'vecka') {
    const day = rest[0] === undefined ? undefined : weekdayOf(rest[0]);
    return day === undefined ? at('1') : at(String(day), '*', rest.slice(1));
  }
  const day = weekdayOf(first);
  if (day !== undefined) return at(String(day));
  return fail;
}

const pad = (n: string) => n.padStart(2, '0');

/** A cron in words where it is a common shape (`daily at 09:00`), else the cron itself. */
export function describeCron(cron: string, timeZone?: string, locale = 'en-US'): string {
  const w = wordsFor(ALERT_COMMAND_WORDS, locale).cron;
  const f = cron.trim().split(/\s+/);
  const tz = timeZone ? ` (${timeZone})` : '';
  if (f.length === 5) {
    const [m = '', h = '', dom = '', mon = '', dow = ''] = f;
    const numeric = /^\d+$/;
    const at = numeric.test(m) && numeric.test(h) ? `${pad(h)}:${pad(m)}` : undefined;
    if (at && dom === '*' && mon === '*') {
      if (dow === '*') return w.daily(at, tz);
      if (dow === '1-5') return w.weekdays(at, tz);
      if (numeric.test(dow)) return w.weekly(Number(dow), at, tz);
    }
    if (at && numeric.test(dom) && mon === '*' && dow === '*') {
      return w.monthly(dom, at, tz);
    }
    if (numeric.test(m) && h === '*' && dom === '*' && mon === '*' && dow === '*') {
      return w.hourly(pad(m));
    }
    const every = m.match(/^\*\/(\d+)$/);
    if (every && h === '*' && dom === '*' && mon === '*' && dow === '*') {
      return w.everyMinutes(every[1] ?? '');
    }
  }
  // A cron that passed validateCron holds digits, letters and `*,-/` only: safe in mrkdwn.
  return w.other(cron, tz);
}
