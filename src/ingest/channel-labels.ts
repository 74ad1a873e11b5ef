// The channels of one import (a file, a push): each value read through the vocabulary once, the
// stored name remembered, and what happened noted for the report — the names stored under
// another (`Organic Search` → organic) and the channels the vocabulary does not know, which are
// kept as given and named once ("new channel `tiktok`").
import { type ChannelVocabulary, canonicalChannel } from '../kpi/channels.ts';

/** Entries listed in the report; the rest are only counted. */
export const MAX_LISTED_CHANNELS = 50;
/** Distinct values remembered; past this they are looked up again (a file of odd channels). */
const REMEMBERED_MAX = 10_000;

export interface ChannelReport {
  /** Values stored under a canonical channel of another spelling, in the order first read. */
  relabelled: Array<{ from: string; to: string }>;
  /** Channels the vocabulary does not know, stored as given (or as a slug), each once. */
  unknown: string[];
  /** Relabelled and unknown values beyond the listed ones. */
  more: number;
}

/** `tiktok` → "new channel `tiktok` — add it to `channels:` …", for the report. */
export function newChannelNotice(channel: string): string {
  return `new channel \`${channel}\` — add it to \`channels:\` in kpibot.config.yml to name it`;
}

export class ChannelLabels {
  readonly report: ChannelReport = { relabelled: [], unknown: [], more: 0 };
  private readonly stored = new Map<string, string>();
  private readonly noted = new Set<string>();
  /** Per stored channel, the first few values stored under it (for a duplicate's reason). */
  private readonly names = new Map<string, string[]>();

  constructor(private readonly vocabulary: ChannelVocabulary) {}

  /**
   * The channel to store for `value` (trimmed): the canonical one, else `value` itself, or its
   * slug (lower case, spaces as '-') when `slugUnknown`.
   */
  label(value: string, slugUnknown = false): string {
    const remembered = this.stored.get(value);
    if (remembered !== undefined) return remembered;
    const c = canonicalChannel(this.vocabulary, value);
    const out = c.known ? c.channel : slugUnknown ? slug(c.channel) : c.channel;
    if (!c.known) this.note(`?${out}`, () => this.report.unknown.push(out));
    else if (out !== value) {
      this.note(`${value}\u0000${out}`, () =>
        this.report.relabelled.push({ from: value, to: out }),
      );
    }
    if (this.stored.size >= REMEMBERED_MAX) {
      this.stored.clear();
      this.names.clear();
    }
    this.stored.set(value, out);
    const names = this.names.get(out) ?? [];
    if (names.length < 3) names.push(value);
    this.names.set(out, names);
    return out;
  }

  /** The values read so far that are stored as `channel` (several: one channel, two names). */
  namesOf(channel: string): readonly string[] {
    return this.names.get(channel) ?? [];
  }

  private note(key: string, list: () => void): void {
    if (this.noted.has(key)) return;
    if (this.noted.size >= MAX_LISTED_CHANNELS) {
      this.report.more++;
      return;
    }
    this.noted.add(key);
    list();
  }
}

function slug(value: string): string {
  return value.toLowerCase().replace(/\s+/g, '-');
}
