// How sources arrive, as configured: `sources.<name>.cadence/by` beside a SQL source and
// `arrivals:` for import sources, one map by facts.source; bad values named by their key.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';

function load(yaml: string) {
  const dir = mkdtempSync(join(tmpdir(), 'kpibot-arrival-'));
  writeFileSync(join(dir, 'kpibot.config.yml'), yaml);
  return loadConfig({ WAREHOUSE_URL: 'postgres://x@localhost/w' }, dir);
}

const SQL_SOURCE = `
sources:
  google-ads:
    urlEnv: WAREHOUSE_URL
    query: "select date, measure, value from ads where date between :from and :to"
    cadence: daily
    by: "9:30"
arrivals:
  api: { cadence: weekly }
  shop-export: { cadence: daily, by: "06:00" }
`;

describe('arrival configuration', () => {
  it('reads both places into one map by facts.source', () => {
    expect(load(SQL_SOURCE).arrivals).toEqual({
      'sql:google-ads': { cadence: 'daily', by: '09:30' },
      api: { cadence: 'weekly' },
      'shop-export': { cadence: 'daily', by: '06:00' },
    });
  });

  it.each([
    ['arrivals: { api: { cadence: hourly } }', /arrivals\.api\.cadence: must be daily or weekly/],
    [
      'arrivals: { api: { cadence: daily, by: "25:00" } }',
      /arrivals\.api\.by: must be a local time/,
    ],
    ['arrivals: { api: { cadence: daily, at: "10:00" } }', /arrivals\.api/],
    [SQL_SOURCE.replace('    cadence: daily\n', ''), /sources\.google-ads\.by: needs cadence/],
  ])('rejects %j, naming the key', (yaml, message) => {
    expect(() => load(yaml)).toThrow(message);
  });
});
