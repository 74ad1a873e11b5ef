// What the soak's answers must say, from bare SQL over the same store (as bench/engine.ts checks
// the engine): for a sample of the questions, the numbers formatted as the app formats them
// (its defaults: sv-SE, SEK, Europe/Stockholm, weeks from Monday).
import { createFormatter } from '../src/kpi/format.ts';
import { addDays, parsePeriod } from '../src/kpi/periods.ts';
import { type Db, openStore } from '../src/store/db.ts';

export interface AnswerCheck {
  /** Texts the answer must contain. */
  expected: string[];
}

const format = createFormatter({ locale: 'sv-SE', currency: 'SEK' });

/** [start, end) of a period phrase at `now`, as the app resolves it. */
function range(phrase: string, now: string): [string, string] {
  const resolved = parsePeriod(phrase, {
    now: new Date(now),
    timeZone: 'Europe/Stockholm',
    weekStartsOn: 1,
  });
  if (!resolved.ok) throw new Error(resolved.error);
  return [resolved.period.start, addDays(resolved.period.end, 1)];
}

async function roasLastWeek(db: Db, now: string): Promise<AnswerCheck> {
  const [row] = await db.query<{ value: number }>(
    `select sum(value) filter (where measure = 'revenue') / nullif(sum(value) filter (where measure = 'ad_spend'), 0) as value
       from facts where measure in ('revenue', 'ad_spend') and day >= $1 and day < $2`,
    range('last-week', now),
  );
  return { expected: [format.value(row?.value ?? null, 'multiple')] };
}

async function revenueByCampaign(db: Db, now: string): Promise<AnswerCheck> {
  const rows = await db.query<{ value: number }>(
    `select sum(value) as value from facts where measure = 'revenue' and day >= $1 and day < $2
       group by campaign order by value desc limit 3`,
    range('last-7-days', now),
  );
  return { expected: rows.map((r) => format.value(r.value, 'currency')) };
}

/** The sampled questions (they are in bench/slack.ts's QUESTIONS) and what their answers say. */
export async function expectedAnswers(
  dataDir: string,
  now: string,
): Promise<Map<string, AnswerCheck>> {
  const db = await openStore({ dataDir });
  try {
    return new Map([
      ['roas last-week', await roasLastWeek(db, now)],
      ['revenue last-7-days by campaign', await revenueByCampaign(db, now)],
    ]);
  } finally {
    await db.close();
  }
}
