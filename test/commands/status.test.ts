// `/kpi status`: days behind and stale sources, computed by hand from the rows.
import { describe, expect, it } from 'vitest';
import { buildStatus } from '../../src/query/status.ts';

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
