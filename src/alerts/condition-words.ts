// Conditions and guards in words, in the configured language (src/messages/conditions.ts):
// how a rule's condition reads in `/kpi alerts`, the one line an alert message gives it, and
// why a group was not checked. Pure.
import type { Formatter } from '../kpi/format.ts';
import type { Unit } from '../kpi/types.ts';
import { CONDITION_WORDS } from '../messages/conditions.ts';
import { wordsFor } from '../messages/lang.ts';
import { guardUnit, type Held, type VolumeGuard } from './condition.ts';
import type { CheckDetail } from './condition-check.ts';
import type { AlertRule } from './rule.ts';

interface Say {
  format: Formatter;
  locale: string;
}

const symbol = (c: VolumeGuard['comparator']) => (c === '>=' ? '≥' : '>');

/** `drops 20 % vs previous`, `is anomalous (…)`; undefined for a threshold rule. */
export function conditionPhrase(
  rule: Pick<AlertRule, 'condition' | 'threshold'>,
  say: Say,
): string | undefined {
  const w = wordsFor(CONDITION_WORDS, say.locale);
  if (rule.condition?.kind === 'change') {
    const by = say.format.value(Math.abs(rule.threshold), 'percent');
    return w.changeRule(rule.threshold < 0 ? 'drops' : 'rises', by, rule.condition.vs);
  }
  if (rule.condition?.kind === 'anomaly') return w.anomalyRule(say.format.number(rule.threshold));
  return undefined;
}

/** `when ad_spend ≥ 5 000 kr`. */
export function guardPhrase(guard: VolumeGuard, say: Say): string {
  const value = say.format.value(guard.value, guardUnit(guard.measure));
  return wordsFor(CONDITION_WORDS, say.locale).guardRule(
    guard.measure,
    symbol(guard.comparator),
    value,
  );
}

/** The alert message's line for a condition: the expected range, or the change. */
export function conditionLine(
  detail: CheckDetail,
  at: Say & { value: number | null; unit: Unit },
): string {
  const w = wordsFor(CONDITION_WORDS, at.locale);
  const f = (v: number | null) => at.format.value(v, at.unit);
  if (detail.kind === 'anomaly') {
    return w.expected(f(detail.range.low), f(detail.range.high), detail.range.count, f(at.value));
  }
  return w.change(at.format.pct(detail.change), detail.vs, f(detail.base), f(at.value));
}

/** Why a group was not checked, for `/kpi alerts`. */
export function heldText(held: Held, say: Say): string {
  const w = wordsFor(CONDITION_WORDS, say.locale);
  switch (held.kind) {
    case 'guard': {
      const unit = guardUnit(held.measure);
      const value = held.value === null ? w.none : say.format.value(held.value, unit);
      const min = say.format.value(held.guard.value, unit);
      return w.heldGuard(held.measure, value, symbol(held.guard.comparator), min);
    }
    case 'history':
      return w.heldHistory(held.have, held.need);
    case 'base':
      return w.heldBase(held.vs, held.nearZero);
  }
}

/** `not checked`, in the configured language. */
export function notCheckedWord(locale: string): string {
  return wordsFor(CONDITION_WORDS, locale).notChecked;
}
