// Bolt and its Web API client log through our pino logger, so their lines get the same
// redaction as ours (and land in the same JSON stream).
import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../logger.ts';

const BOLT_LEVELS: Record<string, LogLevel> = {
  trace: LogLevel.DEBUG,
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
  fatal: LogLevel.ERROR,
  silent: LogLevel.ERROR,
};

function text(parts: unknown[]): { msg: string; err?: Error } {
  const err = parts.find((p): p is Error => p instanceof Error);
  const msg = parts
    .map((p) => (p instanceof Error ? p.message : typeof p === 'string' ? p : JSON.stringify(p)))
    .join(' ');
  return err ? { msg, err } : { msg };
}

/** A Bolt `Logger` writing to a child of `logger` (`component: "bolt"`). */
export function boltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ component: 'bolt' });
  const write =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...parts: unknown[]) => {
      if (!child.isLevelEnabled(level)) return;
      const { msg, err } = text(parts);
      if (err) child[level]({ err }, msg);
      else child[level](msg);
    };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    // The level is ours (LOG_LEVEL); Bolt may ask for it but does not set it.
    setLevel: () => {},
    getLevel: () => BOLT_LEVELS[child.level] ?? LogLevel.INFO,
    setName: () => {},
  };
}
