// The alt text carries the numbers the chart shows, formatted as the text views format them.
import { describe, expect, it } from 'vitest';
import { answerAltText } from '../../src/charts/alt.ts';
import { breakdownAnswer, context, format, trendAnswer } from './fixtures.ts';

describe('answerAltText', () => {
  it('a trend: value, comparison with its change, the floor and its status, earlier periods', () => {
    expect(answerAltText(trendAnswer, context)).toBe(
      'Avkastning på annonskostnad (roas), trenddiagram, vecka 47, 2026 (2026-11-16 – 2026-11-22): 3,25×.' +
        ' mot föregående (vecka 46, 2026 (2026-11-09 – 2026-11-15)): 2,4×, förändring +0,85× (+35\u00a0%).' +
        ' Lägstanivå 3,0× (når lägstanivån).' +
        ' Tidigare perioder, äldst först: 4,2×, 3,8×, inga data, 2,6×, 3,1×, 3,5×, 2,4×.',
    );
  });

  it('a breakdown: every group in chart order, no-data groups named', () => {
    const alt = answerAltText(breakdownAnswer, context);
    expect(alt).toContain(
      'Per kanal: google-ads 4,0×, meta 1,6×, direct inga data, email inga data, organic inga data.',
    );
    expect(alt).toContain(`: ${format.value(3.25, 'multiple')}.`);
  });

  it('without a threshold it names none', () => {
    expect(answerAltText(trendAnswer, { ...context, threshold: undefined })).not.toMatch(
      /lägstanivå|riktvärde/i,
    );
  });
});
