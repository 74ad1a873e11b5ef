// Schema for the run coordinator (`task_runs`), the durable Slack outbox (`outbox`) and the
// alert rules with their state and audit log. Appended to MIGRATIONS (migrations.ts). Versions
// 100+ so they never collide with the core store's numbering. Never edit a released migration;
// add the next version.

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

export const ALERT_MIGRATIONS: Array<{ version: number; name: string; sql: string }> = [
  {
    version: 110,
    name: 'alerts',
    // alert_rules: one row per rule, whoever made it (`source`: slack, config file or the
    // shipped defaults). `definition` is the rule as alertRuleSchema reads it, minus id and
    // authorship; `paused` is the Slack pause (a pause in the config file lives in the
    // definition). `last_fire_time` is the latest scheduled firing evaluated: an evaluation
    // claims it in the same transaction as the state change, so a firing is evaluated once
    // however many replicas run it. `removed_at`: a default rule removed from Slack stays removed
    // (start-up would otherwise bring it back); other rules are deleted.
    //
    // alert_states: the state machine's state per rule and group ('' for a rule without `by`).
    // `message_key` names the outbox message of the current episode's alert (replies go in its
    // thread, "resolved" updates it) and `message` keeps what it showed, so a button or the
    // resolution can redraw it; `slack_channel`/`slack_ts` say where it landed once delivered.
    // `no_data_key`: the posted "no data" message of the current no-data stretch.
    //
    // alert_audit: who changed what, when (rules, pauses, acknowledgements, snoozes).
    sql: `
      create table alert_rules (
        id text collate "C" primary key,
        source text not null check (source in ('slack', 'config', 'default')),
        definition jsonb not null,
        paused boolean not null default false,
        created_by text not null,
        created_at timestamptz not null,
        updated_at timestamptz not null,
        last_fire_time timestamptz,
        removed_at timestamptz
      );

      create sequence alert_rule_number;

      create table alert_states (
        rule_id text collate "C" not null references alert_rules (id) on delete cascade,
        group_key text collate "C" not null,
        status text not null check (status in ('ok', 'pending', 'firing', 'no_data')),
        state jsonb not null,
        last_value double precision,
        evaluated_at timestamptz not null,
        message_key text collate "C",
        message jsonb,
        slack_channel text,
        slack_ts text,
        no_data_key text collate "C",
        primary key (rule_id, group_key)
      );

      create index alert_states_message on alert_states (message_key)
        where message_key is not null;

      create table alert_audit (
        id bigserial primary key,
        at timestamptz not null,
        actor text not null,
        action text not null,
        rule_id text collate "C" not null,
        group_key text collate "C",
        detail jsonb not null default '{}'
      );

      create index alert_audit_rule on alert_audit (rule_id, id);
    `,
  },
];
