// README's example weekly summary is reproducible exactly as written: every line it shows (the
// rest is "…") is printed by `kpibot summary` with the settings the README names, in order.
// The command runs in-process (test/helpers/cli-in-process.ts), on the demo data `kpibot demo` loads.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { demoCli } from '../helpers/cli-in-process.ts';

function readmeSummary(): { env: Record<string, string>; lines: string[] } {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const intro = /An example, from the demo data \(`npx kpibot summary` with ([^;]*);/.exec(readme);
  const block = /An example, from the demo data[\s\S]*?```\n([\s\S]*?)```/.exec(readme);
  if (!intro?.[1] || !block?.[1]) throw new Error('README.md has no example summary');
  const env = Object.fromEntries(
    [...intro[1].matchAll(/`(KPIBOT_\w+)=([^`]+)`/g)].map((m) => [m[1]!, m[2]!]),
  );
  return { env, lines: block[1].split('\n').filter((l) => l.trim() && l.trim() !== '…') };
}

describe('README.md example summary', () => {
  it('is printed exactly as written by kpibot summary on the demo data', async () => {
    const { env, lines } = readmeSummary();
    expect(Object.keys(env).sort()).toEqual(['KPIBOT_CURRENCY', 'KPIBOT_LOCALE', 'KPIBOT_NOW']);
    const cli = await demoCli(env);
    const { stdout, code } = await cli.run('summary').finally(() => cli.close());
    expect(code).toBe(0);
    // The units are joined with no-break spaces (`0.0\u00a0pp`); the README shows plain ones.
    const printed = stdout.replaceAll('\u00a0', ' ').split('\n');
    let at = 0;
    for (const line of lines) {
      const found = printed.indexOf(line, at);
      expect(found, `${line}\n--- printed:\n${stdout}`).toBeGreaterThanOrEqual(0);
      at = found + 1;
    }
  });
});
