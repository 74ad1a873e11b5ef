// Cron arithmetic the scheduler needs and node-cron 4.6 does not export: the latest fire time at
// or before an instant (for catch-up on start), and the normalised fire time (the claim key).
//
// node-cron matches wall-clock time in the task's timezone. Its public API offers `parse()`
// (expanded fields) and `ScheduledTask.match(date)`, but its forward walker (`TimeMatcher`) is
// internal and `getNextRuns()` only starts from the current time. So the backward search here
// walks local calendar days, tries the allowed (hour, minute, second) candidates of each day
// latest first, turns each into an instant the same way node-cron does (so that on a DST
// fall-back we pick the same one of the two instants it picks), and lets node-cron's own
// `match()` decide. A wall time that does not exist (spring-forward gap) never fires, as in
// node-cron.
import { createTask, parse } from 'node-cron';

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const MS_PER_MINUTE = 60_000;
/** How far back the search goes at most: a `29 2 *` schedule fires every 4 (sometimes 8) years. */
const MAX_DAYS_BACK = 366 * 30;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock reading of `instant` (ms since the epoch) in `timeZone`. */
export function wallTimeIn(instant: number, timeZone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(instant))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 0,
    day: parts.day ?? 0,
    hour: (parts.hour ?? 0) % 24,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

function asUtc(w: WallTime): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

/** The zone's offset from UTC at `instant`, in ms (whole seconds). */
function offsetAt(instant: number, timeZone: string): number {
  return asUtc(wallTimeIn(instant, timeZone)) - Math.floor(instant / 1000) * 1000;
}

function readsBack(instant: number, w: WallTime, timeZone: string): boolean {
  return asUtc(wallTimeIn(instant, timeZone)) === asUtc(w);
}

/**
 * The instant a wall-clock time denotes in `timeZone`, or undefined when that time does not
 * exist there (the hour skipped by a spring-forward). For a repeated time (fall-back) this is
 * the instant node-cron's own walker picks: offset taken at the naive UTC reading first.
 */
export function instantOf(w: WallTime, timeZone: string): number | undefined {
  const guess = asUtc(w);
  const first = offsetAt(guess, timeZone);
  const candidate1 = guess - first;
  const second = offsetAt(candidate1, timeZone);
  if (second === first) return candidate1;
  if (readsBack(candidate1, w, timeZone)) return candidate1;
  const candidate2 = guess - second;
  if (readsBack(candidate2, w, timeZone)) return candidate2;
  return undefined;
}

/** Whether the cron has a seconds field that fires on other seconds than 0. */
function firesOnSeconds(cron: string): boolean {
  const { second } = parse(cron);
  return !(second.length === 1 && second[0] === 0);
}

/**
 * The fire time a firing is known by: the instant truncated to the cron's resolution (the
 * minute for a five-field cron, the second for one with a seconds field). Two replicas whose
 * timers go off a few ms apart therefore name the same firing.
 */
export function normaliseFireTime(cron: string, at: Date): Date {
  const unit = firesOnSeconds(cron) ? 1000 : MS_PER_MINUTE;
  return new Date(Math.floor(at.getTime() / unit) * unit);
}

export interface PreviousFireOptions {
  /** Stop searching before this instant (the catch-up horizon): nothing earlier is wanted. */
  notBefore?: Date;
}

/**
 * The latest instant ≤ `at` at which `cron` fires in `timeZone`, or undefined if there is none
 * (within `notBefore`, or within 30 years). Uses node-cron's own matcher for the verdict.
 */
export function previousFireTime(
  cron: string,
  timeZone: string,
  at: Date,
  opts: PreviousFireOptions = {},
): Date | undefined {
  const fields = parse(cron);
  const times = candidateTimesLatestFirst(fields);
  const matcher = createTask(cron, () => {}, { timezone: timeZone });
  try {
    const atMs = at.getTime();
    const floorMs = opts.notBefore?.getTime() ?? Number.NEGATIVE_INFINITY;
    const today = wallTimeIn(atMs, timeZone);
    const atClock = clockSeconds(today);
    for (let back = 0; back <= MAX_DAYS_BACK; back++) {
      const date = new Date(Date.UTC(today.year, today.month - 1, today.day - back));
      // The latest possible instant of this local day is before the horizon: give up.
      if (date.getTime() + 2 * 86_400_000 < floorMs) return undefined;
      for (const t of times) {
        if (back === 0 && t.hour * 3600 + t.minute * 60 + t.second > atClock) continue;
        const wall: WallTime = {
          year: date.getUTCFullYear(),
          month: date.getUTCMonth() + 1,
          day: date.getUTCDate(),
          ...t,
        };
        const instant = instantOf(wall, timeZone);
        if (instant === undefined || instant > atMs) continue;
        if (instant < floorMs) return undefined;
        // The wall reading has allowed h/m/s, so a mismatch can only be the day (month, day of
        // month, weekday): no other time of this day can match either.
        if (!matcher.match(new Date(instant))) break;
        return new Date(instant);
      }
    }
    return undefined;
  } finally {
    void matcher.destroy();
  }
}

function clockSeconds(w: WallTime): number {
  return w.hour * 3600 + w.minute * 60 + w.second;
}

type Clock = Pick<WallTime, 'hour' | 'minute' | 'second'>;

function candidateTimesLatestFirst(fields: ReturnType<typeof parse>): Clock[] {
  const desc = (xs: number[]) => [...xs].sort((a, b) => b - a);
  const out: Clock[] = [];
  for (const hour of desc(fields.hour)) {
    for (const minute of desc(fields.minute)) {
      for (const second of desc(fields.second)) out.push({ hour, minute, second });
    }
  }
  return out;
}
