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
];
