// "No data" that knows how data arrives: a source (facts.source: a SQL source, the push API, an
// import) that used to arrive and is late stops the rules that need one of its measures from
// being checked, and the channel is told once per source, not once per rule × group; once more
// when it is back.
//
// 1. arrivalsFor (src/sources/arrivals.ts): which sources supply the measures of the due rules,
//    and whether each is late at the cycle's time.
// 2. The cycle skips a rule that needs a late source ("source google-ads is late"), its state
//    untouched: a window missing its latest days would give a value that is not the KPI.
// 3. planLateness (pure): per late source that stops rules posting in a channel, one message
//    per channel, keyed by source and its newest day (so a second replica, or a second
//    schedule's cycle, writes the same key once); per source told before and arriving again, a
//    reply in each of those messages' threads.
import type { IsoDate } from '../kpi/types.ts';
import type { Lang } from '../messages/lang.ts';
import type { EnqueueInput } from '../outbox/store.ts';
import { type SourceArrival, sourceLabel } from '../sources/arrivals.ts';
import type { Db } from '../store/db.ts';
import { sourceBackMessage, sourceLateMessage } from './message.ts';
import { payload } from './notify.ts';

type Queries = Pick<Db, 'query'>;

/** A source's row in source_arrivals: it was found late with `lastDay`, and told. */
export interface LateRow {
  source: string;
  lastDay: IsoDate;
  messageKeys: string[];
}

export async function loadLateRows(tx: Queries, sources: readonly string[]): Promise<LateRow[]> {
  if (sources.length === 0) return [];
  const rows = await tx.query<{ source: string; last_day: IsoDate; message_keys: string[] }>(
    `select source, last_day::text as last_day, message_keys from source_arrivals
     where source = any($1::text[]) order by source for update`,
    [[...sources]],
  );
  return rows.map((r) => ({ source: r.source, lastDay: r.last_day, messageKeys: r.message_keys }));
}

export async function saveLateRows(
  tx: Queries,
  plan: Pick<LatenessPlan, 'save' | 'drop'>,
  at: Date,
): Promise<void> {
  for (const r of plan.save) {
    await tx.query(
      `insert into source_arrivals (source, last_day, message_keys, told_at)
       values ($1, $2::date, $3::text[], $4::timestamptz)
       on conflict (source) do update set last_day = excluded.last_day,
         message_keys = excluded.message_keys, told_at = excluded.told_at`,
      [r.source, r.lastDay, r.messageKeys, at.toISOString()],
    );
  }
  if (plan.drop.length > 0) {
    await tx.query('delete from source_arrivals where source = any($1::text[])', [plan.drop]);
  }
}

export interface LatenessInput {
  /** Late sources, each with the rules it stops (id and Slack channel, if any). */
  late: ReadonlyArray<{
    arrival: SourceArrival;
    rules: ReadonlyArray<{ id: string; channel?: string }>;
  }>;
  /** Sources looked at this cycle that are not late. */
  onTime: readonly SourceArrival[];
  /** Their rows, as stored. */
  rows: readonly LateRow[];
  lang: Lang;
}

export interface LatenessPlan {
  messages: EnqueueInput[];
  save: LateRow[];
  /** Sources that are back: their rows go. */
  drop: string[];
}

const byRuleId = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/** Once per late source (per channel of the rules it stops); once when it is back. Pure. */
export function planLateness(input: LatenessInput): LatenessPlan {
  const plan: LatenessPlan = { messages: [], save: [], drop: [] };
  const rowOf = new Map(input.rows.map((r) => [r.source, r]));
  for (const { arrival, rules } of input.late) {
    const lastDay = arrival.lastDay;
    if (lastDay === null || arrival.cadence === null) continue;
    const told = rowOf.get(arrival.source);
    if (told?.lastDay === lastDay) continue;
    const byChannel = new Map<string, string[]>();
    for (const r of rules) {
      if (r.channel) byChannel.set(r.channel, [...(byChannel.get(r.channel) ?? []), r.id]);
    }
    if (byChannel.size === 0) continue;
    const keys: string[] = [];
    for (const [channel, ids] of [...byChannel].sort(([a], [b]) => a.localeCompare(b))) {
      const key = `source-late:${arrival.source}:${lastDay}:${channel}`;
      keys.push(key);
      plan.messages.push({
        idempotencyKey: key,
        channel,
        kind: 'post',
        payload: payload(
          sourceLateMessage({
            source: sourceLabel(arrival.source),
            lastDay,
            rules: [...ids].sort(byRuleId),
            cadence: arrival.cadence,
            ...(arrival.by ? { by: arrival.by } : {}),
            learned: arrival.learned,
            lang: input.lang,
          }),
        ),
      });
    }
    plan.save.push({ source: arrival.source, lastDay, messageKeys: keys });
  }
  for (const arrival of input.onTime) {
    const told = rowOf.get(arrival.source);
    if (!told) continue;
    plan.drop.push(arrival.source);
    const message = payload(
      sourceBackMessage({
        source: sourceLabel(arrival.source),
        lastDay: arrival.lastDay ?? told.lastDay,
        lang: input.lang,
      }),
    );
    for (const parent of told.messageKeys) {
      plan.messages.push({
        idempotencyKey: `${parent}:back:${arrival.lastDay}`,
        channel: parent.slice(parent.lastIndexOf(':') + 1),
        kind: 'thread-reply',
        threadOf: parent,
        payload: message,
      });
    }
  }
  return plan;
}
