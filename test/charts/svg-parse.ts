// The elements of a chart's SVG as plain objects (tag, attributes, text), for structural
// assertions and golden files: enough for the flat documents src/charts writes, not general XML.

export interface SvgElement {
  tag: string;
  attrs: Record<string, string>;
  text?: string;
}

const unescapeXml = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

export function svgElements(svg: string): SvgElement[] {
  const out: SvgElement[] = [];
  for (const m of svg.matchAll(/<(\w+)((?:\s+[\w:-]+="[^"]*")*)\s*(\/?)>(?:([^<]*)<\/\1>)?/g)) {
    const attrs: Record<string, string> = {};
    for (const a of (m[2] ?? '').matchAll(/([\w:-]+)="([^"]*)"/g))
      attrs[a[1]!] = unescapeXml(a[2] ?? '');
    const el: SvgElement = { tag: m[1]!, attrs };
    if (m[4] !== undefined) el.text = unescapeXml(m[4]);
    out.push(el);
  }
  return out;
}

export const ofKind = (els: SvgElement[], kind: string) =>
  els.filter((e) => e.attrs['data-kind'] === kind);

const GEOMETRY = ['x', 'y', 'x1', 'x2', 'y1', 'y2', 'cx', 'cy', 'r', 'width', 'height'];

/**
 * A line per element: tag, kind, key, geometry rounded to whole pixels, text. Colours, fonts
 * and sub-pixel positions stay out, so a golden file changes only when the picture does.
 */
export function svgOutline(svg: string): string[] {
  return svgElements(svg).map((e) => {
    const parts = [e.tag];
    for (const k of ['data-kind', 'data-key', 'data-period', 'data-value'])
      if (e.attrs[k] !== undefined) parts.push(`${k.slice(5)}=${e.attrs[k]}`);
    for (const k of GEOMETRY)
      if (e.attrs[k] !== undefined) parts.push(`${k}=${Math.round(Number(e.attrs[k]))}`);
    if (e.attrs.points !== undefined)
      parts.push(
        `points=${e.attrs.points
          .split(' ')
          .map((p) =>
            p
              .split(',')
              .map((n) => Math.round(Number(n)))
              .join(','),
          )
          .join(' ')}`,
      );
    if (e.text !== undefined) parts.push(JSON.stringify(e.text));
    return parts.join(' ');
  });
}
