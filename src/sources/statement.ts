// The one SELECT a source runs, with the window's days as parameters: a configured query with
// `:from` and `:to` bound as $1 and $2, or the statement a table mapping stands for. Pure.
//
// A table mapping's statement sums each measure per (date, channel, campaign): loaders keep one
// row per campaign and day *and* device, network or ad group, and a fact is one value per key.
// Names from the configuration are quoted identifiers; every value is a parameter.
import type { DateRange } from '../kpi/types.ts';
import type { SourceSpec } from './config.ts';

export interface Statement {
  sql: string;
  params: unknown[];
}

/** `:from`/`:to` not preceded by `:` (a `::to…` cast) or a word character. */
const WINDOW_PARAM = /(?<![:\w]):(from|to)\b/g;

/** A PostgreSQL identifier, quoted: `"name"`, a `"` inside doubled. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function quoteTable(table: string): string {
  return table.split('.').map(quoteIdent).join('.');
}

export function sourceStatement(spec: SourceSpec, window: DateRange): Statement {
  if (spec.kind === 'query') {
    return {
      sql: spec.query.replace(WINDOW_PARAM, (_, p: string) =>
        p === 'from' ? '$1::date' : '$2::date',
      ),
      params: [window.start, window.end],
    };
  }
  const params: unknown[] = [window.start, window.end];
  const param = (value: unknown, type: string) => {
    params.push(value);
    return `$${params.length}::${type}`;
  };
  const dim = (d: { column: string } | { value: string }) =>
    'column' in d ? `coalesce(t.${quoteIdent(d.column)}::text, '')` : param(d.value, 'text');
  const channel = dim(spec.channel);
  const campaign = dim(spec.campaign);
  const values = spec.measures.map(({ column, measure, divideBy }) => {
    const value = `t.${quoteIdent(column)}::float8`;
    return `(${param(measure, 'text')}, ${divideBy ? `${value} / ${param(divideBy, 'float8')}` : value})`;
  });
  const date = `t.${quoteIdent(spec.dateColumn)}::date`;
  return {
    sql: `select ${date} as date, m.measure, sum(m.value) as value,
       ${channel} as channel, ${campaign} as campaign
from ${quoteTable(spec.table)} t
cross join lateral (values ${values.join(', ')}) as m(measure, value)
where ${date} between $1::date and $2::date and m.value is not null
group by 1, 2, 4, 5`,
    params,
  };
}
