/**
 * @module
 * JSON filter patterns: `{ SELECTOR OP VALUE }`, `IS NULL`, `IS TRUE`, `IS FALSE`, `NOT EXISTS`,
 * combined with `&&` and `||` (`&&` binds tighter) and parentheses. A selector is `$` followed by
 * `.name`, `[index]`, `['quoted name']` or one wildcard (`.*` or `[*]`). A selector must reach a
 * scalar: arrays and objects make every comparison false; so does a missing field (use NOT EXISTS).
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html#matching-terms-json-log-events
 */
import { FilterPatternError, Scanner } from './scanner.js';
import { compare, readLiteral, readOperator, requiredText, type Literal, type Operator, type Scalar } from './values.js';

/** One step of a selector: a property name, an array index, or a wildcard. */
export type SelectorStep = { readonly name: string } | { readonly index: number } | { readonly wildcard: true };

type Test =
  | { readonly kind: 'compare'; readonly op: Operator; readonly literal: Literal }
  | { readonly kind: 'is'; readonly value: null | boolean }
  | { readonly kind: 'notExists' };

/** A parsed JSON pattern expression. */
export type JsonExpr =
  | { readonly kind: 'and' | 'or'; readonly items: readonly JsonExpr[] }
  | { readonly kind: 'test'; readonly selector: readonly SelectorStep[]; readonly test: Test };

const NAME = /^[A-Za-z0-9_-]$/;
const MAX_WILDCARDS = 3;
const MAX_REGEX = 2;
const SAFE_TEXT = /^[\x20-\x7e]*$/;

/** Parses a selector (`$.a.b[0]`) at the cursor. */
export function readSelector(scanner: Scanner): SelectorStep[] {
  scanner.skipSpace();
  if (scanner.peek() !== '$') scanner.fail('expected a selector starting with $');
  scanner.pos++;
  const steps: SelectorStep[] = [];
  for (;;) {
    const c = scanner.peek();
    if (c === '.' && scanner.peek(1) === '[') {
      scanner.pos++;
      continue;
    }
    if (c === '.') {
      scanner.pos++;
      if (scanner.peek() === '*') {
        scanner.pos++;
        steps.push({ wildcard: true });
        continue;
      }
      const start = scanner.pos;
      while (NAME.test(scanner.peek())) scanner.pos++;
      if (scanner.pos === start) scanner.fail('expected a property name');
      steps.push({ name: scanner.text.slice(start, scanner.pos) });
    } else if (c === '[') {
      scanner.pos++;
      const q = scanner.peek();
      if (q === '*') {
        scanner.pos++;
        steps.push({ wildcard: true });
      } else if (q === "'" || q === '"') {
        const end = scanner.text.indexOf(q, scanner.pos + 1);
        if (end < 0) scanner.fail('unterminated property name');
        steps.push({ name: scanner.text.slice(scanner.pos + 1, end) });
        scanner.pos = end + 1;
      } else {
        const digits = /^\d+/.exec(scanner.text.slice(scanner.pos))?.[0];
        if (!digits) scanner.fail('expected an array index');
        steps.push({ index: Number(digits) });
        scanner.pos += digits.length;
      }
      if (scanner.peek() !== ']') scanner.fail("expected ']'");
      scanner.pos++;
    } else {
      break;
    }
  }
  if (steps.length === 0) scanner.fail('a selector needs at least one property');
  if (steps.filter((s) => 'wildcard' in s).length > 1) scanner.fail('at most one wildcard per selector');
  return steps;
}

/** Every value a selector reaches in a parsed document (several through a wildcard). */
export function resolveSelector(root: unknown, steps: readonly SelectorStep[]): unknown[] {
  let current: unknown[] = [root];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const node of current) {
      if (node === null || typeof node !== 'object') continue;
      if ('wildcard' in step) {
        next.push(...(Array.isArray(node) ? node : Object.values(node)));
      } else if ('index' in step) {
        if (Array.isArray(node) && step.index < node.length) next.push(node[step.index]);
      } else if (!Array.isArray(node) && Object.hasOwn(node, step.name)) {
        next.push((node as Record<string, unknown>)[step.name]);
      }
    }
    current = next;
  }
  return current;
}

function isScalar(value: unknown): value is Scalar {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function readTest(scanner: Scanner): Test {
  if (scanner.acceptKeyword('IS')) {
    if (scanner.acceptKeyword('NULL')) return { kind: 'is', value: null };
    if (scanner.acceptKeyword('TRUE')) return { kind: 'is', value: true };
    if (scanner.acceptKeyword('FALSE')) return { kind: 'is', value: false };
    return scanner.fail('expected NULL, TRUE or FALSE after IS');
  }
  if (scanner.acceptKeyword('NOT')) {
    if (!scanner.acceptKeyword('EXISTS')) scanner.fail('expected EXISTS after NOT');
    return { kind: 'notExists' };
  }
  const op = readOperator(scanner);
  if (!op) return scanner.fail('expected an operator');
  const literal = readLiteral(scanner, '()}');
  if (op !== '=' && op !== '!=' && literal.kind !== 'number') scanner.fail(`${op} needs a number`);
  return { kind: 'compare', op, literal };
}

function readExpr(scanner: Scanner): JsonExpr {
  const items = [readAnd(scanner)];
  while (scanner.accept('||')) items.push(readAnd(scanner));
  return items.length === 1 ? items[0]! : { kind: 'or', items };
}

function readAnd(scanner: Scanner): JsonExpr {
  const items = [readUnary(scanner)];
  while (scanner.accept('&&')) items.push(readUnary(scanner));
  return items.length === 1 ? items[0]! : { kind: 'and', items };
}

function readUnary(scanner: Scanner): JsonExpr {
  if (scanner.accept('(')) {
    const inner = readExpr(scanner);
    scanner.expect(')');
    return inner;
  }
  const selector = readSelector(scanner);
  return { kind: 'test', selector, test: readTest(scanner) };
}

function count(expr: JsonExpr, what: (e: Extract<JsonExpr, { kind: 'test' }>) => number): number {
  return expr.kind === 'test' ? what(expr) : expr.items.reduce((n, item) => n + count(item, what), 0);
}

/** Parses a whole `{ ... }` JSON pattern. */
export function parseJsonPattern(text: string): JsonExpr {
  const scanner = new Scanner(text);
  scanner.expect('{');
  const expr = readExpr(scanner);
  scanner.expect('}');
  scanner.skipSpace();
  if (!scanner.done) scanner.fail('unexpected text after }');
  if (count(expr, (t) => t.selector.filter((s) => 'wildcard' in s).length) > MAX_WILDCARDS) {
    throw new FilterPatternError(`more than ${MAX_WILDCARDS} wildcard selectors`);
  }
  if (count(expr, (t) => (t.test.kind === 'compare' && t.test.literal.kind === 'regex' ? 1 : 0)) > MAX_REGEX) {
    throw new FilterPatternError(`more than ${MAX_REGEX} regular expressions`);
  }
  return expr;
}

function holds(test: Test, values: unknown[]): boolean {
  switch (test.kind) {
    case 'notExists':
      return values.length === 0;
    case 'is':
      return values.some((v) => v === test.value);
    case 'compare':
      return values.some((v) => isScalar(v) && compare(v, test.op, test.literal));
  }
}

/** Evaluates an expression against a parsed document. */
export function evaluateJson(expr: JsonExpr, document: unknown): boolean {
  switch (expr.kind) {
    case 'and':
      return expr.items.every((item) => evaluateJson(item, document));
    case 'or':
      return expr.items.some((item) => evaluateJson(item, document));
    case 'test':
      return holds(expr.test, resolveSelector(document, expr.selector));
  }
}

/**
 * Texts of which a raw message must contain at least one for the expression to hold, when that
 * can be known without parsing (undefined: no such set). Lets most non-matching events skip
 * JSON.parse. Only plain printable ASCII qualifies, which a JSON encoder writes unescaped.
 */
export function requiredTexts(expr: JsonExpr): string[] | undefined {
  switch (expr.kind) {
    case 'test': {
      const { test } = expr;
      if (test.kind !== 'compare' || test.op !== '=') return undefined;
      const text = requiredText(test.literal);
      return text !== undefined && SAFE_TEXT.test(text) && !/["\\/]/.test(text) ? [text] : undefined;
    }
    case 'and': {
      const options = expr.items.map(requiredTexts).filter((o): o is string[] => o !== undefined);
      return options.sort((a, b) => a.length - b.length)[0];
    }
    case 'or': {
      const all: string[] = [];
      for (const item of expr.items) {
        const texts = requiredTexts(item);
        if (!texts) return undefined;
        all.push(...texts);
      }
      return all;
    }
  }
}
