// `/kpi channels` and `kpibot channels [apply [--dry-run]]`: the channel vocabulary next to what
// the store holds — each canonical channel with its aliases, sources and last day with data,
// the stored names the vocabulary does not know, and the stored names it now calls otherwise
// (which `kpibot channels apply` moves, in one transaction).
import { type ChannelVocabulary, channelKey, relabelPlan } from '../kpi/channels.ts';
import { MEASURES } from '../kpi/measures.ts';
import { type CommandModule, type MessageOutcome, message } from '../reply/command.ts';
import { code, escapeMrkdwn } from '../reply/mrkdwn.ts';
import {
  type ChannelMoveCount,
  type ChannelUsage,
  channelUsage,
  countChannelMoves,
  moveChannels,
} from '../store/channels.ts';
import type { Db } from '../store/db.ts';

export interface ChannelsDeps {
  db: Db;
  channels: ChannelVocabulary;
}

const n = (x: number) => x.toLocaleString('en-US');
const facts = (x: number) => `${n(x)} ${x === 1 ? 'fact' : 'facts'}`;
const list = (xs: readonly string[]) => xs.map(code).join(', ');

export const channelsCommand: CommandModule<ChannelsDeps, MessageOutcome> = {
  name: 'channels',
  words: ['channels', 'kanaler'],
  examples: ['/kpi channels'],
  run: async (_text, _ctx, deps) => channelsOutcome(deps.channels, await channelUsage(deps.db)),
};

/** The vocabulary beside the store's channels, as lines (pure: the usage is given). */
export function channelsOutcome(
  vocab: ChannelVocabulary,
  usage: readonly ChannelUsage[],
): MessageOutcome {
  const byName = new Map(usage.map((u) => [u.channel, u]));
  const lines: string[] = [];
  const idle: string[] = [];
  for (const c of vocab.channels) {
    const u = byName.get(c.id);
    const aliases = c.aliases.length > 0 ? ` — also ${list(c.aliases)}` : '';
    const own = c.origin === 'config' ? ' (kpibot.config.yml)' : '';
    if (u === undefined) {
      idle.push(`${code(c.id)}${aliases}`);
      continue;
    }
    lines.push(
      `*${code(c.id)}* ${escapeMrkdwn(c.name)}${own}${aliases} · from ${u.sources.map(escapeMrkdwn).join(', ')} · last day ${u.lastDay} (${facts(u.facts)})`,
    );
  }
  const pending = relabelPlan(
    vocab,
    usage.map((u) => u.channel),
  );
  const moving = new Set(pending.map((p) => p.from));
  const unknown = usage.filter(
    (u) => u.channel !== '' && !moving.has(u.channel) && !vocab.byKey.has(channelKey(u.channel)),
  );
  for (const u of unknown) {
    lines.push(
      `${code(u.channel)} — not in the vocabulary: add it to \`channels:\` to name it · from ${u.sources.map(escapeMrkdwn).join(', ')} · last day ${u.lastDay} (${facts(u.facts)})`,
    );
  }
  for (const p of pending) {
    const u = byName.get(p.from);
    lines.push(
      `${code(p.from)} is now ${code(p.to)}: ${facts(u?.facts ?? 0)} move with \`kpibot channels apply\``,
    );
  }
  if (usage.length === 0) lines.push('No facts yet.');
  if (idle.length > 0) lines.push(`No data yet: ${idle.join('; ')}`);
  return message('info', 'Channels', lines);
}

export interface ApplyResult {
  dryRun: boolean;
  moves: ChannelMoveCount[];
}

/** `kpibot channels apply`: moves the facts of every stored name the vocabulary calls otherwise. */
export async function applyChannels(
  deps: ChannelsDeps,
  opts: { dryRun: boolean },
): Promise<ApplyResult> {
  const usage = await channelUsage(deps.db);
  const plan = relabelPlan(
    deps.channels,
    usage.map((u) => u.channel),
  );
  const average = MEASURES.filter((m) => m.kind === 'average').map((m) => m.id);
  const moves = opts.dryRun
    ? await countChannelMoves(deps.db, plan)
    : await moveChannels(deps.db, plan, average);
  return { dryRun: opts.dryRun, moves };
}

/** The apply result as terminal text. */
export function applyText(r: ApplyResult): string {
  if (r.moves.length === 0) return 'Every stored channel has its canonical name: nothing to move.';
  const total = r.moves.reduce((s, m) => s + m.facts, 0);
  const lines = [
    r.dryRun ? `Dry run: ${facts(total)} would move (nothing changed):` : `Moved ${facts(total)}:`,
    ...r.moves.map(
      (m) =>
        `  ${m.from} → ${m.to}: ${facts(m.facts)}${m.merging > 0 ? ` (${n(m.merging)} added to facts already on ${m.to})` : ''}`,
    ),
  ];
  return lines.join('\n');
}
