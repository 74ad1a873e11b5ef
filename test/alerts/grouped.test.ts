// The grouped alert's plan, pure: one message per firing, the thread for changes, a reminder of
// the current set once per interval, nothing while snoozed but "resolved", and the groups
// without data in one message. Values are ROAS multiples; the rule is `roas < 3` with hysteresis
// 0.15 (recovers at 3.15, shown 3.15×).
import { describe, expect, it } from 'vitest';
import { type GroupNow, planGrouped } from '../../src/alerts/grouped.ts';
import { GROUPED_KEY, GROUPS_SHOWN } from '../../src/alerts/message.ts';
import type { AlertRule } from '../../src/alerts/rule.ts';
import type { AlertState, Notification } from '../../src/alerts/state-machine.ts';
import type { StateRow } from '../../src/alerts/store.ts';
import { createFormatter } from '../../src/kpi/format.ts';

const DAY1 = new Date('2026-11-23T08:00:00.000Z');
const DAY2 = new Date('2026-11-24T08:00:00.000Z');
const rule: AlertRule = {
  id: 'a1',
  kpi: 'roas',
  comparator: '<',
  threshold: 3,
  window: 'last-7-days',
  filters: {},
  groupBy: 'campaign',
  channel: 'C0MARKET',
  schedule: '0 9 * * *',
  for: 1,
  repeatIntervalMinutes: 1440,
  hysteresis: 0.15,
  paused: false,
  createdBy: 'U1',
  createdAt: '2026-11-01T00:00:00.000Z',
};

function row(key: string, state: Partial<AlertState>): StateRow {
  return {
    ruleId: 'a1',
    groupKey: key,
    state: { status: 'ok', breachCount: 0, since: DAY1.toISOString(), lastValue: null, ...state },
    evaluatedAt: DAY1,
    messageKey: null,
    message: null,
    slackChannel: null,
    slackTs: null,
    noDataKey: null,
  };
}

/** A group firing since day 1 at `value`, or ok at it. */
const firing = (key: string, value: number): GroupNow => ({
  key,
  value,
  row: row(key, { status: 'firing', lastValue: value, firedAt: DAY1.toISOString() }),
  notify: null,
});
const ok = (key: string, value: number): GroupNow => ({
  key,
  value,
  row: row(key, { lastValue: value }),
  notify: null,
});

const base = {
  rule,
  kpi: { id: 'roas', name: 'ROAS', unit: 'multiple' as const },
  period: {
    start: '2026-11-16',
    end: '2026-11-22',
    label: '2026-11-16 – 2026-11-22',
    phrase: 'last-7-days',
    grain: 'days' as const,
  },
  format: createFormatter({ locale: 'en-US', currency: 'SEK' }),
  lang: 'en' as const,
};

const text = (m: { payload: unknown }) => JSON.stringify(m.payload);
/** A multiple as the messages write it (the Formatter's precision). */
const x = (v: number) => base.format.value(v, 'multiple');

/** Day 1's plan for these groups, and the rule row it leaves. */
function fired(groups: GroupNow[]) {
  const plan = planGrouped({ ...base, prev: undefined, groups, at: DAY1 });
  return { plan, row: plan.row! };
}

describe('planGrouped', () => {
  it('posts one message for every firing group, worst first; ok groups are not listed', () => {
    const { plan, row } = fired([firing('b', 2), ok('c', 4), firing('a', 1.5)]);
    expect(plan.kind).toBe('firing');
    expect(plan.messages).toHaveLength(1);
    expect(plan.messages[0]).toMatchObject({
      kind: 'post',
      idempotencyKey: `alert:a1:${GROUPED_KEY}:firing:${DAY1.toISOString()}`,
    });
    expect(text(plan.messages[0]!)).toContain('• a: 1.5×\\n• b: 2.0×');
    expect(text(plan.messages[0]!)).not.toContain('• c');
    expect(row).toMatchObject({
      groupKey: GROUPED_KEY,
      messageKey: plan.messages[0]!.idempotencyKey,
    });
    expect(row.message?.groups?.rows.map((r) => r.key)).toEqual(['a', 'b']);
  });

  it('lists 10 groups by name and counts the rest', () => {
    const groups = Array.from({ length: 13 }, (_, i) =>
      firing(`c${String(i).padStart(2, '0')}`, 1 + i / 10),
    );
    const { plan } = fired(groups);
    expect(GROUPS_SHOWN).toBe(10);
    expect(text(plan.messages[0]!)).toContain(`• c09: ${x(1.9)}`);
    expect(text(plan.messages[0]!)).not.toContain('• c10');
    expect(text(plan.messages[0]!)).toContain('…and 3 more');
    expect(text(plan.messages[0]!)).toContain('in 13 campaigns');
  });

  it('nothing when no group fires, or the rule has no channel', () => {
    expect(planGrouped({ ...base, prev: undefined, groups: [ok('a', 4)], at: DAY1 })).toMatchObject(
      { row: null, messages: [], kind: null },
    );
    const silent = planGrouped({
      ...base,
      rule: { ...rule, channel: undefined },
      prev: undefined,
      groups: [firing('a', 1)],
      at: DAY1,
    });
    expect(silent).toMatchObject({ row: null, messages: [] });
  });

  it('no change after the repeat interval: one reminder with the current set, then none', () => {
    const { row } = fired([firing('a', 1.5), firing('b', 2)]);
    const day2 = planGrouped({
      ...base,
      prev: row,
      groups: [firing('a', 1.4), firing('b', 2)],
      at: DAY2,
    });
    expect(day2.kind).toBe('repeat');
    expect(day2.messages).toHaveLength(1);
    expect(day2.messages[0]).toMatchObject({ kind: 'thread-reply', threadOf: row.messageKey });
    expect(text(day2.messages[0]!)).toContain('Still below 3.0× in 2 campaigns');
    expect(text(day2.messages[0]!)).toContain('• a: 1.4×');
    // An hour later (a manual run): within the interval, nothing.
    const later = planGrouped({
      ...base,
      prev: day2.row!,
      groups: [firing('a', 1.4), firing('b', 2)],
      at: new Date(DAY2.getTime() + 3_600_000),
    });
    expect(later).toMatchObject({ kind: null, messages: [] });
    expect(later.reason).toMatch(/^next reminder at 2026-11-25T08:00/);
  });

  it('acknowledged: no reminder; a group joining says so in the thread, no new alert', () => {
    const { row } = fired([firing('a', 1.5)]);
    const acked: StateRow = {
      ...row,
      state: { ...row.state, acknowledgedBy: 'UBEA' },
      message: { ...row.message!, acknowledgedBy: 'UBEA' },
    };
    const quiet = planGrouped({ ...base, prev: acked, groups: [firing('a', 1.5)], at: DAY2 });
    expect(quiet).toMatchObject({ kind: null, messages: [] });
    expect(quiet.reason).toBe('acknowledged by UBEA: no reminders');
    const joined = planGrouped({
      ...base,
      prev: acked,
      groups: [firing('a', 1.5), firing('z', 0.5)],
      at: DAY2,
    });
    expect(joined.messages.map((m) => m.kind)).toEqual(['thread-reply', 'update']);
    expect(text(joined.messages[0]!)).toContain(`1 more campaign is below 3.0×:\\n• z: ${x(0.5)}`);
    expect(text(joined.messages[0]!)).toContain('This alert is acknowledged');
    expect(text(joined.messages[0]!)).not.toMatch(/<!here>|<!channel>|<@UBEA>/);
    expect(text(joined.messages[1]!)).toContain('acknowledged by <@UBEA>');
  });

  it('snoozed: changes wait, "resolved" does not', () => {
    const { row } = fired([firing('a', 1.5), firing('b', 2)]);
    const snoozed: StateRow = {
      ...row,
      state: { ...row.state, snoozedUntil: '2026-11-30T00:00:00.000Z' },
    };
    const waiting = planGrouped({
      ...base,
      prev: snoozed,
      groups: [firing('a', 1.5), ok('b', 4)],
      at: DAY2,
    });
    expect(waiting).toMatchObject({ kind: null, messages: [] });
    // The shown set is kept, so the recovery is said once the snooze is over.
    expect(waiting.row?.message?.groups?.rows.map((r) => r.key)).toEqual(['a', 'b']);
    const resolved = planGrouped({
      ...base,
      prev: snoozed,
      groups: [ok('a', 4), ok('b', 4)],
      at: DAY2,
    });
    expect(resolved.kind).toBe('resolved');
    expect(resolved.row).toBeNull();
    expect(text(resolved.messages[0]!)).toContain('2 campaigns are back past 3.15×');
    expect(text(resolved.messages[0]!)).toContain(
      'Resolved: ROAS is no longer below 3.0× in any campaign',
    );
    expect(text(resolved.messages[1]!)).not.toContain('snoozed until');
  });

  it('groups without data now: one message for the rule, in the thread of an open alert', () => {
    const noData = (key: string, firedAt?: string): GroupNow => {
      const n: Notification = {
        kind: 'no_data',
        ruleId: 'a1',
        at: DAY1.toISOString(),
        value: null,
        comparator: '<',
        threshold: 3,
        window: 'last-7-days',
        missingMeasures: ['ad_spend'],
        lastDataDay: '2026-11-12',
      };
      return {
        key,
        value: null,
        row: row(key, { status: 'no_data', ...(firedAt ? { firedAt } : {}) }),
        notify: n,
      };
    };
    const alone = planGrouped({
      ...base,
      prev: undefined,
      groups: [noData('x'), noData('y')],
      at: DAY1,
    });
    expect(alone.messages).toHaveLength(1);
    expect(alone.messages[0]?.kind).toBe('post');
    expect(text(alone.messages[0]!)).toContain('ROAS: 2 campaigns cannot be checked');
    expect(text(alone.messages[0]!)).toContain('• x: No data for ad_spend since 2026-11-12');
    const { row: open } = fired([firing('a', 1.5)]);
    const inThread = planGrouped({
      ...base,
      prev: open,
      groups: [firing('a', 1.5), noData('x')],
      at: DAY1,
    });
    expect(inThread.messages.map((m) => [m.kind, m.threadOf])).toEqual([
      ['thread-reply', open.messageKey],
    ]);
  });
});
