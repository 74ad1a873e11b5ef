// Schema for scheduled SQL sources (src/sources/): what each source's last sync did. Appended to
// MIGRATIONS (migrations.ts). Versions 310+. Never edit a released migration; add the next version.
// The facts a source writes carry its name in facts.source (`sql:<name>`, see source-syncs.ts).

export const SOURCE_MIGRATIONS: Array<{ version: number; name: string; sql: string }> = [
  {
    version: 310,
    name: 'source_syncs',
    // One row per source. `attempted_*` and `error` describe the last run (error null: it
    // succeeded); `synced_*` and `rows` the last successful one (null until the first, which is
    // how a first run knows to backfill). Kept by the sync in the same transaction as its facts.
    sql: `
      create table source_syncs (
        source text collate "C" primary key,
        attempted_at timestamptz not null,
        attempt_from date not null,
        attempt_to date not null,
        error text,
        synced_at timestamptz,
        synced_from date,
        synced_to date,
        rows integer
      );
    `,
  },
  {
    version: 320,
    name: 'source_arrivals',
    // A source that stopped arriving, told once (src/alerts/lateness.ts): the newest day it had
    // when it was found late, and the keys of the messages that said so (one per Slack channel
    // of the rules it stops), which "it is back" replies under. The row goes when it is back.
    sql: `
      create table source_arrivals (
        source text collate "C" primary key,
        last_day date not null,
        message_keys text[] not null,
        told_at timestamptz not null
      );
    `,
  },
];
