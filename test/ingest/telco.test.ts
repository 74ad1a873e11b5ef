// Real data: IBM's Telco Customer Churn sample (7,043 customers) through the built-in
// `telco-churn` mapping, then churn rate and ARPU from the store's aggregates, checked against an
// independent reduce over the raw file and against the published figure (1,869 / 7,043).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCsv } from '../../src/ingest/import.ts';
import type { Db } from '../../src/store/db.ts';
import { aggregateMeasures } from '../../src/store/facts.ts';
import { createTestDb } from '../helpers/test-db.ts';
import { snapshot } from './helpers.ts';

const FILE = 'telco-customer-churn.csv';
/** ../shared/datasets beside the repository when present, else the copy in test/fixtures. */
const shared = fileURLToPath(new URL(`../../../shared/datasets/${FILE}`, import.meta.url));
const copy = fileURLToPath(new URL(`../fixtures/datasets/${FILE}`, import.meta.url));
const DATASET = existsSync(shared) ? shared : copy;

const MONTH = { start: '2026-10-01', end: '2026-10-31' };

/** The raw file read with a plain split (it has no quoted cells), not with the importer. */
function rawCustomers(): Array<Record<string, string>> {
  const text = readFileSync(DATASET, 'utf8').replace(/^\uFEFF/, '');
  const [header, ...lines] = text.split(/\r?\n/).filter((l) => l !== '');
  const cols = header!.split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(cols.map((c, i) => [c, cells[i] ?? '']));
  });
}

let db: Db;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => {
  await db.close();
});

describe('telco customer churn through the telco-churn mapping', () => {
  it('the fixture copy is the shared data set', () => {
    if (existsSync(shared)) expect(readFileSync(copy).equals(readFileSync(shared))).toBe(true);
  });

  it('imports one month of facts per contract type', async () => {
    const report = await importCsv(
      db,
      { path: DATASET },
      { mapping: 'telco-churn', date: MONTH.start },
    );
    expect(report).toMatchObject({
      ok: true,
      format: 'records',
      rowsRead: 7043,
      factsWritten: 12,
      measures: ['active_customers', 'active_users', 'churned_customers', 'revenue'],
      dateRange: { start: MONTH.start, end: MONTH.start },
    });
    const campaigns = [...new Set((await snapshot(db)).map((f) => f.campaign))];
    expect(campaigns).toEqual(['Month-to-month', 'One year', 'Two year']);
  });

  it('churn rate = churned / opening active customers = 1869 / 7043 (26.54 %), as a raw reduce says', async () => {
    const raw = rawCustomers();
    const rawChurned = raw.reduce((n, c) => n + (c.Churn === 'Yes' ? 1 : 0), 0);
    expect(raw).toHaveLength(7043);
    expect(rawChurned).toBe(1869);

    const rows = await aggregateMeasures(db, {
      measures: ['churned_customers', 'active_customers'],
      periods: [MONTH],
    });
    const agg = new Map(rows.map((r) => [r.measure, r.agg]));
    const churnRate = agg.get('churned_customers')!.sum / agg.get('active_customers')!.opening;
    expect(churnRate).toBe(rawChurned / raw.length);
    expect(churnRate).toBe(1869 / 7043);
    expect(Math.round(churnRate * 10000) / 100).toBe(26.54);
  });

  it('ARPU = revenue / opening active users = mean MonthlyCharges, as a raw reduce says', async () => {
    const raw = rawCustomers();
    const rawArpu = raw.reduce((s, c) => s + Number(c.MonthlyCharges), 0) / raw.length;
    const rows = await aggregateMeasures(db, {
      measures: ['revenue', 'active_users'],
      periods: [MONTH],
    });
    const agg = new Map(rows.map((r) => [r.measure, r.agg]));
    const arpu = agg.get('revenue')!.sum / agg.get('active_users')!.opening;
    expect(arpu).toBeCloseTo(rawArpu, 9);
    expect(arpu).toBeCloseTo(64.7617, 4);
  });

  it('churn rate by contract (campaign) matches the raw file group by group', async () => {
    const raw = rawCustomers();
    const rows = await aggregateMeasures(db, {
      measures: ['churned_customers', 'active_customers'],
      periods: [MONTH],
      groupBy: 'campaign',
    });
    const byContract = new Map<string, { churned: number; opening: number }>();
    for (const r of rows) {
      const g = byContract.get(r.group!) ?? { churned: 0, opening: 0 };
      if (r.measure === 'churned_customers') g.churned = r.agg.sum;
      else g.opening = r.agg.opening;
      byContract.set(r.group!, g);
    }
    for (const contract of ['Month-to-month', 'One year', 'Two year']) {
      const customers = raw.filter((c) => c.Contract === contract);
      const churned = customers.filter((c) => c.Churn === 'Yes').length;
      const g = byContract.get(contract)!;
      expect(g.churned / g.opening).toBe(churned / customers.length);
    }
  });

  it('re-importing the month replaces it: the same facts, not twice the customers', async () => {
    const before = await snapshot(db);
    await importCsv(db, { path: DATASET }, { mapping: 'telco-churn', date: MONTH.start });
    expect(await snapshot(db)).toEqual(before);
  });
});
