// The channels facts are stored under: which there are (with their sources and last day), and
// moving facts from one channel name to another (`kpibot channels apply`) in one transaction.
//
// A move inserts the facts under the new name, adding each to a fact already there for the same
// (measure, day, campaign) — or averaging, for an average measure — and then deletes them under
// the old name. The daily_totals triggers follow both statements, so the totals of each moved
// (measure, day) stay what they were and only their channel changes. The facts table is locked
// against other writers for the move (a push or an import waits until it commits).
import type { IsoDate } from '../kpi/types.ts';
import type { Db } from './db.ts';

export interface ChannelUsage {
  channel: string;
  /** Where its facts came from (`import`, `api`, `demo`…), sorted. */
  sources: string[];
  lastDay: IsoDate;
  facts: number;
}

/** Every channel with facts ('' for facts without one), by name. Scans the facts once. */
export async function channelUsage(db: Db): Promise<ChannelUsage[]> {
  const rows = await db.query<{ channel: string; source: string; last_day: string; n: number }>(
    `select channel, source, max(day)::text as last_day, count(*)::int as n
     from facts group by channel, source order by channel, source`,
  );
  const out = new Map<string, ChannelUsage>();
  for (const r of rows) {
    const u = out.get(r.channel) ?? {
      channel: r.channel,
      sources: [],
      lastDay: r.last_day,
      facts: 0,
    };
    u.sources.push(r.source);
    if (r.last_day > u.lastDay) u.lastDay = r.last_day;
    u.facts += r.n;
    out.set(r.channel, u);
  }
  return [...out.values()];
}

export interface ChannelMove {
  from: string;
  to: string;
}

export interface ChannelMoveCount extends ChannelMove {
  /** Facts stored under `from`. */
  facts: number;
  /** Of them, those that meet a fact under `to` for the same measure, day and campaign. */
  merging: number;
}

const MOVE_COUNTS = `
  select m.old as "from", m.new as "to", count(f.measure)::int as facts,
         count(f.measure) filter (where exists (
           select 1 from facts g
           where g.measure = f.measure and g.day = f.day and g.channel = m.new
             and g.campaign = f.campaign
         ))::int as merging
  from unnest($1::text[], $2::text[]) with ordinality as m(old, new, i)
  left join facts f on f.channel = m.old
  group by m.old, m.new, m.i
  order by m.i`;

/** What `moves` would move, per move (a dry run). */
export async function countChannelMoves(
  db: Pick<Db, 'query'>,
  moves: readonly ChannelMove[],
): Promise<ChannelMoveCount[]> {
  if (moves.length === 0) return [];
  return db.query<ChannelMoveCount>(MOVE_COUNTS, [
    moves.map((m) => m.from),
    moves.map((m) => m.to),
  ]);
}

const INSERT_MOVED = `
  insert into facts (measure, day, channel, campaign, value, source)
  select f.measure, f.day, m.new, f.campaign,
         case when f.measure = any($3::text[]) then avg(f.value) else sum(f.value) end,
         min(f.source)
  from facts f join unnest($1::text[], $2::text[]) as m(old, new) on f.channel = m.old
  group by f.measure, f.day, m.new, f.campaign
  on conflict (measure, day, channel, campaign) do update
    set value = case when facts.measure = any($3::text[])
                     then (facts.value + excluded.value) / 2
                     else facts.value + excluded.value end,
        updated_at = now()`;

const DELETE_MOVED = 'delete from facts where channel = any($1::text[])';

const RENAME_DIMENSION_VALUES = `
  with gone as (
    delete from dimension_values where dimension = 'channel' and value = any($1::text[])
  )
  insert into dimension_values (dimension, value)
  select distinct 'channel', t from unnest($2::text[]) as t
  on conflict do nothing`;

/**
 * Moves the facts of each `from` channel to its `to` in one transaction, and returns what was
 * moved (counted before). `averageMeasures`: measures whose facts meeting on one key are
 * averaged rather than summed (avg_position). A `to` must not be another move's `from`.
 */
export async function moveChannels(
  db: Db,
  moves: readonly ChannelMove[],
  averageMeasures: readonly string[],
): Promise<ChannelMoveCount[]> {
  if (moves.length === 0) return [];
  const from = moves.map((m) => m.from);
  const to = moves.map((m) => m.to);
  if (to.some((t) => from.includes(t))) {
    throw new Error('moveChannels: a channel is both moved and moved to');
  }
  return db.transaction(async (tx) => {
    // Writers (imports, pushes) wait for the move; readers do not.
    await tx.exec('lock table facts in share row exclusive mode');
    const counts = await countChannelMoves(tx, moves);
    await tx.query(INSERT_MOVED, [from, to, [...averageMeasures]]);
    await tx.query(DELETE_MOVED, [from]);
    await tx.query(RENAME_DIMENSION_VALUES, [from, to]);
    return counts;
  });
}
