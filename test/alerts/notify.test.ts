// From a notification to outbox messages: which message is the alert's thread, what goes in it,
// what updates the original, and what posts on its own. Pure; one case per row.
import { describe, expect, it } from 'vitest';
import { notificationKey, planNotification, settleRow } from '../../src/alerts/notify.ts';
import type { AlertRule } from '../../src/alerts/rule.ts';
import type { AlertState, Notification } from '../../src/alerts/state-machine.ts';
import type { StateRow } from '../../src/alerts/store.ts';
import { createFormatter } from '../../src/kpi/format.ts';

const AT = '2026-11-24T08:00:00.000Z';
const FIRED = '2026-11-23T08:00:00.000Z';
const ALERT_KEY = `alert:a1::firing:${FIRED}`;
const NO_DATA_KEY = 'alert:a1::no_data:2026-11-20T08:00:00.000Z';

const rule: AlertRule = {
  id: 'a1',
  kpi: 'roas',
  comparator: '<',
  threshold: 3,
  window: 'last-7-days',
  filters: {},
  channel: 'C0MARKET',
  schedule: '0 9 * * *',
  for: 1,
  repeatIntervalMinutes: 1440,
  hysteresis: 0.15,
  paused: false,
  createdBy: 'U1',
  createdAt: '2026-11-01T00:00:00.000Z',
};

const ctx = {
  rule,
  kpi: { id: 'roas', name: 'ROAS', unit: 'multiple' as const },
  groupKey: '',
  period: {
    start: '2026-11-17',
    end: '2026-11-23',
    label: '2026-11-17 – 2026-11-23',
    phrase: 'last-7-days',
    grain: 'days' as const,
  },
  format: createFormatter({ locale: 'en-US', currency: 'SEK' }),
  lang: 'en' as const,
};

function row(state: Partial<AlertState>, extra: Partial<StateRow> = {}): StateRow {
  return {
    ruleId: 'a1',
    groupKey: '',
    state: { status: 'firing', breachCount: 1, since: AT, lastValue: 2, ...state },
    evaluatedAt: new Date(AT),
    messageKey: null,
    message: null,
    slackChannel: null,
    slackTs: null,
    noDataKey: null,
    ...extra,
  };
}

function n(kind: Notification['kind'], extra: Partial<Notification> = {}): Notification {
  return {
    kind,
    ruleId: 'a1',
    at: AT,
    value: 2.2,
    comparator: '<',
    threshold: 3,
    window: 'last-7-days',
    ...extra,
  };
}

describe('planNotification', () => {
  it('firing: posts the alert message and makes it the thread of the episode', () => {
    const r = row({ firedAt: AT });
    const [m, ...rest] = planNotification(n('firing', { firedAt: AT }), r, ctx);
    expect(rest).toEqual([]);
    expect(m).toMatchObject({
      kind: 'post',
      channel: 'C0MARKET',
      idempotencyKey: notificationKey('a1', '', n('firing')),
    });
    expect(r.messageKey).toBe(m!.idempotencyKey);
    expect(r.message).toMatchObject({
      value: '2.2×',
      threshold: '3.0×',
      status: 'firing',
      firedAt: AT,
    });
  });

  it('repeat: a reply in the alert’s thread', () => {
    const r = row({ firedAt: FIRED }, { messageKey: ALERT_KEY });
    expect(planNotification(n('repeat', { firedAt: FIRED }), r, ctx)).toMatchObject([
      { kind: 'thread-reply', threadOf: ALERT_KEY },
    ]);
  });

  it('resolved: "resolved" in the thread and an update of the alert message; the episode ends', () => {
    const r = row({ status: 'ok' }, { messageKey: ALERT_KEY });
    const messages = planNotification(
      n('resolved', { firedAt: FIRED, recoveryBound: 3.15, value: 3.4 }),
      r,
      ctx,
    );
    expect(messages).toMatchObject([
      { kind: 'thread-reply', threadOf: ALERT_KEY },
      { kind: 'update', updateOf: ALERT_KEY, idempotencyKey: expect.stringMatching(/:update$/) },
    ]);
    expect(JSON.stringify(messages[1]!.payload)).toContain('Resolved');
    settleRow(r);
    expect(r.messageKey).toBeNull();
  });

  it('no data inside a firing episode: a reply in its thread', () => {
    const r = row({ status: 'no_data', firedAt: FIRED }, { messageKey: ALERT_KEY });
    const [m] = planNotification(
      n('no_data', { firedAt: FIRED, missingMeasures: ['revenue'] }),
      r,
      ctx,
    );
    expect(m).toMatchObject({ kind: 'thread-reply', threadOf: ALERT_KEY });
    expect(r.noDataKey).toBeNull();
  });

  it('no data otherwise: a post of its own, which data_back later replies to', () => {
    const r = row({ status: 'no_data' });
    const [m] = planNotification(
      n('no_data', { value: null, missingMeasures: ['revenue'], lastDataDay: '2026-11-10' }),
      r,
      ctx,
    );
    expect(m).toMatchObject({ kind: 'post' });
    expect(m!.payload.text).toContain('No data for revenue since 2026-11-10');
    expect(r.noDataKey).toBe(m!.idempotencyKey);

    const back = row({ status: 'ok' }, { noDataKey: NO_DATA_KEY });
    expect(planNotification(n('data_back'), back, ctx)).toMatchObject([
      { kind: 'thread-reply', threadOf: NO_DATA_KEY },
    ]);
    settleRow(back);
    expect(back.noDataKey).toBeNull();
  });

  it('a reply with no alert message to reply to posts on its own', () => {
    expect(
      planNotification(n('repeat', { firedAt: FIRED }), row({ firedAt: FIRED }), ctx),
    ).toMatchObject([{ kind: 'post' }]);
  });

  it('a rule without a channel plans nothing', () => {
    const { channel: _channel, ...noChannel } = rule;
    expect(planNotification(n('firing'), row({}), { ...ctx, rule: noChannel })).toEqual([]);
  });
});
