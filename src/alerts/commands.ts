// `/kpi alert …` and `/kpi alerts`: add, list, remove, pause and resume alert rules.
//
//   alerts | alert list                 every rule with its state, last value and author
//   alert add <rule text>               e.g. `roas < 3x over last-7-days by channel in #marketing`
//   alert remove|pause|resume <id>
//
// Changing rules is for admins (`ctx.isAdmin`: KPIBOT_ADMINS, else Slack workspace admins and
// owners); anyone else gets a polite refusal and nothing changes. Every change is audited.

import { canonicalFilters } from '../kpi/channels.ts';
import { mergeFilters } from '../kpi/filters.ts';
import { resolveKpi } from '../kpi/lookup.ts';
import { localName, suggestNames } from '../kpi/names.ts';
import { parsePeriod } from '../kpi/periods.ts';
import { ALERT_COMMAND_WORDS, type AlertCommandWords } from '../messages/alert-commands.ts';
import { wordsFor } from '../messages/lang.ts';
import { adminChange, type ChangeKind } from '../reply/admin.ts';
import type { ReplyOutcome } from '../reply/command.ts';
import { type CommandContext, type CommandModule, error, message } from '../reply/command.ts';
import { code, escapeMrkdwn, userMention } from '../reply/mrkdwn.ts';
import type { AlertDeps } from './deps.ts';
import { describeRule, ruleChannelText, scheduleLine, statesLine } from './describe.ts';
import { GROUPED_KEY } from './message.ts';
import { type AlertRule, buildRule, CONFIG_RULES_AUTHOR } from './rule.ts';
import {
  parseRuleText,
  RULE_TEXT_EXAMPLE,
  RULE_TEXT_GRAMMAR,
  RULE_TEXT_HINT,
} from './rule-text.ts';
import {
  audit,
  definitionOf,
  getRule,
  insertRule,
  loadRules,
  loadStates,
  nextRuleId,
  removeRule,
  type StoredRule,
  setPaused,
  stableStringify,
} from './store.ts';

export interface AlertCommandDeps extends AlertDeps {
  /** Told after a rule was added, removed, paused or resumed (e.g. `Alerting.refresh`). */
  onRulesChanged?: () => void;
}

export const ALERT_COMMAND_EXAMPLES = [
  `/kpi alert add ${RULE_TEXT_EXAMPLE}`,
  '/kpi alert add churn_rate > 5% over last-month in #growth',
  '/kpi alerts',
  '/kpi alert pause a1',
];

export const alertCommands: CommandModule<AlertDeps, ReplyOutcome> = {
  name: 'alerts',
  words: ['alert', 'alerts'],
  examples: ALERT_COMMAND_EXAMPLES,
  run: (text, ctx, deps, hooks) =>
    runAlertCommand(text, ctx, { ...deps, onRulesChanged: hooks.onSchedulesChanged }),
};

/** Lines shown by `/kpi alerts` at most (a Slack message holds 50 blocks). */
const LIST_MAX = 40;

type Outcome = ReplyOutcome;

/** An error with the alert examples unless others are given. */
function alertError(
  text: string,
  suggestions?: string[],
  examples: readonly string[] = ALERT_COMMAND_EXAMPLES,
): Outcome {
  return error(text, examples, suggestions);
}

/** Alert rules as `adminChange` changes them: audited in the audit log, `deps` told after each. */
function ruleChanges(deps: AlertCommandDeps): ChangeKind {
  const w = wordsOf(deps);
  return {
    refusal: () => message('refused', w.refusalTitle, [w.refusalBody, w.refusalLook]),
    audit: (tx, { id, ...entry }) => audit(tx, [{ ...entry, ruleId: id }]),
    onChanged: () => deps.onRulesChanged?.(),
  };
}

/** How to write a rule (RULE_TEXT_HINT in the configured locale's language). */
function ruleHint(w: AlertCommandWords): string {
  return w.write(RULE_TEXT_GRAMMAR, `\`${RULE_TEXT_EXAMPLE}\``);
}

/** The words of the alert commands in the configured locale's language. */
function wordsOf(deps: AlertDeps): AlertCommandWords {
  return wordsFor(ALERT_COMMAND_WORDS, deps.config.locale);
}

export async function runAlertCommand(
  text: string,
  ctx: CommandContext,
  deps: AlertCommandDeps,
): Promise<ReplyOutcome> {
  const w = wordsOf(deps);
  const m = text.trim().match(/^alerts?(?:\s+(\S+))?(?:\s+([\s\S]*))?$/i);
  if (!m) return alertError(w.notACommand);
  const sub = (m[1] ?? '').toLowerCase();
  const rest = (m[2] ?? '').trim();
  switch (sub) {
    case '':
    case 'list':
      return list(deps);
    case 'add':
    case 'new':
      return add(rest, ctx, deps);
    case 'remove':
    case 'delete':
    case 'rm':
      return change('remove', rest, ctx, deps);
    case 'pause':
      return change('pause', rest, ctx, deps);
    case 'resume':
    case 'unpause':
      return change('resume', rest, ctx, deps);
    case 'help':
      return message('info', w.helpTitle, [
        w.helpList,
        w.helpAdd(escapeMrkdwn(ruleHint(w))),
        '`/kpi alert remove|pause|resume <id>`',
      ]);
    default: {
      const known = ['add', 'list', 'remove', 'pause', 'resume', 'help'];
      return alertError(
        w.unknownSub(escapeMrkdwn(sub)),
        suggestNames(sub, known).map((s) => `/kpi alert ${s}`),
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// add

async function add(
  ruleText: string,
  ctx: CommandContext,
  deps: AlertCommandDeps,
): Promise<Outcome> {
  const w = wordsOf(deps);
  return adminChange(ctx, deps, ruleChanges(deps), async ({ now, transaction }) => {
    if (ruleText === '') {
      return alertError(w.whatToWatch(ruleHint(w)), undefined, ALERT_COMMAND_EXAMPLES.slice(0, 2));
    }
    const parsed = parseRuleText(ruleText);
    if (!parsed.ok) {
      return alertError(
        `${parsed.error} ${parsed.hint === RULE_TEXT_HINT ? ruleHint(w) : parsed.hint}`.trim(),
        undefined,
        ALERT_COMMAND_EXAMPLES.slice(0, 2),
      );
    }
    const { filters, readings } = canonicalFilters(deps.channels, parsed.draft.filters);
    const draft = { ...parsed.draft, filters };
    const found = resolveKpi(deps.catalog, draft.kpiWord);
    if (!found.ok) {
      return alertError(
        w.unknownKpi(escapeMrkdwn(draft.kpiWord)),
        found.suggestions.map((s) => `/kpi alert add ${ruleText.replace(draft.kpiWord, s)}`),
        ['/kpi list', ...ALERT_COMMAND_EXAMPLES.slice(0, 1)],
      );
    }
    const kpi = found.kpi;
    const period = parsePeriod(draft.window, {
      now,
      timeZone: deps.config.timeZone,
      weekStartsOn: deps.config.weekStartsOn,
    });
    if (!period.ok) {
      return alertError(w.window(escapeMrkdwn(draft.window), period.error));
    }
    if (mergeFilters(draft.filters, kpi.filter) === null) {
      return alertError(
        w.neverMatches(
          kpi.id,
          Object.entries(kpi.filter ?? {})
            .map(([d, v]) => `${d}=${(v ?? []).join(',')}`)
            .join(' '),
        ),
      );
    }
    const channel =
      draft.channel ?? (ctx.channelId && /^[CG]/.test(ctx.channelId) ? ctx.channelId : undefined);
    if (!channel) {
      return alertError(w.whereToPost, undefined, [`/kpi alert add ${ruleText} in #marketing`]);
    }

    return transaction(async (tx, audit): Promise<Outcome> => {
      const existing = await loadRules(tx);
      const id = await nextRuleId(tx);
      const built = buildRule(
        { ...draft, channel },
        { id: kpi.id, unit: kpi.unit },
        {
          id,
          createdBy: ctx.userId,
          createdAt: now.toISOString(),
          currency: deps.config.currency,
        },
      );
      if (!built.ok) {
        return alertError(built.error, undefined, ALERT_COMMAND_EXAMPLES.slice(0, 2));
      }
      const same = existing.find((s) => sameRule(s.rule, built.rule));
      if (same) {
        return message('info', w.exists(same.rule.id), [ruleLine(same, deps), w.nothingAdded]);
      }
      const rule = built.rule;
      await insertRule(tx, rule, 'slack', now);
      await audit({ action: 'add', id, detail: { text: ruleText, rule } });
      const locale = deps.config.locale;
      return message('ok', w.added(rule.id), [
        `*${escapeMrkdwn(rule.id)}*: ${describeRule(rule, { kpiName: localName(kpi.name, locale), unit: kpi.unit, locale }, deps.format)}`,
        w.checked(scheduleLine(rule, locale)),
        ...(readings.length > 0
          ? [
              w.channels(
                readings.map((r) => w.readsAs(code(r.written), code(r.channel))).join(', '),
              ),
            ]
          : []),
        w.removeOrPause(rule.id),
      ]);
    });
  });
}

const SAME_FIELDS = [
  'kpi',
  'comparator',
  'threshold',
  'window',
  'filters',
  'groupBy',
  'channel',
  'schedule',
  'condition',
  'guard',
] as const;

function sameRule(a: AlertRule, b: AlertRule): boolean {
  const pick = (r: AlertRule) => {
    const d = definitionOf(r);
    return stableStringify(Object.fromEntries(SAME_FIELDS.map((f) => [f, d[f] ?? null])));
  };
  return pick(a) === pick(b);
}

// ---------------------------------------------------------------------------------------------
// list

function ruleLine(s: StoredRule, deps: AlertDeps, states?: string): string {
  const kpi = deps.catalog.get(s.rule.kpi);
  const words = kpi
    ? {
        kpiName: localName(kpi.name, deps.config.locale),
        unit: kpi.unit,
        locale: deps.config.locale,
      }
    : { kpiName: s.rule.kpi, unit: 'count' as const, locale: deps.config.locale };
  const w = wordsOf(deps);
  const state = s.rule.paused ? (s.configPaused ? w.pausedInConfig : w.paused) : (states ?? '');
  const author =
    s.source === 'config'
      ? w.fromFile(escapeMrkdwn(CONFIG_RULES_AUTHOR))
      : w.createdBy(userMention(s.rule.createdBy));
  return [
    `*${escapeMrkdwn(s.rule.id)}* ${describeRule(s.rule, words, deps.format)}${state ? ` — ${state}` : ''}`,
    `      ${scheduleLine(s.rule, deps.config.locale)} · ${author}`,
  ].join('\n');
}

/** `a2` before `a10`; Slack rules first, then the config file's, then the defaults. */
function ruleOrder(a: StoredRule, b: StoredRule): number {
  const rank = { slack: 0, config: 1, default: 2 } as const;
  return (
    rank[a.source] - rank[b.source] || a.rule.id.localeCompare(b.rule.id, 'en', { numeric: true })
  );
}

async function list(deps: AlertDeps): Promise<Outcome> {
  const w = wordsOf(deps);
  const rules = (await loadRules(deps.db)).sort(ruleOrder);
  if (rules.length === 0) {
    return message('info', w.noneTitle, [w.addOne(`/kpi alert add ${RULE_TEXT_EXAMPLE}`)]);
  }
  const states = await loadStates(deps.db);
  const lines = rules.slice(0, LIST_MAX).map((s) => {
    const kpi = deps.catalog.get(s.rule.kpi);
    const mine = states.filter((x) => x.ruleId === s.rule.id);
    return ruleLine(
      s,
      deps,
      statesLine(s.rule, mine, kpi?.unit ?? 'count', deps.format, deps.config.locale),
    );
  });
  if (rules.length > LIST_MAX) lines.push(w.andMore(rules.length - LIST_MAX));
  const firing = states.filter(
    (s) => s.state.status === 'firing' && s.groupKey !== GROUPED_KEY,
  ).length;
  return message('info', w.listTitle(rules.length, firing), lines);
}

// ---------------------------------------------------------------------------------------------
// remove, pause, resume

async function change(
  what: 'remove' | 'pause' | 'resume',
  idText: string,
  ctx: CommandContext,
  deps: AlertCommandDeps,
): Promise<Outcome> {
  const w = wordsOf(deps);
  const locale = deps.config.locale;
  return adminChange(ctx, deps, ruleChanges(deps), async ({ now, transaction }) => {
    const id = idText.split(/\s+/)[0]?.toLowerCase() ?? '';
    if (id === '') return alertError(w.whichRule(what));
    return transaction(async (tx, audit): Promise<Outcome> => {
      const stored = await getRule(tx, id);
      if (!stored) {
        const ids = (await loadRules(tx)).map((s) => s.rule.id);
        return error(
          w.noSuchRule(escapeMrkdwn(id)),
          ['/kpi alerts'],
          suggestNames(id, ids).map((s) => `/kpi alert ${what} ${s}`),
        );
      }
      const line = ruleChannelText(stored.rule.channel, locale);
      if (what === 'remove') {
        if (stored.source === 'config') {
          return message('info', w.definedInConfig(id), [w.removeFromFile(id)]);
        }
        await removeRule(tx, id, now);
        await audit({ action: 'remove', id, detail: { rule: stored.rule } });
        return message('ok', w.removed(id), [w.noLongerPosts(line, stored.source === 'default')]);
      }
      if (what === 'pause') {
        if (stored.slackPaused) return message('info', w.alreadyPaused(id));
        await setPaused(tx, id, true, now);
        await audit({ action: 'pause', id });
        return message('ok', w.pausedTitle(id), [w.notCheckedUntil(id)]);
      }
      if (!stored.slackPaused) {
        return stored.configPaused
          ? message('info', w.pausedInConfigTitle(id), [w.setPausedFalse])
          : message('info', w.notPaused(id));
      }
      await setPaused(tx, id, false, now);
      await audit({ action: 'resume', id });
      return message('ok', w.resumed(id), [
        stored.configPaused
          ? w.staysPausedInConfig
          : w.checkedAgain(scheduleLine(stored.rule, locale)),
      ]);
    });
  });
}
