// writeAnswerChart, the --chart step alone: what it writes, and each way it can fail told on
// stderr and logged (pino, warn) while the caller's answer stands.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { pngSize, readText } from '../../src/charts/png.ts';
import { type ChartDeps, writeAnswerChart } from '../../src/cli/chart.ts';
import { buildCatalog } from '../../src/kpi/catalog.ts';
import { createLogger } from '../../src/logger.ts';
import type { AnswerOutcome, HelpOutcome } from '../../src/query/outcome.ts';
import { breakdownAnswer, format, trendAnswer } from './fixtures.ts';

function setup(overrides: Partial<ChartDeps> = {}) {
  const lines: Array<{ level: number; msg: string; chart?: string }> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const built = buildCatalog();
  if (!built.ok) throw new Error(built.errors.join('; '));
  const deps: ChartDeps = {
    config: { locale: 'sv-SE', businessModel: 'ecommerce' },
    format,
    catalog: built.catalog,
    logger: createLogger('warn', sink),
    ...overrides,
  };
  const stderr: string[] = [];
  const files = new Map<string, Buffer>();
  const io = {
    stderr: (t: string) => stderr.push(t),
    writeFile: async (path: string, data: Buffer) => {
      if (path.startsWith('/readonly/'))
        throw new Error(`EACCES: permission denied, open '${path}'`);
      files.set(path, data);
    },
  };
  return { deps, io, lines, stderr, files };
}

const outcome = (answers = [trendAnswer]): AnswerOutcome => ({
  kind: 'answer',
  result: { question: 'roas last-week', filters: {}, answers },
  query: 'roas last-week',
  now: '2026-11-23T07:00:00.000Z',
});

describe('writeAnswerChart', () => {
  it('writes the PNG with the alt text inside and tells nothing', async () => {
    const { deps, io, lines, stderr, files } = setup();
    expect(await writeAnswerChart(outcome(), 'roas.png', deps, io)).toBe(true);
    const png = files.get('roas.png')!;
    expect(pngSize(png)).toEqual({ width: 1440, height: 720 });
    // The catalog's ROAS floor (3× for e-commerce) is the threshold the alt text names.
    expect(readText(png, 'Description')).toContain('Lägstanivå 3,0× (når lägstanivån).'); // sv-SE
    expect(stderr).toEqual([]);
    expect(lines).toEqual([]);
  });

  it('charts the first KPI of several and says which were left out', async () => {
    const cac = { ...breakdownAnswer, kpi: { ...breakdownAnswer.kpi, id: 'cac' } };
    const { deps, io, stderr } = setup();
    expect(await writeAnswerChart(outcome([trendAnswer, cac]), 'x.png', deps, io)).toBe(true);
    expect(stderr).toEqual(['chart: roas only (not cac)\n']);
  });

  it.each([
    [
      'a renderer that throws',
      {
        render: () => {
          throw new Error('resvg: bad svg');
        },
      },
      'x.png',
      'the chart could not be rendered: resvg: bad svg',
    ],
    [
      'a file that cannot be written',
      {},
      '/readonly/x.png',
      "EACCES: permission denied, open '/readonly/x.png'",
    ],
  ] satisfies Array<[string, Partial<ChartDeps>, string, string]>)(
    '%s: logged, told, false',
    async (_, overrides, path, reason) => {
      const { deps, io, lines, stderr, files } = setup(overrides);
      expect(await writeAnswerChart(outcome(), path, deps, io)).toBe(false);
      expect(files.size).toBe(0);
      expect(stderr).toEqual([`chart not written (${path}): ${reason}\n`]);
      expect(lines).toEqual([
        expect.objectContaining({ level: 40, msg: `chart not written: ${reason}`, chart: path }),
      ]);
    },
  );

  it('an outcome that is not an answer has nothing to chart', async () => {
    const { deps, io, stderr } = setup();
    const help: HelpOutcome = { kind: 'help', defaultPeriod: 'last-week', examples: [] };
    expect(await writeAnswerChart(help, 'x.png', deps, io)).toBe(false);
    expect(stderr).toEqual(['chart not written (x.png): the question got no answer to chart\n']);
  });
});
