// One zod schema for the environment and the optional kpibot.config.yml. Parsed once at start-up;
// modules receive the slice they need instead of reading process.env.

import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { alertsConfigSchema } from './alerts/rule.ts';
import { ErrorCode, type ErrorOptions, UserError } from './errors.ts';
import { dimensionValueSchema, mappingsConfigSchema } from './ingest/mapping.ts';
import { buildChannelVocabulary } from './kpi/channels.ts';
import { isValidTimeZone, type PeriodContext } from './kpi/periods.ts';
import { goalsConfigSchema } from './reports/goal.ts';
import { summaryConfigSchema } from './reports/pins.ts';
import { type ArrivalConfig, arrivalsConfigSchema } from './sources/arrival.ts';
import { type ConfiguredSource, type SqlSource, sourcesConfigSchema } from './sources/config.ts';
import { backupSchema } from './store/backup.ts';
import { retentionSchema } from './store/retention.ts';
import { sqlSourceTag } from './store/source-syncs.ts';

function isLocale(locale: string): boolean {
  try {
    return Intl.getCanonicalLocales(locale).length === 1;
  } catch {
    return false;
  }
}

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const WEEKDAYS = [
  'sunday',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
] as const;

const kpiId = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, 'must be lowercase letters, digits and _ , starting with a letter');

const customKpiSchema = z.strictObject({
  id: kpiId,
  name: z
    .strictObject({ sv: z.string().min(1), en: z.string().min(1) })
    .partial()
    .optional(),
  formula: z.string().min(1),
  unit: z.enum(['percent', 'currency', 'multiple', 'ratio', 'count', 'days', 'position']),
  good: z.enum(['up', 'down', 'neutral']).default('up'),
  tier: z.enum(['business', 'context']).default('business'),
  aliases: z.array(z.string().min(1)).default([]),
  description: z.string().optional(),
});

const channelAliasSchema = dimensionValueSchema.pipe(
  z.string().min(1, 'an alias must not be empty'),
);

/**
 * `channels:`: canonical channel → its aliases (a list), or `{ name, aliases }`. Added to the
 * built-in vocabulary (src/kpi/channels.ts); conflicts are reported at their key.
 */
const channelsConfigSchema = z
  .record(
    z.string(),
    z.preprocess(
      (entry) => (Array.isArray(entry) ? { aliases: entry } : entry),
      z.strictObject({
        name: z.string().trim().min(1).optional(),
        aliases: z.array(channelAliasSchema).default([]),
      }),
    ),
  )
  .superRefine((channels, ctx) => {
    for (const { path, message } of buildChannelVocabulary(channels).errors) {
      ctx.addIssue({ code: 'custom', path, message });
    }
  })
  .default({});

export const fileConfigSchema = z.strictObject({
  timezone: z
    .string()
    .refine(isValidTimeZone, 'must be an IANA timezone such as Europe/Stockholm or UTC')
    .default('Europe/Stockholm'),
  weekStart: z.enum(WEEKDAYS).default('monday'),
  locale: z
    .string()
    .refine(isLocale, 'must be a BCP 47 locale such as sv-SE or en-US')
    .default('sv-SE'),
  currency: z
    .string()
    .refine((c) => CURRENCIES.has(c), 'must be an ISO 4217 currency code such as SEK, EUR or USD')
    .default('SEK'),
  businessModel: z.enum(['ecommerce', 'services']).default('ecommerce'),
  defaultPeriod: z.string().min(1).default('last-7-days'),
  tiers: z.record(kpiId, z.enum(['business', 'context'])).default({}),
  kpis: z.array(customKpiSchema).default([]),
  mappings: mappingsConfigSchema.default({}),
  channels: channelsConfigSchema,
  goals: goalsConfigSchema,
  summary: summaryConfigSchema,
  alerts: alertsConfigSchema,
  retention: retentionSchema.prefault({}),
  backup: backupSchema.prefault({}),
  sources: sourcesConfigSchema,
  arrivals: arrivalsConfigSchema,
});

const envSchema = z.object({
  KPIBOT_CONFIG: z.string().optional(),
  KPIBOT_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  KPIBOT_NOW: z.iso
    .datetime({ offset: true, local: true })
    .or(z.iso.date())
    .optional()
    .describe('fixed "now" for reproducible reports'),
  KPIBOT_TIMEZONE: z.string().optional(),
  KPIBOT_LOCALE: z.string().optional(),
  KPIBOT_CURRENCY: z.string().optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SLACK_BOT_TOKEN: z.string().optional(),
  SLACK_SIGNING_SECRET: z.string().optional(),
  SLACK_APP_TOKEN: z.string().optional(),
  SLACK_API_URL: z.url().optional(),
  KPIBOT_INGEST_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  KPIBOT_ADMINS: z.string().optional(),
});

export type FileConfig = z.infer<typeof fileConfigSchema>;
export type CustomKpiConfig = z.infer<typeof customKpiSchema>;

/** The configuration every module reads a slice of: what loadConfig makes of env + file. */
export type Config = ReturnType<typeof loadConfig>;

export class ConfigError extends UserError {
  constructor(message: string, opts: ErrorOptions = {}) {
    super(ErrorCode.Config, message, opts);
  }
}

function describeIssues(source: string, error: z.ZodError): string {
  const lines = error.issues.map((issue) => {
    const key = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    return `  - ${key}: ${issue.message}`;
  });
  return `Invalid configuration in ${source}:\n${lines.join('\n')}`;
}

/** Reads and validates env + kpibot.config.yml. Throws ConfigError naming the key and what is allowed. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()) {
  const envResult = envSchema.safeParse(env);
  if (!envResult.success) throw new ConfigError(describeIssues('the environment', envResult.error));
  const e = envResult.data;

  const explicit = e.KPIBOT_CONFIG !== undefined;
  const path = resolve(cwd, e.KPIBOT_CONFIG ?? 'kpibot.config.yml');
  let raw: unknown = {};
  let configFile: string | null = null;
  if (existsSync(path)) {
    configFile = path;
    try {
      raw = parseYaml(readFileSync(path, 'utf8')) ?? {};
    } catch (err) {
      throw new ConfigError(`Could not read ${path}: ${(err as Error).message}`);
    }
  } else if (explicit) {
    throw new ConfigError(`KPIBOT_CONFIG points at ${path}, which does not exist.`);
  }
  const overrides = {
    ...(e.KPIBOT_TIMEZONE ? { timezone: e.KPIBOT_TIMEZONE } : {}),
    ...(e.KPIBOT_LOCALE ? { locale: e.KPIBOT_LOCALE } : {}),
    ...(e.KPIBOT_CURRENCY ? { currency: e.KPIBOT_CURRENCY } : {}),
  };
  const merged = typeof raw === 'object' && raw !== null ? { ...raw, ...overrides } : raw;
  const fileResult = fileConfigSchema.safeParse(merged);
  if (!fileResult.success) {
    throw new ConfigError(describeIssues(configFile ?? 'the environment', fileResult.error));
  }
  const f = fileResult.data;
  const sources = resolveSources(f.sources, env, configFile ?? 'the environment');

  return {
    /** Where the file configuration came from, or null when defaults were used. */
    configFile,
    timeZone: f.timezone,
    weekStartsOn: WEEKDAYS.indexOf(f.weekStart) as PeriodContext['weekStartsOn'],
    locale: f.locale,
    currency: f.currency,
    businessModel: f.businessModel,
    defaultPeriod: f.defaultPeriod,
    tiers: f.tiers,
    customKpis: f.kpis,
    /** Named CSV column mappings (`kpibot import --mapping NAME`). */
    mappings: f.mappings,
    /** `channels:`: the team's channels and aliases, added to the built-in vocabulary. */
    channels: f.channels,
    /** `goals:` of kpibot.config.yml; resolved against the catalog by src/reports/goals.ts. */
    goals: f.goals,
    /** `summary:`: the pinned KPIs' starting list and the movers' volume floors (src/reports/pins.ts). */
    summary: f.summary,
    /** `alerts:` of kpibot.config.yml: rules that post to a channel (src/alerts/rule.ts). */
    alerts: f.alerts,
    /** `retention:`: days before delivered messages, task runs and audit rows are purged. */
    retention: f.retention,
    /** `backup:`: nightly backups of the embedded store; `dir` resolved against the cwd. */
    backup: { ...f.backup, ...(f.backup.dir ? { dir: resolve(cwd, f.backup.dir) } : {}) },
    /** `sources:`: SQL databases read on a schedule (src/sources/); URLs via requireSourceUrls. */
    sources,
    /** How each source's data arrives, by facts.source (`arrivals:`, and `sources.<name>.cadence`). */
    arrivals: arrivalsOf(f.arrivals, f.sources),
    store: { databaseUrl: e.DATABASE_URL, dataDir: resolve(cwd, e.KPIBOT_DATA_DIR) },
    /** Fixed "now" (KPIBOT_NOW), or undefined for the real clock. */
    now: e.KPIBOT_NOW ? new Date(e.KPIBOT_NOW) : undefined,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    /** Any of them may be missing: src/slack/credentials.ts says which mode that means. */
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: e.SLACK_API_URL,
    } as Partial<Record<'botToken' | 'signingSecret' | 'appToken' | 'apiUrl', string>>,
    ingestToken: e.KPIBOT_INGEST_TOKEN,
    admins: (e.KPIBOT_ADMINS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  };
}

function arrivalsOf(
  imports: Record<string, ArrivalConfig>,
  sql: FileConfig['sources'],
): Record<string, ArrivalConfig> {
  const out: Record<string, ArrivalConfig> = { ...imports };
  for (const s of sql) if (s.arrival) out[sqlSourceTag(s.name)] = s.arrival;
  return out;
}

const POSTGRES_URL = /^postgres(ql)?:\/\//;

/**
 * Each source with the URL from the variable its `urlEnv` names, when that is set; ConfigError
 * naming the key when it holds no postgres:// URL. An unset variable is only an error where the
 * sources are read (requireSourceUrls): `kpibot ask` or `import` work without the warehouse's
 * credentials.
 */
function resolveSources(
  specs: FileConfig['sources'],
  env: NodeJS.ProcessEnv,
  file: string,
): ConfiguredSource[] {
  const problems: string[] = [];
  const out = specs.map((spec) => {
    const url = env[spec.urlEnv] || undefined;
    if (url !== undefined && !POSTGRES_URL.test(url)) {
      problems.push(`  - sources.${spec.name}.urlEnv: ${spec.urlEnv} must hold a postgres:// URL`);
    }
    return { ...spec, ...(url !== undefined ? { url } : {}) };
  });
  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration in ${file}:\n${problems.join('\n')}`);
  }
  return out;
}

/**
 * The sources (all configured, or `chosen`) with their URLs; ConfigError naming the key of each
 * whose variable is unset. The bot calls it at start, `kpibot sync` before it reads.
 */
export function requireSourceUrls(
  config: Pick<Config, 'sources' | 'configFile'>,
  chosen: readonly ConfiguredSource[] = config.sources,
): SqlSource[] {
  const missing = chosen.filter((s) => s.url === undefined);
  if (missing.length > 0) {
    const lines = missing.map(
      (s) => `  - sources.${s.name}.urlEnv: the environment variable ${s.urlEnv} is not set`,
    );
    throw new ConfigError(
      `Invalid configuration in ${config.configFile ?? 'the environment'}:\n${lines.join('\n')}`,
    );
  }
  return chosen.map((s) => ({ ...s, url: s.url ?? '' }));
}

/** The password of a postgres:// URL, or undefined. */
function urlPassword(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined; // not a parseable URL: the schema already required postgres://
  }
}

/**
 * The secret values in the configuration: tokens, and the passwords of the store's and every
 * source's URL. The logger scrubs them from every line (src/logger.ts).
 */
export function configSecrets(config: Config): string[] {
  const secrets = [
    config.slack.botToken,
    config.slack.signingSecret,
    config.slack.appToken,
    config.ingestToken,
    ...[config.store.databaseUrl, ...config.sources.map((s) => s.url)].map(
      (url) => url && urlPassword(url),
    ),
  ];
  return secrets.filter((s): s is string => Boolean(s));
}
