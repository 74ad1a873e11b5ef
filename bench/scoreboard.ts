// The issue-12 table at the end of `npm run bench`: every benchmark records its rows here as it
// runs (the figure, the floor or peer measured in the same run, the ratio, the target), and
// index.ts prints them together. A row a run could not measure says why instead of a figure.

export interface ScoreRow {
  measure: string;
  /** The figure as printed, with its unit. */
  figure: string;
  /** The floor or peer it is held against, measured in the same run (`–` for a fixed target). */
  against?: string;
  /** figure ÷ floor (or ÷ target) when a ratio is the point; undefined otherwise. */
  ratio?: number;
  target: string;
  /** null: not measured in this run (the figure says why). */
  met: boolean | null;
}

const rows: ScoreRow[] = [];

export function score(row: ScoreRow): void {
  rows.push(row);
}

/** A row for something this run could not measure, with the reason. */
export function notMeasured(measure: string, target: string, why: string): void {
  rows.push({ measure, figure: why, target, met: null });
}

export function printScoreboard(): void {
  if (rows.length === 0) return;
  console.log('\n## Issue 12: every row in one table (this run)');
  console.log('| measure | figure | floor / peer (same run) | ratio | target | |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) {
    const verdict = r.met === null ? 'not measured' : r.met ? 'met' : 'MISSED';
    const ratio = r.ratio === undefined ? '–' : r.ratio.toFixed(2);
    console.log(
      `| ${r.measure} | ${r.figure} | ${r.against ?? '–'} | ${ratio} | ${r.target} | ${verdict} |`,
    );
  }
  const measured = rows.filter((r) => r.met !== null);
  console.log(
    `${measured.filter((r) => r.met).length} of ${measured.length} measured rows met; ${rows.length - measured.length} not measured`,
  );
}
