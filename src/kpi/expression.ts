// The formula language of KPIs: numbers, identifiers (measures or KPI ids), + - * /, unary
// minus, parentheses and three functions: opening(m) and closing(m) pick a snapshot measure's
// value at the period's start or end, previous(x) evaluates x over the previous period.
// A hand-written recursive-descent parser: no eval, no Function. Pure.

export type FunctionName = 'opening' | 'closing' | 'previous';
const FUNCTIONS: readonly FunctionName[] = ['opening', 'closing', 'previous'];

export type Expr =
  | { type: 'number'; value: number; pos: number }
  | { type: 'ref'; name: string; pos: number }
  | { type: 'call'; fn: FunctionName; arg: Extract<Expr, { type: 'ref' }>; pos: number }
  | { type: 'negate'; arg: Expr; pos: number }
  | { type: 'binary'; op: '+' | '-' | '*' | '/'; left: Expr; right: Expr; pos: number };

export interface ExpressionError {
  message: string;
  /** 0-based index into the formula where the mistake is. */
  position: number;
}

export type ParseResult = { ok: true; expr: Expr } | { ok: false; error: ExpressionError };

type Token =
  | { kind: 'number'; value: number; pos: number; text: string }
  | { kind: 'ident'; name: string; pos: number }
  | { kind: 'op'; op: '+' | '-' | '*' | '/' | '(' | ')'; pos: number }
  | { kind: 'end'; pos: number };

class ParseFailure extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

const MAX_LENGTH = 500;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if ('+-*/()'.includes(ch)) {
      tokens.push({ kind: 'op', op: ch as '+', pos: i });
      i++;
      continue;
    }
    const number = /^(\d+(\.\d+)?|\.\d+)/.exec(text.slice(i));
    if (number) {
      tokens.push({ kind: 'number', value: Number(number[0]), pos: i, text: number[0] });
      i += number[0].length;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (ident) {
      tokens.push({ kind: 'ident', name: ident[0].toLowerCase(), pos: i });
      i += ident[0].length;
      continue;
    }
    const hint = ch === ',' ? ' (decimals are written with a point: 0.5)' : '';
    throw new ParseFailure(`unexpected character "${ch}"${hint}`, i);
  }
  tokens.push({ kind: 'end', pos: text.length });
  return tokens;
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'end':
      return 'the end of the formula';
    case 'number':
      return `"${token.text}"`;
    case 'ident':
      return `"${token.name}"`;
    case 'op':
      return `"${token.op}"`;
  }
}

class Parser {
  private index = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.index] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index++;
    return token;
  }

  private isOp(op: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.op === op;
  }

  parseAll(): Expr {
    const expr = this.sum();
    const rest = this.peek();
    if (rest.kind !== 'end') {
      const what = rest.kind === 'op' && rest.op === ')' ? 'a ")" without its "("' : describe(rest);
      throw new ParseFailure(`expected an operator (+ - * /) but found ${what}`, rest.pos);
    }
    return expr;
  }

  private sum(): Expr {
    let left = this.product();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.next() as Extract<Token, { kind: 'op' }>;
      left = { type: 'binary', op: op.op as '+' | '-', left, right: this.product(), pos: op.pos };
    }
    return left;
  }

  private product(): Expr {
    let left = this.unary();
    while (this.isOp('*') || this.isOp('/')) {
      const op = this.next() as Extract<Token, { kind: 'op' }>;
      left = { type: 'binary', op: op.op as '*' | '/', left, right: this.unary(), pos: op.pos };
    }
    return left;
  }

  private unary(): Expr {
    if (this.isOp('-')) {
      const op = this.next();
      return { type: 'negate', arg: this.unary(), pos: op.pos };
    }
    return this.primary();
  }

  private primary(): Expr {
    const token = this.next();
    if (token.kind === 'number') return { type: 'number', value: token.value, pos: token.pos };
    if (token.kind === 'op' && token.op === '(') {
      const inner = this.sum();
      this.expect(')', token.pos);
      return inner;
    }
    if (token.kind === 'ident') {
      if (!this.isOp('(')) return { type: 'ref', name: token.name, pos: token.pos };
      const open = this.next();
      if (!(FUNCTIONS as readonly string[]).includes(token.name)) {
        throw new ParseFailure(
          `unknown function "${token.name}" (functions: ${FUNCTIONS.join(', ')})`,
          token.pos,
        );
      }
      const arg = this.next();
      if (arg.kind !== 'ident') {
        throw new ParseFailure(
          `${token.name}() takes the name of a measure or KPI, not ${describe(arg)}`,
          arg.pos,
        );
      }
      this.expect(')', open.pos);
      return {
        type: 'call',
        fn: token.name as FunctionName,
        arg: { type: 'ref', name: arg.name, pos: arg.pos },
        pos: token.pos,
      };
    }
    throw new ParseFailure(
      `expected a number, a measure or "(" but found ${describe(token)}`,
      token.pos,
    );
  }

  private expect(op: ')', openedAt: number): void {
    const token = this.peek();
    if (token.kind === 'op' && token.op === op) {
      this.next();
      return;
    }
    throw new ParseFailure(
      `expected ")" to close the "(" at position ${openedAt + 1} but found ${describe(token)}`,
      token.pos,
    );
  }
}

/** Parses a formula such as `(revenue - ad_spend) / ad_spend`. */
export function parseExpression(text: string): ParseResult {
  if (text.length > MAX_LENGTH) {
    return {
      ok: false,
      error: { message: `formula longer than ${MAX_LENGTH} characters`, position: MAX_LENGTH },
    };
  }
  try {
    const tokens = tokenize(text);
    if (tokens.length === 1) return { ok: false, error: { message: 'empty formula', position: 0 } };
    return { ok: true, expr: new Parser(tokens).parseAll() };
  } catch (err) {
    if (err instanceof ParseFailure)
      return { ok: false, error: { message: err.message, position: err.position } };
    throw err;
  }
}

/** "message at position N" plus the formula and a caret under the mistake (1-based for people). */
export function formatExpressionError(formula: string, error: ExpressionError): string {
  return `${error.message} at position ${error.position + 1}\n    ${formula}\n    ${' '.repeat(error.position)}^`;
}

/** Every identifier the formula names, with the function it is wrapped in, in order. */
export function referencesOf(expr: Expr): Array<{ name: string; fn?: FunctionName; pos: number }> {
  switch (expr.type) {
    case 'number':
      return [];
    case 'ref':
      return [{ name: expr.name, pos: expr.pos }];
    case 'call':
      return [{ name: expr.arg.name, fn: expr.fn, pos: expr.arg.pos }];
    case 'negate':
      return referencesOf(expr.arg);
    case 'binary':
      return [...referencesOf(expr.left), ...referencesOf(expr.right)];
  }
}

/**
 * Evaluates with `resolve` supplying each reference's value. null ("no data") propagates; a
 * division by zero and any non-finite result are null too, never 0, NaN or Infinity.
 */
export function evaluateExpression(
  expr: Expr,
  resolve: (ref: { name: string; fn?: FunctionName }) => number | null,
): number | null {
  const value = evaluateNode(expr, resolve);
  return value !== null && Number.isFinite(value) ? value : null;
}

function evaluateNode(
  expr: Expr,
  resolve: (ref: { name: string; fn?: FunctionName }) => number | null,
): number | null {
  switch (expr.type) {
    case 'number':
      return expr.value;
    case 'ref':
      return resolve({ name: expr.name });
    case 'call':
      return resolve({ name: expr.arg.name, fn: expr.fn });
    case 'negate': {
      const v = evaluateNode(expr.arg, resolve);
      return v === null ? null : -v;
    }
    case 'binary': {
      const left = evaluateNode(expr.left, resolve);
      const right = evaluateNode(expr.right, resolve);
      if (left === null || right === null) return null;
      switch (expr.op) {
        case '+':
          return left + right;
        case '-':
          return left - right;
        case '*':
          return left * right;
        case '/':
          return right === 0 ? null : left / right;
      }
    }
  }
}
