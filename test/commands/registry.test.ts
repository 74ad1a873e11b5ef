// The `/kpi` registry: each text reaches the module claiming its first word, help lists every
// module's examples, and a mistyped command is suggested.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertCommands } from '../../src/alerts/commands.ts';
import { helpExamples, MODULES, moduleFor, runCommand } from '../../src/commands/registry.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { queryCommands, statusCommands } from '../../src/query/command.ts';
import { goalCommands, subscriptionCommands, summaryCommands } from '../../src/reports/commands.ts';
import { createServices, type Services } from '../../src/services.ts';
import { createTestDb } from '../helpers/test-db.ts';

describe('routing', () => {
  it.each([
    ['status', statusCommands],
    ['STATUS', statusCommands],
    ['färskhet', statusCommands],
    ['freshness', statusCommands],
    ['alerts', alertCommands],
    ['alert add roas < 3x', alertCommands],
    ['summary last-month', summaryCommands],
    ['sammanfattning', summaryCommands],
    ['goal set roas >= 4x', goalCommands],
    ['mål', goalCommands],
    ['subscribe weekly', subscriptionCommands],
    ['unsubscribe s1', subscriptionCommands],
    ['roas last-week', queryCommands],
    ['list', queryCommands],
    ['explain roas', queryCommands],
    ['statusfoo', queryCommands],
  ])('%j goes to its module', (text, module) => {
    expect(moduleFor(text).name).toBe(module.name);
  });

  it('no two modules claim a word', () => {
    const words = MODULES.flatMap((m) => m.words);
    expect(new Set(words).size).toBe(words.length);
  });
});

describe('runCommand', () => {
  let services: Services;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kpibot-registry-'));
    const config = loadConfig({ KPIBOT_DATA_DIR: join(dir, 'data') }, dir);
    services = await createServices(config, createLogger('silent', 2), await createTestDb());
  });
  afterAll(async () => {
    await services?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(['', 'help', 'hjälp', '?'])(
    '%j shows help with every module’s examples',
    async (text) => {
      const outcome = await runCommand(text, { userId: 'U1' }, services);
      expect(outcome).toEqual({
        kind: 'help',
        defaultPeriod: services.config.defaultPeriod,
        examples: helpExamples(),
      });
      // KPI questions first, then at least one example of each module.
      expect(helpExamples().slice(0, queryCommands.examples.length)).toEqual(
        queryCommands.examples,
      );
      for (const m of MODULES) expect(helpExamples()).toContain(m.examples[0]);
    },
  );

  it('suggests the command for a mistyped command word that is no KPI', async () => {
    const outcome = await runCommand('sumary', { userId: 'U1' }, services);
    expect(outcome).toMatchObject({ kind: 'error', suggestions: ['/kpi summary'] });
  });

  it('offers the whole corrected command when the word is near a KPI', async () => {
    const outcome = await runCommand('roaas last-week', { userId: 'U1' }, services);
    expect(outcome).toMatchObject({
      kind: 'error',
      suggestions: ['roas last-week'],
      retry: 'roas last-week',
    });
  });

  it('answers status through its module', async () => {
    const outcome = await runCommand('status', { userId: 'U1' }, services);
    expect(outcome).toMatchObject({ kind: 'status', rows: [] });
  });
});
