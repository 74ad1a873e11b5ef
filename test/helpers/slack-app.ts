// What the in-process Slack app tests share: the app's config pointed at the Slack stand-in, and
// a stub /kpi answer (ROAS 3,00× for week 46 2026) in place of the real grammar.
import type { CommandOutcome } from '../../src/commands/outcome.ts';
import type { KpiAnswer } from '../../src/query/answer.ts';
import type { SlackApp } from '../../src/slack/app.ts';
import type { SlackStandin } from './slack-standin.ts';

/** The `config` of `createSlackApp`: HTTP mode on a free port, Web API calls to the stand-in. */
export function standinAppConfig(
  standin: SlackStandin,
  creds: { signingSecret: string; botToken: string },
  admins: string[] = [],
) {
  return {
    port: 0,
    locale: 'en-US',
    admins,
    slack: { ...creds, apiUrl: standin.apiUrl.slice(0, -1) },
  };
}

/** The stub grammar's one answer to `query`, asked at `now` (ISO). */
export function stubRoasAnswer(query: string, now: string): CommandOutcome {
  const a: KpiAnswer = {
    kpi: {
      id: 'roas',
      name: { sv: 'ROAS', en: 'ROAS' },
      formula: 'revenue / ad_spend',
      unit: 'multiple',
      good: 'up',
      tier: 'business',
    },
    period: {
      phrase: 'last-week',
      label: 'week 46 2026',
      start: '2026-11-09',
      end: '2026-11-15',
      grain: 'week',
    },
    value: 3,
    formatted: '3,00×',
    missingMeasures: [],
  };
  return { kind: 'answer', result: { question: query, filters: {}, answers: [a] }, query, now };
}

/** Starts `slack` and points the stand-in's events at it; resolves with the app's base URL. */
export async function startAgainstStandin(slack: SlackApp, standin: SlackStandin): Promise<string> {
  const { port } = await slack.start();
  const base = `http://127.0.0.1:${port}`;
  standin.eventsUrl = `${base}/slack/events`;
  return base;
}
