// `kpibot` commands run in the test's own process, on one store shared by a whole file: the same
// command objects (src/cli/commands.ts) and the same exit mapping (src/cli/exit.ts) as the
// binary, without a process and a store opened per question. test/cli/beside-bot.test.ts shows
// the binary prints exactly what these commands print; the tests here check what they print.
import { storeCommand } from '../../src/cli/commands.ts';
import { exitFor } from '../../src/cli/exit.ts';
import { loadConfig } from '../../src/config.ts';
import { writeDemoFacts } from '../../src/demo/load.ts';
import { addDays, todayIn } from '../../src/kpi/periods.ts';
import { createLogger } from '../../src/logger.ts';
import { createServices, type Services } from '../../src/services.ts';
import type { Run } from './run-kpibot.ts';
import { createTestDb } from './test-db.ts';

export interface InProcessCli {
  /** `kpibot …argv`: its exit code and what it printed. */
  run(...argv: string[]): Promise<Run>;
  services: Services;
  close(): Promise<void>;
}

/**
 * A fresh store with the demo data `kpibot demo` would load under `env` (KPIBOT_NOW,
 * KPIBOT_TIMEZONE…), and the commands of `kpibot` on it.
 */
export async function demoCli(env: Record<string, string>): Promise<InProcessCli> {
  const db = await createTestDb();
  const services = await createServices(
    loadConfig(env, process.cwd()),
    createLogger('silent', 2),
    db,
  );
  await writeDemoFacts(db, addDays(todayIn(services.periodContext()), -1));
  return {
    services,
    async run(...argv) {
      let stdout = '';
      let stderr = '';
      const io = {
        stdout: (t: string) => {
          stdout += t;
        },
        stderr: (t: string) => {
          stderr += t;
        },
      };
      let code: number;
      try {
        const command = storeCommand(argv);
        if (!command) throw new Error(`${argv[0]} is not a store command`);
        code = await command(services, io);
      } catch (err) {
        const exit = exitFor(err);
        stderr += `${exit.message}\n`;
        code = exit.code;
      }
      return { code, stdout, stderr };
    },
    close: () => services.close(),
  };
}
