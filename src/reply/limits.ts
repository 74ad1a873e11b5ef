// Block Kit's limits, helpers that keep a message inside them, and a checker for tests.
// Slack rejects a whole message (`invalid_blocks`) when one block breaks a limit, so every view
// cuts its content to fit instead of hoping it does.
// https://docs.slack.dev/reference/block-kit/blocks
import type { KnownBlock } from '@slack/types';

export const LIMITS = {
  /** Blocks in one message. */
  blocks: 50,
  /** A section's `text`. */
  sectionText: 3000,
  /** A header's plain text. */
  headerText: 150,
  /** A section's `fields`, and the length of each. */
  fields: 10,
  fieldText: 2000,
  /** Elements in a context block. */
  contextElements: 10,
  /** Any text object (context elements, etc.). */
  text: 3000,
  /** Elements in an actions block. */
  actionElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  blockId: 255,
  /** The top-level `text`; Slack truncates longer ones. We keep the fallback much shorter. */
  messageText: 40_000,
} as const;

/** Our own cap on the plain-text fallback: notifications and screen readers need the gist. */
export const FALLBACK_TEXT_MAX = 3000;

/** Length in code points (what people see as characters; emoji count once). */
export function length(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Cuts `text` to at most `max` code points, ending with `…` when cut. */
export function truncate(text: string, max: number): string {
  if (length(text) <= max) return text;
  if (max <= 0) return '';
  return `${Array.from(text)
    .slice(0, max - 1)
    .join('')
    .trimEnd()}…`;
}

/**
 * Joins as many of `lines` as fit in `max` characters (with `\n`), then a closing line from
 * `more(omitted)` when some were left out. The closing line is always kept within `max`.
 */
export function fitLines(
  lines: readonly string[],
  max: number,
  more: (omitted: number) => string,
): string {
  const kept: string[] = [];
  let used = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const cost = length(line) + (kept.length > 0 ? 1 : 0);
    const remaining = lines.length - i - 1;
    const reserve = remaining > 0 ? length(more(remaining)) + 1 : 0;
    if (used + cost + reserve > max) {
      const tail = more(lines.length - i);
      return kept.length > 0 ? `${kept.join('\n')}\n${tail}` : truncate(tail, max);
    }
    kept.push(line);
    used += cost;
  }
  return kept.join('\n');
}

/** Splits lines into chunks of at most `max` characters each; a single longer line is cut. */
export function chunkLines(lines: readonly string[], max: number): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const raw of lines) {
    const line = truncate(raw, max);
    if (current === '') current = line;
    else if (length(current) + 1 + length(line) <= max) current = `${current}\n${line}`;
    else {
      chunks.push(current);
      current = line;
    }
  }
  if (current !== '') chunks.push(current);
  return chunks;
}

/**
 * Keeps at most `max` blocks. When some must go, the last kept block is `notice(omitted)` so the
 * reader knows the message was cut (`omitted` counts blocks dropped to make room for it).
 */
export function capBlocks(
  blocks: readonly KnownBlock[],
  notice: (omitted: number) => KnownBlock,
  max: number = LIMITS.blocks,
): KnownBlock[] {
  if (blocks.length <= max) return [...blocks];
  const kept = blocks.slice(0, max - 1);
  return [...kept, notice(blocks.length - kept.length)];
}

// ---------------------------------------------------------------------------------------------
// Checking a message (tests, and a last guard before sending)

interface TextObject {
  type?: string;
  text?: string;
}

function textOf(value: unknown): string | undefined {
  return typeof value === 'object' &&
    value !== null &&
    typeof (value as TextObject).text === 'string'
    ? (value as TextObject).text
    : undefined;
}

/** Every Block Kit limit the message breaks, as readable strings; empty when it is valid. */
export function blockKitViolations(message: {
  text?: string;
  blocks?: readonly KnownBlock[];
}): string[] {
  const problems: string[] = [];
  const blocks = message.blocks ?? [];
  if (blocks.length > LIMITS.blocks)
    problems.push(`${blocks.length} blocks (max ${LIMITS.blocks})`);
  if (message.text !== undefined && length(message.text) > LIMITS.messageText) {
    problems.push(`text is ${length(message.text)} characters (max ${LIMITS.messageText})`);
  }
  if (blocks.length === 0 && !message.text) problems.push('neither blocks nor text');
  const checkText = (where: string, text: string | undefined, max: number) => {
    if (text === undefined) return;
    if (text.length === 0) problems.push(`${where}: empty text`);
    if (length(text) > max) problems.push(`${where}: ${length(text)} characters (max ${max})`);
  };
  blocks.forEach((block, i) => {
    const where = `block ${i} (${block.type})`;
    if (block.block_id !== undefined && length(block.block_id) > LIMITS.blockId) {
      problems.push(`${where}: block_id longer than ${LIMITS.blockId}`);
    }
    switch (block.type) {
      case 'header':
        if (block.text.type !== 'plain_text')
          problems.push(`${where}: header text must be plain_text`);
        checkText(where, block.text.text, LIMITS.headerText);
        break;
      case 'section':
        if (!block.text && !block.fields?.length) problems.push(`${where}: needs text or fields`);
        checkText(where, block.text?.text, LIMITS.sectionText);
        if ((block.fields?.length ?? 0) > LIMITS.fields) {
          problems.push(`${where}: ${block.fields?.length} fields (max ${LIMITS.fields})`);
        }
        block.fields?.forEach((f, j) => {
          checkText(`${where} field ${j}`, f.text, LIMITS.fieldText);
        });
        break;
      case 'context':
        if (block.elements.length === 0) problems.push(`${where}: no elements`);
        if (block.elements.length > LIMITS.contextElements) {
          problems.push(
            `${where}: ${block.elements.length} elements (max ${LIMITS.contextElements})`,
          );
        }
        block.elements.forEach((e, j) => {
          checkText(`${where} element ${j}`, textOf(e), LIMITS.text);
        });
        break;
      case 'actions':
        if (block.elements.length > LIMITS.actionElements) {
          problems.push(
            `${where}: ${block.elements.length} elements (max ${LIMITS.actionElements})`,
          );
        }
        for (const e of block.elements) {
          if (e.type !== 'button') continue;
          checkText(`${where} button`, e.text.text, LIMITS.buttonText);
          if (e.value !== undefined && length(e.value) > LIMITS.buttonValue) {
            problems.push(
              `${where}: button value ${length(e.value)} characters (max ${LIMITS.buttonValue})`,
            );
          }
          if (e.action_id !== undefined && length(e.action_id) > LIMITS.actionId) {
            problems.push(`${where}: action_id longer than ${LIMITS.actionId}`);
          }
        }
        break;
      default:
        break;
    }
  });
  return problems;
}
