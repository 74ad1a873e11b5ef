// The late-source line of /kpi status in both languages: behind its cadence (the days it should
// have and has), or on time by its days while its SQL syncs keep failing; Swedish without an
// English word.
import { describe, expect, it } from 'vitest';
import { type LateArrival, STATUS_WORDS } from '../../src/messages/status.ts';
import { englishIn } from '../helpers/english-words.ts';

const behind: LateArrival = {
  cadence: 'daily',
  learned: true,
  lastDay: '2026-11-30',
  expected: '2026-12-02',
  reason: 'daily (learned): data up to 2026-12-02 expected, the newest is 2026-11-30',
};
const failing: LateArrival = {
  cadence: 'daily',
  by: '10:00',
  learned: false,
  lastDay: '2026-12-02',
  expected: '2026-12-02',
  syncsFailing: true,
  reason: 'its syncs fail',
};

describe('a late source in /kpi status', () => {
  it('in Swedish, says which day was due and which is the newest, or that syncs fail', () => {
    const sv = STATUS_WORDS.sv;
    expect(sv.sourceLate('google-ads', behind)).toBe(
      'Källan google-ads är sen: dagligen (inlärd): data till och med 2026-12-02 väntades, den senaste är 2026-11-30.',
    );
    expect(sv.sourceLate('google-ads', failing)).toBe(
      'Källan google-ads är sen: dagligen senast 10:00: dess synkningar misslyckas.',
    );
    for (const a of [behind, failing]) {
      expect(englishIn(sv.sourceLate('google-ads', a), ['google-ads'])).toEqual([]);
    }
  });

  it('in English, gives the sources layer’s reason', () => {
    expect(STATUS_WORDS.en.sourceLate('google-ads', failing)).toBe(
      'Source google-ads is late: its syncs fail.',
    );
  });
});
