// The channel vocabulary: the canonical channels facts are stored under (the built-in ones the
// KPIs use — google-ads, meta, organic, … — plus a team's own from `channels:` in
// kpibot.config.yml), each with the other names sources give it (GA4's "Organic Search", a push
// API's "facebook"). Imports, the push API, questions and alert rules all go through
// canonicalChannel, so one channel has one name in the store. Pure, no I/O.
import type { Filters } from './types.ts';

export interface ChannelDefinition {
  /** The canonical name, as stored: lower-case letters, digits and '-'. */
  id: string;
  /** For people (`kpibot channels`). */
  name: string;
  /** Other names read as this channel, as written in the table or the configuration. */
  aliases: readonly string[];
  origin: 'built-in' | 'config';
}

export interface ChannelVocabulary {
  /** Every canonical channel, in table order (built-in first, then the team's). */
  readonly channels: readonly ChannelDefinition[];
  /** channelKey(name or alias) → canonical id. */
  readonly byKey: ReadonlyMap<string, string>;
}

/** `channels:` of kpibot.config.yml: canonical id → its name and aliases. */
export type ChannelsConfig = Readonly<
  Record<string, { name?: string; aliases: readonly string[] }>
>;

/**
 * How names are compared: trimmed, lower-case, runs of spaces and '_' as one '-'
 * (`Organic Search`, `organic_search` and `organic-search` are one name).
 */
export function channelKey(raw: string): string {
  return raw
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');
}

const CHANNEL_ID = /^[a-z0-9][a-z0-9-]*$/;

/**
 * GA4's default channel groups (Session default channel group) and the channel each is stored
 * as. Only Organic Search, Mobile Push Notifications and Affiliates differ from the group's slug.
 */
export const GA4_CHANNEL_GROUPS: ReadonlyArray<{ group: string; channel: string }> = [
  { group: 'Organic Search', channel: 'organic' },
  { group: 'Direct', channel: 'direct' },
  { group: 'Email', channel: 'email' },
  { group: 'Referral', channel: 'referral' },
  { group: 'Paid Search', channel: 'paid-search' },
  { group: 'Paid Social', channel: 'paid-social' },
  { group: 'Organic Social', channel: 'organic-social' },
  { group: 'Display', channel: 'display' },
  { group: 'Paid Video', channel: 'paid-video' },
  { group: 'Organic Video', channel: 'organic-video' },
  { group: 'Paid Shopping', channel: 'paid-shopping' },
  { group: 'Organic Shopping', channel: 'organic-shopping' },
  { group: 'Paid Other', channel: 'paid-other' },
  { group: 'Cross-network', channel: 'cross-network' },
  { group: 'Affiliates', channel: 'affiliate' },
  { group: 'SMS', channel: 'sms' },
  { group: 'Mobile Push Notifications', channel: 'mobile-push' },
  { group: 'Audio', channel: 'audio' },
  { group: 'Unassigned', channel: 'unassigned' },
];

/** The built-in channels and their aliases (GA4's group names are added from the table above). */
const BUILT_IN: ReadonlyArray<{ id: string; name: string; aliases: readonly string[] }> = [
  {
    id: 'google-ads',
    name: 'Google Ads',
    aliases: ['google', 'adwords', 'google-adwords', 'gads'],
  },
  {
    id: 'meta',
    name: 'Meta (Facebook, Instagram)',
    aliases: ['facebook', 'instagram', 'fb', 'ig', 'facebook-ads', 'instagram-ads', 'meta-ads'],
  },
  { id: 'organic', name: 'Organic search', aliases: ['seo', 'organic-search'] },
  { id: 'direct', name: 'Direct', aliases: [] },
  { id: 'email', name: 'Email', aliases: ['e-mail', 'newsletter'] },
  { id: 'referral', name: 'Referral', aliases: ['referrals'] },
  { id: 'paid-search', name: 'Paid search', aliases: ['sem', 'ppc'] },
  { id: 'paid-social', name: 'Paid social', aliases: [] },
  { id: 'organic-social', name: 'Organic social', aliases: ['social'] },
  { id: 'display', name: 'Display', aliases: [] },
  { id: 'paid-video', name: 'Paid video', aliases: [] },
  { id: 'organic-video', name: 'Organic video', aliases: [] },
  { id: 'paid-shopping', name: 'Paid shopping', aliases: [] },
  { id: 'organic-shopping', name: 'Organic shopping', aliases: [] },
  { id: 'paid-other', name: 'Paid other', aliases: [] },
  { id: 'cross-network', name: 'Cross-network', aliases: [] },
  { id: 'affiliate', name: 'Affiliates', aliases: ['affiliates'] },
  { id: 'sms', name: 'SMS', aliases: [] },
  { id: 'mobile-push', name: 'Mobile push notifications', aliases: [] },
  { id: 'audio', name: 'Audio', aliases: [] },
  { id: 'unassigned', name: 'Unassigned', aliases: [] },
];

/** A problem in `channels:`, at its path below the key. */
export interface ChannelConfigError {
  path: Array<string | number>;
  message: string;
}

interface Draft {
  id: string;
  name: string;
  origin: ChannelDefinition['origin'];
  /** alias key → the alias as written. */
  aliases: Map<string, string>;
}

function builtInDrafts(): Map<string, Draft> {
  const drafts = new Map<string, Draft>();
  for (const c of BUILT_IN) {
    const aliases = new Map(c.aliases.map((a) => [channelKey(a), a]));
    drafts.set(c.id, { id: c.id, name: c.name, origin: 'built-in', aliases });
  }
  for (const { group, channel } of GA4_CHANNEL_GROUPS) {
    const aliases = drafts.get(channel)?.aliases;
    const key = channelKey(group);
    if (key !== channel && !aliases?.has(key)) aliases?.set(key, group);
  }
  return drafts;
}

/**
 * The built-in vocabulary extended by a team's `channels:`. The team's word wins: a team channel
 * named like a built-in alias takes that name for itself (`instagram` on its own), and a team
 * alias that is a built-in channel folds that channel in (`meta: [paid-social]`). Errors name
 * the key: an id that is not a channel name, or an alias two team channels both claim.
 */
export function buildChannelVocabulary(config: ChannelsConfig = {}): {
  vocabulary: ChannelVocabulary;
  errors: ChannelConfigError[];
} {
  const drafts = builtInDrafts();
  const errors: ChannelConfigError[] = [];
  const teamIds = Object.keys(config);
  const claimedBy = new Map<string, string>();
  for (const id of teamIds) {
    if (!CHANNEL_ID.test(id)) {
      errors.push({
        path: [id],
        message: 'a channel is lower-case letters, digits and -, e.g. tiktok',
      });
      continue;
    }
    for (const d of drafts.values()) d.aliases.delete(id);
    const entry = config[id]!;
    const existing = drafts.get(id);
    const draft: Draft = existing ?? { id, name: id, origin: 'config', aliases: new Map() };
    if (entry.name !== undefined) draft.name = entry.name;
    drafts.set(id, draft);
  }
  for (const id of teamIds) {
    const draft = drafts.get(id);
    if (draft === undefined) continue;
    for (const [i, alias] of (config[id]?.aliases ?? []).entries()) {
      const key = channelKey(alias);
      const path = [id, 'aliases', i];
      if (key === '' || key === id) continue;
      const other = claimedBy.get(key);
      if (other !== undefined && other !== id) {
        errors.push({
          path,
          message: `"${alias}" is an alias of ${other} too; give it to one channel`,
        });
        continue;
      }
      if (Object.hasOwn(config, key)) {
        errors.push({ path, message: `"${alias}" is a channel of its own in channels:` });
        continue;
      }
      claimedBy.set(key, id);
      const folded = drafts.get(key);
      if (folded !== undefined) {
        for (const [k, a] of folded.aliases) draft.aliases.set(k, a);
        drafts.delete(key);
      }
      for (const d of drafts.values()) if (d !== draft) d.aliases.delete(key);
      draft.aliases.set(key, alias);
    }
  }
  const channels: ChannelDefinition[] = [];
  const byKey = new Map<string, string>();
  for (const d of drafts.values()) {
    channels.push({ id: d.id, name: d.name, aliases: [...d.aliases.values()], origin: d.origin });
    byKey.set(d.id, d.id);
    for (const key of d.aliases.keys()) byKey.set(key, d.id);
  }
  return { vocabulary: { channels, byKey }, errors };
}

/** The built-in vocabulary alone (no `channels:` configured). */
export const BUILT_IN_CHANNELS: ChannelVocabulary = buildChannelVocabulary().vocabulary;

export interface CanonicalChannel {
  /** The canonical id, or the value as given (trimmed) when the vocabulary does not know it. */
  channel: string;
  /** False for a name the vocabulary does not know (kept as given, never merged). */
  known: boolean;
}

/** The stored name for a channel as a source or a person wrote it. '' stays '' (no channel). */
export function canonicalChannel(vocab: ChannelVocabulary, raw: string): CanonicalChannel {
  const trimmed = raw.trim();
  if (trimmed === '') return { channel: '', known: true };
  const id = vocab.byKey.get(channelKey(trimmed));
  return id === undefined ? { channel: trimmed, known: false } : { channel: id, known: true };
}

/** A name written in a question or rule that was read as another: `facebook` → `meta`. */
export interface ChannelReading {
  written: string;
  channel: string;
}

/** `filters` with each channel read through the vocabulary, and the ones read as another name. */
export function canonicalFilters(
  vocab: ChannelVocabulary,
  filters: Filters,
): { filters: Filters; readings: ChannelReading[] } {
  const values = filters.channel;
  if (values === undefined) return { filters, readings: [] };
  const readings: ChannelReading[] = [];
  const channels: string[] = [];
  for (const written of values) {
    const { channel } = canonicalChannel(vocab, written);
    if (channel !== '' && channelKey(written) !== channel) readings.push({ written, channel });
    if (!channels.includes(channel)) channels.push(channel);
  }
  return { filters: { ...filters, channel: channels }, readings };
}

/**
 * Every name the vocabulary reads as one of `stored` (the channels with data): their ids and
 * aliases as keys (`facebook`, `organic-search`), for a reader that matches names in words.
 */
export function namesOfChannels(vocab: ChannelVocabulary, stored: readonly string[]): string[] {
  const wanted = new Set(stored);
  const names = new Set<string>();
  for (const [key, id] of vocab.byKey) if (wanted.has(id)) names.add(key);
  return [...names].filter((n) => !wanted.has(n));
}

/**
 * The stored channels the vocabulary names otherwise (`paid-social` once `meta: [paid-social]`
 * is configured, `TikTok` once `tiktok` is), each with the channel its facts move to. Unknown
 * and already canonical names stay.
 */
export function relabelPlan(
  vocab: ChannelVocabulary,
  stored: readonly string[],
): Array<{ from: string; to: string }> {
  return stored.flatMap((from) => {
    const { channel, known } = canonicalChannel(vocab, from);
    return known && channel !== from ? [{ from, to: channel }] : [];
  });
}
