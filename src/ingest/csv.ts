// A streaming CSV tokenizer (RFC 4180 with a choice of delimiter), fed decoded text chunk by
// chunk. Pure, no I/O.
//
// Written for the importer's hot loop: a line without a quote character is cut with one
// indexOf and one split (most lines of most exports), and each record comes with the line it
// starts on, so nobody has to count line breaks afterwards. Lines with quotes go through a small
// state machine. Behaviour follows csv-parse's defaults (which the importer used before):
//   - quoted fields ("a, b", "say ""hi""") may hold delimiters, quotes and line breaks;
//   - a quote inside an unquoted field, or anything but a delimiter or the end of the line after
//     a closing quote, is an error, as is a quote left open at the end of the file;
//   - records end at \n, \r\n or \r: the first line break in the file decides which;
//   - an empty line is a record of one empty cell; a line break at the very end adds nothing;
//   - cells are not trimmed; rows may have any number of cells.

import { ErrorCode, UserError } from '../errors.ts';

/** Malformed CSV; `line` is the 1-based line of the file where the problem is. */
export class CsvSyntaxError extends UserError {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(ErrorCode.CsvSyntax, message);
  }
}

const QUOTE = 34; // "
const CR = 13;
const LF = 10;

export class CsvTokenizer {
  private buf = '';
  private pos = 0;
  /** Index of the first quote at or after `pos` in `buf` (Infinity: none); -1: not looked yet. */
  private nextQuote = -1;
  /** The record separator once known: '\n' (\r\n included) or '\r'. */
  private eol: '\n' | '\r' | undefined;
  private ended = false;
  /**
   * After a record found its text incomplete: the text length to wait for before trying again
   * (twice what it had), so that a quote left open (or a line without end) does not rescan the
   * rest of the file on every chunk.
   */
  private retryAt = 0;
  private readonly delim: number;
  /** Line of the file at `pos`. */
  private line: number;
  /** The line the record last returned by next() starts on. */
  recordLine = 0;

  /** `firstLine`: the line number of the first text pushed (1 unless lines were cut before). */
  constructor(
    private readonly delimiter: string,
    firstLine = 1,
  ) {
    if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
      throw new RangeError(`Unusable CSV delimiter ${JSON.stringify(delimiter)}`);
    }
    this.delim = delimiter.charCodeAt(0);
    this.line = firstLine;
  }

  /** The last line of the file consumed so far (the line before the next record). */
  get lastLine(): number {
    return this.line - 1;
  }

  /** Appends text; call next() until it returns undefined before pushing more. */
  push(text: string): void {
    if (this.ended) throw new Error('CsvTokenizer: push() after end()');
    this.buf = this.pos < this.buf.length ? this.buf.slice(this.pos) + text : text;
    this.pos = 0;
    this.nextQuote = -1;
  }

  /** No more text: next() now also returns a last record without a line break. */
  end(): void {
    this.ended = true;
  }

  /**
   * The next complete record, or undefined when the text so far holds none (push more, or after
   * end(): there are no more). Throws CsvSyntaxError on malformed CSV.
   */
  next(): string[] | undefined {
    const s = this.buf;
    const start = this.pos;
    if (start >= s.length) return undefined;
    if (!this.ended && s.length - start < this.retryAt) return undefined;
    this.eol ??= this.detectEol();
    const eol = this.eol;
    if (eol === undefined) {
      this.retryAt = 2 * (s.length - start);
      return undefined;
    }
    let nl = s.indexOf(eol, start);
    if (nl < 0) {
      if (!this.ended) {
        this.retryAt = 2 * (s.length - start);
        return undefined;
      }
      nl = s.length;
    }
    if (this.nextQuote < start) {
      const q = s.indexOf('"', start);
      this.nextQuote = q < 0 ? Number.POSITIVE_INFINITY : q;
    }
    if (this.nextQuote > nl) {
      let end = nl;
      if (eol === '\n' && end > start && s.charCodeAt(end - 1) === CR) end--;
      this.pos = nl + 1;
      this.retryAt = 0;
      this.recordLine = this.line++;
      // Each cell sliced from the chunk itself: no line string to split.
      const cells: string[] = [];
      let from = start;
      for (
        let d = s.indexOf(this.delimiter, from);
        d >= 0 && d < end;
        d = s.indexOf(this.delimiter, from)
      ) {
        cells.push(s.slice(from, d));
        from = d + 1;
      }
      cells.push(s.slice(from, end));
      return cells;
    }
    const cells = this.quoted(start);
    this.retryAt = cells === undefined ? 2 * (s.length - start) : 0;
    return cells;
  }

  /** The line break style from the first one in the text; undefined until one is seen. */
  private detectEol(): '\n' | '\r' | undefined {
    const s = this.buf;
    for (let i = this.pos; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === LF) return '\n';
      if (c === CR) {
        if (i + 1 < s.length) return s.charCodeAt(i + 1) === LF ? '\n' : '\r';
        if (this.ended) return '\r';
        return undefined; // "\r" then the chunk ends: is a "\n" next?
      }
    }
    // No line break yet: one record (at most) so far.
    return this.ended ? '\n' : undefined;
  }

  /** A record with a quote somewhere: cell by cell. Undefined when it needs more text. */
  private quoted(start: number): string[] | undefined {
    const s = this.buf;
    const n = s.length;
    const eol = this.eol === '\r' ? CR : LF;
    const cells: string[] = [];
    let line = this.line;
    let i = start;
    for (;;) {
      // At the start of a cell.
      if (s.charCodeAt(i) === QUOTE) {
        const openedOn = line;
        let value = '';
        let from = i + 1;
        let j: number;
        for (;;) {
          j = s.indexOf('"', from);
          if (j < 0) {
            if (!this.ended) return undefined;
            throw new CsvSyntaxError(
              `Quote Not Closed: the quoted cell opened on line ${openedOn} is never closed`,
              openedOn,
            );
          }
          line += countBreaks(s, from, j, eol);
          if (j + 1 >= n && !this.ended) return undefined; // a doubled quote may follow
          if (s.charCodeAt(j + 1) === QUOTE) {
            value += s.slice(from, j + 1);
            from = j + 2;
            continue;
          }
          value += s.slice(from, j);
          break;
        }
        cells.push(value);
        i = j + 1;
        if (i >= n) {
          if (!this.ended) return undefined;
          return this.done(cells, n, line);
        }
        const c = s.charCodeAt(i);
        if (c === this.delim) {
          i++;
          continue;
        }
        if (c === eol) return this.done(cells, i + 1, line);
        if (c === CR && eol === LF) {
          if (i + 1 >= n && !this.ended) return undefined;
          if (i + 1 >= n) return this.done(cells, n, line);
          if (s.charCodeAt(i + 1) === LF) return this.done(cells, i + 2, line);
        }
        throw new CsvSyntaxError(
          `Invalid Closing Quote: got ${JSON.stringify(s[i])} after the closing quote of cell ${cells.length} on line ${line}, where a delimiter or the end of the line must follow`,
          line,
        );
      }
      // An unquoted cell: up to the delimiter or the end of the line.
      let j = i;
      while (j < n) {
        const c = s.charCodeAt(j);
        if (c === this.delim || c === eol) break;
        if (c === QUOTE) {
          throw new CsvSyntaxError(
            `Invalid Opening Quote: a quote inside the unquoted cell ${cells.length + 1} on line ${line} (after ${JSON.stringify(s.slice(i, j))}); put the whole cell in quotes and double the quotes inside it`,
            line,
          );
        }
        j++;
      }
      if (j >= n && !this.ended) return undefined;
      let end = j;
      if (
        eol === LF &&
        end > i &&
        s.charCodeAt(end - 1) === CR &&
        (j >= n || s.charCodeAt(j) === LF)
      ) {
        end--;
      }
      cells.push(s.slice(i, end));
      if (j >= n) return this.done(cells, n, line);
      if (s.charCodeAt(j) === this.delim) {
        i = j + 1;
        if (i >= n) {
          if (!this.ended) return undefined;
          cells.push('');
          return this.done(cells, n, line);
        }
        continue;
      }
      return this.done(cells, j + 1, line);
    }
  }

  private done(cells: string[], next: number, endLine: number): string[] {
    this.recordLine = this.line;
    this.line = endLine + 1;
    this.pos = next;
    return cells;
  }
}

/** Line breaks (`eol` characters) in s[from, to). */
function countBreaks(s: string, from: number, to: number, eol: number): number {
  let count = 0;
  for (let k = from; k < to; k++) if (s.charCodeAt(k) === eol) count++;
  return count;
}
