/**
 * @module
 * Parses a metric math expression into a tree. Precedence, loosest first: OR (`||`), AND (`&&`),
 * comparisons (`== != <= >= < >`, not chained), `+ -`, `* /`, unary minus, `^` (right-associative,
 * so `-2^2` is -4), then numbers, strings, query ids, `FUNCTION(args)`, bare upper-case words
 * (REPEAT, LINEAR, ASC, DESC, or a statistic given to SORT), `(...)` and `[a, b]` arrays.
 */
import { MathError, tokenize, type Token } from './tokens.js';

/** A node of the expression tree. */
export type MathNode =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'ref'; readonly id: string }
  | { readonly kind: 'word'; readonly name: string }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly MathNode[] }
  | { readonly kind: 'array'; readonly items: readonly MathNode[] }
  | { readonly kind: 'negate'; readonly operand: MathNode }
  | { readonly kind: 'binary'; readonly op: string; readonly left: MathNode; readonly right: MathNode };

const COMPARISONS = ['==', '!=', '<=', '>=', '<', '>'];

class Parser {
  private pos = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  parse(): MathNode {
    if (this.tokens.length === 0) throw new MathError();
    const node = this.or();
    if (this.pos < this.tokens.length) throw new MathError();
    return node;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private isOp(...values: string[]): string | undefined {
    const t = this.peek();
    return t?.kind === 'op' && values.includes(t.value) ? t.value : undefined;
  }

  private isWord(value: string): boolean {
    const t = this.peek();
    return t?.kind === 'word' && t.value === value;
  }

  private expect(op: string): void {
    if (!this.isOp(op)) throw new MathError();
    this.pos++;
  }

  private or(): MathNode {
    let left = this.and();
    while (this.isOp('||') || this.isWord('OR')) {
      this.pos++;
      left = { kind: 'binary', op: 'OR', left, right: this.and() };
    }
    return left;
  }

  private and(): MathNode {
    let left = this.comparison();
    while (this.isOp('&&') || this.isWord('AND')) {
      this.pos++;
      left = { kind: 'binary', op: 'AND', left, right: this.comparison() };
    }
    return left;
  }

  private comparison(): MathNode {
    const left = this.additive();
    const op = this.isOp(...COMPARISONS);
    if (!op) return left;
    this.pos++;
    const right = this.additive();
    if (this.isOp(...COMPARISONS)) throw new MathError();
    return { kind: 'binary', op, left, right };
  }

  private additive(): MathNode {
    let left = this.multiplicative();
    for (let op = this.isOp('+', '-'); op; op = this.isOp('+', '-')) {
      this.pos++;
      left = { kind: 'binary', op, left, right: this.multiplicative() };
    }
    return left;
  }

  private multiplicative(): MathNode {
    let left = this.unary();
    for (let op = this.isOp('*', '/'); op; op = this.isOp('*', '/')) {
      this.pos++;
      left = { kind: 'binary', op, left, right: this.unary() };
    }
    return left;
  }

  private unary(): MathNode {
    if (this.isOp('-')) {
      this.pos++;
      return { kind: 'negate', operand: this.unary() };
    }
    return this.power();
  }

  private power(): MathNode {
    const base = this.primary();
    if (!this.isOp('^')) return base;
    this.pos++;
    return { kind: 'binary', op: '^', left: base, right: this.unary() };
  }

  private list(close: string): MathNode[] {
    const items: MathNode[] = [];
    if (this.isOp(close)) {
      this.pos++;
      return items;
    }
    for (;;) {
      items.push(this.or());
      if (this.isOp(close)) {
        this.pos++;
        return items;
      }
      this.expect(',');
    }
  }

  private primary(): MathNode {
    const t = this.peek();
    if (!t) throw new MathError();
    this.pos++;
    switch (t.kind) {
      case 'number':
        return { kind: 'number', value: t.value };
      case 'string':
        return { kind: 'string', value: t.value };
      case 'id':
        return { kind: 'ref', id: t.value };
      case 'word':
        if (t.value === 'AND' || t.value === 'OR') throw new MathError();
        if (!this.isOp('(')) return { kind: 'word', name: t.value };
        this.pos++;
        return { kind: 'call', name: t.value, args: this.list(')') };
      case 'op':
        if (t.value === '(') {
          const inner = this.or();
          this.expect(')');
          return inner;
        }
        if (t.value === '[') return { kind: 'array', items: this.list(']') };
        throw new MathError();
    }
  }
}

/** The tree of an expression; throws MathError when the text does not parse. */
export function parseExpression(text: string): MathNode {
  return new Parser(tokenize(text)).parse();
}

/** The query ids an expression refers to, in order of appearance. */
export function referencedIds(node: MathNode): string[] {
  switch (node.kind) {
    case 'ref':
      return [node.id];
    case 'call':
      return node.args.flatMap(referencedIds);
    case 'array':
      return node.items.flatMap(referencedIds);
    case 'negate':
      return referencedIds(node.operand);
    case 'binary':
      return [...referencedIds(node.left), ...referencedIds(node.right)];
    default:
      return [];
  }
}

/** Whether an expression calls METRICS() (and so depends on every metric of the request). */
export function callsMetrics(node: MathNode): boolean {
  switch (node.kind) {
    case 'call':
      return node.name === 'METRICS' || node.args.some(callsMetrics);
    case 'array':
      return node.items.some(callsMetrics);
    case 'negate':
      return callsMetrics(node.operand);
    case 'binary':
      return callsMetrics(node.left) || callsMetrics(node.right);
    default:
      return false;
  }
}
