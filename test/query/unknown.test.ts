// The helpful refusals: a typo offers the whole corrected command; an unknown channel or
// campaign is named with the known ones, the nearest suggested and, when unambiguous, retried.
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/query/grammar.ts';
import type { KnownValues } from '../../src/query/reader.ts';
import { typoOutcome, unknownValueOutcome, unknownWordsOutcome } from '../../src/query/unknown.ts';

const known: KnownValues = {
  channel: ['direct', 'email', 'google-ads', 'meta', 'organic'],
  campaign: ['brand', 'retarget'],
};

function query(text: string) {
  const parsed = parseCommand(text);
  if (parsed.kind !== 'query') throw new Error(`not a query: ${text}`);
  return parsed;
}

describe('unknownValueOutcome', () => {
  it('is nothing when every value exists', () => {
    expect(unknownValueOutcome(query('roas last-week channel=meta,email'), known)).toBeUndefined();
  });

  it('names an unknown channel, lists the known ones and has no retry without a near one', () => {
    const out = unknownValueOutcome(query('roas last-week channel=facebook'), known);
    expect(out).toEqual({
      kind: 'error',
      message:
        'There is no channel `facebook`. Known channels: `direct`, `email`, `google-ads`, `meta`, `organic`.',
      examples: [],
    });
  });

  it('suggests the nearest and retries the whole command with it', () => {
    const out = unknownValueOutcome(
      query('roas last-week vs previous by campaign channel=metta,email campaign=retargt'),
      known,
    );
    expect(out?.message).toBe(
      'There is no channel `metta`. Did you mean `meta`? Known channels: `direct`, `email`, `google-ads`, `meta`, `organic`. There is no campaign `retargt`. Did you mean `retarget`? Known campaigns: `brand`, `retarget`.',
    );
    // The message names the nearest; the retry button carries the whole command.
    expect(out?.suggestions).toBeUndefined();
    expect(out?.retry).toBe(
      'roas last-week vs previous by campaign channel=meta,email campaign=retarget',
    );
  });

  it('leaves a dimension the store has no values of to the "no data" answer', () => {
    expect(
      unknownValueOutcome(query('roas channel=meta campaign=x'), { ...known, campaign: [] }),
    ).toBeUndefined();
  });
});

describe('unknownWordsOutcome and typoOutcome', () => {
  it('says a word after "for" names no channel or campaign, with both lists', () => {
    const out = unknownWordsOutcome(['emial'], known, 'roas last-week');
    expect(out.message).toBe(
      "I don't know `emial`: no channel or campaign is called that. Did you mean `channel=email`? Known channels: `direct`, `email`, `google-ads`, `meta`, `organic`. Known campaigns: `brand`, `retarget`.",
    );
    expect(out.retry).toBe('roas last-week channel=email');
  });

  it('offers the whole corrected command', () => {
    expect(
      typoOutcome(
        [
          { from: 'raos', to: 'roas' },
          { from: 'vekan', to: 'veckan' },
        ],
        'roas last-week',
      ),
    ).toEqual({
      kind: 'error',
      message: 'I read `raos` as `roas`, `vekan` as `veckan`.',
      suggestions: ['roas last-week'],
      examples: [],
      retry: 'roas last-week',
    });
  });
});
