// Each SQL source as a scheduled task (`source:<name>`, on the source's cron): claimed once
// across replicas like every firing (src/scheduler/), so of several replicas one syncs.
import type { TaskDefinition } from '../scheduler/scheduler.ts';
import type { SqlSource } from './config.ts';
import { type SyncDeps, syncSource } from './sync.ts';

export const SOURCE_TASK_PREFIX = 'source:';

/** Time on top of connecting and the query (each up to the source's timeout) for the write. */
const WRITE_ALLOWANCE_MS = 60_000;

/** A sync that failed: its message is already free of the source's URL and password. */
export class SourceSyncError extends Error {
  override name = 'SourceSyncError';
}

export function sourceTasks(deps: SyncDeps, sources: readonly SqlSource[]): TaskDefinition[] {
  return sources.map((source) => ({
    name: `${SOURCE_TASK_PREFIX}${source.name}`,
    cron: source.schedule,
    timeoutMs: 2 * source.timeoutSeconds * 1000 + WRITE_ALLOWANCE_MS,
    run: async (_fire, signal) => {
      const result = await syncSource(deps, source, signal);
      // Recorded and logged already; thrown so that the run counts as failed (task_runs, metrics).
      if (!result.ok) throw new SourceSyncError(`sql source ${source.name}: ${result.error}`);
    },
  }));
}
