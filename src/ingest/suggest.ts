// "Did you mean": the closest known word within two edits (or a known word's common synonym).
import { editDistance } from '../kpi/names.ts';

const SYNONYMS: Record<string, string> = {
  spend: 'ad_spend',
  cost: 'ad_spend',
  impr: 'impressions',
  'impr.': 'impressions',
  visits: 'sessions',
  purchases: 'conversions',
  conv: 'conversions',
  'conv.': 'conversions',
  'conv. value': 'revenue',
  customers: 'active_customers',
  churn: 'churned_customers',
};

export function suggest(word: string, known: readonly string[]): string | undefined {
  const w = word.trim().toLowerCase();
  const synonym = Object.hasOwn(SYNONYMS, w) ? SYNONYMS[w] : undefined;
  if (synonym !== undefined && known.includes(synonym)) return synonym;
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of known) {
    const d = editDistance(w, k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  if (best !== undefined || w.length < 4) return best;
  // "churned" → churned_customers: the one known word that contains it.
  const containing = known.filter((k) => k.toLowerCase().includes(w));
  return containing.length === 1 ? containing[0] : undefined;
}
