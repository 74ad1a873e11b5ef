// `sources:` in kpibot.config.yml: what a source becomes, and the errors that name the key.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, configSecrets, loadConfig, requireSourceUrls } from '../../src/config.ts';

const URL_WITH_PASSWORD = 'postgres://kpibot:p%40ss-w0rd-long@warehouse.internal:5432/marketing';

function load(yaml: string, env: NodeJS.ProcessEnv = { WAREHOUSE_URL: URL_WITH_PASSWORD }) {
  const dir = mkdtempSync(join(tmpdir(), 'kpibot-sources-config-'));
  writeFileSync(join(dir, 'kpibot.config.yml'), yaml);
  return loadConfig(env, dir);
}

function errorOf(yaml: string, env?: NodeJS.ProcessEnv): string {
  try {
    load(yaml, env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

const TABLE = `
sources:
  google_ads:
    urlEnv: WAREHOUSE_URL
    table: google_ads.campaign_stats
    dateColumn: date
    measures:
      cost_micros: { measure: ad_spend, divideBy: 1000000 }
      clicks: clicks
    channel: google-ads
    campaignColumn: campaign_name
`;

describe('sources: in the configuration', () => {
  it('is empty without sources', () => {
    expect(load('timezone: UTC\n', {}).sources).toEqual([]);
  });

  it('reads a table source with its defaults and the URL from the environment', () => {
    const config = load(TABLE);
    expect(config.sources).toEqual([
      {
        name: 'google_ads',
        kind: 'table',
        url: URL_WITH_PASSWORD,
        urlEnv: 'WAREHOUSE_URL',
        schedule: '15 * * * *',
        windowDays: 7,
        backfillDays: 90,
        timeoutSeconds: 60,
        table: 'google_ads.campaign_stats',
        dateColumn: 'date',
        measures: [
          { column: 'cost_micros', measure: 'ad_spend', divideBy: 1_000_000 },
          { column: 'clicks', measure: 'clicks' },
        ],
        channel: { value: 'google-ads' },
        campaign: { column: 'campaign_name' },
      },
    ]);
    // The password (percent-decoded) is among the secrets every logger scrubs.
    expect(configSecrets(config)).toContain('p@ss-w0rd-long');
  });

  it('reads a query source', () => {
    const config = load(`
sources:
  ga4:
    urlEnv: WAREHOUSE_URL
    windowDays: 3
    backfillDays: 30
    timeoutSeconds: 10
    schedule: "0 6 * * *"
    query: select date, 'sessions' as measure, sessions as value from ga4.daily where date between :from and :to
`);
    expect(config.sources[0]).toMatchObject({
      name: 'ga4',
      kind: 'query',
      windowDays: 3,
      backfillDays: 30,
      timeoutSeconds: 10,
      schedule: '0 6 * * *',
    });
  });

  it('names the key of each mistake', () => {
    // Each case: the YAML of one source, and what the error must say.
    const cases: Array<[string, string]> = [
      // neither query nor table
      [
        'sources:\n  x:\n    urlEnv: WAREHOUSE_URL\n',
        'sources.x.query: a source needs a query, or a table with dateColumn and measures',
      ],
      // a query that ignores the window
      [
        'sources:\n  x:\n    urlEnv: WAREHOUSE_URL\n    query: select * from t where d >= :from\n',
        'sources.x.query: must use :to',
      ],
      // a table without its date column
      [
        'sources:\n  x:\n    urlEnv: WAREHOUSE_URL\n    table: t\n    measures: { c: clicks }\n',
        'sources.x.dateColumn: a table source needs dateColumn',
      ],
      // a measure kpibot does not know
      [
        'sources:\n  x:\n    urlEnv: WAREHOUSE_URL\n    table: t\n    dateColumn: d\n    measures: { c: click }\n',
        'sources.x.measures.c: unknown measure "click" (did you mean "clicks"?)',
      ],
      // a constant and a column for the same dimension
      [
        'sources:\n  x:\n    urlEnv: WAREHOUSE_URL\n    table: t\n    dateColumn: d\n    measures: { c: clicks }\n    channel: a\n    channelColumn: b\n',
        'sources.x.channelColumn: use either channel (one value for every row) or channelColumn',
      ],
      // table settings on a query source
      [
        'sources:\n  x:\n    urlEnv: WAREHOUSE_URL\n    query: select :from, :to\n    table: t\n',
        'sources.x.table: belongs to a table source: use either query or table',
      ],
      // a URL in the file instead of a variable's name
      [
        'sources:\n  x:\n    urlEnv: postgres://u:p@h/db\n    query: select :from, :to\n',
        'sources.x.urlEnv: must be the name of an environment variable',
      ],
      // a history shorter than the window
      [
        'sources:\n  x:\n    urlEnv: WAREHOUSE_URL\n    windowDays: 14\n    backfillDays: 7\n    query: select :from, :to\n',
        'sources.x.backfillDays: must be at least windowDays (14)',
      ],
      // a cron that is not one
      [
        'sources:\n  x:\n    urlEnv: WAREHOUSE_URL\n    schedule: hourly-ish\n    query: select :from, :to\n',
        'sources.x.schedule: `hourly-ish` is not a cron expression',
      ],
      // a table name that would need quoting or is an expression
      [
        'sources:\n  x:\n    urlEnv: WAREHOUSE_URL\n    table: "t; drop table facts"\n    dateColumn: d\n    measures: { c: clicks }\n',
        'sources.x.table: must be a table name, or schema.table',
      ],
      // a source name with capitals
      [
        'sources:\n  Google:\n    urlEnv: WAREHOUSE_URL\n    query: select :from, :to\n',
        'sources.Google: a source name is lowercase letters',
      ],
    ];
    for (const [yaml, message] of cases) expect(errorOf(yaml)).toContain(message);
  });

  it('needs the variable only where the sources are read: the bot at start, kpibot sync', () => {
    // `kpibot ask` or `import` load the same file without the warehouse's credentials.
    const config = load(TABLE, {});
    expect(config.sources[0]?.url).toBeUndefined();
    expect(configSecrets(config)).toEqual([]);
    let message = '';
    try {
      requireSourceUrls(config);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      message = (err as Error).message;
    }
    expect(message).toMatch(/^Invalid configuration in .*kpibot\.config\.yml:\n/);
    expect(message).toContain(
      '  - sources.google_ads.urlEnv: the environment variable WAREHOUSE_URL is not set',
    );
    expect(requireSourceUrls(load(TABLE))[0]?.url).toBe(URL_WITH_PASSWORD);
  });

  it('refuses a variable that holds no postgres:// URL, without repeating its value', () => {
    const message = errorOf(TABLE, { WAREHOUSE_URL: 'mysql://u:hunter2-long@h/db' });
    expect(message).toContain(
      'sources.google_ads.urlEnv: WAREHOUSE_URL must hold a postgres:// URL',
    );
    expect(message).not.toContain('hunter2');
  });
});
