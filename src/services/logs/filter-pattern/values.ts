/**
 * @module
 * The right-hand side of a JSON or space-delimited condition, and how a value from a log event
 * compares with it. Strings compare exactly (case-sensitive) with `*` as a wildcard only at the
 * start or end (`*Event`, `Event*`; `Ev*ent` is literal); a lone `*` matches any value; numbers
 * compare numerically, also against a numeric string; `%regex%` searches the value's text.
 */
import { compileRegexTerm } from './regex-term.js';
import type { Scanner } from './scanner.js';

/** A comparison operator. */
export type Operator = '=' | '!=' | '<' | '>' | '<=' | '>=';

/** A parsed right-hand side. */
export type Literal =
  | { readonly kind: 'any' }
  | { readonly kind: 'number'; readonly value: number; readonly text: string }
  | { readonly kind: 'string'; readonly text: string; readonly core: string; readonly prefix: boolean; readonly suffix: boolean }
  | { readonly kind: 'regex'; readonly re: RegExp };

/** A scalar from a log event (JSON leaf or delimited field); objects and arrays never compare. */
export type Scalar = string | number | boolean | null;

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** The operators, longest first so that `<=` is not read as `<`. */
export const OPERATORS: readonly Operator[] = ['!=', '<=', '>=', '=', '<', '>'];

/** Reads an operator at the cursor, if one is there. */
export function readOperator(scanner: Scanner): Operator | undefined {
  scanner.skipSpace();
  return OPERATORS.find((op) => scanner.accept(op));
}

function stringLiteral(text: string): Literal {
  if (text === '*') return { kind: 'any' };
  const prefix = text.length > 1 && text.startsWith('*');
  const suffix = text.length > 1 && text.endsWith('*');
  const core = text.slice(prefix ? 1 : 0, suffix ? -1 : undefined);
  return { kind: 'string', text, core, prefix, suffix };
}

/** Reads a literal at the cursor: `"quoted"`, `%regex%`, a number, or a bare word ending at whitespace or `stops`. */
export function readLiteral(scanner: Scanner, stops: string): Literal {
  scanner.skipSpace();
  const c = scanner.peek();
  if (c === '"') return stringLiteral(scanner.quoted());
  if (c === '%') return { kind: 'regex', re: compileRegexTerm(scanner.regex()) };
  const word = scanner.bare(stops);
  if (word === '') scanner.fail('expected a value');
  if (NUMBER.test(word)) return { kind: 'number', value: Number(word), text: word };
  return stringLiteral(word);
}

function textOf(value: Exclude<Scalar, null>): string {
  return typeof value === 'string' ? value : String(value);
}

function numberOf(value: Exclude<Scalar, null>): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && NUMBER.test(value.trim())) return Number(value);
  return undefined;
}

function equals(value: Exclude<Scalar, null>, literal: Literal): boolean {
  switch (literal.kind) {
    case 'any':
      return true;
    case 'regex':
      return literal.re.test(textOf(value));
    case 'number': {
      if (typeof value === 'string' && value === literal.text) return true;
      const n = numberOf(value);
      return n !== undefined && n === literal.value;
    }
    case 'string': {
      const text = textOf(value);
      if (literal.prefix && literal.suffix) return text.includes(literal.core);
      if (literal.prefix) return text.endsWith(literal.core);
      if (literal.suffix) return text.startsWith(literal.core);
      return text === literal.core;
    }
  }
}

/** Whether `value op literal` holds. Null never compares (use IS NULL); relational operators need numbers. */
export function compare(value: Scalar, op: Operator, literal: Literal): boolean {
  if (value === null) return false;
  switch (op) {
    case '=':
      return equals(value, literal);
    case '!=':
      return !equals(value, literal);
    default: {
      if (literal.kind !== 'number') return false;
      const n = numberOf(value);
      if (n === undefined) return false;
      if (op === '<') return n < literal.value;
      if (op === '>') return n > literal.value;
      if (op === '<=') return n <= literal.value;
      return n >= literal.value;
    }
  }
}

/** The text a literal requires in a raw message for `=` to hold, if it can be known without parsing. */
export function requiredText(literal: Literal): string | undefined {
  if (literal.kind !== 'string' || literal.core === '') return undefined;
  return literal.core;
}
