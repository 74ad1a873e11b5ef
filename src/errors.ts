// Errors with a code, in the manner of bolt-js's errors.ts: every error kpibot throws on purpose
// is a KpibotError with a stable `code` (logs and metrics group by it), the `cause` it wraps, and
// whether trying again may help (`retryable`). `userFacing` errors carry a message written for the
// person who caused them (a bad config key, a CSV line, a command-line flag); every other error is
// ours: logged with its code and context, and never shown raw.

export enum ErrorCode {
  /** kpibot.config.yml or the environment is invalid (names the key). */
  Config = 'kpibot_config_error',
  /** A command line that cannot be run as written. */
  Usage = 'kpibot_usage_error',
  /** A CSV that is not CSV (quotes, line ends); names the line. */
  CsvSyntax = 'kpibot_csv_syntax_error',
  /** An import that cannot start (file, mapping, format). */
  Import = 'kpibot_import_error',
  /** A column mapping that cannot be applied. */
  Mapping = 'kpibot_mapping_error',
  /** A summary period that is not a period. */
  SummaryPeriod = 'kpibot_summary_period_error',
  /** Alert rules in kpibot.config.yml that cannot be applied. */
  AlertConfig = 'kpibot_alert_config_error',
  /** The local workspace (no Slack credentials) could not start. */
  LocalStart = 'kpibot_local_start_error',
  /** Slack's response_url refused or never answered. */
  ResponseUrl = 'kpibot_response_url_error',
  /** The embedded store is held by another process (store/lock.ts). */
  StoreInUse = 'kpibot_store_in_use',
  /** The embedded store's folder cannot be opened; nothing in it was changed. */
  StoreDamaged = 'kpibot_store_damaged',
  /** A backup or restore that cannot be made as asked (file, folder, dialect). */
  Backup = 'kpibot_backup_error',
  /** Anything else: an error we did not expect, wrapped with its cause. */
  Unknown = 'kpibot_unknown_error',
}

export interface ErrorOptions {
  cause?: unknown;
  /** Trying the same thing again may succeed (a timeout, a 5xx); default false. */
  retryable?: boolean;
}

/** An error kpibot raised on purpose, with its code. */
export class KpibotError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  /** The message is for the person who caused it; nothing was changed. */
  readonly userFacing: boolean;

  constructor(
    code: ErrorCode,
    message: string,
    opts: ErrorOptions & { userFacing?: boolean } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = opts.retryable ?? false;
    this.userFacing = opts.userFacing ?? false;
  }
}

/** A mistake of the person using kpibot: shown to them as it is, and nothing changed. */
export class UserError extends KpibotError {
  constructor(code: ErrorCode, message: string, opts: ErrorOptions = {}) {
    super(code, message, { ...opts, userFacing: true });
  }
}

/** `err` as a KpibotError: itself, or wrapped as Unknown with `err` as its cause. */
export function asKpibotError(err: unknown): KpibotError {
  if (err instanceof KpibotError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new KpibotError(ErrorCode.Unknown, message, { cause: err });
}

/** True when `err` is a KpibotError with `code`. */
export function hasCode(err: unknown, code: ErrorCode): err is KpibotError {
  return err instanceof KpibotError && err.code === code;
}
