// The pinned KPIs in force (pins.ts): the configuration's list or the default, with the changes
// made in Slack replayed over it; and the `summary:` key of kpibot.config.yml.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { buildCatalog } from '../../src/kpi/catalog.ts';
import type { PinChange } from '../../src/reports/pin-store.ts';
import {
  applyPinChanges,
  DEFAULT_PINS,
  MAX_PINS,
  pinsFromConfig,
  summaryConfigSchema,
} from '../../src/reports/pins.ts';
import { catalogFromConfig } from '../../src/services.ts';

function catalogWith(tierOverrides: Record<string, 'business' | 'context'> = {}) {
  const built = buildCatalog({ tierOverrides });
  if (!built.ok) throw new Error(built.errors.join('; '));
  return built.catalog;
}
const catalog = catalogWith();
const at = new Date('2026-11-20T09:00:00Z');
const change = (kpi: string, pinned: boolean): PinChange => ({ kpi, pinned, by: 'UADMIN', at });
const ids = (pins: Array<{ id: string }>) => pins.map((p) => p.id);

describe('pinsFromConfig', () => {
  it('without summary.kpis: the default, CAC, conversion rate, LTV/CAC, ROAS, revenue', () => {
    const { pins, errors } = pinsFromConfig(catalog, undefined);
    expect(errors).toEqual([]);
    expect(ids(pins)).toEqual(['cac', 'conversion_rate', 'ltv_cac', 'roas', 'revenue']);
    expect(pins.every((p) => p.source === 'default')).toBe(true);
  });

  it('a default KPI a team made a context metric is left out', () => {
    const { pins } = pinsFromConfig(catalogWith({ revenue: 'context' }), {});
    expect(ids(pins)).toEqual(DEFAULT_PINS.filter((id) => id !== 'revenue'));
  });

  it('names and aliases resolve to ids, duplicates once; bad entries are named', () => {
    const { pins, errors } = pinsFromConfig(catalog, {
      kpis: ['ROAS', 'average order value', 'roas', 'rosa', 'impressions'],
    });
    expect(ids(pins)).toEqual(['roas', 'aov']);
    expect(pins.every((p) => p.source === 'config')).toBe(true);
    expect(errors).toEqual([
      'summary.kpis[3]: unknown KPI "rosa" — did you mean roas?',
      'summary.kpis[4]: impressions is a context metric, not a business KPI',
    ]);
  });

  it('an empty list pins nothing (the message shows only the goals)', () => {
    expect(pinsFromConfig(catalog, { kpis: [] }).pins).toEqual([]);
  });
});

describe('applyPinChanges: Slack over the configuration', () => {
  const base = pinsFromConfig(catalog, undefined).pins;

  it('an unpin removes a configured pin; a pin is added at the end, with who and when', () => {
    const pins = applyPinChanges(catalog, base, [change('ltv_cac', false), change('aov', true)]);
    expect(ids(pins)).toEqual(['cac', 'conversion_rate', 'roas', 'revenue', 'aov']);
    expect(pins.at(-1)).toEqual({ id: 'aov', source: 'slack', by: 'UADMIN', at });
  });

  it('pinning a configured KPI again keeps its place', () => {
    expect(ids(applyPinChanges(catalog, base, [change('cac', true)]))).toEqual(ids(base));
  });

  it('a stored pin of a KPI that is gone or now a context metric is skipped', () => {
    const pins = applyPinChanges(catalogWith({ aov: 'context' }), base, [
      change('aov', true),
      change('no_such_kpi', true),
    ]);
    expect(ids(pins)).toEqual(ids(base));
  });

  it(`never more than ${MAX_PINS}`, () => {
    const extra = ['aov', 'cpa', 'cpl', 'orders', 'leads'].map((id) => change(id, true));
    const pins = applyPinChanges(catalog, base, extra);
    expect(ids(pins)).toEqual([...ids(base), 'aov', 'cpa', 'cpl']);
  });
});

describe('summary: in kpibot.config.yml', () => {
  it('at most 8 KPIs; floors only on measures', () => {
    expect(summaryConfigSchema.parse(undefined)).toEqual({});
    const nine = summaryConfigSchema.safeParse({ kpis: Array(9).fill('roas') });
    expect(nine.success).toBe(false);
    const floors = summaryConfigSchema.safeParse({ minVolume: { ad_spnd: 100 } });
    expect(floors.success).toBe(false);
    expect(summaryConfigSchema.parse({ minVolume: { ad_spend: 100 } })).toEqual({
      minVolume: { ad_spend: 100 },
    });
  });
});

describe('start-up', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kpibot-pins-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const configWith = (yaml: string) => {
    writeFileSync(join(dir, 'kpibot.config.yml'), yaml);
    return loadConfig({}, dir);
  };

  it('a pin the catalog cannot make stops start-up, naming the entry', () => {
    const config = configWith('summary:\n  kpis: [roas, rosa]\n');
    expect(config.summary).toEqual({ kpis: ['roas', 'rosa'] });
    expect(() => catalogFromConfig(config)).toThrow(
      'summary.kpis[1]: unknown KPI "rosa" — did you mean roas?',
    );
  });

  it('nine pins are refused when the file is read, naming the key', () => {
    expect(() => configWith(`summary:\n  kpis: [${Array(9).fill('roas').join(', ')}]\n`)).toThrow(
      /summary\.kpis: at most 8 KPIs/,
    );
  });
});
