// Shared fixtures for the report tests: a stand-in number formatter (kpi/format.ts is another
// module's; these tests must not depend on its exact output) and KPI answers built by hand.

import { seededRandom } from '../../src/demo/generate.ts';
import type { Period, Tier, Unit } from '../../src/kpi/types.ts';
import type { KpiAnswer } from '../../src/query/answer.ts';

const minus = (s: string) => s.replace('-', '−');
const grouped = (n: number) =>
  Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ' ');

/** Swedish-looking output: `412 000 kr`, `18 %`, `4.2×`; signed changes use `−`. */
export const fmt = {
  value(v: number, unit: Unit): string {
    switch (unit) {
      case 'currency':
        return minus(`${grouped(v)} kr`);
      case 'percent':
        return minus(`${Math.round(v * 100)} %`);
      case 'multiple':
        return minus(`${v.toFixed(1)}×`);
      default:
        return minus(grouped(v));
    }
  },
  change(delta: number, unit: Unit): string {
    const text = fmt.value(delta, unit);
    return delta > 0 ? `+${text}` : text;
  },
  pct(p: number): string {
    const text = minus(`${Math.round(p * 100)} %`);
    return p > 0 ? `+${text}` : text;
  },
};

export const week47: Period = {
  phrase: 'last-week',
  label: 'week 47 2026',
  start: '2026-11-16',
  end: '2026-11-22',
  grain: 'week',
};
export const week46: Period = {
  phrase: '2026-W46',
  label: 'week 46 2026',
  start: '2026-11-09',
  end: '2026-11-15',
  grain: 'week',
};

export interface AnswerSpec {
  id: string;
  tier?: Tier;
  unit?: Unit;
  value?: number | null;
  changePct?: number | null;
  verdict?: 'better' | 'worse' | 'unchanged' | 'neutral' | 'unknown';
  history?: Array<number | null>;
}

/** A KPI answer with a comparison against week 46 and an 8-week history. */
export function answer(spec: AnswerSpec): KpiAnswer {
  const value = spec.value === undefined ? 100 : spec.value;
  const changePct = spec.changePct === undefined ? 0.1 : spec.changePct;
  const unit = spec.unit ?? 'count';
  const before = value === null || changePct === null ? null : value / (1 + changePct);
  const change = value === null || before === null ? null : value - before;
  return {
    kpi: {
      id: spec.id,
      name: { sv: `${spec.id} (sv)`, en: `Name of ${spec.id}` },
      formula: spec.id,
      unit,
      good: 'up',
      tier: spec.tier ?? 'business',
    },
    period: week47,
    value,
    formatted: value === null ? 'no data' : fmt.value(value, unit),
    comparison: {
      against: 'previous',
      period: week46,
      value: before,
      formatted: before === null ? 'no data' : fmt.value(before, unit),
      change,
      changePct,
      verdict:
        spec.verdict ?? (changePct === null ? 'unknown' : changePct > 0 ? 'better' : 'worse'),
      changeFormatted: change === null ? '' : fmt.change(change, unit),
      changePctFormatted: changePct === null ? '' : fmt.pct(changePct),
    },
    history: (spec.history ?? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]).map((v, i) => ({
      period: { start: `2026-0${1 + (i % 9)}-01`, end: `2026-0${1 + (i % 9)}-07` },
      value: v,
    })),
    missingMeasures: [],
  };
}

/** A deterministic pseudo-random generator, for property-style tests. */
export const random = seededRandom;
