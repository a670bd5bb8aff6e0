/**
 * @module
 * The tokens of a metric math expression: numbers, double-quoted strings, query ids (lowercase
 * first), upper-case words (functions, AND/OR, REPEAT, LINEAR, ASC, DESC), operators and brackets.
 */

/** One token, with where it starts. */
export type Token =
  | { readonly kind: 'number'; readonly value: number; readonly at: number }
  | { readonly kind: 'string'; readonly value: string; readonly at: number }
  | { readonly kind: 'id'; readonly value: string; readonly at: number }
  | { readonly kind: 'word'; readonly value: string; readonly at: number }
  | { readonly kind: 'op'; readonly value: string; readonly at: number };

/** An expression CloudWatch cannot parse or evaluate; the message is the bracketed reason AWS gives. */
export class MathError extends Error {
  constructor(reason = 'Invalid syntax') {
    super(reason);
    this.name = 'MathError';
  }
}

const OPERATORS = ['==', '!=', '<=', '>=', '&&', '||', '+', '-', '*', '/', '^', '<', '>', '(', ')', '[', ']', ','];
const NUMBER = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/** Splits an expression into tokens; throws MathError on a character no token starts with. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < text.length) {
    const rest = text.slice(pos);
    const space = /^\s+/.exec(rest);
    if (space) {
      pos += space[0].length;
      continue;
    }
    const number = NUMBER.exec(rest);
    if (number) {
      tokens.push({ kind: 'number', value: Number(number[0]), at: pos });
      pos += number[0].length;
      continue;
    }
    const quote = rest.charAt(0);
    if (quote === '"' || quote === '\u201c') {
      const close = quote === '"' ? '"' : '\u201d';
      const end = text.indexOf(close, pos + 1);
      if (end < 0) throw new MathError();
      tokens.push({ kind: 'string', value: text.slice(pos + 1, end), at: pos });
      pos = end + 1;
      continue;
    }
    const name = NAME.exec(rest);
    if (name) {
      const word = name[0];
      tokens.push({ kind: /^[a-z]/.test(word) ? 'id' : 'word', value: word, at: pos });
      pos += word.length;
      continue;
    }
    const op = OPERATORS.find((o) => rest.startsWith(o));
    if (!op) throw new MathError();
    tokens.push({ kind: 'op', value: op, at: pos });
    pos += op.length;
  }
  return tokens;
}
