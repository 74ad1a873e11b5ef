// The Retry-After header of a 429 (or 503): whole seconds, as Slack sends it, or an HTTP date.
// Missing or unreadable means "not said", never "now": the caller then backs off on its own.

/** Retry-After as milliseconds from `now`; undefined when the header is missing or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
