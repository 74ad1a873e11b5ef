// Schema for the record of Slack requests already seen (src/store/slack-requests.ts), shared by
// every replica. Appended to MIGRATIONS (migrations.ts). Versions 130+. Never edit a released
// migration; add the next version.

export const SLACK_MIGRATIONS: Array<{ version: number; name: string; sql: string }> = [
  {
    version: 130,
    name: 'slack_requests',
    // One row per signed request (its signature), or per Events API event (its event_id, which
    // Slack's retries repeat under a new signature), kept for an hour: long past the 5 minutes in
    // which a signature is accepted, and past Slack's last retry. `handled` turns true once the
    // request was answered 2xx; an unhandled claim is one in flight, or left by a replica that died.
    sql: `
      create table slack_requests (
        key text collate "C" primary key,
        claimed_at timestamptz not null default now(),
        expires_at timestamptz not null,
        handled boolean not null default false
      );
      create index slack_requests_expires_at on slack_requests (expires_at);
    `,
  },
];
