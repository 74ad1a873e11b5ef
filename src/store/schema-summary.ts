// Schema for the summary's pinned KPIs set in Slack (src/reports/pin-store.ts). Appended to
// MIGRATIONS (migrations.ts). Versions 340+. Never edit a released migration; add the next version.

export const SUMMARY_MIGRATIONS: Array<{ version: number; name: string; sql: string }> = [
  {
    version: 340,
    name: 'summary pins',
    // summary_pins: one row per KPI pinned (`pinned`) or unpinned in Slack, replayed over the
    // configuration's `summary.kpis` in `seq` order (src/reports/pins.ts); a new change of the
    // same KPI replaces its row and takes the next `seq`. The audit log learns the subject `pin`.
    sql: `
      create sequence summary_pin_number;

      create table summary_pins (
        kpi text collate "C" primary key,
        pinned boolean not null,
        changed_by text not null,
        changed_at timestamptz not null,
        seq bigint not null unique
      );

      alter table audit_log drop constraint audit_log_subject_check;
      alter table audit_log add constraint audit_log_subject_check
        check (subject in ('alert', 'goal', 'subscription', 'pin'));
    `,
  },
];
