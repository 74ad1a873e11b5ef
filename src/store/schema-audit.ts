// One audit log for every change people (and kpibot.config.yml) make: alert rules and their
// acknowledgements and snoozes, goals, summary subscriptions. Version 300 replaces the two
// tables the alerts (110) and the reports (200) kept apart, copying their rows in time order.

export const AUDIT_MIGRATIONS: Array<{ version: number; name: string; sql: string }> = [
  {
    version: 300,
    name: 'one audit log',
    sql: `
      create table audit_log (
        id bigserial primary key,
        at timestamptz not null,
        actor text not null,
        action text not null,
        subject text not null check (subject in ('alert', 'goal', 'subscription')),
        subject_id text collate "C" not null,
        group_key text collate "C",
        detail jsonb not null default '{}'
      );

      insert into audit_log (at, actor, action, subject, subject_id, group_key, detail)
        select at, actor, action, subject, subject_id, group_key, detail from (
          select at, actor, action, 'alert' as subject, rule_id as subject_id, group_key,
                 detail, 0 as source, id
            from alert_audit
          union all
          select at, actor, action, subject, subject_id, null, detail, 1, id
            from report_audit
        ) old
        order by at, source, id;

      create index audit_log_subject on audit_log (subject, subject_id, id);

      drop table alert_audit;
      drop table report_audit;
    `,
  },
];
