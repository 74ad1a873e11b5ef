// Linear scales and "nice" axis ticks (1, 2, 5 × 10ⁿ steps), pure.

export interface LinearScale {
  (value: number): number;
  readonly domain: readonly [number, number];
}

/** Maps `domain` onto `range` (range may be reversed, as a y axis is). */
export function linearScale(
  domain: readonly [number, number],
  range: readonly [number, number],
): LinearScale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0 || 1;
  const scale = (v: number) => r0 + ((v - d0) / span) * (r1 - r0);
  return Object.assign(scale, { domain });
}

/** A step of 1, 2 or 5 × 10ⁿ giving about `count` intervals over `span`. */
function niceStep(span: number, count: number): number {
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

/**
 * A domain covering every value (and zero when `fromZero`), widened to nice ticks, and the
 * ticks in it. Equal values get a domain around them; no values give [0, 1].
 */
export function niceDomain(
  values: readonly number[],
  opts: { fromZero: boolean; count?: number },
): { domain: [number, number]; ticks: number[] } {
  const count = opts.count ?? 4;
  let lo = Math.min(...values, ...(opts.fromZero ? [0] : []));
  let hi = Math.max(...values, ...(opts.fromZero ? [0] : []));
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [0, 1];
  if (lo === hi) {
    const pad = Math.abs(lo) * 0.1 || 1;
    [lo, hi] = [lo - pad, hi + pad];
    if (opts.fromZero && lo < 0 && hi > 0 && values.every((v) => v >= 0)) lo = 0;
  }
  const step = niceStep(hi - lo, count);
  const start = Math.floor(lo / step) * step;
  const end = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  // Multiplying, not adding, keeps float noise out of the tick values (0.1 + 0.2).
  for (let i = 0; start + i * step <= end + step / 1e9; i++)
    ticks.push(Number.parseFloat((start + i * step).toPrecision(12)));
  return { domain: [start, end], ticks };
}

/**
 * niceDomain whose tick labels (as `label` writes them) are all different: where the values lie
 * closer together than the formatter shows (3,081 % and 3,087 % are both `3,08 %`), the domain is
 * widened around them until every tick reads differently, so no two grid lines carry one label.
 */
export function readableDomain(
  values: readonly number[],
  label: (tick: number) => string,
  opts: { fromZero: boolean; count?: number },
): { domain: [number, number]; ticks: number[] } {
  let result = niceDomain(values, opts);
  const middle = (result.domain[0] + result.domain[1]) / 2;
  let half = (result.domain[1] - result.domain[0]) / 2 || 1;
  for (let i = 0; i < 40; i++) {
    const labels = result.ticks.map(label);
    if (new Set(labels).size === labels.length) return result;
    half *= 2;
    const lo = values.every((v) => v >= 0) ? Math.max(0, middle - half) : middle - half;
    result = niceDomain([...values, lo, middle + half], opts);
  }
  return result;
}
