// A few SVG builders: elements as escaped strings, numbers rounded so the same chart is the
// same text on every machine (what the golden tests compare).

/** The one font shipped with the project (render.ts loads it); resvg uses no system font. */
export const FONT_FAMILY = 'DejaVu Sans';

export const COLORS = {
  background: '#ffffff',
  text: '#1d1c1d',
  muted: '#616061',
  grid: '#e8e8e8',
  axis: '#8d8d8d',
  series: '#1264a3',
  current: '#1264a3',
  comparison: '#e8912d',
  threshold: '#e01e5a',
} as const;

type Attr = string | number | undefined;

const round = (n: number): string => String(Math.round(n * 100) / 100);

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function attrs(a: Record<string, Attr>): string {
  return Object.entries(a)
    .filter((e): e is [string, string | number] => e[1] !== undefined)
    .map(([k, v]) => ` ${k}="${typeof v === 'number' ? round(v) : escapeXml(v)}"`)
    .join('');
}

/** `<tag …/>` or `<tag …>children</tag>`; children are already SVG. */
export function el(tag: string, a: Record<string, Attr>, children?: string): string {
  return children === undefined
    ? `<${tag}${attrs(a)}/>`
    : `<${tag}${attrs(a)}>${children}</${tag}>`;
}

/** A text element; `content` is plain text (escaped here). */
export function text(content: string, a: Record<string, Attr>): string {
  return el('text', { 'font-family': FONT_FAMILY, fill: COLORS.text, ...a }, escapeXml(content));
}

/** The whole document: a white background, then the parts in drawing order. */
export function svgDocument(width: number, height: number, parts: string[]): string {
  return el(
    'svg',
    { xmlns: 'http://www.w3.org/2000/svg', width, height, viewBox: `0 0 ${width} ${height}` },
    [el('rect', { width, height, fill: COLORS.background }), ...parts].join(''),
  );
}

/** A width estimate for DejaVu Sans (its average advance is about 0.6 em), to keep labels apart. */
export function textWidth(content: string, fontSize: number): number {
  return content.length * fontSize * 0.6;
}
