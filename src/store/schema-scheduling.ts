// Schema for the run coordinator (`task_runs`) and the durable Slack outbox (`outbox`).
// Appended to MIGRATIONS by the lead: `...SCHEDULING_MIGRATIONS`. Versions 100+ so they never
// collide with the core store's numbering. Never edit a released migration; add the next version.

export const SCHEDULING_MIGRATIONS: Array<{ version: number; name: string; sql: string }> = [
  {
    version: 100,
    name: 'task_runs',
    // One permanent row per (task, fire time): the claim that makes a scheduled firing run on
    // exactly one replica. `fire_time` is the cron's scheduled instant (whole minute for a
    // five-field cron), never the moment a timer happened to go off. A row with `finished_at`
    // null is running, or was abandoned by a replica that died (then `claimed_at` gets old).
    sql: `
      create table task_runs (
        task text collate "C" not null,
        fire_time timestamptz not null,
        claimed_by text not null,
        claimed_at timestamptz not null,
        finished_at timestamptz,
        error text,
        primary key (task, fire_time)
      );
    `,
  },
  {
    version: 101,
    name: 'outbox',
    // Messages the bot must not lose, written in the same transaction as the state change that
    // causes them. `idempotency_key` is the producer's name for the message (e.g.
    // `alert:<rule>:<group>:firing:<fire time>`); it also rides on the Slack message as metadata
    // so a retry after a crash can find a post that did happen. `thread_of` / `update_of` name
    // another message by its key: reply in its thread / chat.update it. `maybe_sent` is sticky:
    // once an attempt may have reached Slack (crash while sending, timeout, 5xx), every later
    // attempt first looks for the earlier post. The partial index serves the deliverer's "head
    // of each channel" query.
    sql: `
      create table outbox (
        id bigserial primary key,
        idempotency_key text collate "C" not null unique,
        kind text not null,
        channel text not null,
        payload jsonb not null,
        thread_of text collate "C",
        update_of text collate "C",
        status text not null default 'pending'
          check (status in ('pending', 'sending', 'sent', 'dead')),
        attempts integer not null default 0,
        maybe_sent boolean not null default false,
        next_attempt_at timestamptz not null default now(),
        claimed_by text,
        lease_until timestamptz,
        last_error text,
        slack_ts text,
        slack_channel text,
        created_at timestamptz not null default now(),
        sent_at timestamptz
      );

      create index outbox_open_by_channel on outbox (channel, id)
        where status in ('pending', 'sending');
    `,
  },
];
