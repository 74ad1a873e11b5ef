import { describe, expect, it } from 'vitest';
import { parseRuleText } from '../../src/alerts/rule-text.ts';
import { parseDuration, parseSchedule, validateCron } from '../../src/scheduler/schedule-text.ts';

const defaults = {
  filters: {},
  schedule: '0 9 * * *',
  for: 1,
  repeatIntervalMinutes: 1440,
  window: 'last-7-days',
};

describe('parseRuleText: accepted rules', () => {
  it.each<[string, Record<string, unknown>]>([
    // the example: group by channel, post to a channel by name
    [
      'roas < 3x over last-7-days by channel in #marketing',
      {
        kpiWord: 'roas',
        comparator: '<',
        thresholdText: '3x',
        window: 'last-7-days',
        groupBy: 'channel',
        channel: '#marketing',
        channelName: 'marketing',
      },
    ],
    // the breakdown words of questions work in rules too (one table: src/kpi/dimension-words.ts)
    ['roas < 3x efter kampanj', { kpiWord: 'roas', groupBy: 'campaign' }],
    ['roas < 3x per kanal', { kpiWord: 'roas', groupBy: 'channel' }],
    // for, repeat and hysteresis
    [
      'churn_rate > 5% over last-month in #alerts for 2 repeat 12h hysteresis 0.5%',
      {
        kpiWord: 'churn_rate',
        comparator: '>',
        thresholdText: '5%',
        window: 'last-month',
        channel: '#alerts',
        for: 2,
        repeatIntervalMinutes: 720,
        hysteresisText: '0.5%',
      },
    ],
    // a Slack-escaped channel mention keeps the id; a filter; a two-word threshold
    [
      'cac >= 800 kr over mtd channel=meta in <#C123|marketing>',
      {
        kpiWord: 'cac',
        comparator: '>=',
        thresholdText: '800 kr',
        window: 'mtd',
        filters: { channel: ['meta'] },
        channel: 'C123',
        channelName: 'marketing',
      },
    ],
    // a mention without a name; Slack's &gt; escape; Swedish grouped number; spaced filter list
    [
      'cac &gt;= 1 234,50 kr over mtd channel = meta, google-ads in <#C123ABC>',
      {
        comparator: '>=',
        thresholdText: '1 234,50 kr',
        window: 'mtd',
        filters: { channel: ['meta', 'google-ads'] },
        channel: 'C123ABC',
      },
    ],
    // Slack sometimes sends an empty name after the pipe
    ['roas < 3x in <#C0ABCDEF|>', { channel: 'C0ABCDEF' }],
    // &lt; as Slack sends a typed <
    ['roas &lt; 3x', { comparator: '<', thresholdText: '3x' }],
    // a cron schedule in quotes
    [
      'ltv_cac < 3 over last-month every "0 8 * * 1"',
      { kpiWord: 'ltv_cac', thresholdText: '3', window: 'last-month', schedule: '0 8 * * 1' },
    ],
    // smart quotes, as Slack on macOS types them
    ['ltv_cac < 3 every “0 8 * * 1”', { schedule: '0 8 * * 1' }],
    // an unquoted cron after every
    ['ltv_cac < 3 every 0 8 * * 1', { schedule: '0 8 * * 1' }],
    // `schedule` / `cron` keywords
    ['roas < 3x schedule "*/30 * * * *"', { schedule: '*/30 * * * *' }],
    // friendly schedules
    ['roas < 3x daily 07:30', { schedule: '30 7 * * *' }],
    ['roas < 3x daily', { schedule: '0 9 * * *' }],
    ['roas < 3x hourly', { schedule: '0 * * * *' }],
    ['roas < 3x weekly monday 08:00', { schedule: '0 8 * * 1' }],
    ['roas < 3x weekly', { schedule: '0 9 * * 1' }],
    ['roas < 3x weekly friday at 4pm in #x', { schedule: '0 16 * * 5', channel: '#x' }],
    ['roas < 3x every weekday at 8:15', { schedule: '15 8 * * 1-5' }],
    ['roas < 3x every day at 9', { schedule: '0 9 * * *' }],
    ['roas < 3x every 15 minutes', { schedule: '*/15 * * * *' }],
    ['roas < 3x at 06:00', { schedule: '0 6 * * *' }],
    // glued comparator
    ['roas<3x', { kpiWord: 'roas', comparator: '<', thresholdText: '3x' }],
    ['roas<=3x', { comparator: '<=' }],
    ['roas ≥ 3x', { comparator: '>=' }],
    // comparator words; filler before them is dropped
    ['roas drops below 3x', { kpiWord: 'roas', comparator: '<' }],
    ['churn_rate is above 5%', { kpiWord: 'churn_rate', comparator: '>' }],
    // a period straight after the threshold, spaced, joined with hyphens
    ['roas < 3x last 7 days', { window: 'last-7-days' }],
    // `over the last 7 days`
    ['roas < 3x over the last 7 days', { window: 'last-7-days' }],
    // a default window from the caller's configuration
    ['roas < 3x', { window: 'last-7-days' }],
    // for with noise words, repeat every
    ['roas < 3x for 3 checks in a row repeat every 1d', { for: 3, repeatIntervalMinutes: 1440 }],
    ['roas < 3x repeat 90 min', { repeatIntervalMinutes: 90 }],
    // hysteresis with a multiple
    ['roas < 3x hysteresis 0.2x', { hysteresisText: '0.2x' }],
    // one alert per group instead of one for the rule, in English and Swedish
    ['roas < 3x by campaign notify per-group', { groupBy: 'campaign', notify: 'per-group' }],
    ['roas < 3 per kanal meddela per-grupp', { groupBy: 'channel', notify: 'per-group' }],
    [
      'roas < 3x by channel notify grouped daily 08:00',
      { notify: 'grouped', schedule: '0 8 * * *' },
    ],
    // campaign grouping in Swedish, filters merged
    [
      'roas < 3 per kampanj kanal=meta channel=google-ads campaign=black-friday',
      {
        groupBy: 'campaign',
        filters: { channel: ['meta', 'google-ads'], campaign: ['black-friday'] },
      },
    ],
    // a multi-word KPI is joined with hyphens for lookup
    ['ltv cac < 3', { kpiWord: 'ltv-cac' }],
    // a channel id written bare
    ['roas < 3x in C0123ABCD', { channel: 'C0123ABCD' }],
  ])('%s', (text, expected) => {
    const result = parseRuleText(text);
    expect(result).toEqual({
      ok: true,
      draft: expect.objectContaining({ ...defaults, ...expected }),
    });
  });

  it('takes the default window from the caller', () => {
    const result = parseRuleText('roas < 3x', { defaultWindow: 'last-week' });
    expect(result).toMatchObject({ ok: true, draft: { window: 'last-week' } });
  });

  it('fills every default and nothing else', () => {
    expect(parseRuleText('roas < 3x')).toEqual({
      ok: true,
      draft: {
        kpiWord: 'roas',
        comparator: '<',
        thresholdText: '3x',
        window: 'last-7-days',
        filters: {},
        schedule: '0 9 * * *',
        for: 1,
        repeatIntervalMinutes: 1440,
      },
    });
  });
});

describe('parseRuleText: errors say what was not understood', () => {
  it.each<[string, RegExp]>([
    // empty
    ['', /rule is empty/],
    // no comparator
    ['roas 3x', /no comparison in `roas 3x`/],
    // no KPI
    ['< 3x', /Which KPI\?/],
    // notify needs how
    ['roas < 3x by channel notify', /`notify` needs `per-group`/],
    ['roas < 3x notify per-group notify grouped', /how to notify twice/],
    // no threshold
    ['roas < fast', /After `<` I expected a threshold such as 3x, 5% or 800 kr, but got `fast`/],
    ['roas <', /but got nothing/],
    // for counts checks, not time
    ['roas < 3x for 2 days', /`for` counts checks, not time/],
    ['roas < 3x for ever', /`for` counts breaching checks/],
    // a person is not a channel
    ['roas < 3x in <@U123>', /is a person, not a channel/],
    // a channel name without #: did you mean
    ['roas < 3x in marketing', /did you mean `in #marketing`\?/],
    // a channel id that is not a channel
    ['roas < 3x in <#U123|x>', /not a channel I can post to/],
    // two channels
    ['roas < 3x in #a in #b', /two Slack channels/],
    // unknown grouping
    ['roas < 3x by region', /`by` needs `channel` or `campaign`/],
    // two groupings
    ['roas < 3x by channel by campaign', /split by one dimension/],
    // unknown filter, empty filter
    ['roas < 3x region=eu', /Unknown filter `region`/],
    ['roas < 3x channel=', /needs a value/],
    // bad cron
    ['roas < 3x every "61 8 * * *"', /minute field `61` is not valid \(0–59\)/],
    ['roas < 3x every "0 8 * *"', /needs 5 fields/],
    // unclosed quote
    ['roas < 3x every "0 8 * * 1', /quote .* is never closed/],
    // bad times and durations
    ['roas < 3x daily 25:00', /`25:00` is not a time of day/],
    ['roas < 3x repeat soon', /`soon` is not a duration: write e\.g\. 12h/],
    ['roas < 3x repeat', /needs an interval/],
    ['roas < 3x hysteresis', /needs a margin/],
    // a stray word before `over`
    ['roas < 3x banana over mtd', /did not understand `banana`/],
    // repeated clauses
    ['roas < 3x over mtd over ytd', /period twice/],
    ['roas < 3x daily hourly', /schedule twice/],
    // two comparisons
    ['roas < 3x > 1x', /two comparisons/],
    // stray quotes
    ['roas < 3x over mtd "hello"', /Quotes are for cron schedules/],
    // `over` with nothing after it
    ['roas < 3x over', /needs a period/],
  ])('%s', (text, error) => {
    const result = parseRuleText(text);
    expect(result).toMatchObject({ ok: false, error: expect.stringMatching(error) });
    if (!result.ok) expect(result.hint).toMatch(/roas < 3x/);
  });
});

describe('parseSchedule', () => {
  it.each<[string, string | null]>([
    ['0 9 * * *', '0 9 * * *'],
    ['  0   9 * * 1-5 ', '0 9 * * 1-5'],
    ['0 0 9 * * *', '0 0 9 * * *'],
    ['0 9 1 jan,jul *', '0 9 1 jan,jul *'],
    ['0 9 * * mon-fri', '0 9 * * mon-fri'],
    ['daily 09:00', '0 9 * * *'],
    ['dagligen kl 07.30', '30 7 * * *'],
    ['every måndag 08:00', '0 8 * * 1'],
    ['weekly sunday 12am', '0 0 * * 0'],
    ['monthly', '0 9 1 * *'],
    ['every 2 hours', '0 */2 * * *'],
    ['every 60 minutes', null],
    ['weekly someday', null],
    ['0 24 * * *', null],
    ['0 9 * * 8', null],
    ['*-5 9 * * *', null],
    ['0 9 5-1 * *', null],
    ['0 9 * * */0', null],
    ['sometimes', null],
  ])('%s', (text, cron) => {
    const parsed = parseSchedule(text);
    expect(parsed.ok ? parsed.cron : null).toBe(cron);
  });

  it('names the field in cron errors', () => {
    expect(validateCron('0 9 * 13 *')).toEqual({
      ok: false,
      error: '`0 9 * 13 *`: the month field `13` is not valid (1–12)',
    });
  });
});

describe('parseDuration', () => {
  it.each<[string, number | null]>([
    ['12h', 720],
    ['12 hours', 720],
    ['1d', 1440],
    ['1 day', 1440],
    ['90m', 90],
    ['1w', 10080],
    ['1,5h', 90],
    ['2 timmar', 120],
    ['0m', null],
    ['soon', null],
    ['12', null],
  ])('%s', (text, minutes) => {
    const parsed = parseDuration(text);
    expect(parsed.ok ? parsed.minutes : null).toBe(minutes);
  });
});
