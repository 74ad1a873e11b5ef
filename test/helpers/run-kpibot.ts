// `kpibot` run as a user runs it (node bin/kpibot.js), its exit code and output collected, for
// the tests that start the CLI beside a running bot.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './app-process.ts';

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runKpibot(
  args: readonly string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/kpibot.js'), ...args], opts);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.on('exit', (code) => done({ code, stdout, stderr }));
  });
}
