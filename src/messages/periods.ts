// Period labels in the message's language. The KPI layer names periods in one grammar
// (`week 47, 2026`, `weeks 45–47, 2026`, `week of 2026-11-18`, `October 2026`, `Q4 2026`,
// `November 2026 to date`, `2026-12-03 (today)`, src/kpi/periods.ts); this turns that grammar
// into Swedish word by word, so labels are built in one place and spoken in both. Pure.
import { langOf } from './lang.ts';

const MONTHS_SV: Record<string, string> = {
  January: 'januari',
  February: 'februari',
  March: 'mars',
  April: 'april',
  May: 'maj',
  June: 'juni',
  July: 'juli',
  August: 'augusti',
  September: 'september',
  October: 'oktober',
  November: 'november',
  December: 'december',
};

const SV: ReadonlyArray<readonly [RegExp, string | ((m: string) => string)]> = [
  [/\bweek of\b/g, 'veckan från'],
  [/\bweeks\b/g, 'veckor'],
  [/\bweek\b/g, 'vecka'],
  [/ to date\b/g, ' hittills'],
  [/\(today\)/g, '(i dag)'],
  [/\(yesterday\)/g, '(i går)'],
  [new RegExp(`\\b(${Object.keys(MONTHS_SV).join('|')})\\b`, 'g'), (m) => MONTHS_SV[m] ?? m],
];

/** `label` (src/kpi/periods.ts's grammar) in the language of `locale`. */
export function localLabel(label: string, locale: string): string {
  if (langOf(locale) === 'en') return label;
  let out = label;
  for (const [pattern, to] of SV) {
    out = out.replace(pattern, to as string);
  }
  return out;
}
