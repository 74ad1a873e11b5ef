// `kpibot ask … --chart FILE` on the demo data, run as a user runs it: a valid PNG of the
// documented size, alt text inside it whose numbers are those `kpibot ask --json` gives, and a
// chart that cannot be written costs nothing but a log line (the answer printed, exit 0).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { thresholdOf } from '../../src/charts/context.ts';
import { PNG_SIGNATURE, pngSize, readText } from '../../src/charts/png.ts';
import { buildCatalog } from '../../src/kpi/catalog.ts';
import { createFormatter } from '../../src/kpi/format.ts';

const run = promisify(execFile);
const NOW = '2026-11-23T08:00:00+01:00'; // a Monday morning in Stockholm
const format = createFormatter({ locale: 'sv-SE', currency: 'SEK' });
let dataDir: string;

function kpibot(...args: string[]) {
  return run('node', ['bin/kpibot.js', ...args], {
    env: {
      ...process.env,
      KPIBOT_DATA_DIR: join(dataDir, 'store'),
      KPIBOT_NOW: NOW,
      KPIBOT_TIMEZONE: 'Europe/Stockholm',
      KPIBOT_LOCALE: 'sv-SE',
      KPIBOT_CURRENCY: 'SEK',
    },
  });
}

interface AskJson {
  value: number | null;
  comparison?: { value: number | null; change: number | null; changePct: number | null };
  groups?: Array<{ channel: string; value: number | null }>;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'kpibot-chart-'));
  const { stdout } = await kpibot('demo');
  expect(stdout).toMatch(/Loaded [\d,]+ demo facts/);
}, 60_000); // two years of demo facts: more than the default hook limit on a busy machine

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('kpibot ask --chart', () => {
  it('the alt text in the PNG has the numbers --json gives for the same question', async () => {
    const question = 'roas last-week vs previous by channel';
    const json = JSON.parse((await kpibot('ask', question, '--json')).stdout) as AskJson;
    const file = join(dataDir, 'roas-by-channel.png');
    const { stdout } = await kpibot('ask', question, '--chart', file);
    const alt = readText(readFileSync(file), 'Description');
    expect(alt).toBeDefined();

    const c = json.comparison!;
    // Next to the 3× floor (below) a value has the decimals that tell the two apart.
    expect(alt).toContain(`: ${format.value(json.value, 'multiple', 3)}.`);
    expect(alt).toContain(
      `${format.value(c.value, 'multiple')}, förändring ${format.change(c.change, 'multiple', json.value)} (${format.pct(c.changePct)})`,
    );
    // The floor is the catalog's (the JSON contract has no threshold): ROAS ≥ 3× for e-commerce.
    const built = buildCatalog();
    if (!built.ok) throw new Error(built.errors.join('; '));
    const floor = thresholdOf(built.catalog.get('roas'), 'ecommerce');
    expect(floor?.value).toBe(3);
    expect(alt).toContain(`Lägstanivå ${format.value(floor!.value, 'multiple')}`); // sv-SE
    for (const g of json.groups!)
      expect(alt).toContain(`${g.channel} ${format.value(g.value, 'multiple', floor!.value)}`);
    expect(json.groups!.some((g) => g.value === null)).toBe(true); // the no-data case is covered
    // The text beside the chart is the same answer.
    expect(stdout).toContain(format.value(json.value, 'multiple'));
  });

  it('writes a valid PNG, twice the chart size (1440 × 720 for a trend)', async () => {
    const file = join(dataDir, 'roas.png');
    const { stdout, stderr } = await kpibot('ask', 'roas last-week', '--chart', file);
    expect(stdout).toMatch(/roas/);
    expect(stderr).toBe('');
    const png = readFileSync(file);
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(png.toString('latin1', 12, 16)).toBe('IHDR');
    expect(pngSize(png)).toEqual({ width: 1440, height: 720 });
  });

  it('a chart that cannot be written is logged; the answer is printed and the exit code is 0', async () => {
    const file = join(dataDir, 'no-such-folder', 'roas.png');
    // execFile rejects on a non-zero exit code: resolving is the exit code 0.
    const { stdout, stderr } = await kpibot('ask', 'roas last-week', '--chart', file);
    expect(stdout).toMatch(/Avkastning på annonskostnad \(roas\)/);
    expect(stderr).toContain(`chart not written (${file})`);
    const logged = stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { level: number; msg: string; chart?: string });
    expect(logged).toContainEqual(
      expect.objectContaining({ msg: expect.stringMatching(/^chart not written/), chart: file }),
    );
  });

  it('--chart without a file name is a usage error', async () => {
    await expect(kpibot('ask', 'roas last-week', '--chart', ' ')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--chart needs a file name'),
    });
  });
});
