// The daily purge (src/store/retention.ts) as a scheduled task: claimed like every firing, so of
// several replicas sharing one database exactly one runs it.

import type { Logger } from '../logger.ts';
import type { Db } from '../store/db.ts';
import type { RetentionPolicy } from '../store/retention.ts';
import { purgeExpired } from '../store/retention.ts';
import type { TaskDefinition } from './scheduler.ts';

export const RETENTION_TASK = 'retention';

export function retentionTask(deps: {
  db: Db;
  logger: Logger;
  retention: RetentionPolicy;
  now?: () => Date;
  /** Default: every night at 03:30 in the scheduler's timezone. */
  cron?: string;
}): TaskDefinition {
  const now = deps.now ?? (() => new Date());
  return {
    name: RETENTION_TASK,
    cron: deps.cron ?? '30 3 * * *',
    run: async () => {
      const purged = await purgeExpired(deps.db, deps.retention, now());
      deps.logger.info({ task: RETENTION_TASK, purged }, 'retention: purged old rows');
    },
  };
}
