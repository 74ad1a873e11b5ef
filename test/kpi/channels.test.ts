// The channel vocabulary: built-in names and aliases, GA4's channel groups, a team's
// `channels:` on top, filters read through it, and the re-labelling plan. Pure.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  BUILT_IN_CHANNELS,
  buildChannelVocabulary,
  canonicalChannel,
  canonicalFilters,
  channelKey,
  GA4_CHANNEL_GROUPS,
  relabelPlan,
} from '../../src/kpi/channels.ts';

describe('the built-in vocabulary', () => {
  it.each([
    // what a source writes → what is stored
    ['Organic Search', 'organic'], // GA4's group: the channel the organic KPIs filter on
    ['organic-search', 'organic'], // a slug of it (facts from before the vocabulary)
    ['SEO', 'organic'],
    ['facebook', 'meta'], // a push API's name for Meta
    ['Instagram', 'meta'],
    ['meta', 'meta'],
    ['Google', 'google-ads'],
    ['AdWords', 'google-ads'],
    ['Direct', 'direct'],
    ['Paid Search', 'paid-search'], // GA4's paid search stays its own channel…
    ['Paid Social', 'paid-social'], // …as paid social does, until the team says otherwise
    ['Mobile Push Notifications', 'mobile-push'],
    ['Affiliates', 'affiliate'],
    ['e_mail', 'email'], // '_' and spaces compare as '-'
    ['  Email  ', 'email'],
  ])('%j is stored as %j', (raw, channel) => {
    expect(canonicalChannel(BUILT_IN_CHANNELS, raw)).toEqual({ channel, known: true });
  });

  it('keeps a channel it does not know as given (trimmed), never merged into another', () => {
    expect(canonicalChannel(BUILT_IN_CHANNELS, ' TikTok ')).toEqual({
      channel: 'TikTok',
      known: false,
    });
    expect(canonicalChannel(BUILT_IN_CHANNELS, '')).toEqual({ channel: '', known: true });
  });

  it('names every GA4 default channel group, each as a channel of the vocabulary', () => {
    expect(GA4_CHANNEL_GROUPS).toHaveLength(19);
    const ids = new Set(BUILT_IN_CHANNELS.channels.map((c) => c.id));
    for (const { group, channel } of GA4_CHANNEL_GROUPS) {
      expect(ids.has(channel), channel).toBe(true);
      expect(canonicalChannel(BUILT_IN_CHANNELS, group).channel).toBe(channel);
    }
  });

  it('gives each alias to one channel only', () => {
    const seen = new Map<string, string>();
    for (const c of BUILT_IN_CHANNELS.channels) {
      for (const key of [c.id, ...c.aliases.map(channelKey)]) {
        expect(seen.get(key), `${key} in ${c.id}`).toBeUndefined();
        seen.set(key, c.id);
      }
    }
  });
});

describe('a team’s channels: on top', () => {
  it('adds channels and aliases; an alias naming a built-in channel folds it in', () => {
    const { vocabulary, errors } = buildChannelVocabulary({
      tiktok: { name: 'TikTok', aliases: ['tik tok', 'TikTok Ads'] },
      meta: { aliases: ['paid-social'] },
    });
    expect(errors).toEqual([]);
    expect(canonicalChannel(vocabulary, 'TikTok Ads').channel).toBe('tiktok');
    expect(canonicalChannel(vocabulary, 'Tik Tok').channel).toBe('tiktok');
    // GA4's "Paid Social" now lands on meta with the Meta exports.
    expect(canonicalChannel(vocabulary, 'Paid Social').channel).toBe('meta');
    expect(vocabulary.channels.some((c) => c.id === 'paid-social')).toBe(false);
    const meta = vocabulary.channels.find((c) => c.id === 'meta');
    expect(meta?.aliases).toContain('facebook'); // the built-in aliases stay
    expect(meta?.origin).toBe('built-in');
    expect(vocabulary.channels.at(-1)).toEqual({
      id: 'tiktok',
      name: 'TikTok',
      aliases: ['tik tok', 'TikTok Ads'],
      origin: 'config',
    });
  });

  it('lets a team channel take a built-in alias for itself', () => {
    const { vocabulary } = buildChannelVocabulary({ instagram: { aliases: ['ig'] } });
    expect(canonicalChannel(vocabulary, 'Instagram').channel).toBe('instagram');
    expect(canonicalChannel(vocabulary, 'ig').channel).toBe('instagram');
    expect(canonicalChannel(vocabulary, 'facebook').channel).toBe('meta');
    expect(vocabulary.channels.find((c) => c.id === 'meta')?.aliases).not.toContain('instagram');
  });

  it('names the key of each problem', () => {
    expect(
      buildChannelVocabulary({
        'Tik Tok': { aliases: [] },
        tiktok: { aliases: ['tt'] },
        'tiktok-ads': { aliases: ['tt'] },
        snap: { aliases: ['tiktok'] },
      }).errors,
    ).toEqual([
      { path: ['Tik Tok'], message: 'a channel is lower-case letters, digits and -, e.g. tiktok' },
      {
        path: ['tiktok-ads', 'aliases', 0],
        message: '"tt" is an alias of tiktok too; give it to one channel',
      },
      { path: ['snap', 'aliases', 0], message: '"tiktok" is a channel of its own in channels:' },
    ]);
  });
});

describe('filters and re-labelling', () => {
  it('reads a question’s channels through the vocabulary and says which were aliases', () => {
    expect(
      canonicalFilters(BUILT_IN_CHANNELS, {
        channel: ['facebook', 'meta', 'Organic'],
        campaign: ['x'],
      }),
    ).toEqual({
      filters: { channel: ['meta', 'organic'], campaign: ['x'] },
      // `Organic` is the channel's own name in another case: not an alias worth a note
      readings: [{ written: 'facebook', channel: 'meta' }],
    });
    expect(canonicalFilters(BUILT_IN_CHANNELS, { campaign: ['x'] })).toEqual({
      filters: { campaign: ['x'] },
      readings: [],
    });
  });

  it('moves the stored names the vocabulary calls otherwise, and only those', () => {
    const { vocabulary } = buildChannelVocabulary({
      meta: { aliases: ['paid-social'] },
      tiktok: { aliases: [] },
    });
    expect(
      relabelPlan(vocabulary, ['', 'meta', 'paid-social', 'TikTok', 'organic-search', 'snapchat']),
    ).toEqual([
      { from: 'paid-social', to: 'meta' },
      { from: 'TikTok', to: 'tiktok' },
      { from: 'organic-search', to: 'organic' },
    ]);
  });
});

describe('docs/data-import.md', () => {
  it('its GA4 table is the built-in one', () => {
    const doc = readFileSync(new URL('../../docs/data-import.md', import.meta.url), 'utf8');
    const pairs = [...doc.matchAll(/\|\s*([A-Z][A-Za-z -]+?)\s*\|\s*`([a-z-]+)`\s*/g)].map((m) => ({
      group: m[1],
      channel: m[2],
    }));
    expect(pairs).toEqual(expect.arrayContaining([...GA4_CHANNEL_GROUPS]));
    expect(pairs).toHaveLength(GA4_CHANNEL_GROUPS.length);
  });
});
