/**
 * @module
 * Space-delimited filter patterns: `[ip, user, ..., status_code = 4* && bytes > 1000, bytes]`.
 * An event splits on whitespace into fields, where text in `[...]` or `"..."` is one field.
 * Each pattern field binds one event field by position; `...` binds any number of them. Without
 * an ellipsis the last pattern field takes the rest of the event (so `[w1=ERROR, w2]` matches any
 * event whose first word is ERROR). Conditions name fields and combine with `&&`, `||` and
 * parentheses. Several ellipses are placed leftmost-first.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html#matching-term-space-delimited-log-events
 */
import { FilterPatternError, Scanner } from './scanner.js';
import { compare, readLiteral, readOperator, type Literal, type Operator } from './values.js';

/** A condition on named fields. */
export type DelimitedExpr =
  | { readonly kind: 'and' | 'or'; readonly items: readonly DelimitedExpr[] }
  | { readonly kind: 'test'; readonly name: string; readonly op: Operator; readonly literal: Literal };

/** One field of the pattern. */
export type PatternField =
  | { readonly kind: 'ellipsis' }
  | { readonly kind: 'field'; readonly name?: string; readonly condition?: DelimitedExpr };

/** An event field and where it starts in the message. */
interface EventField {
  readonly value: string;
  readonly start: number;
}

const NAME = /^[A-Za-z0-9_.-]+/;
const MAX_REGEX = 2;

function readName(scanner: Scanner): string {
  scanner.skipSpace();
  const name = NAME.exec(scanner.text.slice(scanner.pos))?.[0];
  if (!name) scanner.fail('expected a field name');
  scanner.pos += name.length;
  return name;
}

function readExpr(scanner: Scanner, first: { name?: string }): DelimitedExpr {
  const items = [readAnd(scanner, first)];
  while (scanner.accept('||')) items.push(readAnd(scanner, first));
  return items.length === 1 ? items[0]! : { kind: 'or', items };
}

function readAnd(scanner: Scanner, first: { name?: string }): DelimitedExpr {
  const items = [readUnary(scanner, first)];
  while (scanner.accept('&&')) items.push(readUnary(scanner, first));
  return items.length === 1 ? items[0]! : { kind: 'and', items };
}

function readUnary(scanner: Scanner, first: { name?: string }): DelimitedExpr {
  if (scanner.accept('(')) {
    const inner = readExpr(scanner, first);
    scanner.expect(')');
    return inner;
  }
  const name = readName(scanner);
  first.name ??= name;
  const op = readOperator(scanner);
  if (!op) return scanner.fail(`expected an operator after ${name}`);
  const literal = readLiteral(scanner, ',]()');
  if (op !== '=' && op !== '!=' && literal.kind !== 'number') scanner.fail(`${op} needs a number`);
  return { kind: 'test', name, op, literal };
}

function readField(scanner: Scanner): PatternField {
  scanner.skipSpace();
  if (scanner.startsWith('...')) {
    scanner.pos += 3;
    return { kind: 'ellipsis' };
  }
  const c = scanner.peek();
  if (c === ',' || c === ']') return { kind: 'field' };
  if (c !== '(') {
    const save = scanner.pos;
    const name = readName(scanner);
    scanner.skipSpace();
    const next = scanner.peek();
    if (next === ',' || next === ']') return { kind: 'field', name };
    scanner.pos = save;
  }
  const first: { name?: string } = {};
  const condition = readExpr(scanner, first);
  return { kind: 'field', name: first.name, condition };
}

function regexCount(expr: DelimitedExpr | undefined): number {
  if (!expr) return 0;
  if (expr.kind === 'test') return expr.literal.kind === 'regex' ? 1 : 0;
  return expr.items.reduce((n, item) => n + regexCount(item), 0);
}

/** Parses a whole `[ ... ]` pattern. */
export function parseDelimitedPattern(text: string): PatternField[] {
  const scanner = new Scanner(text);
  scanner.expect('[');
  const fields: PatternField[] = [readField(scanner)];
  while (scanner.accept(',')) fields.push(readField(scanner));
  scanner.expect(']');
  scanner.skipSpace();
  if (!scanner.done) scanner.fail('unexpected text after ]');
  if (fields.reduce((n, f) => n + (f.kind === 'field' ? regexCount(f.condition) : 0), 0) > MAX_REGEX) {
    throw new FilterPatternError(`more than ${MAX_REGEX} regular expressions`);
  }
  return fields;
}

function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

/** Splits an event into fields: whitespace separates, `[...]` and `"..."` hold together. */
export function splitEvent(message: string): EventField[] {
  const fields: EventField[] = [];
  const n = message.length;
  let i = 0;
  while (i < n) {
    while (i < n && isSpace(message.charCodeAt(i))) i++;
    if (i >= n) break;
    const start = i;
    const open = message.charCodeAt(i);
    const close = open === 34 ? '"' : open === 91 ? ']' : undefined;
    const end = close ? message.indexOf(close, i + 1) : -1;
    if (end > 0) {
      fields.push({ value: message.slice(i + 1, end), start });
      i = end + 1;
    } else {
      while (i < n && !isSpace(message.charCodeAt(i))) i++;
      fields.push({ value: message.slice(start, i), start });
    }
  }
  return fields;
}

/** Where each pattern field lands: event field indexes [from, to), and its value. */
interface Placement {
  readonly from: number;
  readonly to: number;
  readonly value?: string;
}

/** Places pattern fields on event fields; undefined when the event has too few fields. */
function place(pattern: readonly PatternField[], event: readonly EventField[], message: string): Placement[] | undefined {
  const singles = pattern.filter((f) => f.kind === 'field').length;
  if (event.length < singles) return undefined;
  const ellipses = pattern.filter((f) => f.kind === 'ellipsis').length;
  const placements: Placement[] = [];
  let cursor = 0;
  let seen = 0;
  pattern.forEach((field, i) => {
    if (field.kind === 'ellipsis') {
      const width = ++seen === ellipses ? event.length - singles : 0;
      placements.push({ from: cursor, to: cursor + width });
      cursor += width;
    } else if (ellipses === 0 && i === pattern.length - 1 && event.length > pattern.length) {
      placements.push({ from: cursor, to: event.length, value: message.slice(event[cursor]!.start).trimEnd() });
      cursor = event.length;
    } else {
      placements.push({ from: cursor, to: cursor + 1, value: event[cursor]!.value });
      cursor++;
    }
  });
  return cursor === event.length ? placements : undefined;
}

function evaluate(expr: DelimitedExpr, bound: ReadonlyMap<string, string>): boolean {
  switch (expr.kind) {
    case 'and':
      return expr.items.every((item) => evaluate(item, bound));
    case 'or':
      return expr.items.some((item) => evaluate(item, bound));
    case 'test': {
      const value = bound.get(expr.name);
      return value !== undefined && compare(value, expr.op, expr.literal);
    }
  }
}

/**
 * Matches an event; on a match returns the extracted values (`$name` for named fields, `$N` for
 * the others, N counting event fields from 1), as TestMetricFilter reports them.
 */
export function matchDelimited(pattern: readonly PatternField[], message: string): Record<string, string> | undefined {
  const event = splitEvent(message);
  const placements = place(pattern, event, message);
  if (!placements) return undefined;
  const bound = new Map<string, string>();
  pattern.forEach((field, i) => {
    if (field.kind === 'field' && field.name !== undefined) bound.set(field.name, placements[i]!.value!);
  });
  for (const field of pattern) {
    if (field.kind === 'field' && field.condition && !evaluate(field.condition, bound)) return undefined;
  }
  const extracted: Record<string, string> = {};
  pattern.forEach((field, i) => {
    const { from, to, value } = placements[i]!;
    if (field.kind === 'field' && field.name !== undefined) extracted[`$${field.name}`] = value!;
    else if (field.kind === 'field') extracted[`$${from + 1}`] = value!;
    else for (let k = from; k < to; k++) extracted[`$${k + 1}`] = event[k]!.value;
  });
  return extracted;
}
