// The workspace's conversations (pure, in memory): which conversation a `channel` argument
// means, and what a post to a response_url does to the messages.
import { describe, expect, it } from 'vitest';
import { Conversations, channelName } from '../../src/local/conversations.ts';

const bot = { userId: 'U0KPIBOT', botId: 'B0KPIBOT' };
const clock = () => Date.parse('2026-11-18T09:00:00Z');

describe('channel references', () => {
  it.each([
    // [reference, id it resolves to, name]
    ['#marketing', 'C0MARKETING', 'marketing'], // a seeded channel by name
    ['alerts', 'C0ALERTS', 'alerts'], // without the #
    ['C0ALERTS', 'C0ALERTS', 'alerts'], // by id
    ['#Growth Team', 'C0GROWTHTEAM', 'growth-team'], // a new channel, named as Slack would
    ['C3DEAD', 'C3DEAD', 'c3dead'], // an unknown id is kept as given (tests use their own)
    ['U0ADA', 'D0ADA', 'u0ada'], // a user id: their direct message with the bot
  ])('%s → %s', (ref, id, name) => {
    const conv = new Conversations(bot, undefined, clock);
    expect(conv.resolve(ref)).toMatchObject({ id, name });
  });

  it('refuses references without a usable character', () => {
    const conv = new Conversations(bot, undefined, clock);
    expect(conv.resolve('#!!!')).toBeUndefined();
    expect(conv.resolve('')).toBeUndefined();
    expect(conv.resolve(42)).toBeUndefined();
    expect(channelName('  #Kampanj Öst ')).toBe('kampanj-st');
  });

  it('gives two names that clean up alike two channels', () => {
    const conv = new Conversations(bot, [], clock);
    const a = conv.channelNamed('growth-team')!;
    const b = conv.channelNamed('growth_team')!;
    expect([a.id, b.id]).toEqual(['C0GROWTHTEAM', 'C0GROWTHTEAM2']);
  });
});

describe('response_url posts', () => {
  const setup = () => {
    const conv = new Conversations(bot, undefined, clock);
    conv.openResponse('cmd', { kind: 'command', channel: 'C0MARKETING', user: 'U0ADA' });
    return conv;
  };
  const visible = (conv: Conversations) =>
    conv.messages.filter((m) => !m.deleted).map((m) => [m.text, m.visibleTo ?? 'everyone']);

  it('posts ephemeral by default, in the channel when asked, each a new message', () => {
    const conv = setup();
    conv.applyResponse('cmd', { text: 'only for Ada' });
    conv.applyResponse('cmd', { text: 'for everyone', response_type: 'in_channel' });
    expect(visible(conv)).toEqual([
      ['only for Ada', 'U0ADA'],
      ['for everyone', 'everyone'],
    ]);
  });

  it('replaces or deletes the original: a button’s message, or the command’s latest answer', () => {
    const conv = setup();
    const answer = conv.applyResponse('cmd', { text: 'answer', blocks: [{ type: 'divider' }] })!;
    conv.openResponse('click', {
      kind: 'action',
      channel: 'C0MARKETING',
      user: 'U0ADA',
      originalTs: answer.ts,
    });
    conv.applyResponse('click', { replace_original: true, text: 'answer, updated' });
    expect(visible(conv)).toEqual([['answer, updated', 'U0ADA']]);
    expect(answer.blocks).toBeUndefined();
    // A new message through the click's URL leaves its original alone.
    conv.applyResponse('click', { text: 'a note' });
    conv.applyResponse('click', { delete_original: 'true' });
    expect(visible(conv)).toEqual([['a note', 'U0ADA']]);
  });

  it('takes the command’s typed echo away once its answer is there', () => {
    const conv = setup();
    conv.add({
      channel: 'C0MARKETING',
      user: 'U0ADA',
      visibleTo: 'U0ADA',
      command: '/kpi roas',
      responseId: 'cmd',
    });
    conv.applyResponse('cmd', { text: 'ROAS 10,4×' });
    expect(visible(conv)).toEqual([['ROAS 10,4×', 'U0ADA']]);
  });

  it('ignores an empty post and accepts a URL it did not hand out', () => {
    const conv = setup();
    expect(conv.applyResponse('cmd', {})).toBeUndefined();
    expect(conv.applyResponse('unknown', { text: 'hello' })).toMatchObject({
      channel: 'C0MARKETING',
    });
  });
});

describe('history', () => {
  it('lists the channel’s top-level messages everyone sees, newest first', () => {
    const conv = new Conversations(bot, undefined, clock);
    const first = conv.add({ channel: 'C0ALERTS', text: 'alert', user: bot.userId });
    conv.add({ channel: 'C0ALERTS', text: 'resolved', threadTs: first.ts });
    conv.add({ channel: 'C0ALERTS', text: 'also in channel', threadTs: first.ts, broadcast: true });
    conv.add({ channel: 'C0ALERTS', text: 'just you', visibleTo: 'U0ADA' });
    conv.add({ channel: 'C0MARKETING', text: 'elsewhere' });
    expect(conv.history('C0ALERTS').map((m) => m.text)).toEqual(['also in channel', 'alert']);
    expect(conv.history('C0ALERTS', { limit: 1 }).map((m) => m.text)).toEqual(['also in channel']);
    expect(conv.replies('C0ALERTS', first.ts).map((m) => m.text)).toEqual([
      'resolved',
      'also in channel',
    ]);
  });
});
