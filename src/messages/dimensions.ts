// The breakdown dimensions as the messages name them, one and many, in both languages: the
// words every catalogue that names channels or campaigns uses. Pure.
export type Dimension = 'channel' | 'campaign';

export const EN_PLURAL: Readonly<Record<Dimension, string>> = {
  channel: 'channels',
  campaign: 'campaigns',
};
export const SV_DIMENSION: Readonly<Record<Dimension, string>> = {
  channel: 'kanal',
  campaign: 'kampanj',
};
export const SV_PLURAL: Readonly<Record<Dimension, string>> = {
  channel: 'kanaler',
  campaign: 'kampanjer',
};

/** A dimension's Swedish name, or the word as it came when it is none of them. */
export function svDimension(d: string): string {
  return d === 'channel' || d === 'campaign' ? SV_DIMENSION[d] : d;
}
