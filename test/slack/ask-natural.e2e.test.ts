// Issue 16's table through Slack: the app started as users start it (a separate process) on
// the demo data, the Slack stand-in playing Slack over real HTTP. Expected text:
// test/helpers/issue-rows.ts (numbers worked out from the demo facts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUN_RETRY_ACTION } from '../../src/commands/views/slack.ts';
import { blockKitViolations } from '../../src/reply/limits.ts';
import { openStore } from '../../src/store/db.ts';
import { upsertFacts } from '../../src/store/facts.ts';
import {
  type AppProcess,
  standinEnv,
  startAppProcess,
  stopAppProcess,
} from '../helpers/app-process.ts';
import { demoFacts, type IssueRow, issueRows, NOW } from '../helpers/issue-rows.ts';
import {
  type RecordedCall,
  type SlackStandin,
  startSlackStandin,
} from '../helpers/slack-standin.ts';

const SIGNING_SECRET = 'natural-signing-secret-4b8e1f0a9c2d';
const BOT_TOKEN = 'xoxb-4242-7777-naturalbottoken';

const facts = demoFacts();
const rows = issueRows(facts);
let standin: SlackStandin;
let app: AppProcess;
let workDir: string;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'kpibot-natural-'));
  const dataDir = join(workDir, 'data');
  const db = await openStore({ dataDir });
  await upsertFacts(db, facts, { source: 'demo' });
  await db.close();
  standin = await startSlackStandin({ signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN });
  app = startAppProcess(
    standinEnv(
      standin,
      { signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN },
      {
        KPIBOT_DATA_DIR: dataDir,
        KPIBOT_NOW: NOW,
        KPIBOT_TIMEZONE: 'Europe/Stockholm',
      },
    ),
    workDir,
  );
  await app.ready;
  standin.eventsUrl = `http://127.0.0.1:${app.port}/slack/events`;
}, 120_000);

afterAll(async () => {
  await stopAppProcess(app);
  await standin?.close();
  rmSync(workDir, { recursive: true, force: true });
});

/** Sends `/kpi <text>` and returns the ephemeral reply, checked against Block Kit's limits. */
async function ask(text: string): Promise<{ reply: RecordedCall; responseId: string }> {
  const sent = await standin.slashCommand(text);
  expect(sent.status).toBe(200);
  const reply = await standin.waitForResponse(sent.responseId, { timeoutMs: 15_000 });
  expect(reply.body.response_type).toBe('ephemeral');
  expect(
    blockKitViolations({ text: reply.body.text as string, blocks: reply.body.blocks as never }),
  ).toEqual([]);
  return { reply, responseId: sent.responseId };
}

const blocksText = (call: RecordedCall) => JSON.stringify(call.body.blocks);

function checkSays(call: RecordedCall, row: IssueRow): void {
  const shown = blocksText(call);
  for (const text of row.says) expect(shown).toContain(text);
  for (const text of row.never ?? []) expect(shown).not.toContain(text);
}

describe('/kpi: questions as people type them (issue 16)', () => {
  it.each(rows)('$typed', async (row) => {
    const { reply } = await ask(row.typed);
    const shown = blocksText(reply);
    if (row.reading) {
      expect(shown).toContain(`Tolkat som \`/kpi ${row.reading}\``); // sv-SE
      expect(String(reply.body.text)).toMatch(new RegExp(`^Tolkat som /kpi ${row.reading}\\n`));
    } else expect(shown).not.toContain('Tolkat som');
    expect(shown.includes(RUN_RETRY_ACTION)).toBe(row.retry !== undefined);
    checkSays(reply, row);
  });

  it('a typo answer runs the whole corrected command when its button is clicked', async () => {
    const typo = rows.find((r) => r.retry)!;
    const { reply, responseId } = await ask(typo.typed);
    const click = await standin.clickButton(reply, RUN_RETRY_ACTION, { responseId });
    expect(click.status).toBe(200);
    const answer = await standin.waitForResponse(responseId, { index: 1, timeoutMs: 15_000 });
    expect(answer.body).toMatchObject({ response_type: 'ephemeral', replace_original: true });
    // The corrected command answers like the first row of the table (`roas last-week`).
    const asTyped = rows.find((r) => r.reading === typo.retry)!;
    checkSays(answer, asTyped);
    expect(blocksText(answer)).not.toContain(RUN_RETRY_ACTION);
    expect(
      blockKitViolations({ text: answer.body.text as string, blocks: answer.body.blocks as never }),
    ).toEqual([]);
  });
});
