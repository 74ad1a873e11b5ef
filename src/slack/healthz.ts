// GET /healthz: 200 when the store answers `SELECT 1`, 503 when it does not (or while the
// process is shutting down, so a load balancer stops sending it traffic).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Db } from '../store/db.ts';

export const HEALTH_TIMEOUT_MS = 2000;

/**
 * A store that answered a query this recently counts as healthy without another one: a store
 * busy with a queue of heavy questions (PGlite runs one query at a time) is working, not dead,
 * and a load balancer must not take the instance out for it.
 */
export const RECENT_SUCCESS_MS = 5000;

/** The store as /healthz sees it: a query, and optionally when a query last succeeded. */
export type HealthDb = Pick<Db, 'query'> & { lastSuccessAt?: () => number | undefined };

/**
 * True when the store answered a query within the last RECENT_SUCCESS_MS, or runs `SELECT 1`
 * within `timeoutMs` now. Never throws.
 */
export async function storeIsHealthy(
  db: HealthDb,
  timeoutMs = HEALTH_TIMEOUT_MS,
  now = Date.now(),
): Promise<boolean> {
  const last = db.lastSuccessAt?.();
  if (last !== undefined && now - last <= RECENT_SUCCESS_MS) return true;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      db.query<{ ok: number }>('select 1 as ok').then((rows) => rows[0]?.ok === 1),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      }),
    ]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export function healthzHandler(
  check: () => Promise<boolean>,
  isDraining: () => boolean,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const draining = isDraining();
    const ok = !draining && (await check());
    const body = JSON.stringify({
      status: ok ? 'ok' : draining ? 'shutting down' : 'store unreachable',
    });
    res.writeHead(ok ? 200 : 503, {
      'content-type': 'application/json',
      'cache-control': 'no-store',
      'content-length': Buffer.byteLength(body),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}
