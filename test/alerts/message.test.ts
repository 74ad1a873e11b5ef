// Alert messages as Block Kit: inside Slack's limits whatever the data, escaped, with buttons
// only while firing, and a fallback text that says the gist.
import { describe, expect, it } from 'vitest';
import {
  ALERT_ACTION_IDS,
  ALERT_ACTION_PATTERN,
  ALERT_ACTIONS,
  type AlertView,
  alertMessage,
  dataBackMessage,
  decodeAlertButton,
  encodeAlertButton,
  noDataMessage,
  repeatMessage,
  resolvedMessage,
  slackDate,
} from '../../src/alerts/message.ts';
import { blockKitViolations } from '../../src/reply/limits.ts';
import { userMention } from '../../src/reply/mrkdwn.ts';

const VIEW: AlertView = {
  ruleId: 'a3',
  kpi: { id: 'roas', name: 'ROAS', unit: 'multiple' },
  comparator: '<',
  threshold: '3.0×',
  window: 'last-7-days',
  period: { start: '2026-11-16', end: '2026-11-22', label: '2026-11-16 – 2026-11-22' },
  value: '2.2×',
  firedAt: '2026-11-23T08:00:00.000Z',
  trend: { line: '▅▆▇▆▅▃▂▁', periods: 8, first: '3.4×', last: '2.2×' },
  lookAt: {
    dimension: 'channel',
    rows: [
      { key: 'meta', value: '1.5×', breaching: true },
      { key: 'google', value: '3.2×', breaching: false },
    ],
    total: 2,
  },
  status: 'firing',
};

const actionIds = (m: { blocks: unknown[] }) =>
  (m.blocks as Array<{ type: string; elements?: Array<{ action_id: string }> }>).flatMap((b) =>
    b.type === 'actions' ? (b.elements ?? []).map((e) => e.action_id) : [],
  );

describe('alertMessage', () => {
  it('shows value, threshold, window, trend and where to look, with the four buttons', () => {
    const m = alertMessage(VIEW);
    expect(blockKitViolations(m)).toEqual([]);
    const json = JSON.stringify(m.blocks);
    for (const part of ['2.2×', '< 3.0×', 'last-7-days', '▅▆▇▆▅▃▂▁', 'meta: 1.5× — below 3.0×']) {
      expect(json).toContain(part);
    }
    expect(actionIds(m)).toEqual([...ALERT_ACTION_IDS]);
    expect(m.text).toBe('ROAS is 2.2× over last-7-days, below the threshold 3.0×.');
  });

  it('an acknowledged alert shows who and drops the Acknowledge button', () => {
    const m = alertMessage({ ...VIEW, acknowledgedBy: 'U0BOB' });
    expect(JSON.stringify(m.blocks)).toContain('acknowledged by <@U0BOB>');
    expect(actionIds(m)).not.toContain(ALERT_ACTIONS.acknowledge);
  });

  it('a resolved alert has no buttons and says so', () => {
    const m = alertMessage({
      ...VIEW,
      status: 'resolved',
      resolved: { at: '2026-11-25T08:00:00.000Z', value: '3.4×' },
    });
    expect(actionIds(m)).toEqual([]);
    expect(m.blocks[0]).toMatchObject({
      type: 'header',
      text: { text: '✅ Resolved: ROAS was below 3.0×' },
    });
    expect(m.text).toContain('back at 3.4×');
  });

  it('stays inside Block Kit limits and escapes whatever came from data', () => {
    const long = 'x'.repeat(5000);
    const m = alertMessage({
      ...VIEW,
      ruleId: `<!channel>${long}`,
      kpi: { ...VIEW.kpi, name: `<@U123> ${long}` },
      group: { dimension: 'campaign', key: `<!here>${long}` },
      lookAt: {
        dimension: 'campaign',
        rows: Array.from({ length: 200 }, (_, i) => ({
          key: `<#C1>${i}${long}`,
          value: '1×',
          breaching: true,
        })),
        total: 200,
      },
    });
    expect(blockKitViolations(m)).toEqual([]);
    // Everything Slack reads as mrkdwn (headers are plain text, which never mentions anyone).
    const mrkdwn = [
      m.text,
      ...(
        m.blocks as Array<{
          text?: { type: string; text: string };
          fields?: Array<{ text: string }>;
          elements?: Array<{ text?: string }>;
        }>
      ).flatMap((b) => [
        b.text?.type === 'mrkdwn' ? b.text.text : '',
        ...(b.fields ?? []).map((f) => f.text),
        ...(b.elements ?? []).map((e) => (typeof e.text === 'string' ? e.text : '')),
      ]),
    ].join('\n');
    expect(mrkdwn).not.toMatch(/<!channel>|<!here>|<@U123>|<#C1>/);
    expect(mrkdwn).toContain('&lt;!channel&gt;');
  });

  it('names a group without a value for the dimension', () => {
    const m = alertMessage({ ...VIEW, group: { dimension: 'channel', key: '' } });
    expect(m.blocks[0]).toMatchObject({
      text: { text: '🔴 ROAS — channel (no channel) is below 3.0×' },
    });
  });
});

describe('replies', () => {
  it.each([
    ['repeat', repeatMessage(VIEW, { value: '2.1×', trend: '▅▃▁' }), 'Still below 3.0×'],
    ['resolved', resolvedMessage(VIEW, { value: '3.4×', bound: '3.15×' }), 'back at 3.4×'],
    [
      'no data',
      noDataMessage({
        ruleId: 'a3',
        kpi: VIEW.kpi,
        window: 'last-7-days',
        missingMeasures: ['ad_spend'],
        lastDataDay: '2026-11-14',
      }),
      'No data for ad_spend since 2026-11-14',
    ],
    [
      'no value',
      noDataMessage({ ruleId: 'a3', kpi: VIEW.kpi, window: 'last-7-days', missingMeasures: [] }),
      'ROAS has no value over last-7-days',
    ],
    ['data back', dataBackMessage(VIEW, { value: '3.1×' }), 'Data is back'],
  ])('%s', (_name, m, text) => {
    expect(blockKitViolations(m)).toEqual([]);
    expect(m.text).toContain(text);
  });
});

describe('buttons and mentions', () => {
  it('a button value carries the rule and group, and nothing else decodes', () => {
    expect(decodeAlertButton(encodeAlertButton('a3', 'meta'))).toEqual({
      ruleId: 'a3',
      groupKey: 'meta',
    });
    expect(decodeAlertButton('{"q":"roas"}')).toBeNull();
    expect(decodeAlertButton('not json')).toBeNull();
    expect(decodeAlertButton(undefined)).toBeNull();
  });

  it('one pattern matches every alert button', () => {
    for (const id of ALERT_ACTION_IDS) expect(id).toMatch(ALERT_ACTION_PATTERN);
    expect('post_to_channel').not.toMatch(ALERT_ACTION_PATTERN);
  });

  it('mentions only real user ids; dates show in each reader’s timezone', () => {
    expect(userMention('U0BOB')).toBe('<@U0BOB>');
    expect(userMention('kpibot.config.yml')).toBe('kpibot.config.yml');
    expect(userMention('<!channel>')).toBe('&lt;!channel&gt;');
    expect(slackDate('2026-11-23T08:00:00.000Z')).toBe(
      '<!date^1795420800^{date_short_pretty} {time}|2026-11-23 08:00 UTC>',
    );
  });
});
