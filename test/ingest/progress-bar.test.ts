import { describe, expect, it } from 'vitest';
import { createProgressBar, renderProgress } from '../../src/ingest/progress-bar.ts';

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns: 100, write: (s: string) => writes.push(s) > 0 } };
}

describe('renderProgress', () => {
  it('shows percent, bar, rows, rows/s and ETA by bytes', () => {
    const line = renderProgress(
      { rows: 50_000, bytes: 2_500_000, totalBytes: 10_000_000 },
      1000,
      100,
      'ads.csv',
    );
    expect(line).toBe(
      'ads.csv [=========>                              ]  25%  50,000 rows  50,000 rows/s  ETA 0:03',
    );
  });

  it('without a known size: rows and rows/s only', () => {
    expect(renderProgress({ rows: 1234, bytes: 5000 }, 2000)).toBe('1,234 rows  617 rows/s');
  });

  it('says when it is done, and formats hours', () => {
    const done = renderProgress({ rows: 10, bytes: 100, totalBytes: 100 }, 500, 80);
    expect(done).toContain('[========================================] 100%');
    expect(done).toContain('ETA 0:00');
    expect(renderProgress({ rows: 1, bytes: 1, totalBytes: 3601 }, 1000, 120)).toContain(
      'ETA 1:00:00',
    );
  });

  it('fits the terminal width', () => {
    const line = renderProgress(
      { rows: 1e9, bytes: 1, totalBytes: 2 },
      1,
      40,
      'a-very-long-file-name.csv',
    );
    expect(line.length).toBeLessThanOrEqual(40);
  });
});

describe('createProgressBar', () => {
  it('draws on a TTY, throttled, and ends the line when done', () => {
    const { writes, stream } = fakeStream(true);
    let now = 0;
    const bar = createProgressBar({ stream, now: () => now, label: 'x.csv' });
    bar.update({ rows: 1, bytes: 1, totalBytes: 10 });
    now = 50;
    bar.update({ rows: 2, bytes: 2, totalBytes: 10 }); // within 100 ms: not drawn
    now = 200;
    bar.update({ rows: 5, bytes: 5, totalBytes: 10 });
    bar.done();
    expect(writes).toHaveLength(4);
    expect(writes[0]).toMatch(/^\rx\.csv \[/);
    expect(writes[1]).toContain(' 50%');
    expect(writes[3]).toBe('\n');
  });

  it('is quiet when stderr is not a terminal', () => {
    const { writes, stream } = fakeStream(false);
    const bar = createProgressBar({ stream });
    bar.update({ rows: 1, bytes: 1 });
    bar.done();
    expect(writes).toEqual([]);
  });
});
