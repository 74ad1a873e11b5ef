// The report entry points take the app's `Services` as they are (checked by tsc), and the words
// dispatch routes to them.
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { CommandOutcome } from '../../src/commands/outcome.ts';
import type { CommandContext } from '../../src/reply/command.ts';
import type { CliResult, runSummaryCli } from '../../src/reports/cli.ts';
import { REPORT_COMMANDS, type ReportCommand } from '../../src/reports/commands.ts';
import type { ReportDeps } from '../../src/reports/deps.ts';
import type { summaryTasks } from '../../src/reports/schedule.ts';
import type { TaskDefinition } from '../../src/scheduler/scheduler.ts';
import type { Services } from '../../src/services.ts';

describe('wiring', () => {
  it('accepts Services wherever report dependencies are needed', () => {
    expectTypeOf<Services>().toExtend<ReportDeps>();
    expectTypeOf<ReportCommand['run']>().parameter(0).toEqualTypeOf<string>();
    expectTypeOf<ReportCommand['run']>().parameter(1).toEqualTypeOf<CommandContext>();
    expectTypeOf<ReturnType<ReportCommand['run']>>().resolves.toExtend<CommandOutcome>();
    expectTypeOf<ReturnType<typeof runSummaryCli>>().resolves.toEqualTypeOf<CliResult>();
    expectTypeOf<ReturnType<typeof summaryTasks>>().resolves.toEqualTypeOf<TaskDefinition[]>();
  });

  it('answers to the report words, English and Swedish', () => {
    expect(REPORT_COMMANDS.flatMap((m) => m.words).sort()).toEqual(
      [
        'avprenumerera',
        'goal',
        'goals',
        'mål',
        'prenumerationer',
        'prenumerera',
        'sammanfattning',
        'subscribe',
        'subscriptions',
        'summary',
        'unsubscribe',
      ].sort(),
    );
  });
});
