// Schema for the reports: business goals set from Slack, summary subscriptions, and one audit log
// for changes to both. Appended to MIGRATIONS (migrations.ts). Versions 200+ so they never
// collide with the core store (1+) or scheduling and alerts (100+). Never edit a released
// migration; add the next version.
//
// Goals from kpibot.config.yml are not stored: they are read from the configuration each time,
// so the file stays the one place they are changed.

export const REPORT_MIGRATIONS: Array<{ version: number; name: string; sql: string }> = [
  {
    version: 200,
    name: 'goals and summary subscriptions',
    // goals: one row per goal made in Slack (`g1`, `g2`… from goal_number). `target` is in the
    // KPI's base unit (fractions for percent), `per` the calendar period of a total.
    //
    // summary_subscriptions: a weekly or monthly summary posted to `channel` (a Slack channel id,
    // or `#name`) at `minute`/`hour` on `weekday` (0 = Sunday … 6, weekly) or `day_of_month`
    // (monthly), in `time_zone` (null: the configured timezone). Ids `s1`, `s2`… Posts are
    // made once per subscription and period through the outbox (key `summary:<id>:<period>`).
    //
    // report_audit: who changed which goal or subscription, when, and how.
    sql: `
      create table goals (
        id text collate "C" primary key,
        kpi text collate "C" not null,
        comparator text not null check (comparator in ('>=', '<=')),
        target double precision not null,
        per text check (per in ('week', 'month', 'quarter', 'year')),
        created_by text not null,
        created_at timestamptz not null
      );

      create sequence goal_number;

      create table summary_subscriptions (
        id text collate "C" primary key,
        kind text not null check (kind in ('weekly', 'monthly')),
        channel text not null,
        weekday integer check (weekday between 0 and 6),
        day_of_month integer check (day_of_month between 1 and 28),
        hour integer not null check (hour between 0 and 23),
        minute integer not null check (minute between 0 and 59),
        time_zone text,
        created_by text not null,
        created_at timestamptz not null,
        check ((kind = 'weekly') = (weekday is not null)),
        check ((kind = 'monthly') = (day_of_month is not null))
      );

      create sequence summary_subscription_number;

      create table report_audit (
        id bigserial primary key,
        at timestamptz not null,
        actor text not null,
        action text not null,
        subject text not null check (subject in ('goal', 'subscription')),
        subject_id text collate "C" not null,
        detail jsonb not null default '{}'
      );

      create index report_audit_subject on report_audit (subject, subject_id, id);
    `,
  },
  {
    version: 201,
    name: 'goal alert channel',
    // goals.channel: where a paced goal posts when it goes off track (a Slack channel id or
    // `#name`); null: it never posts. Posts are made once per goal and period through the
    // outbox (key `goal-alert:<id>:<period>`, src/reports/goal-alerts.ts).
    sql: `
      alter table goals add column channel text;
    `,
  },
];
