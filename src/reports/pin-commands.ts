// `/kpi summary pin <kpi>`, `/kpi summary unpin <kpi>`, `/kpi summary pins`.
//
// The pinned KPIs are what a channel's summary shows after the goals, so changing them is for
// admins, like goals; anyone else gets a polite refusal and nothing changes. Every change is
// audited (subject `pin`) and stored as a change to the configuration's list (pins.ts).
import { resolveKpi } from '../kpi/lookup.ts';
import { localName } from '../kpi/names.ts';
import { wordsFor } from '../messages/lang.ts';
import { SUMMARY_PIN_WORDS } from '../messages/summary-pins.ts';
import { adminChange } from '../reply/admin.ts';
import { type CommandContext, error, message } from '../reply/command.ts';
import { escapeMrkdwn, userMention } from '../reply/mrkdwn.ts';
import { PIN_CHANGES } from './command-kit.ts';
import type { ReportDeps } from './deps.ts';
import type { ReportOutcome } from './outcome.ts';
import { savePinChange } from './pin-store.ts';
import { effectivePins, MAX_PINS, type PinnedKpi } from './pins.ts';

export const PIN_WORDS = ['pin', 'fäst'];
export const UNPIN_WORDS = ['unpin', 'lossa'];
export const PINS_WORDS = ['pins', 'pinned', 'fästa'];

export const PIN_EXAMPLES = [
  '/kpi summary pins',
  '/kpi summary pin aov',
  '/kpi summary unpin ltv_cac',
];

function nameOf(deps: ReportDeps, id: string): string {
  const kpi = deps.catalog.get(id);
  return kpi ? localName(kpi.name, deps.config.locale) : id;
}

function names(deps: ReportDeps, pins: readonly PinnedKpi[]): string {
  return pins.map((p) => escapeMrkdwn(nameOf(deps, p.id))).join(', ');
}

/** Pins (`pinned` true) or unpins the KPI `text` names. */
export async function changePin(
  pinned: boolean,
  text: string,
  ctx: CommandContext,
  deps: ReportDeps,
): Promise<ReportOutcome> {
  const words = wordsFor(SUMMARY_PIN_WORDS, deps.config.locale);
  const verb = pinned ? 'pin' : 'unpin';
  return adminChange(ctx, deps, PIN_CHANGES, async ({ now, transaction }) => {
    if (text.trim() === '') return error(words.whichKpi, PIN_EXAMPLES);
    const found = resolveKpi(deps.catalog, text);
    if (!found.ok) {
      return error(
        words.unknownKpi(escapeMrkdwn(text.trim())),
        PIN_EXAMPLES,
        found.suggestions.map((s) => `/kpi summary ${verb} ${s}`),
      );
    }
    const id = found.kpi.id;
    const name = escapeMrkdwn(nameOf(deps, id));
    if (pinned && deps.catalog.tierOf(id) !== 'business') {
      return error(words.contextMetric(name), PIN_EXAMPLES);
    }
    return transaction(async (tx, audit) => {
      const before = await effectivePins({ ...deps, db: tx });
      const isPinned = before.some((p) => p.id === id);
      if (isPinned === pinned) {
        const title = pinned ? words.alreadyPinned(name) : words.notPinned(name);
        return message('info', title, [words.nothingChanged, words.nowShown(names(deps, before))]);
      }
      if (pinned && before.length >= MAX_PINS) return error(words.full(MAX_PINS), PIN_EXAMPLES);
      await savePinChange(tx, { kpi: id, pinned, by: ctx.userId, at: now });
      await audit({ action: pinned ? 'add' : 'remove', id, detail: { text } });
      const after = await effectivePins({ ...deps, db: tx });
      return message('ok', pinned ? words.pinned(name) : words.unpinned(name), [
        words.nowShown(names(deps, after)),
        words.restInThread,
      ]);
    });
  });
}

/** The pinned KPIs in force and where each comes from. */
export async function listPins(deps: ReportDeps): Promise<ReportOutcome> {
  const words = wordsFor(SUMMARY_PIN_WORDS, deps.config.locale);
  const pins = await effectivePins(deps);
  const source = (p: PinnedKpi) =>
    p.source === 'slack' && p.by && p.at
      ? words.pinnedBy(userMention(p.by), p.at.toISOString().slice(0, 10))
      : p.source === 'config'
        ? words.fromConfig
        : words.fromDefault;
  const lines = pins.map(
    (p, i) => `${i + 1}. *${escapeMrkdwn(nameOf(deps, p.id))}* (${source(p)})`,
  );
  return message('info', words.listTitle(pins.length), [
    ...(lines.length > 0 ? lines : [words.none]),
    words.howToChange,
  ]);
}
