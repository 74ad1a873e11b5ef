// The words for breakdowns, shared by KPI questions and alert rules: `by channel`,
// `per kanal`, `efter kampanj`, and the dimension names in filters (`kanal=meta`).
import type { Dimension } from './types.ts';

/** A dimension's name as written (English or Swedish, singular or plural). */
export const DIMENSION_WORDS: Readonly<Record<string, Dimension>> = {
  channel: 'channel',
  channels: 'channel',
  kanal: 'channel',
  kanaler: 'channel',
  campaign: 'campaign',
  campaigns: 'campaign',
  kampanj: 'campaign',
  kampanjer: 'campaign',
};

/** The words that start a breakdown: `by channel`, `per kanal`, `efter kampanj`. */
export const GROUP_WORDS: ReadonlySet<string> = new Set(['by', 'per', 'efter']);
