// Issue 16's table through `kpibot ask` on the demo data on the 3rd of December (today has no
// data yet), in-process (test/helpers/cli-in-process.ts). Expected text: test/helpers/issue-rows.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCli, type InProcessCli } from '../helpers/cli-in-process.ts';
import { demoFacts, issueRows, NOW } from '../helpers/issue-rows.ts';

let cli: InProcessCli;

beforeAll(async () => {
  cli = await demoCli({ KPIBOT_NOW: NOW, KPIBOT_TIMEZONE: 'Europe/Stockholm' });
});

afterAll(() => cli.close());

const ask = (question: string) => cli.run('ask', question);

describe('kpibot ask: questions as people type them (issue 16)', () => {
  it('--json carries the reading of a free-form question, and the same numbers', async () => {
    const { stdout } = await cli.run('ask', 'vad var roas förra veckan', '--json');
    const strict = JSON.parse((await cli.run('ask', 'roas last-week', '--json')).stdout);
    expect(JSON.parse(stdout)).toEqual({ ...strict, reading: 'roas last-week' });
    expect(strict.reading).toBeUndefined();
  });

  it.each(issueRows(demoFacts()))('$typed', async (row) => {
    const { stdout, code } = await ask(row.typed);
    expect(code).toBe(row.refused ? 2 : 0);
    if (row.reading)
      expect(stdout.split('\n')[0]).toBe(`Tolkat som: ${row.reading}`); // sv-SE
    else expect(stdout).not.toContain('Tolkat som');
    if (row.retry) expect(stdout).toContain(`Kör: kpibot ask "${row.retry}"`); // sv-SE
    for (const text of row.says) expect(stdout).toContain(text);
    for (const text of row.never ?? []) expect(stdout).not.toContain(text);
  });
});
