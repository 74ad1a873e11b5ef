// Under sv-SE every word of an alert message is Swedish, under en-* English: each message of
// the catalogue drawn in Swedish is checked against a list of English words (a test that fails
// when a string is left untranslated), and the two languages have the same messages.
import { describe, expect, it } from 'vitest';
import {
  type AlertView,
  alertMessage,
  dataBackMessage,
  groupChangesMessage,
  groupsDataBackMessage,
  groupsNoDataMessage,
  noDataMessage,
  repeatMessage,
  resolvedMessage,
  type SlackMessage,
  sourceBackMessage,
  sourceLateMessage,
} from '../../src/alerts/message.ts';
import { blockKitViolations } from '../../src/reply/limits.ts';
import { ENGLISH, messageText, wordsOf } from '../helpers/english-words.ts';

/** The words a message shows: text, blocks, buttons. */
function words(m: SlackMessage): string[] {
  return wordsOf(messageText(m));
}

function view(lang: 'sv' | 'en'): AlertView {
  return {
    ruleId: 'a1',
    kpi: { id: 'roas', name: 'ROAS', unit: 'multiple' },
    comparator: '<',
    threshold: '3,0×',
    window: lang === 'sv' ? 'senaste-7-dagarna' : 'last-7-days',
    period: { start: '2026-11-16', end: '2026-11-22', label: '2026-11-16 – 2026-11-22' },
    groups: {
      dimension: 'campaign',
      rows: [
        { key: 'höst', value: '2,1×' },
        { key: 'vår', value: null },
      ],
    },
    value: '2,1×',
    firedAt: '2026-11-23T08:00:00.000Z',
    trend: { line: '▅▃▁', periods: 8, first: '3,4×', last: '2,1×' },
    status: 'firing',
    acknowledgedBy: 'U0BEA',
    snoozedUntil: '2026-11-24T08:00:00.000Z',
    lang,
  };
}

function allMessages(lang: 'sv' | 'en'): Array<[string, SlackMessage]> {
  const v = view(lang);
  const single: AlertView = { ...v, groups: undefined, group: { dimension: 'channel', key: '' } };
  const resolved: AlertView = {
    ...v,
    status: 'resolved',
    resolved: { at: v.firedAt, value: '3,4×' },
  };
  const nd = { ruleId: 'a1', kpi: v.kpi, window: v.window, lang, dimension: 'channel' as const };
  return [
    ['grouped alert', alertMessage(v)],
    ['grouped resolved', alertMessage(resolved)],
    [
      'single alert',
      alertMessage({
        ...single,
        lookAt: {
          dimension: 'campaign',
          rows: [{ key: 'x', value: '1×', breaching: true }],
          total: 12,
        },
      }),
    ],
    [
      'single resolved',
      alertMessage({ ...single, status: 'resolved', resolved: { at: v.firedAt, value: '3,4×' } }),
    ],
    ['repeat', repeatMessage(v, { value: '2,1×', trend: '▅▃▁' })],
    ['repeat single', repeatMessage(single, { value: '2,1×' })],
    ['resolved reply', resolvedMessage(single, { value: '3,4×', bound: '3,2×' })],
    [
      'changes',
      groupChangesMessage(v, {
        joined: v.groups!.rows,
        recovered: v.groups!.rows,
        bound: '3,2×',
        resolved: true,
      }),
    ],
    ['no data', noDataMessage({ ...nd, missingMeasures: ['ad_spend'], lastDataDay: '2026-11-12' })],
    ['no value', noDataMessage({ ...nd, missingMeasures: [] })],
    [
      'groups no data',
      groupsNoDataMessage(nd, [
        { key: 'meta', missingMeasures: [], lastDataDay: '2026-11-12' },
        { key: 'x', missingMeasures: ['revenue'] },
      ]),
    ],
    [
      'data back',
      dataBackMessage({ ...nd, group: { dimension: 'campaign', key: 'höst' } }, { value: '2,1×' }),
    ],
    ['groups data back', groupsDataBackMessage(nd, [{ key: 'meta', value: '2,1×' }])],
    [
      'source late',
      sourceLateMessage({
        source: 'google-ads',
        lastDay: '2026-11-30',
        rules: Array.from({ length: 12 }, (_, i) => `a${i}`),
        cadence: 'daily',
        by: '10:00',
        learned: false,
        lang,
      }),
    ],
    [
      'source late, learned',
      sourceLateMessage({
        source: 'google-ads',
        lastDay: '2026-11-30',
        rules: ['a1'],
        cadence: 'weekly',
        learned: true,
        lang,
      }),
    ],
    ['source back', sourceBackMessage({ source: 'google-ads', lastDay: '2026-12-02', lang })],
  ];
}

describe('alert messages in one language', () => {
  it.each(allMessages('sv'))('sv: %s has no English word', (_name, m) => {
    expect(words(m).filter((w) => ENGLISH.has(w))).toEqual([]);
    expect(blockKitViolations(m)).toEqual([]);
  });

  it('the word list catches English: the same messages in English fail it', () => {
    for (const [name, m] of allMessages('en')) {
      expect(
        words(m).filter((w) => ENGLISH.has(w)),
        name,
      ).not.toEqual([]);
    }
  });
});
