// Encoding and delimiter sniffing from the head of a file. Pure, no I/O.
//
// Encoding: a byte-order mark decides (UTF-8, UTF-16 LE/BE; the mark is stripped). Without one,
// NUL bytes in every other position mean UTF-16 (Google Ads' "Excel CSV" is UTF-16 LE, tab
// separated). Otherwise the head is checked as UTF-8; if it is not valid UTF-8 it is taken as
// Windows-1252 (what Excel's "CSV (semikolonavgränsad)" writes on a Swedish Windows), and the
// report says the encoding was guessed. Everything is decoded to text before parsing: UTF-16 is
// decoded rather than rejected.
//
// Delimiter: comma, semicolon or tab. Excel's `sep=;` first line decides when present; otherwise
// the candidate whose per-line count (outside quotes) is the most consistent over the first
// lines wins, the larger count breaking ties (so "1 234,50;12,5" rows still pick ';').

export const ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252'] as const;
export type Encoding = (typeof ENCODINGS)[number];

export const DELIMITERS = [',', ';', '\t'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

export interface EncodingGuess {
  encoding: Encoding;
  /** Bytes of byte-order mark to skip. */
  bom: number;
  /** True when no BOM said so and the head was not UTF-8 (Windows-1252 by elimination). */
  guessed: boolean;
}

/** The encoding of a file from its first bytes (a few KB is plenty). */
export function sniffEncoding(head: Uint8Array): EncodingGuess {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
    return { encoding: 'utf-8', bom: 3, guessed: false };
  }
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bom: 2, guessed: false };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bom: 2, guessed: false };

  const n = Math.min(head.length, 1024) & ~1;
  if (n >= 2) {
    let evenNul = 0;
    let oddNul = 0;
    for (let i = 0; i < n; i += 2) {
      if (head[i] === 0) evenNul++;
      if (head[i + 1] === 0) oddNul++;
    }
    const pairs = n / 2;
    if (oddNul > pairs * 0.3 && evenNul === 0) {
      return { encoding: 'utf-16le', bom: 0, guessed: false };
    }
    if (evenNul > pairs * 0.3 && oddNul === 0) {
      return { encoding: 'utf-16be', bom: 0, guessed: false };
    }
  }
  try {
    // `stream: true`: the head may end inside a multi-byte character.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return { encoding: 'utf-8', bom: 0, guessed: false };
  } catch {
    return { encoding: 'windows-1252', bom: 0, guessed: true };
  }
}

const SEP_LINE = /^sep=(.)\r?\n/i;

/** Excel's optional first line `sep=;` : the delimiter it names and the line's length. */
export function excelSepLine(text: string): { delimiter: Delimiter; length: number } | undefined {
  const m = SEP_LINE.exec(text);
  if (!m) return undefined;
  const d = m[1] as string;
  if (!(DELIMITERS as readonly string[]).includes(d)) return undefined;
  return { delimiter: d as Delimiter, length: m[0].length };
}

/** The delimiter of a CSV text from its first lines (up to 50 records). Defaults to ','. */
export function sniffDelimiter(text: string): Delimiter {
  const sep = excelSepLine(text);
  if (sep) return sep.delimiter;
  const counts = countPerRecord(text, 50);
  let best: Delimiter = ',';
  let bestScore = [-1, -1];
  for (const d of DELIMITERS) {
    // Mode of the non-zero per-record counts, and how many records have it.
    const freq = new Map<number, number>();
    for (const record of counts) {
      const c = record[d];
      if (c > 0) freq.set(c, (freq.get(c) ?? 0) + 1);
    }
    let mode = 0;
    let modeFreq = 0;
    for (const [c, f] of freq) {
      if (f > modeFreq || (f === modeFreq && c > mode)) {
        mode = c;
        modeFreq = f;
      }
    }
    const score = [modeFreq, mode];
    if (score[0]! > bestScore[0]! || (score[0] === bestScore[0] && score[1]! > bestScore[1]!)) {
      best = d;
      bestScore = score;
    }
  }
  return best;
}

type Counts = Record<Delimiter, number>;

/** Delimiter counts outside quotes for each of the first `max` complete, non-empty records. */
function countPerRecord(text: string, max: number): Counts[] {
  const out: Counts[] = [];
  let cur: Counts = { ',': 0, ';': 0, '\t': 0 };
  let inQuotes = false;
  let empty = true;
  for (let i = 0; i < text.length && out.length < max; i++) {
    const ch = text[i];
    if (ch === '"') {
      inQuotes = !inQuotes;
      empty = false;
    } else if (!inQuotes && (ch === '\n' || ch === '\r')) {
      if (!empty) out.push(cur);
      cur = { ',': 0, ';': 0, '\t': 0 };
      empty = true;
    } else {
      if (!inQuotes && (ch === ',' || ch === ';' || ch === '\t')) cur[ch]++;
      empty = false;
    }
  }
  // The text is only the head of the file: its last record may be cut, so it is left out
  // unless it is the only one.
  if (out.length === 0 && !empty) out.push(cur);
  return out;
}
