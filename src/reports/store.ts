// Goals and summary subscriptions in the store (migrations 200, 201). Every function takes the
// caller's `tx` (or the Db) so a change and its audit entry (src/store/audit.ts) are written
// together.
import type { Db } from '../store/db.ts';
import { type Goal, goalSchema } from './goal.ts';
import type { Subscription } from './subscription.ts';

type Queries = Pick<Db, 'query'>;

// ---------------------------------------------------------------------------------------------
// Goals

interface GoalRow {
  id: string;
  kpi: string;
  comparator: string;
  target: number;
  per: string | null;
  channel: string | null;
  created_by: string;
  created_at: Date | string;
}

function toGoal(r: GoalRow): Goal {
  return goalSchema.parse({
    id: r.id,
    kpi: r.kpi,
    comparator: r.comparator,
    target: r.target,
    per: r.per,
    channel: r.channel,
    createdBy: r.created_by,
    createdAt: r.created_at instanceof Date ? r.created_at : new Date(r.created_at),
  });
}

/** The next free goal id: `g1`, `g2`… (never reused). */
export async function nextGoalId(tx: Queries): Promise<string> {
  const [row] = await tx.query<{ n: number | string }>("select nextval('goal_number') as n");
  return `g${Number(row?.n)}`;
}

export async function insertGoal(tx: Queries, goal: Goal): Promise<void> {
  await tx.query(
    `insert into goals (id, kpi, comparator, target, per, channel, created_by, created_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8::timestamptz)`,
    [
      goal.id,
      goal.kpi,
      goal.comparator,
      goal.target,
      goal.per ?? null,
      goal.channel ?? null,
      goal.createdBy,
      goal.createdAt,
    ],
  );
}

/** Goals made in Slack, oldest first. */
export async function loadGoals(db: Queries): Promise<Goal[]> {
  const rows = await db.query<GoalRow>('select * from goals order by created_at, id');
  return rows.map(toGoal);
}

export async function getGoal(db: Queries, id: string): Promise<Goal | undefined> {
  const [row] = await db.query<GoalRow>('select * from goals where id = $1', [id]);
  return row && toGoal(row);
}

/** Deletes a goal; false when there was none. */
export async function deleteGoal(tx: Queries, id: string): Promise<boolean> {
  const rows = await tx.query<{ id: string }>('delete from goals where id = $1 returning id', [id]);
  return rows.length === 1;
}

// ---------------------------------------------------------------------------------------------
// Subscriptions

interface SubscriptionRow {
  id: string;
  kind: 'weekly' | 'monthly';
  channel: string;
  weekday: number | null;
  day_of_month: number | null;
  hour: number;
  minute: number;
  time_zone: string | null;
  created_by: string;
  created_at: Date | string;
}

function toSubscription(r: SubscriptionRow): Subscription {
  const sub: Subscription = {
    id: r.id,
    kind: r.kind,
    channel: r.channel,
    hour: r.hour,
    minute: r.minute,
    createdBy: r.created_by,
    createdAt: new Date(r.created_at).toISOString(),
  };
  if (r.weekday !== null) sub.weekday = r.weekday;
  if (r.day_of_month !== null) sub.dayOfMonth = r.day_of_month;
  if (r.time_zone !== null) sub.timeZone = r.time_zone;
  return sub;
}

/** The next free subscription id: `s1`, `s2`… (never reused). */
export async function nextSubscriptionId(tx: Queries): Promise<string> {
  const [row] = await tx.query<{ n: number | string }>(
    "select nextval('summary_subscription_number') as n",
  );
  return `s${Number(row?.n)}`;
}

export async function insertSubscription(tx: Queries, sub: Subscription): Promise<void> {
  await tx.query(
    `insert into summary_subscriptions
       (id, kind, channel, weekday, day_of_month, hour, minute, time_zone, created_by, created_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::timestamptz)`,
    [
      sub.id,
      sub.kind,
      sub.channel,
      sub.weekday ?? null,
      sub.dayOfMonth ?? null,
      sub.hour,
      sub.minute,
      sub.timeZone ?? null,
      sub.createdBy,
      sub.createdAt,
    ],
  );
}

/** Every subscription, oldest first. */
export async function loadSubscriptions(db: Queries): Promise<Subscription[]> {
  const rows = await db.query<SubscriptionRow>(
    'select * from summary_subscriptions order by created_at, id',
  );
  return rows.map(toSubscription);
}

export async function getSubscription(db: Queries, id: string): Promise<Subscription | undefined> {
  const [row] = await db.query<SubscriptionRow>(
    'select * from summary_subscriptions where id = $1',
    [id],
  );
  return row && toSubscription(row);
}

export async function deleteSubscription(tx: Queries, id: string): Promise<boolean> {
  const rows = await tx.query<{ id: string }>(
    'delete from summary_subscriptions where id = $1 returning id',
    [id],
  );
  return rows.length === 1;
}
