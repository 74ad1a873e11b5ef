// Drivers of a KPI's move: which channels or campaigns explain most of the change between two
// periods ("ROAS −0.8×: meta/retarget −62 %, google-ads/brand −9 %"). Pure.
//
// Attribution (each group's contribution; the contributions add up to the total change exactly):
// - Additive KPI (a total, no denominator): contribution = the group's own change, now − before.
// - Ratio KPI R = N / D aggregated over groups (ROAS = revenue / ad_spend, conversion_rate =
//   conversions / sessions, CAC = (marketing_cost + sales_cost) / new_customers):
//
//       contribution_i = (ΔN_i − R_before × ΔD_i) / D_now
//
//   where R_before = ΣN_before / ΣD_before and D_now = ΣD_now. Summed over the groups this is
//   (ΔN − R_before·ΔD) / D_now = (N_now − R_before·D_now) / D_now = R_now − R_before, the total
//   change. A group moves the total when its numerator changes by more than its denominator
//   "buys" at the old rate: spend that grows with revenue at the old ROAS contributes nothing,
//   spend that grows without revenue pulls ROAS down. Mix and rate effects are not split apart.
//   KPIs of the shape N/D + constant (ROI = revenue/marketing_cost − 1) have the same changes.
//   Needs ΣD_before > 0 and ΣD_now > 0; otherwise there is nothing to attribute.
// - Drivers: the groups whose contribution points the same way as the total change, largest
//   first, taken until they explain COVER (80 %) of it or MAX_DRIVERS are named; groups under
//   MIN_SHARE (5 %) of the change are never named.
// - The percentage shown for a group is its own change (its ratio's, for a ratio KPI).
import type { Unit } from '../kpi/types.ts';

export const DRIVER_COVER = 0.8;
export const MAX_DRIVERS = 3;
export const MIN_DRIVER_SHARE = 0.05;
/** A move of at least this relative size is "notable" and gets its drivers named. */
export const NOTABLE_CHANGE = 0.1;

export interface BeforeNow {
  before: number;
  now: number;
}

/** One group (channel or campaign) with the base aggregates behind the KPI in both periods. */
export interface DriverGroup {
  key: string;
  /** The total for an additive KPI, or the ratio's numerator (summed base measures). */
  numerator: BeforeNow;
  /** The ratio's denominator; absent for an additive KPI. */
  denominator?: BeforeNow;
}

export interface Contribution {
  key: string;
  /** Part of the total change, in the KPI's unit; all contributions add up to `total.change`. */
  contribution: number;
  /** contribution / total change (0 when the total did not move). */
  share: number;
  /** The group's own KPI value before and now (null where its denominator is 0). */
  before: number | null;
  now: number | null;
  /** The group's own relative change; null when it had no value before (new) or now. */
  changePct: number | null;
}

export interface Attribution {
  /** The KPI over all groups, before and now, and its change. */
  total: { before: number; now: number; change: number };
  /** Every group, by |contribution|, largest first. */
  contributions: Contribution[];
}

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

function ratio(n: number, d: number): number | null {
  return d === 0 ? null : n / d;
}

function relative(before: number | null, now: number | null): number | null {
  if (before === null || now === null || before === 0) return null;
  return (now - before) / Math.abs(before);
}

/**
 * Attributes the total change to the groups (see the file header). Null when a ratio's total
 * denominator is 0 in either period, or there are no groups.
 */
export function attribute(groups: readonly DriverGroup[]): Attribution | null {
  if (groups.length === 0) return null;
  const isRatio = groups.some((g) => g.denominator !== undefined);
  const nBefore = sum(groups.map((g) => g.numerator.before));
  const nNow = sum(groups.map((g) => g.numerator.now));

  let total: Attribution['total'];
  let contributionOf: (g: DriverGroup) => number;
  let groupValue: (g: DriverGroup, when: keyof BeforeNow) => number | null;
  if (isRatio) {
    const dBefore = sum(groups.map((g) => g.denominator?.before ?? 0));
    const dNow = sum(groups.map((g) => g.denominator?.now ?? 0));
    if (dBefore <= 0 || dNow <= 0) return null;
    const rBefore = nBefore / dBefore;
    const rNow = nNow / dNow;
    total = { before: rBefore, now: rNow, change: rNow - rBefore };
    contributionOf = (g) => {
      const dn = g.numerator.now - g.numerator.before;
      const dd = (g.denominator?.now ?? 0) - (g.denominator?.before ?? 0);
      return (dn - rBefore * dd) / dNow;
    };
    groupValue = (g, when) => ratio(g.numerator[when], g.denominator?.[when] ?? 0);
  } else {
    total = { before: nBefore, now: nNow, change: nNow - nBefore };
    contributionOf = (g) => g.numerator.now - g.numerator.before;
    groupValue = (g, when) => g.numerator[when];
  }

  const contributions = groups.map((g): Contribution => {
    const contribution = contributionOf(g);
    const before = groupValue(g, 'before');
    const now = groupValue(g, 'now');
    return {
      key: g.key,
      contribution,
      share: total.change === 0 ? 0 : contribution / total.change,
      before,
      now,
      changePct: relative(before, now),
    };
  });
  contributions.sort(
    (a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || a.key.localeCompare(b.key),
  );
  return { total, contributions };
}

export interface DriverOptions {
  cover?: number;
  max?: number;
  minShare?: number;
}

/** The groups that explain most of the move (see the file header); empty when nothing moved. */
export function topDrivers(attribution: Attribution, options: DriverOptions = {}): Contribution[] {
  const cover = options.cover ?? DRIVER_COVER;
  const max = options.max ?? MAX_DRIVERS;
  const minShare = options.minShare ?? MIN_DRIVER_SHARE;
  if (attribution.total.change === 0) return [];
  const drivers: Contribution[] = [];
  let explained = 0;
  for (const c of attribution.contributions) {
    if (drivers.length >= max || explained >= cover) break;
    if (c.share < minShare) continue;
    drivers.push(c);
    explained += c.share;
  }
  return drivers;
}

/** Whether a relative change is large enough to name its drivers. */
export function isNotableMove(
  changePct: number | null,
  threshold: number = NOTABLE_CHANGE,
): boolean {
  return changePct !== null && Number.isFinite(changePct) && Math.abs(changePct) >= threshold;
}

/** The number formatting the driver line needs; `createFormatter` from kpi/format.ts fits. */
export interface DriverFormatter {
  /** A signed change in the KPI's unit: `−0.8×`, `+12 000 kr`. */
  change(delta: number, unit: Unit): string;
  /** A signed relative change given as a fraction: −0.62 → `−62 %`. */
  pct(p: number): string;
}

/**
 * "ROAS −0.8×: meta/retarget −62 %, google-ads/brand −9 %". A group without a value before is
 * `new`, one without a value now is `gone`, one without a value in either period is named
 * alone. Empty when there are no drivers.
 */
export function formatDrivers(
  label: string,
  unit: Unit,
  attribution: Attribution,
  drivers: readonly Contribution[],
  fmt: DriverFormatter,
): string {
  if (drivers.length === 0) return '';
  const parts = drivers.map((d) => {
    const key = d.key || '(none)';
    // A group with no value in either period (a ratio's denominator is 0 in both: organic
    // revenue in a ROAS) still moves the total; it is named without a change of its own.
    if (d.before === null && d.now === null) return key;
    const own =
      d.changePct !== null
        ? fmt.pct(d.changePct)
        : d.before === null || d.before === 0
          ? 'new'
          : 'gone';
    return `${key} ${own}`;
  });
  return `${label} ${fmt.change(attribution.total.change, unit)}: ${parts.join(', ')}`;
}

/** Attribution, selection and formatting in one: the driver line for a KPI, or '' if none. */
export function driverLine(
  label: string,
  unit: Unit,
  groups: readonly DriverGroup[],
  fmt: DriverFormatter,
  options: DriverOptions = {},
): string {
  // One group explains nothing: it is the whole move (churn kept without channels).
  if (groups.length < 2) return '';
  const attribution = attribute(groups);
  if (attribution === null) return '';
  return formatDrivers(label, unit, attribution, topDrivers(attribution, options), fmt);
}
