/**
 * @module
 * Metric math over a request's queries (GetMetricData's MetricDataQueries, PutMetricAlarm's
 * Metrics): checks every expression before any data is read (syntax, functions, ids, cycles),
 * then evaluates each expression over the series of the metric queries, each query once. Failures
 * are MetricMathError, `Error in expression '<id>': <reason>`.
 */
import { MetricMathError } from '../errors.js';
import { evaluate, type EvaluationContext } from './evaluator.js';
import { isFunction } from './functions.js';
import { parseExpression, referencedIds, type MathNode } from './parser.js';
import { MathError } from './tokens.js';
import { seriesValue, type MathValue, type MathWindow, type Series } from './values.js';

/** A query as metric math sees it: an expression, or a metric whose series the caller reads. */
export interface MathQuery {
  readonly id: string;
  readonly expression?: string;
}

/** The parsed expressions of a request, by query id. */
export type CompiledQueries = ReadonlyMap<string, MathNode>;

function calledFunctions(node: MathNode): string[] {
  switch (node.kind) {
    case 'call':
      return [node.name, ...node.args.flatMap(calledFunctions)];
    case 'array':
      return node.items.flatMap(calledFunctions);
    case 'negate':
      return calledFunctions(node.operand);
    case 'binary':
      return [...calledFunctions(node.left), ...calledFunctions(node.right)];
    default:
      return [];
  }
}

function parseOne(id: string, expression: string): MathNode {
  try {
    return parseExpression(expression);
  } catch (e) {
    if (e instanceof MathError) throw new MetricMathError(id, e.message);
    throw e;
  }
}

/** Parses and checks every expression of a request; throws MetricMathError for the first bad one. */
export function compileQueries(queries: readonly MathQuery[]): CompiledQueries {
  const ids = new Set(queries.map((q) => q.id));
  const compiled = new Map<string, MathNode>();
  for (const q of queries) {
    if (q.expression === undefined) continue;
    const node = parseOne(q.id, q.expression);
    const unknownFunction = calledFunctions(node).find((name) => !isFunction(name));
    if (unknownFunction !== undefined) throw new MetricMathError(q.id, `Function '${unknownFunction}' not found`);
    const unknownId = referencedIds(node).find((ref) => !ids.has(ref));
    if (unknownId !== undefined) throw new MetricMathError(q.id, `Unrecognized identifier ${unknownId}`);
    compiled.set(q.id, node);
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, from: string): void => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') throw new MetricMathError(from, `Circular dependency on ${id}`);
    state.set(id, 'visiting');
    const node = compiled.get(id);
    if (node) for (const ref of referencedIds(node)) visit(ref, id);
    state.set(id, 'done');
  };
  for (const id of compiled.keys()) visit(id, id);
  return compiled;
}

/**
 * Every query's value: metric queries are their series, expressions are evaluated (a final result
 * must be a series or an array of series). `metrics` holds the metric queries' series in request order.
 */
export function evaluateQueries(
  compiled: CompiledQueries,
  metrics: readonly { readonly id: string; readonly series: Series }[],
  window: MathWindow,
): Map<string, MathValue> {
  const values = new Map<string, MathValue>(metrics.map((m) => [m.id, seriesValue(m.series)]));
  const ctx: EvaluationContext = {
    window,
    metrics,
    resolve: (id) => {
      const known = values.get(id);
      if (known) return known;
      const node = compiled.get(id);
      if (!node) throw new MathError(`Unrecognized identifier ${id}`);
      let value: MathValue;
      try {
        value = evaluate(node, ctx);
      } catch (e) {
        if (e instanceof MathError) throw new MetricMathError(id, e.message);
        throw e;
      }
      if (value.type !== 'series' && value.type !== 'array') {
        throw new MetricMathError(id, 'The final result of an expression must be a time series or an array of time series');
      }
      values.set(id, value);
      return value;
    },
  };
  for (const id of compiled.keys()) ctx.resolve(id);
  return values;
}
