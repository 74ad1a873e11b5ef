// README.md's configuration example is loaded as users would load it: documentation that
// drifts from the schema fails here.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { readQuestion } from '../src/query/reader.ts';
import { catalogFromConfig } from '../src/services.ts';

const dir = mkdtempSync(join(tmpdir(), 'kpibot-readme-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function readmeConfig(): string {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const block = /```yaml\n(# kpibot\.config\.yml[\s\S]*?)```/.exec(readme);
  if (!block?.[1]) throw new Error('README.md has no kpibot.config.yml example');
  return block[1];
}

describe('README.md', () => {
  it('its kpibot.config.yml example is valid configuration, custom KPIs and goals included', () => {
    writeFileSync(join(dir, 'kpibot.config.yml'), readmeConfig());
    const config = loadConfig({}, dir);
    expect(config.customKpis.map((k) => k.id)).toEqual(['profit_after_ads']);
    expect(config.tiers).toEqual({ ctr: 'business' });
    expect(config.goals.map((g) => g.kpi)).toEqual(['revenue']);
    expect(config.alerts.map((a) => a.id)).toEqual(['roas-paid', 'default-roas-floor']);
    const catalog = catalogFromConfig(config);
    expect(catalog.tierOf('ctr')).toBe('business');
    expect(catalog.get('profit_after_ads')?.formula).toBe('(gross_profit - ad_spend) / ad_spend');
  });
});

describe('README.md "Asking"', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const section = /### Asking\n[\s\S]*?```\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  const examples = section
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('→').map((part) => part.trim()) as [string, string]);

  it.each(examples)('%s reads as %s', (typed, command) => {
    const read = readQuestion(typed, {
      catalog: catalogFromConfig(loadConfig({}, dir)),
      // December 2026, the demo's channels and campaigns.
      periodContext: {
        now: new Date('2026-12-03T09:00:00+01:00'),
        timeZone: 'Europe/Stockholm',
        weekStartsOn: 1,
      },
      known: {
        channel: ['direct', 'email', 'google-ads', 'meta', 'organic'],
        campaign: ['brand', 'generic', 'newsletter', 'prospecting', 'retarget', 'shopping'],
      },
    });
    expect(read).toMatchObject({ kind: 'reading', command, corrections: [] });
  });

  it('has examples', () => expect(examples.length).toBeGreaterThanOrEqual(8));
});
