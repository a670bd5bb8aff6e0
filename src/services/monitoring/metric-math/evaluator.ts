/**
 * @module
 * Evaluates one parsed expression: operators through values.ts, functions through the function
 * table, query ids through the caller (which evaluates the query they name, once).
 */
import { callFunction, type FunctionContext } from './functions.js';
import type { MathNode } from './parser.js';
import { MathError } from './tokens.js';
import { combine, eachSeries, mapSeries, scalar, type MathValue } from './values.js';

const OPERATORS: Readonly<Record<string, (a: number, b: number) => number>> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
  '^': (a, b) => a ** b,
  '==': (a, b) => Number(a === b),
  '!=': (a, b) => Number(a !== b),
  '<=': (a, b) => Number(a <= b),
  '>=': (a, b) => Number(a >= b),
  '<': (a, b) => Number(a < b),
  '>': (a, b) => Number(a > b),
  AND: (a, b) => Number(a !== 0 && b !== 0),
  OR: (a, b) => Number(a !== 0 || b !== 0),
};

/** What evaluation needs: the function context and the value of a query id. */
export interface EvaluationContext extends FunctionContext {
  readonly resolve: (id: string) => MathValue;
}

/** The value of an expression tree. */
export function evaluate(node: MathNode, ctx: EvaluationContext): MathValue {
  switch (node.kind) {
    case 'number':
      return scalar(node.value);
    case 'string':
      return { type: 'string', value: node.value };
    case 'word':
      return { type: 'word', name: node.name };
    case 'ref':
      return ctx.resolve(node.id);
    case 'negate': {
      const v = evaluate(node.operand, ctx);
      return v.type === 'scalar' ? scalar(-v.value) : eachSeries(v, '-', (s) => mapSeries(s, (x) => -x));
    }
    case 'binary':
      return combine(evaluate(node.left, ctx), evaluate(node.right, ctx), OPERATORS[node.op]!);
    case 'array': {
      const series = node.items.flatMap((item) => {
        const v = evaluate(item, ctx);
        if (v.type === 'series') return [v.series];
        if (v.type === 'array') return v.series;
        throw new MathError('Invalid syntax');
      });
      return { type: 'array', series };
    }
    case 'call':
      return callFunction(node.name, node.args.map((a) => evaluate(a, ctx)), ctx);
  }
}
