// Types for blockkit.js (plain JavaScript so that the browser can load it as it is).

export interface RenderContext {
  /** The display name for a user id (`<@U…>`), when known. */
  userName?: (id: string) => string | undefined;
  /** The name for a channel id (`<#C…>`), when known. */
  channelName?: (id: string) => string | undefined;
  /** For dates (`<!date^…>`): BCP 47 locale, IANA timezone, and "now" in ms. */
  locale?: string;
  timeZone?: string;
  now?: number;
  /** Draw buttons disabled (blocks inside legacy attachments). */
  inert?: boolean;
}

export function escapeHtml(text: unknown): string;
export function decodeSlackEntities(text: unknown): string;
export function emojify(html: string): string;
export function safeUrl(url: unknown): string | undefined;
export function formatSlackDate(
  seconds: unknown,
  format: string | undefined,
  fallback: string | undefined,
  ctx?: RenderContext,
): string;
export function renderMrkdwn(text: unknown, ctx?: RenderContext): string;
export function renderText(obj: unknown, ctx?: RenderContext): string;
export function renderBlocks(blocks: unknown, ctx?: RenderContext): string;
export function renderMessageBody(
  message: { text?: unknown; blocks?: unknown; attachments?: unknown } | undefined,
  ctx?: RenderContext,
): string;
