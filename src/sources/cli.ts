// `kpibot sync [source]`: every configured SQL source (or the one named) synced now, one line
// each; exit code 1 when any failed (its error is also in `kpibot status` and the log).
import { suggestNames } from '../kpi/names.ts';
import type { SqlSource } from './config.ts';
import { type SyncDeps, type SyncResult, syncSource } from './sync.ts';

export const SYNC_USAGE = 'Usage: kpibot sync [SOURCE]';

/** The sources `kpibot sync [name]` runs, or what is wrong (none configured, an unknown name). */
export function sourcesToSync<S extends { name: string }>(
  sources: readonly S[],
  name?: string,
): { sources: S[] } | { error: string } {
  if (sources.length === 0) {
    return {
      error:
        'No SQL sources are configured: add one under sources: in kpibot.config.yml (docs/sql-sources.md).',
    };
  }
  if (name === undefined) return { sources: [...sources] };
  const found = sources.find((s) => s.name === name);
  if (found) return { sources: [found] };
  const names = sources.map((s) => s.name);
  const guess = suggestNames(name, names, 1)[0];
  return {
    error: `No source "${name}"${guess ? ` (did you mean "${guess}"?)` : ''}; configured: ${names.join(', ')}.`,
  };
}

export function formatSyncResult(r: SyncResult): string {
  const window = `${r.window.start} – ${r.window.end}`;
  if (!r.ok) return `${r.source}: FAILED (${window}): ${r.error}. No fact changed.`;
  const removed = r.removed > 0 ? `; ${r.removed} facts it no longer returns removed` : '';
  return `${r.source}: ${r.rows} rows, ${r.written} facts for ${window}${r.backfill ? ' (first sync: backfill)' : ''}${removed}.`;
}

export async function runSync(
  deps: SyncDeps,
  sources: readonly SqlSource[],
  out: (line: string) => void,
): Promise<number> {
  let failed = 0;
  for (const source of sources) {
    const result = await syncSource(deps, source);
    if (!result.ok) failed++;
    out(`${formatSyncResult(result)}\n`);
  }
  return failed > 0 ? 1 : 0;
}
