// previousFireTime / normaliseFireTime: wall-clock crons in a timezone, across DST, and always in
// agreement with node-cron's own forward walk (the live timers and catch-up must name a firing by
// the same instant, or a caught-up firing could run a second time).
import { createTask } from 'node-cron';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { instantOf, normaliseFireTime, previousFireTime } from '../../src/scheduler/cron-time.ts';

const STHLM = 'Europe/Stockholm';
const d = (s: string) => new Date(s);

describe('previousFireTime', () => {
  // 2026: CET → CEST on Sunday 29 March at 01:00Z; CEST → CET on Sunday 25 October at 01:00Z.
  const cases: Array<{ why: string; cron: string; tz: string; at: string; want: string | null }> = [
    {
      why: 'daily 09:00 in summer time is 07:00Z',
      cron: '0 9 * * *',
      tz: STHLM,
      at: '2026-03-29T08:00:00Z',
      want: '2026-03-29T07:00:00.000Z',
    },
    {
      why: 'before 09:00 on the DST day: the day before, still winter time (08:00Z)',
      cron: '0 9 * * *',
      tz: STHLM,
      at: '2026-03-29T06:59:59Z',
      want: '2026-03-28T08:00:00.000Z',
    },
    {
      why: 'exactly at the fire time: that firing',
      cron: '0 9 * * *',
      tz: STHLM,
      at: '2026-03-29T07:00:00Z',
      want: '2026-03-29T07:00:00.000Z',
    },
    {
      why: 'back in winter time after the fall-back',
      cron: '0 9 * * *',
      tz: STHLM,
      at: '2026-10-26T09:00:00Z',
      want: '2026-10-26T08:00:00.000Z',
    },
    {
      why: '02:30 does not exist on 29 March: the previous day, as node-cron skips it',
      cron: '30 2 * * *',
      tz: STHLM,
      at: '2026-03-29T12:00:00Z',
      want: '2026-03-28T01:30:00.000Z',
    },
    {
      why: '02:30 happens twice on 25 October: once, at the instant node-cron uses (CET)',
      cron: '30 2 * * *',
      tz: STHLM,
      at: '2026-10-25T12:00:00Z',
      want: '2026-10-25T01:30:00.000Z',
    },
    {
      why: 'weekly Monday 09:00 seen on a Thursday',
      cron: '0 9 * * 1',
      tz: STHLM,
      at: '2026-04-02T10:00:00Z',
      want: '2026-03-30T07:00:00.000Z',
    },
    {
      why: 'last day of the month',
      cron: '0 8 L * *',
      tz: STHLM,
      at: '2026-04-15T00:00:00Z',
      want: '2026-03-31T06:00:00.000Z',
    },
    {
      why: 'every 15 minutes',
      cron: '*/15 * * * *',
      tz: STHLM,
      at: '2026-05-05T10:44:59Z',
      want: '2026-05-05T10:30:00.000Z',
    },
    {
      why: 'UTC',
      cron: '0 0 1 * *',
      tz: 'UTC',
      at: '2026-05-05T10:00:00Z',
      want: '2026-05-01T00:00:00.000Z',
    },
    {
      why: 'a seconds field',
      cron: '*/10 * * * * *',
      tz: STHLM,
      at: '2026-05-05T10:00:07.5Z',
      want: '2026-05-05T10:00:00.000Z',
    },
    {
      why: 'leap day, four years back',
      cron: '0 12 29 2 *',
      tz: STHLM,
      at: '2027-01-01T00:00:00Z',
      want: '2024-02-29T11:00:00.000Z',
    },
  ];
  it.each(cases)('$why', ({ cron, tz, at, want }) => {
    expect(previousFireTime(cron, tz, d(at))?.toISOString() ?? null).toBe(want);
  });

  it('stops at the horizon: nothing before notBefore', () => {
    const at = d('2026-04-02T10:00:00Z');
    expect(previousFireTime('0 9 * * 1', STHLM, at, { notBefore: d('2026-03-31T00:00:00Z') })).toBe(
      undefined,
    );
    expect(
      previousFireTime('0 9 * * 1', STHLM, at, { notBefore: d('2026-03-30T07:00:00Z') }),
    ).toEqual(d('2026-03-30T07:00:00Z'));
  });

  it('is quick even for a rare schedule', () => {
    const t0 = performance.now();
    previousFireTime('* * 29 2 *', STHLM, d('2027-01-01T00:00:00Z'));
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe('previousFireTime agrees with node-cron forward schedule', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const windows = [
    { cron: '0 9 * * *', tz: STHLM, from: '2026-03-20T00:00:00Z' },
    { cron: '30 2 * * *', tz: STHLM, from: '2026-03-25T00:00:00Z' },
    { cron: '30 2 * * *', tz: STHLM, from: '2026-10-20T00:00:00Z' },
    { cron: '0 * * * *', tz: STHLM, from: '2026-10-24T20:00:00Z' },
    { cron: '*/15 * * * *', tz: STHLM, from: '2026-03-29T00:00:00Z' },
    { cron: '0 9 * * 1', tz: STHLM, from: '2026-01-01T00:00:00Z' },
    { cron: '0 6 * * *', tz: 'America/New_York', from: '2026-03-05T00:00:00Z' },
  ];
  it.each(windows)('$cron in $tz from $from', ({ cron, tz, from }) => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(d(from));
    const task = createTask(cron, () => {}, { timezone: tz });
    const runs = task.getNextRuns(40);
    void task.destroy();
    vi.useRealTimers();
    for (let i = 1; i < runs.length; i++) {
      const prev = runs[i - 1]!;
      const cur = runs[i]!;
      expect(previousFireTime(cron, tz, cur)).toEqual(cur);
      expect(previousFireTime(cron, tz, new Date(cur.getTime() - 1))).toEqual(prev);
    }
  });
});

describe('normaliseFireTime', () => {
  it('truncates to the minute for a five-field cron: timers a few ms apart name one firing', () => {
    const a = normaliseFireTime('0 9 * * *', d('2026-03-30T07:00:00.003Z'));
    const b = normaliseFireTime('0 9 * * *', d('2026-03-30T07:00:00.997Z'));
    expect(a).toEqual(d('2026-03-30T07:00:00Z'));
    expect(b).toEqual(a);
  });
  it('truncates to the second when the cron has a seconds field', () => {
    expect(normaliseFireTime('*/5 * * * * *', d('2026-03-30T07:00:05.400Z'))).toEqual(
      d('2026-03-30T07:00:05Z'),
    );
  });
});

describe('instantOf', () => {
  it('has no instant for a wall time in the spring-forward gap', () => {
    const wall = { year: 2026, month: 3, day: 29, hour: 2, minute: 30, second: 0 };
    expect(instantOf(wall, STHLM)).toBe(undefined);
  });
  it('maps an ordinary wall time', () => {
    const wall = { year: 2026, month: 7, day: 1, hour: 9, minute: 0, second: 0 };
    expect(instantOf(wall, STHLM)).toBe(Date.parse('2026-07-01T07:00:00Z'));
  });
});
