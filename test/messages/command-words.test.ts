// One language per message (issue 10 §4) for the replies of the commands that change things
// (`/kpi alert …`, `/kpi goal …`, `/kpi subscribe …`) and of the Slack buttons: every entry of
// each catalogue, rendered with sample values under sv-SE, has no English word, and English and
// Swedish have the same entries (the type ensures it; this says so where it can be read).
import { describe, expect, it } from 'vitest';
import { ACTION_WORDS } from '../../src/messages/actions.ts';
import { ALERT_COMMAND_WORDS } from '../../src/messages/alert-commands.ts';
import { GOAL_COMMAND_WORDS } from '../../src/messages/goal-commands.ts';
import type { Words } from '../../src/messages/lang.ts';
import { SUBSCRIPTION_WORDS } from '../../src/messages/subscriptions.ts';
import { englishIn } from '../helpers/english-words.ts';

const CATALOGUES: Record<string, Words<object>> = {
  'alert-commands': ALERT_COMMAND_WORDS,
  'goal-commands': GOAL_COMMAND_WORDS,
  subscriptions: SUBSCRIPTION_WORDS,
  actions: ACTION_WORDS,
};

/** Sample values: numbers work as counts, strings, ids and flags (0 = false, 1 and 2 = true). */
const SAMPLES = [0, 1, 2];

/** The entries that take other values than counts, strings and flags. */
const ARGS: Record<string, unknown[][]> = {
  write: [[['`<kpi> < 3`', '`<kpi> is anomalous`'], '`roas < 3x`']],
};

/** Every text `words` can write, as [entry, text]: each function called with each sample. */
function render(words: object, prefix = ''): Array<[string, string]> {
  return Object.entries(words).flatMap(([key, value]): Array<[string, string]> => {
    const name = `${prefix}${key}`;
    if (typeof value === 'string') return [[name, value]];
    if (typeof value === 'function') {
      const fn = value as (...args: unknown[]) => unknown;
      const calls = ARGS[name] ?? SAMPLES.map((s) => Array.from({ length: fn.length }, () => s));
      return calls.map((args) => [name, String(fn(...args))]);
    }
    return render(value as object, `${name}.`);
  });
}

function keys(words: object, prefix = ''): string[] {
  return Object.entries(words).flatMap(([key, value]) =>
    value !== null && typeof value === 'object'
      ? keys(value as object, `${prefix}${key}.`)
      : [`${prefix}${key}`],
  );
}

describe.each(Object.entries(CATALOGUES))('the %s catalogue', (_, catalogue) => {
  it('has no English word in Swedish', () => {
    const found = render(catalogue.sv)
      .map(([name, text]) => [name, englishIn(text)] as const)
      .filter(([, words]) => words.length > 0);
    expect(found).toEqual([]);
  });

  it('does use those words in English, so the list can catch them', () => {
    const english = render(catalogue.en).flatMap(([, text]) => englishIn(text));
    expect(english.length).toBeGreaterThan(0);
  });

  it('has the same entries in both languages', () => {
    expect(keys(catalogue.sv)).toEqual(keys(catalogue.en));
  });
});
