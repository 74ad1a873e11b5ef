// How a `kpibot` command that threw ends: a mistake the user made (usage, configuration, a store
// in use, arguments that do not parse) is told as it is with exit code 2; anything else is a
// failure with exit code 1. One mapping for the command line and for whatever runs its commands.
import { ConfigError } from '../config.ts';
import { StoreInUseError } from '../store/lock.ts';
import { UsageError } from './commands.ts';

export interface Exit {
  code: 1 | 2;
  /** The line for stderr, without its newline. */
  message: string;
}

function isArgError(err: unknown): boolean {
  return (
    err instanceof TypeError &&
    String((err as TypeError & { code?: unknown }).code ?? '').startsWith('ERR_PARSE_ARGS')
  );
}

export function exitFor(err: unknown): Exit {
  if (
    err instanceof UsageError ||
    err instanceof ConfigError ||
    err instanceof StoreInUseError ||
    isArgError(err)
  ) {
    return { code: 2, message: (err as Error).message };
  }
  return { code: 1, message: `kpibot failed: ${(err as Error)?.message ?? String(err)}` };
}
