// One sync of a SQL source: the window (the trailing `windowDays`, or `backfillDays` on a first
// run), the read (warehouse.ts), the rows checked (rows.ts), and the source's facts in the window
// replaced in one transaction (src/store/source-syncs.ts). Any failure changes no fact: it is
// recorded for `/kpi status` and logged. Neither ever holds the source's URL or password: every
// message is scrubbed of them before it leaves this module.

import { newChannelNotice } from '../ingest/channel-labels.ts';
import type { ChannelVocabulary } from '../kpi/channels.ts';
import { addDays, todayIn } from '../kpi/periods.ts';
import type { DateRange } from '../kpi/types.ts';
import type { Logger } from '../logger.ts';
import { createScrubber, REDACTED } from '../logger.ts';
import type { ImportMetrics } from '../metrics.ts';
import type { Db } from '../store/db.ts';
import {
  getSourceSync,
  recordEmptySync,
  recordSyncFailure,
  replaceSourceFacts,
} from '../store/source-syncs.ts';
import type { SqlSource } from './config.ts';
import { factsFromRows, SourceRowsError } from './rows.ts';
import { sourceStatement } from './statement.ts';
import { readSource, SourceReadError } from './warehouse.ts';

export interface SyncDeps {
  db: Db;
  logger: Logger;
  now(): Date;
  /** The window's days are calendar days here. */
  timeZone: string;
  /** Counts syncs and the facts they wrote (`kpibot_imports_total{source="sql"}`). */
  metrics?: ImportMetrics;
  /** The channel vocabulary (default: the built-in one): channels are stored canonical. */
  channels?: ChannelVocabulary;
}

export type SyncResult =
  | {
      ok: true;
      source: string;
      window: DateRange;
      /**
       * Rows the source returned, facts written, and the source's facts in the window that it
       * no longer returns (removed).
       */
      rows: number;
      written: number;
      removed: number;
      backfill: boolean;
    }
  | { ok: false; source: string; window: DateRange; error: string };

/** The days a run reads: `days` days ending today. */
export function syncWindow(today: string, days: number): DateRange {
  return { start: addDays(today, -(days - 1)), end: today };
}

/**
 * Removes the source's URL and password from a message. The logger's scrubber skips values
 * under 8 characters (they would blank ordinary words); a source's password is removed from
 * 4 characters on, since it is known to be secret, and then the logger's patterns apply.
 */
export function sourceScrubber(url: string): (text: string) => string {
  const secrets = [url];
  try {
    const u = new URL(url);
    if (u.password) secrets.push(u.password, decodeURIComponent(u.password));
  } catch {
    // not a URL: the whole text is still removed
  }
  const needles = [...new Set(secrets.filter((s) => s.length >= 4))].sort(
    (a, b) => b.length - a.length,
  );
  const patterns = createScrubber();
  return (text) => patterns(needles.reduce((t, n) => t.split(n).join(REDACTED), text));
}

/** What status shows of a failure; our own errors (the store's) only as a pointer to the log. */
function messageOf(err: unknown): string {
  if (err instanceof SourceReadError || err instanceof SourceRowsError) return err.message;
  return 'could not write the facts (the log has the details)';
}

export async function syncSource(
  deps: SyncDeps,
  source: SqlSource,
  signal?: AbortSignal,
): Promise<SyncResult> {
  const scrub = sourceScrubber(source.url);
  const log = deps.logger.child({ component: 'sources', source: source.name });
  const at = deps.now();
  const today = todayIn({ now: at, timeZone: deps.timeZone, weekStartsOn: 1 });
  const previous = await getSourceSync(deps.db, source.name);
  // A first run backfills; so does every run until the source has returned rows once.
  const backfill = previous?.synced === undefined || previous.synced.rows === 0;
  const window = syncWindow(today, backfill ? source.backfillDays : source.windowDays);
  const where = { window: `${window.start} – ${window.end}`, backfill };
  try {
    const rows = await readSource(
      source.url,
      sourceStatement(source, window),
      source.timeoutSeconds * 1000,
      signal,
    );
    const { facts, skipped, channels } = factsFromRows(rows, window, deps.channels);
    signal?.throwIfAborted();
    // Nothing at all for the whole window is more likely a table being reloaded than days
    // without data: the facts stay, and status warns (replacing would empty the window).
    const { removed, written } =
      rows.length === 0
        ? await recordEmptySync(deps.db, { source: source.name, window, at }).then(() => ({
            removed: 0,
            written: 0,
          }))
        : await replaceSourceFacts(deps.db, {
            source: source.name,
            window,
            facts,
            rows: rows.length,
            at,
          });
    log.info({ ...where, rows: rows.length, skipped, removed, written }, 'sql source: synced');
    for (const channel of channels.unknown) {
      log.info({ channel }, `sql source: ${newChannelNotice(channel)}`);
    }
    deps.metrics?.imported('sql', 'ok', written);
    return { ok: true, source: source.name, window, rows: rows.length, written, removed, backfill };
  } catch (err) {
    const error = scrub(messageOf(err));
    const code = (err as { code?: unknown }).code;
    const ours = !(err instanceof SourceReadError || err instanceof SourceRowsError);
    log.error(
      {
        ...where,
        error,
        ...(typeof code === 'string' ? { code } : {}),
        ...(ours
          ? { detail: scrub(err instanceof Error ? (err.stack ?? err.message) : String(err)) }
          : {}),
      },
      'sql source: sync failed; no fact changed',
    );
    try {
      await recordSyncFailure(deps.db, { source: source.name, window, error, at });
    } catch (recordErr) {
      const detail = recordErr instanceof Error ? recordErr.message : String(recordErr);
      log.error({ detail: scrub(detail) }, 'sql source: could not record the failure');
    }
    deps.metrics?.imported('sql', 'rejected', 0);
    return { ok: false, source: source.name, window, error };
  }
}
