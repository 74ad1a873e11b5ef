import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/query/grammar.ts';

describe('parseCommand', () => {
  it.each([
    // the catalog
    ['list', { kind: 'list' }],
    // explain keeps the KPI words for lookup
    ['explain ltv/cac', { kind: 'explain', kpiWords: 'ltv/cac' }],
    ['förklara konverteringsgrad', { kind: 'explain', kpiWords: 'konverteringsgrad' }],
  ])('%j', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it('parses a full question', () => {
    expect(parseCommand('roas last-week vs previous by channel')).toEqual({
      kind: 'query',
      kpiWords: ['roas'],
      period: 'last-week',
      compare: { kind: 'previous' },
      groupBy: 'channel',
      filters: {},
    });
  });

  it('accepts several KPIs with or without spaces after commas', () => {
    const parsed = parseCommand('cac, conversion_rate,ltv_cac  last-month');
    expect(parsed).toMatchObject({
      kpiWords: ['cac', 'conversion_rate', 'ltv_cac'],
      period: 'last-month',
    });
  });

  it('joins a spaced period into one phrase', () => {
    expect(parseCommand('roas last 7 days')).toMatchObject({
      kpiWords: ['roas'],
      period: 'last-7-days',
    });
  });

  it('leaves the period out when none is given', () => {
    const parsed = parseCommand('roas');
    expect(parsed).toMatchObject({ kind: 'query', kpiWords: ['roas'] });
    expect(parsed).not.toHaveProperty('period', expect.anything());
  });

  it.each([
    // comparison keywords and their targets
    ['roas mtd vs last-year', { kind: 'last-year' }],
    ['roas mtd vs last year', { kind: 'last-year' }],
    ['roas mtd mot föregående', { kind: 'previous' }],
    ['roas mtd jämfört med förra året', { kind: 'last-year' }],
    ['roas 2026-11 vs 2026-10', { kind: 'period', phrase: '2026-10' }],
  ])('comparison in %j', (text, compare) => {
    expect(parseCommand(text)).toMatchObject({ kind: 'query', compare });
  });

  it('reads filters, several values and Swedish dimension names', () => {
    expect(
      parseCommand('ctr last-week channel=meta,google-ads kampanj = brand per kanal'),
    ).toMatchObject({
      kpiWords: ['ctr'],
      period: 'last-week',
      groupBy: 'channel',
      filters: { channel: ['meta', 'google-ads'], campaign: ['brand'] },
    });
  });

  it.each([
    // an unknown filter key names itself
    ['roas country=se', /Unknown filter `country`/],
    // a filter without a value
    ['roas channel=', /needs a value/],
    // by without a dimension
    ['roas last-week by', /needs `channel` or `campaign`/],
    ['roas last-week by country', /needs `channel` or `campaign`/],
    // vs without a target
    ['roas last-week vs', /needs something to compare with/],
    // explain without a KPI
    ['explain', /Which KPI/],
  ])('%j is a syntax error', (text, message) => {
    const parsed = parseCommand(text);
    expect(parsed.kind).toBe('syntax-error');
    expect(parsed.kind === 'syntax-error' && parsed.message).toMatch(message);
  });
});
