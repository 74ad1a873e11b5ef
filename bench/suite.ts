// `npm run bench -- suite`: times `npm test` (vitest run) as a whole process, on this machine as
// it is; the target assumes a quiet one. A failing suite is reported, not timed.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { score } from './scoreboard.ts';

const TARGET_S = 150;

export async function benchSuite(): Promise<void> {
  console.log('\n## The test suite: `npm test`');
  const started = performance.now();
  const child = spawn('npx', ['vitest', 'run', '--reporter=dot'], {
    cwd: resolve(import.meta.dirname, '..'),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const code = await new Promise<number | null>((done) => child.on('exit', done));
  const seconds = (performance.now() - started) / 1000;
  console.log(`npm test: exit ${code} after ${seconds.toFixed(1)} s`);
  score({
    measure: '`npm test`',
    figure:
      code === 0
        ? `${seconds.toFixed(1)} s`
        : `FAILED (exit ${code}) after ${seconds.toFixed(1)} s`,
    ratio: seconds / TARGET_S,
    target: `≤ ${TARGET_S} s quiet`,
    met: code === 0 && seconds <= TARGET_S,
  });
}
