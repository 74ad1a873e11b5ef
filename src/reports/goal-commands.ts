// `/kpi goals`, `/kpi goal set <goal>`, `/kpi goal remove <id>`.
//
// Changing goals is for admins (`ctx.isAdmin`); anyone else gets a polite refusal and nothing
// changes. Every change is audited (src/store/audit.ts). Goals from kpibot.config.yml are listed too,
// but changed in the file. A new goal on the same KPI, direction and period as an existing Slack
// goal replaces its target (audited as an update) rather than adding a second, conflicting one.

import { resolveKpi } from '../kpi/lookup.ts';
import { localName, suggestNames } from '../kpi/names.ts';
import { parsePeriod } from '../kpi/periods.ts';
import { adminChange } from '../reply/admin.ts';
import type { CommandContext } from '../reply/command.ts';
import { error, firstWord, message, noSuchId } from '../reply/command.ts';
import { channelText, escapeMrkdwn, userMention } from '../reply/mrkdwn.ts';
import { GOAL_CHANGES } from './command-kit.ts';
import { periodContextIn, type ReportDeps } from './deps.ts';
import { buildGoal, CONFIG_GOALS_AUTHOR, type Goal, type GoalStatus } from './goal.ts';
import { reportGoals, todayFor } from './goal-report.ts';
import { GOAL_TEXT_EXAMPLES, GOAL_TEXT_HINT, parseGoalText } from './goal-text.ts';
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

const STATUS_WORDS: Record<GoalStatus, string> = {
  on_track: 'on track',
  met: 'met',
  at_risk: '*at risk*',
  off_track: '*off track*',
  missed: '*missed*',
  too_early: 'too early to tell',
  no_data: 'no data',
};

/** `revenue ≥ 500 000 kr per month`. */
export function describeGoal(deps: ReportDeps, goal: Goal): string {
  const kpi = deps.catalog.get(goal.kpi);
  const name = kpi ? localName(kpi.name, deps.config.locale) : goal.kpi;
  const target = kpi ? deps.format.value(goal.target, kpi.unit) : String(goal.target);
  const sign = goal.comparator === '>=' ? '≥' : '≤';
  return `${name} ${sign} ${target}${goal.per ? ` per ${goal.per}` : ''}`;
}

export async function runGoalCommand(
  sub: string,
  rest: string,
  ctx: CommandContext,
  deps: ReportDeps,
): Promise<ReportOutcome> {
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
      return help();
    default:
      return error(
        `I don't know \`goal ${escapeMrkdwn(sub)}\`: use \`goal set\`, \`goals\` or \`goal remove <id>\`.`,
        GOAL_COMMAND_EXAMPLES,
        suggestNames(sub, ['set', 'list', 'remove', 'help']).map((s) => `/kpi goal ${s}`),
      );
  }
}

function help(): ReportOutcome {
  return message('info', 'Goals', [
    `\`/kpi goal set <goal>\`: ${escapeMrkdwn(GOAL_TEXT_HINT)}`,
    '`/kpi goals`: every goal and where it stands',
    '`/kpi goal remove <id>`',
    'A goal on a total (revenue, new customers…) needs a period and is paced through it; a goal on a ratio (ROAS, CAC…) compares the period’s value with the target.',
  ]);
}

// ---------------------------------------------------------------------------------------------
// set

async function set(text: string, ctx: CommandContext, deps: ReportDeps): Promise<ReportOutcome> {
  return adminChange(ctx, deps, GOAL_CHANGES, async ({ now, transaction }) => {
    const examples = GOAL_TEXT_EXAMPLES.map((e) => `/kpi goal set ${e}`);
    if (text === '') return error(`Which goal? ${GOAL_TEXT_HINT}`, examples);
    const goodOf = (word: string) => {
      const found = resolveKpi(deps.catalog, word);
      return found.ok ? found.kpi.good : undefined;
    };
    const parsed = parseGoalText(text, goodOf);
    if (!parsed.ok) return error(`${parsed.error} ${parsed.hint}`, examples);
    const { draft } = parsed;
    const found = resolveKpi(deps.catalog, draft.kpiWord);
    if (!found.ok) {
      return error(
        `I don't know the KPI \`${escapeMrkdwn(draft.kpiWord)}\`.`,
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
        return message('info', `That goal exists already: ${existing.id}`, [
          describeGoal(deps, existing),
          'Nothing was changed.',
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
        return message('ok', `Goal ${existing.id} updated`, [
          `*${escapeMrkdwn(existing.id)}*: ${escapeMrkdwn(describeGoal(deps, replaced))} (was ${escapeMrkdwn(describeGoal(deps, existing))})`,
        ]);
      }
      await insertGoal(tx, goal);
      await audit({ action: 'add', id: goal.id, detail: { text, goal } });
      return message('ok', `Goal ${goal.id} set`, [
        `*${escapeMrkdwn(goal.id)}*: ${escapeMrkdwn(describeGoal(deps, goal))}`,
        goal.per
          ? 'Summaries pace it through each period and say whether it is on track.'
          : 'Summaries compare each period’s value with it.',
        ...(goal.channel && goal.per && goalKpi(deps.catalog, kpi).additive
          ? [`If it goes off track, ${channelText(goal.channel)} is told once per ${goal.per}.`]
          : []),
        `Remove it with \`/kpi goal remove ${goal.id}\`.`,
      ]);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// list

async function list(ctx: CommandContext, deps: ReportDeps): Promise<ReportOutcome> {
  const goals = await allGoals(deps);
  if (goals.length === 0) {
    return message('info', 'No goals yet', [
      `Set one: \`${GOAL_COMMAND_EXAMPLES[0]}\``,
      'Goals can also be listed under `goals:` in kpibot.config.yml.',
    ]);
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
        ? `from ${escapeMrkdwn(CONFIG_GOALS_AUTHOR)}`
        : `set by ${userMention(goal.createdBy)} on ${goal.createdAt.slice(0, 10)}`;
    const status = report ? ` — ${STATUS_WORDS[report.status]}: ${escapeMrkdwn(report.text)}` : '';
    const alerts = goal.channel ? ` (alerts in ${channelText(goal.channel)})` : '';
    return `*${escapeMrkdwn(goal.id)}* ${escapeMrkdwn(describeGoal(deps, goal))}${status}\n      ${author}${alerts}`;
  });
  if (goals.length > LIST_MAX) lines.push(`…and ${goals.length - LIST_MAX} more.`);
  lines.push(
    '_Totals are paced through their period so far; ratio goals without a period are judged over the last 7 days._',
  );
  return message('info', `Goals: ${goals.length}`, lines);
}

// ---------------------------------------------------------------------------------------------
// remove

async function remove(
  idText: string,
  ctx: CommandContext,
  deps: ReportDeps,
): Promise<ReportOutcome> {
  return adminChange(ctx, deps, GOAL_CHANGES, async ({ transaction }) => {
    const { word: id } = firstWord(idText);
    if (id === '') {
      return error('Which goal? Give its id, e.g. `/kpi goal remove g1` (see `/kpi goals`).', [
        '/kpi goals',
      ]);
    }
    const fromConfig = (deps.config.goals ?? []).some((g) => g.id === id);
    if (fromConfig) {
      return message('info', `${id} is defined in kpibot.config.yml`, [
        'Remove it from the file; it is read from there on every summary. Nothing was changed.',
      ]);
    }
    return transaction(async (tx, audit) => {
      const goal = await getGoal(tx, id);
      if (!goal) {
        const ids = (await loadGoals(tx)).map((g) => g.id);
        return noSuchId('goal', id, ids, (s) => `/kpi goal remove ${s}`, ['/kpi goals']);
      }
      await deleteGoal(tx, id);
      await audit({ action: 'remove', id, detail: { goal } });
      return message('ok', `Goal ${id} removed`, [escapeMrkdwn(describeGoal(deps, goal))]);
    });
  });
}
