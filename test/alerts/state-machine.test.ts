import { describe, expect, it } from 'vitest';
import type { Comparator } from '../../src/alerts/rule.ts';
import {
  type AlertState,
  acknowledge,
  compare,
  type EvaluatedRule,
  type EvaluationInput,
  evaluate,
  type NotificationKind,
  recovered,
  recoveryBound,
  snooze,
} from '../../src/alerts/state-machine.ts';

// Times are minutes after a fixed evaluation instant.
const T0 = Date.parse('2026-11-02T08:00:00.000Z');
const at = (minutes: number): Date => new Date(T0 + minutes * 60_000);
const iso = (minutes: number): string => at(minutes).toISOString();
const H = 60;
const D = 24 * H;

// roas < 3x, hysteresis 0.15 (the default), fire at once, remind daily, posting to C1.
const RULE: EvaluatedRule = {
  id: 'roas-floor',
  comparator: '<',
  threshold: 3,
  hysteresis: 0.15,
  for: 1,
  repeatIntervalMinutes: 1440,
  window: 'last-7-days',
  channel: 'C1',
  paused: false,
};
const value = (v: number | null): EvaluationInput => ({ value: v, missingMeasures: [] });
const missing = (...measures: string[]): EvaluationInput => ({
  value: null,
  missingMeasures: measures,
  lastDataDay: '2026-10-30',
});

const ok = (extra: Partial<AlertState> = {}): AlertState => ({
  status: 'ok',
  breachCount: 0,
  since: iso(-D),
  lastValue: 3.4,
  ...extra,
});
const pending = (breachCount: number, extra: Partial<AlertState> = {}): AlertState => ({
  status: 'pending',
  breachCount,
  since: iso(-D),
  lastValue: 2.8,
  ...extra,
});
// Fired and announced a day ago.
const firing = (extra: Partial<AlertState> = {}): AlertState => ({
  status: 'firing',
  breachCount: 1,
  since: iso(-D),
  lastValue: 2.5,
  firedAt: iso(-D),
  lastNotifiedAt: iso(-D),
  ...extra,
});
const noData = (extra: Partial<AlertState> = {}): AlertState => ({
  status: 'no_data',
  breachCount: 0,
  since: iso(-D),
  lastValue: null,
  noDataNotified: true,
  ...extra,
});

interface Case {
  prev: AlertState | undefined;
  input: EvaluationInput;
  rule?: Partial<EvaluatedRule>;
  now?: number;
  next: AlertState;
  notify: NotificationKind | null;
  reason: RegExp;
}

describe('evaluate: every transition', () => {
  const cases: Array<[string, Case]> = [
    // first evaluation, not breaching: ok, quietly
    [
      'first evaluation → ok',
      {
        prev: undefined,
        input: value(3.2),
        next: { status: 'ok', breachCount: 0, since: iso(0), lastValue: 3.2 },
        notify: null,
        reason: /ok → ok: 3\.2 not < 3/,
      },
    ],
    // ok → ok keeps `since`
    [
      'ok → ok',
      {
        prev: ok(),
        input: value(3.5),
        next: ok({ lastValue: 3.5 }),
        notify: null,
        reason: /ok → ok/,
      },
    ],
    // for = 1: the first breach fires and is announced
    [
      'ok → firing (for = 1)',
      {
        prev: ok(),
        input: value(2.5),
        next: {
          status: 'firing',
          breachCount: 1,
          since: iso(0),
          lastValue: 2.5,
          firedAt: iso(0),
          lastNotifiedAt: iso(0),
        },
        notify: 'firing',
        reason: /ok → firing: 2\.5 < 3: notify/,
      },
    ],
    // for = 2: the first breach only makes it pending
    [
      'ok → pending (for = 2)',
      {
        prev: ok(),
        input: value(2.8),
        rule: { for: 2 },
        next: { status: 'pending', breachCount: 1, since: iso(0), lastValue: 2.8 },
        notify: null,
        reason: /ok → pending: 2\.8 < 3 \(1 of 2 breaching checks\)/,
      },
    ],
    // pending reaches `for`: fires
    [
      'pending → firing at for',
      {
        prev: pending(1),
        input: value(2.7),
        rule: { for: 2 },
        next: {
          status: 'firing',
          breachCount: 2,
          since: iso(0),
          lastValue: 2.7,
          firedAt: iso(0),
          lastNotifiedAt: iso(0),
        },
        notify: 'firing',
        reason: /pending → firing: 2\.7 < 3 \(2 of 2 breaching checks\): notify/,
      },
    ],
    // pending below `for` stays pending and keeps its `since`
    [
      'pending → pending (for = 3)',
      {
        prev: pending(1),
        input: value(2.7),
        rule: { for: 3 },
        next: pending(2, { lastValue: 2.7 }),
        notify: null,
        reason: /pending → pending: 2\.7 < 3 \(2 of 3/,
      },
    ],
    // a non-breaching value in pending: back to ok, silently (no hysteresis in pending)
    [
      'pending → ok',
      {
        prev: pending(1),
        input: value(3.01),
        rule: { for: 2 },
        next: { status: 'ok', breachCount: 0, since: iso(0), lastValue: 3.01 },
        notify: null,
        reason: /pending → ok: 3\.01 not < 3 before 2 breaching checks in a row; silent/,
      },
    ],
    // still breaching, the repeat interval has not elapsed: nothing
    [
      'firing → firing before the repeat interval',
      {
        prev: firing({ lastNotifiedAt: iso(-23 * H) }),
        input: value(2.4),
        next: firing({ lastNotifiedAt: iso(-23 * H), breachCount: 2, lastValue: 2.4 }),
        notify: null,
        reason:
          /still firing: 2\.4 < 3; next reminder at 2026-11-02T09:00:00\.000Z \(repeat every 1440 min\)/,
      },
    ],
    // still breaching, the interval has elapsed: a reminder in the thread
    [
      'firing → firing, repeat due',
      {
        prev: firing(),
        input: value(2.4),
        next: firing({ lastNotifiedAt: iso(0), breachCount: 2, lastValue: 2.4 }),
        notify: 'repeat',
        reason: /still firing: 2\.4 < 3; 1440 min since the last notification: notify repeat/,
      },
    ],
    // between 3 and 3.15: not breaching, not recovered: stays firing, no reminder even if due
    [
      'firing → firing inside the hysteresis band',
      {
        prev: firing(),
        input: value(3.1),
        next: firing({ lastValue: 3.1 }),
        notify: null,
        reason: /inside the hysteresis band \(recovers past 3\.15\); no reminder inside the band/,
      },
    ],
    // exactly at the recovery bound: resolved
    [
      'firing → ok via hysteresis (at the bound)',
      {
        prev: firing(),
        input: value(3.15),
        next: { status: 'ok', breachCount: 0, since: iso(0), lastValue: 3.15 },
        notify: 'resolved',
        reason: /firing → ok: 3\.15 is past the recovery bound 3\.15: notify resolved/,
      },
    ],
    // with no hysteresis, the threshold itself is the bound
    [
      'firing → ok without hysteresis',
      {
        prev: firing(),
        input: value(3),
        rule: { hysteresis: 0 },
        next: { status: 'ok', breachCount: 0, since: iso(0), lastValue: 3 },
        notify: 'resolved',
        reason: /past the recovery bound 3:/,
      },
    ],
    // acknowledged: no reminders although one is due
    [
      'acknowledged firing: no repeat',
      {
        prev: firing({ acknowledgedBy: 'U42' }),
        input: value(2.4),
        next: firing({ acknowledgedBy: 'U42', breachCount: 2, lastValue: 2.4 }),
        notify: null,
        reason: /acknowledged by U42: no reminders/,
      },
    ],
    // acknowledged: resolution is still posted, and the ack ends with the episode
    [
      'acknowledged firing → resolved',
      {
        prev: firing({ acknowledgedBy: 'U42' }),
        input: value(3.3),
        next: { status: 'ok', breachCount: 0, since: iso(0), lastValue: 3.3 },
        notify: 'resolved',
        reason: /notify resolved/,
      },
    ],
    // snoozed: a due reminder is held back
    [
      'snoozed firing: no repeat',
      {
        prev: firing({ snoozedUntil: iso(H) }),
        input: value(2.4),
        next: firing({ snoozedUntil: iso(H), breachCount: 2, lastValue: 2.4 }),
        notify: null,
        reason: /muted: snoozed until 2026-11-02T09:00:00\.000Z/,
      },
    ],
    // the snooze has expired (now = snoozedUntil) and a reminder is due: repeat, snooze cleared
    [
      'snooze expiry → repeat when due',
      {
        prev: firing({ snoozedUntil: iso(0) }),
        input: value(2.4),
        next: firing({ lastNotifiedAt: iso(0), breachCount: 2, lastValue: 2.4 }),
        notify: 'repeat',
        reason: /^snooze until 2026-11-02T08:00:00\.000Z expired; still firing.*notify repeat/,
      },
    ],
    // the snooze has expired but the reminder is not due yet
    [
      'snooze expiry, repeat not due',
      {
        prev: firing({ snoozedUntil: iso(-H), lastNotifiedAt: iso(-2 * H) }),
        input: value(2.4),
        next: firing({ lastNotifiedAt: iso(-2 * H), breachCount: 2, lastValue: 2.4 }),
        notify: null,
        reason: /expired; still firing.*next reminder/,
      },
    ],
    // resolving while snoozed: posted (it closes an announced alert); the snooze stays
    [
      'resolved during snooze',
      {
        prev: firing({ snoozedUntil: iso(D) }),
        input: value(3.3),
        next: { status: 'ok', breachCount: 0, since: iso(0), lastValue: 3.3, snoozedUntil: iso(D) },
        notify: 'resolved',
        reason: /notify resolved \(even while snoozed until .*: it closes the alert\)/,
      },
    ],
    // a breach that starts while snoozed is not announced, and lastNotifiedAt stays unset
    [
      'ok → firing while snoozed',
      {
        prev: ok({ snoozedUntil: iso(D) }),
        input: value(2.5),
        next: {
          status: 'firing',
          breachCount: 1,
          since: iso(0),
          lastValue: 2.5,
          firedAt: iso(0),
          snoozedUntil: iso(D),
        },
        notify: null,
        reason: /ok → firing: 2\.5 < 3; muted: snoozed until .*, announce later/,
      },
    ],
    // ...and if it resolves inside the snooze, nothing was ever said, so nothing is posted
    [
      'unannounced firing resolves',
      {
        prev: firing({ lastNotifiedAt: undefined, snoozedUntil: iso(D) }),
        input: value(3.3),
        next: { status: 'ok', breachCount: 0, since: iso(0), lastValue: 3.3, snoozedUntil: iso(D) },
        notify: null,
        reason: /never announced: nothing to resolve/,
      },
    ],
    // ...and if it is still firing when the snooze ends, it is announced (not a thread reply)
    [
      'unannounced firing, snooze over → firing',
      {
        prev: firing({ lastNotifiedAt: undefined, snoozedUntil: iso(-1) }),
        input: value(2.5),
        next: firing({ lastNotifiedAt: iso(0), breachCount: 2 }),
        notify: 'firing',
        reason: /never announced \(it began while muted\): notify firing now/,
      },
    ],
    // a rule without a channel is evaluated but posts nothing
    [
      'no channel: ok → firing, silent',
      {
        prev: ok(),
        input: value(2.5),
        rule: { channel: undefined },
        next: { status: 'firing', breachCount: 1, since: iso(0), lastValue: 2.5, firedAt: iso(0) },
        notify: null,
        reason: /muted: no Slack channel set, announce later/,
      },
    ],
    // once a channel is set, the still-firing alert is announced
    [
      'channel set later → firing',
      {
        prev: firing({ lastNotifiedAt: undefined }),
        input: value(2.5),
        next: firing({ lastNotifiedAt: iso(0), breachCount: 2 }),
        notify: 'firing',
        reason: /notify firing now/,
      },
    ],
    // missing data: no_data, told once
    [
      'ok → no_data',
      {
        prev: ok(),
        input: missing('ad_spend'),
        next: {
          status: 'no_data',
          breachCount: 0,
          since: iso(0),
          lastValue: null,
          noDataNotified: true,
        },
        notify: 'no_data',
        reason: /ok → no_data: no data for ad_spend since 2026-10-30: notify once/,
      },
    ],
    // still no data: nothing more
    [
      'no_data → no_data',
      {
        prev: noData(),
        input: missing('ad_spend'),
        next: noData(),
        notify: null,
        reason: /still no data \(no data for ad_spend\); already told/,
      },
    ],
    // a pending run is broken by a gap
    [
      'pending → no_data',
      {
        prev: pending(2),
        input: missing('revenue', 'ad_spend'),
        rule: { for: 3 },
        next: {
          status: 'no_data',
          breachCount: 0,
          since: iso(0),
          lastValue: null,
          noDataNotified: true,
        },
        notify: 'no_data',
        reason: /pending → no_data: no data for revenue, ad_spend/,
      },
    ],
    // a firing episode survives the gap (firedAt, lastNotifiedAt, ack kept)
    [
      'firing → no_data',
      {
        prev: firing({ acknowledgedBy: 'U42' }),
        input: missing('ad_spend'),
        next: {
          status: 'no_data',
          breachCount: 0,
          since: iso(0),
          lastValue: null,
          firedAt: iso(-D),
          lastNotifiedAt: iso(-D),
          acknowledgedBy: 'U42',
          noDataNotified: true,
        },
        notify: 'no_data',
        reason: /firing → no_data/,
      },
    ],
    // a KPI without a value (e.g. division by zero) is no data, not a pass
    [
      'null value without missing measures → no_data',
      {
        prev: ok(),
        input: value(null),
        next: {
          status: 'no_data',
          breachCount: 0,
          since: iso(0),
          lastValue: null,
          noDataNotified: true,
        },
        notify: 'no_data',
        reason: /the KPI has no value/,
      },
    ],
    // NaN is no data too
    [
      'NaN → no_data',
      {
        prev: ok(),
        input: value(Number.NaN),
        next: {
          status: 'no_data',
          breachCount: 0,
          since: iso(0),
          lastValue: null,
          noDataNotified: true,
        },
        notify: 'no_data',
        reason: /no_data/,
      },
    ],
    // a value computed with a measure missing is not trusted (revenue not imported yet → roas 0)
    [
      'value with a missing measure → no_data',
      {
        prev: ok(),
        input: { value: 0, missingMeasures: ['revenue'] },
        next: {
          status: 'no_data',
          breachCount: 0,
          since: iso(0),
          lastValue: null,
          noDataNotified: true,
        },
        notify: 'no_data',
        reason: /no data for revenue/,
      },
    ],
    // entering no_data while snoozed: not told yet
    [
      'ok → no_data while snoozed',
      {
        prev: ok({ snoozedUntil: iso(H) }),
        input: missing('ad_spend'),
        next: {
          status: 'no_data',
          breachCount: 0,
          since: iso(0),
          lastValue: null,
          noDataNotified: false,
          snoozedUntil: iso(H),
        },
        notify: null,
        reason: /muted: snoozed/,
      },
    ],
    // the snooze ends and there is still no data: told now
    [
      'no_data, snooze over, not told yet → no_data',
      {
        prev: noData({ noDataNotified: false, snoozedUntil: iso(-H) }),
        input: missing('ad_spend'),
        next: noData(),
        notify: 'no_data',
        reason: /not told yet, the mute has ended: notify/,
      },
    ],
    // data back, fine: data_back closes the "no data" message
    [
      'no_data → ok (told) → data_back',
      {
        prev: noData(),
        input: value(3.4),
        next: { status: 'ok', breachCount: 0, since: iso(0), lastValue: 3.4 },
        notify: 'data_back',
        reason: /no_data → ok: 3\.4 not < 3; data is back after a posted no_data: notify data_back/,
      },
    ],
    // data back, but no_data was never posted (snoozed then): nothing to close
    [
      'no_data → ok (not told) → silent',
      {
        prev: noData({ noDataNotified: false }),
        input: value(3.4),
        next: { status: 'ok', breachCount: 0, since: iso(0), lastValue: 3.4 },
        notify: null,
        reason: /^no_data → ok/,
      },
    ],
    // data back while snoozed: data_back is informational, suppressed
    [
      'no_data → ok while snoozed',
      {
        prev: noData({ snoozedUntil: iso(H) }),
        input: value(3.4),
        next: { status: 'ok', breachCount: 0, since: iso(0), lastValue: 3.4, snoozedUntil: iso(H) },
        notify: null,
        reason: /data_back suppressed while snoozed/,
      },
    ],
    // data back and breaching: the firing message says it all
    [
      'no_data → firing',
      {
        prev: noData(),
        input: value(2.5),
        next: {
          status: 'firing',
          breachCount: 1,
          since: iso(0),
          lastValue: 2.5,
          firedAt: iso(0),
          lastNotifiedAt: iso(0),
        },
        notify: 'firing',
        reason: /no_data → firing: 2\.5 < 3: notify/,
      },
    ],
    // data back and breaching, for = 2: pending, and the no_data message gets its data_back
    [
      'no_data → pending',
      {
        prev: noData(),
        input: value(2.5),
        rule: { for: 2 },
        next: { status: 'pending', breachCount: 1, since: iso(0), lastValue: 2.5 },
        notify: 'data_back',
        reason: /no_data → pending.*notify data_back/,
      },
    ],
    // the episode from before the gap is still breaching: firing again, data_back in its thread
    [
      'no_data (was firing) → firing',
      {
        prev: noData({ firedAt: iso(-2 * D), lastNotifiedAt: iso(-2 * D) }),
        input: value(2.5),
        next: {
          status: 'firing',
          breachCount: 1,
          since: iso(0),
          lastValue: 2.5,
          firedAt: iso(-2 * D),
          lastNotifiedAt: iso(0),
        },
        notify: 'data_back',
        reason: /no_data → firing: 2\.5 < 3; .*notify data_back instead/,
      },
    ],
    // the episode from before the gap has recovered: resolved in its thread
    [
      'no_data (was firing) → ok',
      {
        prev: noData({ firedAt: iso(-2 * D), lastNotifiedAt: iso(-2 * D) }),
        input: value(3.3),
        next: { status: 'ok', breachCount: 0, since: iso(0), lastValue: 3.3 },
        notify: 'resolved',
        reason: /no_data → ok: 3\.3 is past the recovery bound 3\.15: notify resolved/,
      },
    ],
    // a paused rule is not evaluated
    [
      'paused',
      {
        prev: firing(),
        input: value(2.4),
        rule: { paused: true },
        next: firing(),
        notify: null,
        reason: /rule is paused/,
      },
    ],
  ];

  it.each(cases)('%s', (_name, c) => {
    const result = evaluate(c.prev, c.input, { ...RULE, ...c.rule }, at(c.now ?? 0));
    expect(result.next).toEqual(c.next);
    expect(result.notify?.kind ?? null).toBe(c.notify);
    expect(result.reason).toMatch(c.reason);
  });
});

describe('evaluate: notifications carry what the message needs', () => {
  it('firing: value, threshold, window and the episode start', () => {
    const { notify } = evaluate(ok(), value(2.5), RULE, at(0));
    expect(notify).toEqual({
      kind: 'firing',
      ruleId: 'roas-floor',
      at: iso(0),
      value: 2.5,
      comparator: '<',
      threshold: 3,
      window: 'last-7-days',
      firedAt: iso(0),
    });
  });

  it('resolved: the thread to reply in and the bound that was passed', () => {
    const { notify } = evaluate(firing({ acknowledgedBy: 'U42' }), value(3.2), RULE, at(0));
    expect(notify).toMatchObject({
      kind: 'resolved',
      firedAt: iso(-D),
      recoveryBound: 3.15,
      acknowledgedBy: 'U42',
    });
  });

  it('no_data: the missing measures and since when', () => {
    const { notify } = evaluate(ok(), missing('ad_spend'), RULE, at(0));
    expect(notify).toMatchObject({
      kind: 'no_data',
      value: null,
      missingMeasures: ['ad_spend'],
      lastDataDay: '2026-10-30',
    });
  });
});

describe('evaluate: every comparator', () => {
  it.each<[Comparator, number, number, 'ok' | 'firing']>([
    // < fires below, not at the threshold
    ['<', 3, 2.99, 'firing'],
    ['<', 3, 3, 'ok'],
    // <= fires at the threshold
    ['<=', 3, 3, 'firing'],
    ['<=', 3, 3.01, 'ok'],
    // > fires above, not at
    ['>', 0.05, 0.051, 'firing'],
    ['>', 0.05, 0.05, 'ok'],
    // >= fires at
    ['>=', 800, 800, 'firing'],
    ['>=', 800, 799.99, 'ok'],
  ])('%s %d with %d → %s', (comparator, threshold, v, status) => {
    const rule = { ...RULE, comparator, threshold };
    expect(evaluate(ok(), value(v), rule, at(0)).next.status).toBe(status);
  });

  it.each<[Comparator, number, number, number, 'ok' | 'firing']>([
    // churn > 5 %, margin 0.25 pp: 4.8 % is inside the band, 4.75 % resolves
    ['>', 0.05, 0.0025, 0.048, 'firing'],
    ['>', 0.05, 0.0025, 0.0475, 'ok'],
    // >= resolves only strictly below the bound
    ['>=', 0.05, 0.0025, 0.0475, 'firing'],
    ['>=', 0.05, 0.0025, 0.047, 'ok'],
    // <= resolves only strictly above the bound
    ['<=', 3, 0.15, 3.15, 'firing'],
    ['<=', 3, 0.15, 3.16, 'ok'],
  ])('firing %s %d (hysteresis %d) at %d → %s', (comparator, threshold, hysteresis, v, status) => {
    const rule = { ...RULE, comparator, threshold, hysteresis };
    expect(evaluate(firing(), value(v), rule, at(0)).next.status).toBe(status);
  });
});

describe('compare, recovered, recoveryBound', () => {
  it.each<[number, Comparator, number, boolean]>([
    [2.9, '<', 3, true],
    [3, '<', 3, false],
    [3, '<=', 3, true],
    [3.1, '<=', 3, false],
    [0.06, '>', 0.05, true],
    [0.05, '>', 0.05, false],
    [0.05, '>=', 0.05, true],
    [0.049, '>=', 0.05, false],
    // binary noise does not breach: 0.1 + 0.2 is 0.30000000000000004
    [0.1 + 0.2, '>', 0.3, false],
  ])('compare(%d %s %d) = %s', (v, comparator, threshold, expected) => {
    expect(compare(v, comparator, threshold)).toBe(expected);
  });

  it.each<[number, Comparator, number, number, boolean]>([
    // the example: roas < 3 with 0.15 resolves at 3.15, not between 3 and 3.15
    [3.1, '<', 3, 0.15, false],
    [3.15, '<', 3, 0.15, true],
    [3, '<=', 3, 0, false],
    [3.01, '<=', 3, 0, true],
    [0.048, '>', 0.05, 0.0025, false],
    [0.0475, '>', 0.05, 0.0025, true],
    [0.0475, '>=', 0.05, 0.0025, false],
    [0.047, '>=', 0.05, 0.0025, true],
  ])('recovered(%d, %s %d, ±%d) = %s', (v, comparator, threshold, h, expected) => {
    expect(recovered(v, comparator, threshold, h)).toBe(expected);
  });

  it('moves the bound away from the breach side', () => {
    expect(recoveryBound('<', 3, 0.15)).toBe(3.15);
    expect(recoveryBound('>', 0.05, 0.0025)).toBe(0.0475);
  });
});

/** Runs values through the machine one hour apart; returns the notifications and statuses. */
function run(
  values: Array<number | null>,
  rule: EvaluatedRule,
  start: AlertState | undefined = undefined,
) {
  let state = start;
  const kinds: string[] = [];
  const statuses: string[] = [];
  values.forEach((v, k) => {
    const r = evaluate(state, value(v), rule, at(k * H));
    state = r.next;
    statuses.push(r.next.status);
    if (r.notify) kinds.push(r.notify.kind);
  });
  return { kinds, statuses, state };
}

describe('sequences', () => {
  const flapping = [2.9, 3.05, 2.95, 3.1, 2.9];

  it('flapping without hysteresis: fires and resolves on every crossing', () => {
    const { kinds } = run(flapping, { ...RULE, hysteresis: 0 });
    expect(kinds).toEqual(['firing', 'resolved', 'firing', 'resolved', 'firing']);
  });

  it('flapping with hysteresis 0.15: one alert, no noise', () => {
    const { kinds, statuses } = run(flapping, RULE);
    expect(kinds).toEqual(['firing']);
    expect(statuses).toEqual(['firing', 'firing', 'firing', 'firing', 'firing']);
  });

  it('for = 3 needs three breaches in a row; a good value resets the run', () => {
    const { kinds, statuses } = run([2.9, 2.9, 3.2, 2.9, 2.9, 2.9], { ...RULE, for: 3 });
    expect(statuses).toEqual(['pending', 'pending', 'ok', 'pending', 'pending', 'firing']);
    expect(kinds).toEqual(['firing']);
  });

  it('for = 3: a gap in the data breaks the run', () => {
    const { statuses } = run([2.9, 2.9, null, 2.9], { ...RULE, for: 3 });
    expect(statuses).toEqual(['pending', 'pending', 'no_data', 'pending']);
  });

  it('repeat interval is exact: not at 23h59, at 24h00', () => {
    const fired = evaluate(ok(), value(2.5), RULE, at(0)).next;
    const early = evaluate(fired, value(2.5), RULE, at(D - 1));
    expect(early.notify).toBeNull();
    const due = evaluate(early.next, value(2.5), RULE, at(D));
    expect(due.notify?.kind).toBe('repeat');
    // the next reminder counts from the last one
    expect(evaluate(due.next, value(2.5), RULE, at(2 * D - 1)).notify).toBeNull();
    expect(evaluate(due.next, value(2.5), RULE, at(2 * D)).notify?.kind).toBe('repeat');
  });

  it('snooze: nothing until snoozedUntil, then a repeat if one is due', () => {
    const fired = evaluate(ok(), value(2.5), RULE, at(0)).next;
    const snoozed = snooze(fired, at(36 * H), at(H)).next;
    const day1 = evaluate(snoozed, value(2.4), RULE, at(D));
    expect(day1.notify).toBeNull();
    expect(day1.next.snoozedUntil).toBe(iso(36 * H));
    const day2 = evaluate(day1.next, value(2.4), RULE, at(2 * D));
    expect(day2.notify?.kind).toBe('repeat');
    expect(day2.next.snoozedUntil).toBeUndefined();
  });

  it('acknowledge stops reminders until the alert resolves; the next episode reminds again', () => {
    const fired = evaluate(ok(), value(2.5), RULE, at(0)).next;
    const acked = acknowledge(fired, 'U42').next;
    const quiet = run([2.5, 2.5, 2.5], { ...RULE, repeatIntervalMinutes: 60 }, acked);
    expect(quiet.kinds).toEqual([]);
    const { kinds } = run([3.3, 2.5, 2.5], { ...RULE, repeatIntervalMinutes: 60 }, quiet.state);
    expect(kinds).toEqual(['resolved', 'firing', 'repeat']);
  });

  it('a no_data stretch notifies once', () => {
    const { kinds } = run([3.4, null, null, null, 3.4], RULE);
    expect(kinds).toEqual(['no_data', 'data_back']);
  });

  it('snoozed while it flaps: nothing posted, the state still tracked, and nothing owed after', () => {
    const fired = evaluate(ok(), value(2.5), RULE, at(0)).next;
    const snoozed = snooze(fired, at(10 * H), at(0)).next;
    const during = run([3.3, 2.5, 3.3], { ...RULE, repeatIntervalMinutes: 60 }, snoozed);
    // resolving closes the announced alert even while snoozed; the new breach is not announced
    expect(during.kinds).toEqual(['resolved']);
    expect(during.statuses).toEqual(['ok', 'firing', 'ok']);
    // the second episode began and ended inside the snooze: nothing to say when it ends
    const after = evaluate(during.state, value(3.3), RULE, at(11 * H));
    expect(after.notify).toBeNull();
  });

  it('paused, then resumed: the episode carries on in the same thread, reminded when due', () => {
    const fired = evaluate(ok(), value(2.5), RULE, at(0)).next;
    const paused = evaluate(fired, value(2.4), { ...RULE, paused: true }, at(D));
    expect(paused).toMatchObject({ next: fired, notify: null });
    const resumed = evaluate(paused.next, value(2.4), RULE, at(2 * D));
    expect(resumed.notify).toMatchObject({ kind: 'repeat', firedAt: iso(0) });
  });

  it('for = 2 with hysteresis: pending does not use the band, firing does', () => {
    const rule = { ...RULE, for: 2 };
    // 3.05 is not a breach: pending falls back to ok at once
    expect(run([2.9, 3.05, 2.9, 2.9, 3.05, 3.2], rule).statuses).toEqual([
      'pending',
      'ok',
      'pending',
      'firing',
      'firing', // inside the band (3 … 3.15): still firing
      'ok', // past 3.15
    ]);
  });

  it('no data for a whole week of daily checks, then data: one message each way', () => {
    const { kinds } = run([2.5, null, null, null, null, null, null, null, 3.4], {
      ...RULE,
      repeatIntervalMinutes: 60,
    });
    // firing, then a no-data note in its thread, then resolved when data shows recovery
    expect(kinds).toEqual(['firing', 'no_data', 'resolved']);
  });
});

describe('buttons', () => {
  it.each<[string, AlertState, AlertState, RegExp]>([
    // acknowledging a firing alert records who
    ['firing', firing(), firing({ acknowledgedBy: 'U7' }), /acknowledged by U7/],
    // a second acknowledgement keeps the first
    [
      'already acked',
      firing({ acknowledgedBy: 'U1' }),
      firing({ acknowledgedBy: 'U1' }),
      /already acknowledged by U1/,
    ],
    // nothing to acknowledge when ok
    ['ok', ok(), ok(), /nothing to acknowledge: the alert is ok/],
    // a firing episode without data can be acknowledged
    [
      'no_data in an episode',
      noData({ firedAt: iso(-D) }),
      noData({ firedAt: iso(-D), acknowledgedBy: 'U7' }),
      /acknowledged/,
    ],
  ])('acknowledge: %s', (_name, state, next, reason) => {
    const r = acknowledge(state, 'U7');
    expect(r.next).toEqual(next);
    expect(r.reason).toMatch(reason);
  });

  it.each<[string, AlertState, number, string | undefined, RegExp]>([
    // snooze 1 h
    ['1 h', firing(), H, iso(H), /snoozed until 2026-11-02T09:00:00\.000Z/],
    // a longer snooze replaces a shorter one
    ['extend', firing({ snoozedUntil: iso(H) }), D, iso(D), /snoozed until/],
    // a shorter snooze does not cut a longer one
    ['shorter', firing({ snoozedUntil: iso(D) }), H, iso(D), /already snoozed until .*later/],
    // an end in the past does nothing
    ['past', firing(), -H, undefined, /not in the future/],
  ])('snooze: %s', (_name, state, minutes, until, reason) => {
    const r = snooze(state, at(minutes), at(0));
    expect(r.next.snoozedUntil).toBe(until);
    expect(r.reason).toMatch(reason);
  });
});
