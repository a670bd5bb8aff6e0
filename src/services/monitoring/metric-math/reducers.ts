/**
 * @module
 * The statistics metric math takes of one series (a scalar) or across an array of series (a series
 * with one value per timestamp): AVG, MAX, MIN, SUM, STDDEV and DATAPOINT_COUNT. Across an array,
 * AVG counts a series without a value at a timestamp as 0, as AWS documents; MAX, MIN and STDDEV
 * use the values present; DATAPOINT_COUNT counts them.
 */
import { makeSeries, scalar, seriesValue, type MathValue, type Series } from './values.js';
import { MathError } from './tokens.js';

/** A statistic over a list of numbers (never empty). */
type Reducer = (values: readonly number[]) => number;

const sum: Reducer = (values) => values.reduce((s, v) => s + v, 0);
const mean: Reducer = (values) => sum(values) / values.length;

/** The reducers by function name; STDDEV is the population standard deviation. */
export const REDUCERS: Readonly<Record<string, Reducer>> = {
  AVG: mean,
  MAX: (values) => Math.max(...values),
  MIN: (values) => Math.min(...values),
  SUM: sum,
  STDDEV: (values) => {
    const m = mean(values);
    return Math.sqrt(mean(values.map((v) => (v - m) ** 2)));
  },
  DATAPOINT_COUNT: (values) => values.length,
};

/** A reducer's value over one series, or NaN for an empty one (SUM and DATAPOINT_COUNT: 0). */
export function reduceSeries(name: string, series: Series): number {
  const values = [...series.points.values()];
  if (values.length === 0) return name === 'SUM' || name === 'DATAPOINT_COUNT' ? 0 : Number.NaN;
  return REDUCERS[name]!(values);
}

/** A reducer across an array of series, per timestamp. */
export function reduceArray(name: string, list: readonly Series[], label: string): Series {
  const times = [...new Set(list.flatMap((s) => [...s.points.keys()]))].sort((a, b) => a - b);
  const period = list.length > 0 ? Math.min(...list.map((s) => s.period)) : 60;
  const reducer = REDUCERS[name]!;
  return makeSeries(label, period, times.map((t) => {
    const present = list.map((s) => s.points.get(t)).filter((v): v is number => v !== undefined);
    const values = name === 'AVG' ? list.map((s) => s.points.get(t) ?? 0) : present;
    return [t, reducer(values)] as const;
  }));
}

/** AVG, MAX, MIN, SUM, STDDEV or DATAPOINT_COUNT of one argument. */
export function applyReducer(name: string, args: readonly MathValue[]): MathValue {
  const [arg] = args;
  if (args.length !== 1 || !arg) throw new MathError(`Invalid number of arguments for function ${name}`);
  if (arg.type === 'series') return scalar(reduceSeries(name, arg.series));
  if (arg.type === 'array') return seriesValue(reduceArray(name, arg.series, name));
  throw new MathError(`Invalid arguments for function ${name}`);
}
