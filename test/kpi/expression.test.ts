// The formula parser: precedence, functions, null semantics and errors with positions.
import { describe, expect, it } from 'vitest';
import {
  evaluateExpression,
  formatExpressionError,
  parseExpression,
  referencesOf,
} from '../../src/kpi/expression.ts';

const values: Record<string, number | null> = {
  revenue: 50_000,
  ad_spend: 10_000,
  zero: 0,
  none: null,
};

function run(formula: string): number | null {
  const parsed = parseExpression(formula);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return evaluateExpression(parsed.expr, (ref) => {
    const v = values[ref.name];
    if (v === undefined) throw new Error(`unexpected ${ref.name}`);
    return ref.fn === 'previous' && v !== null ? v / 2 : v;
  });
}

function errorOf(formula: string) {
  const parsed = parseExpression(formula);
  if (parsed.ok) throw new Error(`"${formula}" parsed`);
  return parsed.error;
}

describe('parseExpression and evaluateExpression', () => {
  it.each([
    ['(revenue - ad_spend) / ad_spend', 4],
    ['revenue - ad_spend / ad_spend', 49_999],
    ['revenue / ad_spend * 2', 10],
    ['2 * 3 + 4', 10],
    ['2 + 3 * 4', 14],
    ['-ad_spend + revenue', 40_000],
    ['--2', 2],
    ['1 - -1', 2],
    ['.5 * 4', 2],
    ['10 / 4', 2.5],
    ['(revenue - previous(revenue)) / previous(revenue)', 1],
    ['  REVENUE / Ad_Spend  ', 5],
  ])('%s = %d', (formula, expected) => {
    expect(run(formula)).toBe(expected);
  });

  it('gives null for a zero denominator, never Infinity or NaN', () => {
    expect(run('revenue / zero')).toBeNull();
    expect(run('zero / zero')).toBeNull();
    expect(run('revenue / (ad_spend - ad_spend)')).toBeNull();
  });

  it('propagates "no data" through every operator', () => {
    expect(run('none + 1')).toBeNull();
    expect(run('-none')).toBeNull();
    expect(run('revenue / none')).toBeNull();
    expect(run('none * 0')).toBeNull();
  });

  it('lists references with the function around them', () => {
    const parsed = parseExpression('revenue / opening(active_users) - previous(x)');
    expect(parsed.ok && referencesOf(parsed.expr)).toEqual([
      { name: 'revenue', pos: 0 },
      { name: 'active_users', fn: 'opening', pos: 18 },
      { name: 'x', fn: 'previous', pos: 43 },
    ]);
  });
});

describe('errors name the position of the mistake', () => {
  it.each([
    ['', 'empty formula', 0],
    ['revenue /', 'expected a number, a measure or "(" but found the end of the formula', 9],
    [
      '(revenue - ad_spend',
      'expected ")" to close the "(" at position 1 but found the end of the formula',
      19,
    ],
    ['revenue ad_spend', 'expected an operator (+ - * /) but found "ad_spend"', 8],
    ['revenue) / 2', 'expected an operator (+ - * /) but found a ")" without its "("', 7],
    ['revenue % 2', 'unexpected character "%"', 8],
    ['0,5 * revenue', 'unexpected character "," (decimals are written with a point: 0.5)', 1],
    ['sqrt(revenue)', 'unknown function "sqrt" (functions: opening, closing, previous)', 0],
    ['opening(2)', 'opening() takes the name of a measure or KPI, not "2"', 8],
    [
      'opening(active_users',
      'expected ")" to close the "(" at position 8 but found the end of the formula',
      20,
    ],
    ['revenue * * 2', 'expected a number, a measure or "(" but found "*"', 10],
  ])('%j', (formula, message, position) => {
    expect(errorOf(formula)).toEqual({ message, position });
  });

  it('draws a caret under the mistake, counting positions from 1 for people', () => {
    const formula = '(revenue - ad_spend) // ad_spend';
    expect(formatExpressionError(formula, errorOf(formula))).toBe(
      [
        'expected a number, a measure or "(" but found "/" at position 23',
        '    (revenue - ad_spend) // ad_spend',
        '                          ^',
      ].join('\n'),
    );
  });

  it('refuses very long formulas instead of parsing them', () => {
    expect(errorOf(`${'1 + '.repeat(200)}1`).message).toBe('formula longer than 500 characters');
  });
});
