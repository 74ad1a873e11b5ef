// Finds the KPI a person means from what they typed: id, Swedish or English name, or alias, in
// any case and with `-`, `/`, `:` or spaces for `_`; otherwise the nearest ids ("did you mean"). Pure.
import type { Catalog } from './catalog.ts';
import { editDistance, maxTypoDistance, nearest, normaliseName } from './names.ts';
import type { KpiDefinition } from './types.ts';

export type LookupResult = { ok: true; kpi: KpiDefinition } | { ok: false; suggestions: string[] };

function namesOf(kpi: KpiDefinition): string[] {
  return [kpi.id, kpi.name.sv, kpi.name.en, ...kpi.aliases].map(normaliseName);
}

export function resolveKpi(catalog: Catalog, text: string): LookupResult {
  const word = normaliseName(text);
  const kpis = catalog.list();
  const exact = kpis.find((k) => namesOf(k).includes(word));
  if (exact) return { ok: true, kpi: exact };

  const scored = kpis.map((kpi) => ({
    name: kpi.id,
    distance: Math.min(
      ...namesOf(kpi).map((name) =>
        // A typed prefix of a long name ("konvertering") is as good as a small typo.
        word.length >= 4 && name.startsWith(word) ? 1 : editDistance(word, name),
      ),
    ),
  }));
  return { ok: false, suggestions: nearest(scored, maxTypoDistance(word.length)) };
}
