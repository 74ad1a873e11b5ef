// `/kpi status`: days behind and stale sources, computed by hand from the rows.
import { describe, expect, it } from 'vitest';
import { renderText } from '../../src/commands/views/text.ts';
import { addDays } from '../../src/kpi/periods.ts';
import { buildStatus } from '../../src/query/status.ts';
import { statusView } from '../../src/query/views/slack-catalog.ts';
import { arrivalOf } from '../../src/sources/cadence.ts';

const written = new Date('2026-11-30T06:00:00Z');

describe('buildStatus', () => {
  it('counts days behind yesterday and warns from two days on', () => {
    // Today 2026-12-01, so yesterday is 2026-11-30.
    const status = buildStatus(
      [
        {
          measure: 'ad_spend',
          source: 'google-ads',
          lastDay: '2026-11-30',
          lastWrittenAt: written,
        },
        { measure: 'revenue', source: 'shop', lastDay: '2026-11-29', lastWrittenAt: written },
        { measure: 'sessions', source: 'ga4', lastDay: '2026-11-20', lastWrittenAt: written },
        { measure: 'leads', source: 'crm', lastDay: '2026-12-01', lastWrittenAt: written },
      ],
      '2026-12-01',
    );
    expect(status.rows.map((r) => [r.measure, r.daysBehind, r.stale])).toEqual([
      ['ad_spend', 0, false],
      ['revenue', 1, false],
      ['sessions', 10, true],
      ['leads', 0, false],
    ]);
    expect(status.warnings).toEqual([
      'sessions from ga4 stopped arriving: last day with data 2026-11-20, 10 days behind.',
    ]);
    expect(status.rows[0]?.lastWrittenAt).toBe('2026-11-30T06:00:00.000Z');
  });

  it('is empty without data', () => {
    expect(buildStatus([], '2026-12-01')).toEqual({
      kind: 'status',
      today: '2026-12-01',
      rows: [],
      sources: [],
      warnings: [],
    });
  });
});

describe('buildStatus: how sources arrive', () => {
  // Today 2026-12-02 at 09:00. sql:google-ads: daily (learned), newest 11-29, so two days
  // behind the 11-30 a daily source without `by` should have: late. api: weekly by 10:00,
  // configured, newest 11-25: on time. A one-off import: irregular.
  const daily = Array.from({ length: 20 }, (_, i) => addDays('2026-11-29', -i));
  const arrivals = [
    { source: 'sql:google-ads', ...arrivalOf(daily, '2026-12-02', '09:00') },
    {
      source: 'api',
      ...arrivalOf(['2026-11-18', '2026-11-25'], '2026-12-02', '09:00', {
        cadence: 'weekly',
        by: '10:00',
      }),
    },
    { source: 'import', ...arrivalOf(['2026-06-01', '2026-06-02'], '2026-12-02', '09:00') },
  ];

  it('lists each source with its cadence, and warns about the late one', () => {
    const status = buildStatus([], '2026-12-02', [], arrivals);
    expect(
      status.arrivals?.map((a) => [a.source, a.cadence, a.learned, a.lastDay, a.late]),
    ).toEqual([
      ['google-ads', 'daily', true, '2026-11-29', true],
      ['api', 'weekly', false, '2026-11-25', false],
      ['import', null, true, '2026-06-02', false],
    ]);
    expect(status.warnings).toEqual([
      'Source google-ads is late: daily (learned): data up to 2026-11-30 expected, the newest is 2026-11-29.',
    ]);
  });

  it('shows them in the terminal and in Slack', () => {
    const row = { measure: 'ad_spend', source: 'sql:google-ads', lastDay: '2026-11-29' };
    const status = buildStatus([{ ...row, lastWrittenAt: written }], '2026-12-02', [], arrivals);
    const text = renderText(status);
    expect(text).toMatch(/google-ads\s+daily \(learned\)\s+2026-11-29\s+late/);
    expect(text).toMatch(/api\s+weekly by 10:00 \(configured\)\s+2026-11-25/);
    expect(text).toMatch(/import\s+irregular/);
    const slack = JSON.stringify(statusView(status, 'en').blocks);
    expect(slack).toContain('• `google-ads`: daily (learned), newest 2026-11-29 — *late*');
  });
});
