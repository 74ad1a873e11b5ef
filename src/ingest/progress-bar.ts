// A one-line progress bar for `kpibot import` on a terminal: rows, rows/s and, when the file's
// size is known, percent and ETA by bytes. Drawn on stderr only when it is a TTY (stdout stays
// clean for the report, and pipes and CI logs get nothing); redrawn at most 10 times a second.
import type { ImportProgress } from './import.ts';

export interface ProgressBarOptions {
  /** Where to draw; default process.stderr. Nothing is drawn unless `stream.isTTY`. */
  stream?: Pick<NodeJS.WriteStream, 'write' | 'isTTY' | 'columns'>;
  /** Shown before the bar, e.g. the file name. */
  label?: string;
  /** Clock in ms (tests). */
  now?: () => number;
  /** Minimum ms between redraws. */
  intervalMs?: number;
}

export interface ProgressBar {
  update(p: ImportProgress): void;
  /** Draws the final state and ends the line (when anything was drawn). */
  done(): void;
}

/** A progress bar, or a silent one when the stream is not a terminal. */
export function createProgressBar(opts: ProgressBarOptions = {}): ProgressBar {
  const stream = opts.stream ?? process.stderr;
  if (!stream.isTTY) return { update: () => {}, done: () => {} };
  const now = opts.now ?? (() => performance.now());
  const interval = opts.intervalMs ?? 100;
  const started = now();
  let lastDraw = Number.NEGATIVE_INFINITY;
  let last: ImportProgress | undefined;
  let drawn = false;
  const draw = () => {
    if (!last) return;
    const width = Math.max(40, (stream.columns ?? 80) - 1);
    stream.write(`\r${renderProgress(last, now() - started, width, opts.label)}\u001b[K`);
    drawn = true;
  };
  return {
    update(p) {
      last = p;
      const t = now();
      if (t - lastDraw < interval) return;
      lastDraw = t;
      draw();
    },
    done() {
      draw();
      if (drawn) stream.write('\n');
    },
  };
}

/**
 * The bar's text for `p` after `elapsedMs`, at most `width` characters:
 * `label [=========>          ]  45%  123,456 rows  52,000 rows/s  ETA 0:12`.
 */
export function renderProgress(
  p: ImportProgress,
  elapsedMs: number,
  width = 80,
  label?: string,
): string {
  const seconds = elapsedMs / 1000;
  const rate = seconds > 0 ? p.rows / seconds : 0;
  const stats = [`${fmt(p.rows)} rows`, `${fmt(Math.round(rate))} rows/s`];
  let fraction: number | undefined;
  if (p.totalBytes !== undefined && p.totalBytes > 0) {
    fraction = Math.min(1, p.bytes / p.totalBytes);
    const byteRate = seconds > 0 ? p.bytes / seconds : 0;
    const remaining = byteRate > 0 ? (p.totalBytes - p.bytes) / byteRate : undefined;
    stats.unshift(`${String(Math.floor(fraction * 100)).padStart(3)}%`);
    stats.push(`ETA ${remaining === undefined ? '--:--' : duration(Math.max(0, remaining))}`);
  }
  const tail = stats.join('  ');
  const prefix = label ? `${label} ` : '';
  if (fraction === undefined) return truncate(`${prefix}${tail}`, width);
  const barWidth = Math.max(10, Math.min(40, width - prefix.length - tail.length - 4));
  const filled = Math.round(fraction * barWidth);
  const bar =
    filled >= barWidth
      ? '='.repeat(barWidth)
      : `${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? '>' : ''}${' '.repeat(barWidth - filled)}`;
  return truncate(`${prefix}[${bar}] ${tail}`, width);
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

function duration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

function truncate(s: string, width: number): string {
  return s.length > width ? s.slice(0, width) : s;
}
