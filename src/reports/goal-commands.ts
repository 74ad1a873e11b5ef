// `/kpi goals`, `/kpi goal set <goal>`, `/kpi goal remove <id>`.
//
// Changing goals is for admins (`ctx.isAdmin`); anyone else gets a polite refusal and nothing
// changes. Every change is audited (src/store/audit.ts). Goals from kpibot.config.yml are listed too,
// but changed in the file. A new goal on the same KPI, direction and period as an existing Slack
// goal replaces its target (audited as an update) rather than adding a second, conflicting one.

import { resolveKpi } from '../kpi/lookup.ts';
import { localName, suggestNames } from '../kpi/names.ts';
import { parsePeriod } from '../kpi/periods.ts';
import { GOAL_COMMAND_WORDS, type GoalCommandWords } from '../messages/goal-commands.ts';
import { wordsFor } from '../messages/lang.ts';
import { adminChange, type ChangeKind } from '../reply/admin.ts';
import type { CommandContext } from '../reply/command.ts';
import { error, firstWord, message } from '../reply/command.ts';
import { channelText, escapeMrkdwn, userMention } from '../reply/mrkdwn.ts';
import { GOAL_CHANGES } from './command-kit.ts';
import { periodContextIn, type ReportDeps } from './deps.ts';
import { buildGoal, CONFIG_GOALS_AUTHOR, type Goal } from './goal.ts';
import { reportGoals, todayFor } from './goal-report.ts';
import { GOAL_TEXT_EXAMPLES, GOAL_TEXT_GRAMMAR, parseGoalText } from './goal-text.ts';
import { allGoals, goalKpi } from './goals.ts';
import type { ReportOutcome } from './outcome.ts';
import { deleteGoal, getGoal, insertGoal, loadGoals, nextGoalId } from './store.ts';

export const GOAL_COMMAND_EXAMPLES = [
  '/kpi goal set revenue 500000 kr per month',
  '/kpi goal set revenue 500000 kr per month in #marketing',
  '/kpi goal set cac <= 800 kr',
  '/kpi goal set roas >= 4x',
  '/kpi goals',
  '/kpi goal remove g1',
];

/** Lines shown by `/kpi goals` at most. */
const LIST_MAX = 40;

/** The period ratio goals without `per` are shown over in `/kpi goals`. */
export const GOALS_LIST_PERIOD = 'last-7-days';

/** How to write a goal (GOAL_TEXT_HINT in the configured locale's language). */
function goalHint(w: GoalCommandWords): string {
  return w.write([GOAL_TEXT_GRAMMAR], GOAL_TEXT_EXAMPLES.map((e) => `\`${e}\``).join(', '));
}

/** The words of the goal commands in the configured locale's language. */
function wordsOf(deps: ReportDeps): GoalCommandWords {
  return wordsFor(GOAL_COMMAND_WORDS, deps.config.locale);
}

/** Goals as `adminChange` changes them, refused in the configured locale's language. */
function changes(w: GoalCommandWords): ChangeKind {
  return {
    ...GOAL_CHANGES,
    refusal: () => message('refused', w.refusalTitle, [w.refusalBody, w.refusalLook]),
  };
}

/** `revenue ≥ 500 000 kr per month`. */
export function describeGoal(deps: ReportDeps, goal: Goal): string {
  const kpi = deps.catalog.get(goal.kpi);
  const name = kpi ? localName(kpi.name, deps.config.locale) : goal.kpi;
  const target = kpi ? deps.format.value(goal.target, kpi.unit) : String(goal.target);
  const sign = goal.comparator === '>=' ? '≥' : '≤';
  return `${name} ${sign} ${target}${goal.per ? ` ${wordsOf(deps).per(goal.per)}` : ''}`;
}

export async function runGoalCommand(
  sub: string,
  rest: string,
  ctx: CommandContext,
  deps: ReportDeps,
): Promise<ReportOutcome> {
  const w = wordsOf(deps);
  switch (sub) {
    case '':
    case 'list':
      return list(ctx, deps);
    case 'set':
    case 'add':
    case 'new':
      return set(rest, ctx, deps);
    case 'remove':
    case 'delete':
    case 'rm':
      return remove(rest, ctx, deps);
    case 'help':
      return help(w);
    default:
      return error(
        w.unknownSub(escapeMrkdwn(sub)),
        GOAL_COMMAND_EXAMPLES,
        suggestNames(sub, ['set', 'list', 'remove', 'help']).map((s) => `/kpi goal ${s}`),
      );
  }
}

function help(w: GoalCommandWords): ReportOutcome {
  return message('info', w.helpTitle, [
    w.helpSet(escapeMrkdwn(goalHint(w))),
    w.helpList,
    '`/kpi goal remove <id>`',
    w.helpKinds,
  ]);
}

// ---------------------------------------------------------------------------------------------
// set

async function set(text: string, ctx: CommandContext, deps: ReportDeps): Promise<ReportOutcome> {
  const w = wordsOf(deps);
  return adminChange(ctx, deps, changes(w), async ({ now, transaction }) => {
    const examples = GOAL_TEXT_EXAMPLES.map((e) => `/kpi goal set ${e}`);
    if (text === '') return error(w.whichGoal(goalHint(w)), examples);
    const goodOf = (word: string) => {
      const found = resolveKpi(deps.catalog, word);
      return found.ok ? found.kpi.good : undefined;
    };
    const parsed = parseGoalText(text, goodOf);
    if (!parsed.ok) return error(`${parsed.error} ${goalHint(w)}`, examples);
    const { draft } = parsed;
    const found = resolveKpi(deps.catalog, draft.kpiWord);
    if (!found.ok) {
      return error(
        w.unknownKpi(escapeMrkdwn(draft.kpiWord)),
        ['/kpi list', ...examples.slice(0, 1)],
        found.suggestions.map((s) => `/kpi goal set ${text.replace(draft.kpiWord, s)}`),
      );
    }
    const kpi = found.kpi;

    return transaction(async (tx, audit) => {
      const id = await nextGoalId(tx);
      const built = buildGoal(draft, goalKpi(deps.catalog, kpi), {
        id,
        createdBy: ctx.userId,
        createdAt: now.toISOString(),
        currency: deps.config.currency,
      });
      if (!built.ok) return error(built.error, examples);
      const goal = built.goal;
      const existing = (await loadGoals(tx)).find(
        (g) => g.kpi === goal.kpi && g.comparator === goal.comparator && g.per === goal.per,
      );
      if (existing && existing.target === goal.target && existing.channel === goal.channel) {
        return message('info', w.exists(existing.id), [
          describeGoal(deps, existing),
          w.nothingChanged,
        ]);
      }
      if (existing) {
        await deleteGoal(tx, existing.id);
        const replaced: Goal = { ...goal, id: existing.id };
        await insertGoal(tx, replaced);
        await audit({
          action: 'update',
          id: existing.id,
          detail: { text, before: existing, goal: replaced },
        });
        return message('ok', w.updated(existing.id), [
          `*${escapeMrkdwn(existing.id)}*: ${escapeMrkdwn(describeGoal(deps, replaced))} ${w.was(escapeMrkdwn(describeGoal(deps, existing)))}`,
        ]);
      }
      await insertGoal(tx, goal);
      await audit({ action: 'add', id: goal.id, detail: { text, goal } });
      return message('ok', w.set(goal.id), [
        `*${escapeMrkdwn(goal.id)}*: ${escapeMrkdwn(describeGoal(deps, goal))}`,
        goal.per ? w.paced : w.compared,
        ...(goal.channel && goal.per && goalKpi(deps.catalog, kpi).additive
          ? [w.toldOnce(channelText(goal.channel), goal.per)]
          : []),
        w.removeWith(goal.id),
      ]);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// list

async function list(ctx: CommandContext, deps: ReportDeps): Promise<ReportOutcome> {
  const w = wordsOf(deps);
  const goals = await allGoals(deps);
  if (goals.length === 0) {
    return message('info', w.noneTitle, [w.setOne(GOAL_COMMAND_EXAMPLES[0] ?? ''), w.inConfig]);
  }
  const now = ctx.now ?? deps.now();
  const period = parsePeriod(GOALS_LIST_PERIOD, periodContextIn(deps, now));
  const shown = goals.slice(0, LIST_MAX);
  const reports = period.ok
    ? await reportGoals(deps, shown, {
        period: period.period,
        answers: [],
        today: todayFor(deps, now),
      })
    : [];
  const lines = shown.map((goal, i) => {
    const report = reports[i];
    const author =
      goal.createdBy === CONFIG_GOALS_AUTHOR
        ? w.fromFile(escapeMrkdwn(CONFIG_GOALS_AUTHOR))
        : w.setBy(userMention(goal.createdBy), goal.createdAt.slice(0, 10));
    const status = report ? ` — ${w.status[report.status]}: ${escapeMrkdwn(report.text)}` : '';
    const alerts = goal.channel ? w.alertsIn(channelText(goal.channel)) : '';
    return `*${escapeMrkdwn(goal.id)}* ${escapeMrkdwn(describeGoal(deps, goal))}${status}\n      ${author}${alerts}`;
  });
  if (goals.length > LIST_MAX) lines.push(w.andMore(goals.length - LIST_MAX));
  lines.push(w.listNote);
  return message('info', w.listTitle(goals.length), lines);
}

// ---------------------------------------------------------------------------------------------
// remove

async function remove(
  idText: string,
  ctx: CommandContext,
  deps: ReportDeps,
): Promise<ReportOutcome> {
  const w = wordsOf(deps);
  return adminChange(ctx, deps, changes(w), async ({ transaction }) => {
    const { word: id } = firstWord(idText);
    if (id === '') return error(w.whichId, ['/kpi goals']);
    const fromConfig = (deps.config.goals ?? []).some((g) => g.id === id);
    if (fromConfig) {
      return message('info', w.definedInConfig(id), [w.removeFromFile]);
    }
    return transaction(async (tx, audit) => {
      const goal = await getGoal(tx, id);
      if (!goal) {
        const ids = (await loadGoals(tx)).map((g) => g.id);
        return error(
          w.noSuchGoal(escapeMrkdwn(id)),
          ['/kpi goals'],
          suggestNames(id, ids).map((s) => `/kpi goal remove ${s}`),
        );
      }
      await deleteGoal(tx, id);
      await audit({ action: 'remove', id, detail: { goal } });
      return message('ok', w.removed(id), [escapeMrkdwn(describeGoal(deps, goal))]);
    });
  });
}
