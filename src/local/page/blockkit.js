// Slack messages to HTML: mrkdwn (bold, italic, strike, code, code blocks, quotes, links,
// mentions, dates, emoji shortcodes) and Block Kit blocks. Pure functions from data to HTML
// strings, shared by the page (the browser loads this file as a module) and the tests (node).
//
// Safety: every piece of text from a message is HTML-escaped before it is placed in markup; only
// the tags written here are ever produced, links only for http(s) and mailto URLs, and an
// unknown or malformed block becomes a labelled placeholder instead of breaking the page.
// Types: blockkit.d.ts.
import { EMOJI } from './emoji.js';

const HTML_ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text → HTML text (also safe inside a double- or single-quoted attribute). */
export function escapeHtml(text) {
  return String(text ?? '').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** Slack escapes `&`, `<` and `>` in message text as entities; this turns them back. */
export function decodeSlackEntities(text) {
  return String(text ?? '').replace(
    /&(amp|lt|gt);/g,
    (_, e) => ({ amp: '&', lt: '<', gt: '>' })[e],
  );
}

/** `:shortcode:` → the emoji, in text that is already HTML; unknown shortcodes stay as text. */
export function emojify(html) {
  return html.replace(/:([a-z0-9_+-]+):/g, (match, name) => {
    const emoji = Object.hasOwn(EMOJI, name) ? EMOJI[name] : undefined;
    return emoji ? `<span class="emoji" title=":${name}:">${emoji}</span>` : match;
  });
}

/** Only these URLs become links (no `javascript:`, no `data:`). */
export function safeUrl(url) {
  const trimmed = String(url ?? '').trim();
  return /^(https?:\/\/|mailto:)/i.test(trimmed) ? trimmed : undefined;
}

// Private-use characters mark where finished HTML goes while the rest is still being formatted.
const SLOT_OPEN = '\uE000';
const SLOT_CLOSE = '\uE001';
const SLOT = /\uE000(\d+)\uE001/g;

const BOLD = /(^|[^\p{L}\p{N}*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\p{L}\p{N}*])/gu;
const ITALIC = /(^|[^\p{L}\p{N}_])_(?!\s)([^_\n]+?)(?<!\s)_(?![\p{L}\p{N}_])/gu;
const STRIKE = /(^|[^\p{L}\p{N}~])~(?!\s)([^~\n]+?)(?<!\s)~(?![\p{L}\p{N}~])/gu;

function dateParts(date, timeZone) {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(date);
}

/**
 * `<!date^1700000000^{date_short_pretty} at {time}|fallback>` as Slack shows it, in the reader's
 * locale and timezone (ctx.locale, ctx.timeZone; ctx.now for "today").
 */
export function formatSlackDate(seconds, format, fallback, ctx = {}) {
  const date = new Date(Number(seconds) * 1000);
  if (!/^\d+$/.test(String(seconds)) || Number.isNaN(date.getTime())) return fallback ?? '';
  const locale = ctx.locale;
  const timeZone = ctx.timeZone;
  const now = new Date(ctx.now ?? Date.now());
  const fmt = (options) => new Intl.DateTimeFormat(locale, { timeZone, ...options }).format(date);
  const pretty = (otherwise) => {
    const day = dateParts(date, timeZone);
    const offset = (n) => dateParts(new Date(now.getTime() + n * 86_400_000), timeZone);
    if (day === offset(0)) return 'today';
    if (day === offset(-1)) return 'yesterday';
    if (day === offset(1)) return 'tomorrow';
    return otherwise;
  };
  const tokens = {
    date_num: () => dateParts(date, timeZone),
    date: () => fmt({ dateStyle: 'long' }),
    date_short: () => fmt({ dateStyle: 'medium' }),
    date_long: () => fmt({ dateStyle: 'full' }),
    date_pretty: () => pretty(fmt({ dateStyle: 'long' })),
    date_short_pretty: () => pretty(fmt({ dateStyle: 'medium' })),
    date_long_pretty: () => pretty(fmt({ dateStyle: 'full' })),
    time: () => fmt({ timeStyle: 'short' }),
    time_secs: () => fmt({ timeStyle: 'medium' }),
    ago: () => {
      const minutes = Math.round((date.getTime() - now.getTime()) / 60_000);
      const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
      if (Math.abs(minutes) < 60) return rtf.format(minutes, 'minute');
      if (Math.abs(minutes) < 48 * 60) return rtf.format(Math.round(minutes / 60), 'hour');
      return rtf.format(Math.round(minutes / 1440), 'day');
    },
  };
  try {
    return String(format ?? '{date_num} {time}').replace(/\{([a-z_]+)\}/g, (match, name) =>
      Object.hasOwn(tokens, name) ? tokens[name]() : match,
    );
  } catch {
    return fallback ?? '';
  }
}

/** A link label or similar short text: entities decoded, escaped, emoji. */
function inlineText(text) {
  return emojify(escapeHtml(decodeSlackEntities(text)));
}

/** What `<…>` means in mrkdwn: a link, a mention, a date or a special mention. */
function controlSequence(inner, ctx) {
  const bar = inner.indexOf('|');
  const target = bar < 0 ? inner : inner.slice(0, bar);
  const label = bar < 0 ? undefined : inner.slice(bar + 1);
  if (target.startsWith('@')) {
    const id = target.slice(1);
    const name = label || ctx.userName?.(id) || id;
    return `<span class="mention" data-user="${escapeHtml(id)}">@${inlineText(name)}</span>`;
  }
  if (target.startsWith('#')) {
    const id = target.slice(1);
    const name = label || ctx.channelName?.(id) || id;
    return `<span class="mention channel-mention">#${inlineText(name)}</span>`;
  }
  if (target.startsWith('!')) {
    const parts = target.slice(1).split('^');
    if (parts[0] === 'date') {
      const text = formatSlackDate(parts[1], parts[2], decodeSlackEntities(label ?? ''), ctx);
      const url = safeUrl(decodeSlackEntities(parts[3] ?? ''));
      const time = `<time>${escapeHtml(text)}</time>`;
      return url ? link(url, time) : time;
    }
    if (['here', 'channel', 'everyone'].includes(parts[0])) {
      return `<span class="mention broadcast">@${escapeHtml(parts[0])}</span>`;
    }
    if (parts[0] === 'subteam')
      return `<span class="mention">${inlineText(label || '@group')}</span>`;
    return inlineText(label ?? parts[0]);
  }
  const url = safeUrl(decodeSlackEntities(target));
  if (url) return link(url, inlineText(label || decodeSlackEntities(target)));
  return inlineText(label ?? target);
}

function link(url, html) {
  return `<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${html}</a>`;
}

/** Lines starting with `>` (sent as `&gt;`) become a quote. Works on finished HTML lines. */
function quotes(html) {
  const out = [];
  let quote = [];
  const flush = () => {
    if (quote.length === 0) return;
    out.push(`<blockquote>${quote.join('\n')}</blockquote>`);
    quote = [];
  };
  for (const line of html.split('\n')) {
    const m = /^&gt;\s?(.*)$/.exec(line);
    if (m) quote.push(m[1]);
    else {
      flush();
      out.push(line);
    }
  }
  flush();
  // A quote is a block of its own: no line break right after it.
  return out.join('\n').replace(/<\/blockquote>\n/g, '</blockquote>');
}

/**
 * Slack mrkdwn → HTML. `ctx`: `userName(id)` and `channelName(id)` for mentions, `locale`,
 * `timeZone` and `now` for dates. Newlines stay newlines (the page shows them with pre-wrap).
 */
export function renderMrkdwn(text, ctx = {}) {
  const slots = [];
  const hold = (html) => `${SLOT_OPEN}${slots.push(html) - 1}${SLOT_CLOSE}`;
  let s = String(text ?? '').replace(/[\uE000-\uE001]/g, '\uFFFD');
  s = s.replace(/```([\s\S]*?)```/g, (_, code) =>
    hold(
      `<pre class="code-block">${escapeHtml(decodeSlackEntities(code.replace(/^\n|\n$/g, '')))}</pre>`,
    ),
  );
  s = s.replace(/`([^`\n]+)`/g, (_, code) =>
    hold(`<code>${escapeHtml(decodeSlackEntities(code))}</code>`),
  );
  s = s.replace(/<([^<>\n]*)>/g, (_, inner) => hold(controlSequence(inner, ctx)));
  s = escapeHtml(decodeSlackEntities(s));
  s = s.replace(BOLD, '$1<b>$2</b>').replace(ITALIC, '$1<i>$2</i>').replace(STRIKE, '$1<s>$2</s>');
  s = quotes(emojify(s));
  // A code block is a block too.
  s = s.replace(SLOT, (_, i) => slots[Number(i)]);
  return s.replace(/<\/pre>\n/g, '</pre>');
}

/** A Block Kit text object (plain_text or mrkdwn) → HTML. */
export function renderText(obj, ctx = {}) {
  if (obj === null || obj === undefined) return '';
  if (typeof obj === 'string') return renderMrkdwn(obj, ctx);
  if (typeof obj !== 'object') return escapeHtml(String(obj));
  if (obj.type === 'mrkdwn') return renderMrkdwn(obj.text, ctx);
  const plain = escapeHtml(obj.text ?? '');
  return obj.emoji === false ? plain : emojify(plain);
}

function unknownBlock(type, why = 'is not shown in the local workspace') {
  const label = typeof type === 'string' && type ? type : 'unknown';
  return `<div class="bk-unknown" data-type="${escapeHtml(label)}">Block <code>${escapeHtml(label)}</code> ${escapeHtml(why)}</div>`;
}

function image(url, alt, className) {
  const src = safeUrl(url);
  if (!src) return `<span class="bk-unknown">image (${escapeHtml(alt || 'no usable URL')})</span>`;
  return `<img class="${className}" src="${escapeHtml(src)}" alt="${escapeHtml(alt ?? '')}" loading="lazy" referrerpolicy="no-referrer">`;
}

/** An interactive element; `where` is `block:element` (element `accessory` for a section's). */
function element(el, blockIndex, elementIndex, ctx) {
  if (!el || typeof el !== 'object') return unknownElement('unknown');
  if (el.type === 'button') {
    const style = el.style === 'primary' || el.style === 'danger' ? ` bk-button-${el.style}` : '';
    const url = safeUrl(el.url);
    const where = ctx.inert
      ? ' disabled title="Buttons in attachments are not clickable in the local workspace"'
      : ` data-block="${blockIndex}" data-element="${escapeHtml(elementIndex)}"`;
    return `<button type="button" class="bk-button${style}"${where}${url ? ` data-url="${escapeHtml(url)}"` : ''}>${renderText(el.text, ctx)}</button>`;
  }
  if (el.type === 'image') return image(el.image_url, el.alt_text, 'bk-accessory-image');
  return unknownElement(el.type);
}

function unknownElement(type) {
  const label = typeof type === 'string' && type ? type : 'unknown';
  return `<span class="bk-unknown bk-unknown-element" data-type="${escapeHtml(label)}"><code>${escapeHtml(label)}</code> not available locally</span>`;
}

const list = (v) => (Array.isArray(v) ? v : []);

function renderBlock(block, index, ctx) {
  if (!block || typeof block !== 'object')
    return unknownBlock(block === null ? 'null' : typeof block);
  switch (block.type) {
    case 'header':
      return `<div class="bk-header">${renderText({ ...block.text, type: 'plain_text' }, ctx)}</div>`;
    case 'section': {
      const text = block.text ? `<div class="bk-text">${renderText(block.text, ctx)}</div>` : '';
      const fields = list(block.fields);
      const grid = fields.length
        ? `<div class="bk-fields">${fields.map((f) => `<div class="bk-field">${renderText(f, ctx)}</div>`).join('')}</div>`
        : '';
      const accessory = block.accessory
        ? `<div class="bk-accessory">${element(block.accessory, index, 'accessory', ctx)}</div>`
        : '';
      return `<div class="bk-section"><div class="bk-section-main">${text}${grid}</div>${accessory}</div>`;
    }
    case 'context':
      return `<div class="bk-context">${list(block.elements)
        .map((e) =>
          e && e.type === 'image'
            ? image(e.image_url, e.alt_text, 'bk-context-image')
            : `<span class="bk-context-item">${renderText(e, ctx)}</span>`,
        )
        .join('')}</div>`;
    case 'divider':
      return '<hr class="bk-divider">';
    case 'actions':
      return `<div class="bk-actions">${list(block.elements)
        .map((e, j) => element(e, index, j, ctx))
        .join('')}</div>`;
    case 'image': {
      const title = block.title ? `<figcaption>${renderText(block.title, ctx)}</figcaption>` : '';
      return `<figure class="bk-image">${title}${image(block.image_url, block.alt_text, 'bk-image-img')}</figure>`;
    }
    default:
      return unknownBlock(block.type);
  }
}

/** Block Kit blocks → HTML. A block that cannot be drawn becomes a placeholder, never an error. */
export function renderBlocks(blocks, ctx = {}) {
  return list(blocks)
    .map((block, i) => {
      try {
        return renderBlock(block, i, ctx);
      } catch {
        return unknownBlock(block?.type, 'could not be drawn');
      }
    })
    .join('');
}

const ATTACHMENT_COLORS = { good: '#2eb67d', warning: '#ecb22e', danger: '#e01e5a' };

/** Legacy attachments (a coloured bar with text or blocks), as Slack still shows them. */
function renderAttachments(attachments, ctx) {
  return list(attachments)
    .map((a) => {
      if (!a || typeof a !== 'object') return '';
      const raw = ATTACHMENT_COLORS[a.color] ?? a.color;
      const color = /^#?[0-9a-f]{3,8}$/i.test(String(raw ?? ''))
        ? `#${String(raw).replace(/^#/, '')}`
        : '#dddddd';
      const body = list(a.blocks).length
        ? renderBlocks(a.blocks, { ...ctx, inert: true })
        : `${a.title ? `<div class="bk-attachment-title">${escapeHtml(a.title)}</div>` : ''}<div class="bk-text">${renderMrkdwn(a.text ?? a.fallback ?? '', ctx)}</div>`;
      return `<div class="bk-attachment" data-color="${escapeHtml(color)}">${body}</div>`;
    })
    .join('');
}

/** A whole message body: its blocks, or its text when it has none, then any attachments. */
export function renderMessageBody(message, ctx = {}) {
  const blocks = list(message?.blocks);
  const body = blocks.length
    ? renderBlocks(blocks, ctx)
    : `<div class="bk-text">${renderMrkdwn(message?.text ?? '', ctx)}</div>`;
  return body + renderAttachments(message?.attachments, ctx);
}
