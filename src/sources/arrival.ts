// How a source's data is expected to arrive, as configured: `cadence` (daily, weekly) and `by`
// (the local time by which the previous period's data is in). On a SQL source of `sources:`,
// and for import sources (CSV, the push API: their facts.source) in `arrivals:`. Without it the
// cadence is learned from the source's history (cadence.ts).
import { z } from 'zod';

export const CADENCES = ['daily', 'weekly'] as const;
export type Cadence = (typeof CADENCES)[number];

export interface ArrivalConfig {
  cadence: Cadence;
  /** Local time, `HH:MM`. */
  by?: string;
}

export const cadenceSchema = z.enum(CADENCES, { error: 'must be daily or weekly' });

/** `HH:MM`, 24-hour; `9:30` is read as `09:30`. */
export const byTimeSchema = z
  .string()
  .regex(/^([01]?\d|2[0-3]):[0-5]\d$/, 'must be a local time such as "10:00" (quote it in YAML)')
  .transform((t) => t.padStart(5, '0'));

/** One entry of `arrivals:`. */
export const arrivalSchema = z.strictObject({
  cadence: cadenceSchema,
  by: byTimeSchema.optional(),
});

/** `arrivals:`: import source (its facts.source, e.g. `api`, `google-ads`) → how it arrives. */
export const arrivalsConfigSchema = z.record(z.string().min(1), arrivalSchema).default({});
