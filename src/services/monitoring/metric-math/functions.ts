/**
 * @module
 * The metric math function table: each function takes its evaluated arguments and what the whole
 * request knows (its window, the metrics for METRICS()). Argument types follow the AWS function
 * table (S scalar, TS series, TS[] array); anything else is `Invalid arguments for function X`.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html
 */
import { applyReducer, reduceSeries, REDUCERS } from './reducers.js';
import { calendar, diff, diffTime, fill, isCalendar, rate, runningSum } from './series-functions.js';
import { MathError } from './tokens.js';
import {
  eachSeries, grid, makeSeries, mapSeries, scalar, seriesValue, type MathValue, type MathWindow, type Series,
} from './values.js';

/** What functions can see besides their arguments. */
export interface FunctionContext {
  readonly window: MathWindow;
  /** The request's metric (MetricStat) queries, in request order. */
  readonly metrics: readonly { readonly id: string; readonly series: Series }[];
}

type MathFunction = (args: readonly MathValue[], ctx: FunctionContext, name: string) => MathValue;

function arity(name: string, args: readonly MathValue[], min: number, max = min): void {
  if (args.length < min || args.length > max) throw new MathError(`Invalid number of arguments for function ${name}`);
}

function invalid(name: string): never {
  throw new MathError(`Invalid arguments for function ${name}`);
}

function pointwise(f: (v: number) => number): MathFunction {
  return (args, _ctx, name) => {
    arity(name, args, 1);
    const arg = args[0]!;
    return arg.type === 'scalar' ? scalar(f(arg.value)) : eachSeries(arg, name, (s) => mapSeries(s, f));
  };
}

function perSeries(f: (s: Series, ctx: FunctionContext, name: string) => Series): MathFunction {
  return (args, ctx, name) => {
    arity(name, args, 1);
    return eachSeries(args[0]!, name, (s) => f(s, ctx, name));
  };
}

function arrayArg(name: string, value: MathValue | undefined): readonly Series[] {
  if (value?.type !== 'array') invalid(name);
  return value.series;
}

function numberArg(name: string, value: MathValue | undefined): number {
  if (value?.type !== 'scalar') invalid(name);
  return value.value;
}

const truthy = (v: number): boolean => v !== 0;

/** IF(condition, trueValue[, falseValue]) as the AWS guide's tables define it. */
function ifFunction(args: readonly MathValue[], _ctx: FunctionContext, name: string): MathValue {
  arity(name, args, 2, 3);
  const [condition, whenTrue, whenFalse] = args as [MathValue, MathValue, MathValue | undefined];
  const branch = (v: MathValue | undefined) => (v === undefined || v.type === 'scalar' || v.type === 'series' ? v : invalid(name));
  const yes = branch(whenTrue)!;
  const no = branch(whenFalse);
  if (condition.type === 'scalar') {
    const chosen = truthy(condition.value) ? yes : no;
    if (chosen === undefined) return seriesValue(makeSeries('', 60, []));
    return chosen;
  }
  if (condition.type !== 'series') invalid(name);
  const out: [number, number][] = [];
  for (const [t, c] of condition.series.points) {
    if (truthy(c)) out.push([t, yes.type === 'scalar' ? yes.value : (yes.series.points.get(t) ?? 0)]);
    else if (no?.type === 'scalar') out.push([t, no.value]);
    else if (no?.type === 'series' && no.series.points.has(t)) out.push([t, no.series.points.get(t)!]);
  }
  return seriesValue(makeSeries(condition.series.label, condition.series.period, out));
}

function metricsFunction(args: readonly MathValue[], ctx: FunctionContext, name: string): MathValue {
  arity(name, args, 0, 1);
  const filter = args[0];
  if (filter !== undefined && filter.type !== 'string') invalid(name);
  return { type: 'array', series: ctx.metrics.filter((m) => filter === undefined || m.id.includes(filter.value)).map((m) => m.series) };
}

function sortFunction(args: readonly MathValue[], _ctx: FunctionContext, name: string): MathValue {
  arity(name, args, 3, 4);
  const list = arrayArg(name, args[0]);
  const by = args[1];
  const order = args[2];
  if (by?.type !== 'word' || !['AVG', 'MIN', 'MAX', 'SUM'].includes(by.name)) invalid(name);
  if (order?.type !== 'word' || (order.name !== 'ASC' && order.name !== 'DESC')) invalid(name);
  const limit = args[3] === undefined ? list.length : numberArg(name, args[3]);
  const key = (s: Series) => {
    const v = reduceSeries(by.name, s);
    return Number.isNaN(v) ? Number.NEGATIVE_INFINITY : v;
  };
  const sorted = [...list].sort((a, b) => (order.name === 'ASC' ? key(a) - key(b) : key(b) - key(a)));
  return { type: 'array', series: sorted.slice(0, Math.max(0, limit)) };
}

function sliceFunction(args: readonly MathValue[], _ctx: FunctionContext, name: string): MathValue {
  arity(name, args, 2, 3);
  const list = arrayArg(name, args[0]);
  const from = numberArg(name, args[1]);
  const to = args[2] === undefined ? list.length : numberArg(name, args[2]);
  return { type: 'array', series: list.slice(from, to) };
}

function firstOrLast(args: readonly MathValue[], _ctx: FunctionContext, name: string): MathValue {
  arity(name, args, 1);
  const list = arrayArg(name, args[0]);
  const chosen = name === 'FIRST' ? list[0] : list[list.length - 1];
  return seriesValue(chosen ?? makeSeries('', 60, []));
}

function fillFunction(args: readonly MathValue[], ctx: FunctionContext, name: string): MathValue {
  arity(name, args, 2);
  const filler = args[1]!;
  if (args[0]!.type === 'series' && filler.type === 'array') invalid(name);
  return eachSeries(args[0]!, name, (s) => fill(s, filler, ctx.window));
}

function timeSeries(args: readonly MathValue[], ctx: FunctionContext, name: string): MathValue {
  arity(name, args, 1);
  const value = numberArg(name, args[0]);
  return seriesValue(makeSeries('', ctx.window.period, grid(ctx.window, ctx.window.period).map((t) => [t, value] as const)));
}

function periodFunction(args: readonly MathValue[], _ctx: FunctionContext, name: string): MathValue {
  arity(name, args, 1);
  const arg = args[0]!;
  if (arg.type !== 'series') invalid(name);
  return scalar(arg.series.period);
}

function metricCount(args: readonly MathValue[], _ctx: FunctionContext, name: string): MathValue {
  arity(name, args, 1);
  return scalar(arrayArg(name, args[0]).length);
}

function removeEmpty(args: readonly MathValue[], _ctx: FunctionContext, name: string): MathValue {
  arity(name, args, 1);
  return { type: 'array', series: arrayArg(name, args[0]).filter((s) => s.points.size > 0) };
}

const reducer: MathFunction = (args, _ctx, name) => applyReducer(name, args);

const TABLE: Readonly<Record<string, MathFunction>> = {
  ABS: pointwise(Math.abs),
  CEIL: pointwise(Math.ceil),
  FLOOR: pointwise(Math.floor),
  LOG: pointwise(Math.log),
  LOG10: pointwise(Math.log10),
  ...Object.fromEntries(Object.keys(REDUCERS).map((n) => [n, reducer])),
  DIFF: perSeries(diff),
  DIFF_TIME: perSeries(diffTime),
  RATE: perSeries(rate),
  RUNNING_SUM: perSeries(runningSum),
  MINUTE: perSeries((s, ctx, name) => calendar(name, s, ctx.window)),
  FILL: fillFunction,
  FIRST: firstOrLast,
  LAST: firstOrLast,
  IF: ifFunction,
  METRICS: metricsFunction,
  METRIC_COUNT: metricCount,
  PERIOD: periodFunction,
  REMOVE_EMPTY: removeEmpty,
  SLICE: sliceFunction,
  SORT: sortFunction,
  TIME_SERIES: timeSeries,
};

/** Whether metric math has a function of this name. */
export function isFunction(name: string): boolean {
  return name in TABLE || isCalendar(name);
}

/** Calls a function by name. */
export function callFunction(name: string, args: readonly MathValue[], ctx: FunctionContext): MathValue {
  const f = TABLE[name] ?? (isCalendar(name) ? TABLE.MINUTE : undefined);
  if (!f) throw new MathError(`Function '${name}' not found`);
  return f(args, ctx, name);
}
