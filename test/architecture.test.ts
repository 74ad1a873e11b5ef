// The layers of src/ hold: no import cycle between files or folders, nothing imports upwards
// (scripts/check-imports.ts draws them; README "Development" explains them).
import { describe, expect, it } from 'vitest';
import { checkImports, cycles } from '../scripts/check-imports.ts';

describe('the import graph of src/', () => {
  it('has no cycle and no upward import', () => {
    const report = checkImports();
    expect(report.edges.length).toBeGreaterThan(20); // it did read the code
    expect(report.problems).toEqual([]);
  });

  it('the cycle finder finds cycles', () => {
    const graph = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
      ['d', new Set(['a'])],
    ]);
    expect(cycles(graph)).toEqual([['a', 'b', 'c']]);
  });
});
