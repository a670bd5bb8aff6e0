/**
 * @module
 * Metric math functions that turn each series into another: FILL (a value, another series, REPEAT
 * the last value before a gap, or LINEAR interpolation across it), RATE, DIFF, DIFF_TIME,
 * RUNNING_SUM, and the calendar functions (MINUTE, HOUR, DAY, DATE, MONTH, YEAR, EPOCH) that give
 * a value for every period of the range from its timestamp (UTC; DAY is 1 for Monday to 7).
 */
import { grid, makeSeries, sortedPoints, type MathValue, type MathWindow, type Series } from './values.js';
import { MathError } from './tokens.js';

/** Fills the periods of the window a series has no value for. */
export function fill(series: Series, filler: MathValue, window: MathWindow): Series {
  const times = grid(window, series.period);
  const known = series.points;
  if (filler.type === 'scalar') return makeSeries(series.label, series.period, times.map((t) => [t, known.get(t) ?? filler.value] as const));
  if (filler.type === 'series') {
    const other = filler.series.points;
    return makeSeries(series.label, series.period, [...known, ...times.filter((t) => !known.has(t) && other.has(t)).map((t) => [t, other.get(t)!] as const)]);
  }
  if (filler.type === 'word' && filler.name === 'REPEAT') {
    const out: [number, number][] = [];
    let last: number | undefined;
    for (const t of [...new Set([...times, ...known.keys()])].sort((a, b) => a - b)) {
      last = known.get(t) ?? last;
      if (last !== undefined) out.push([t, last]);
    }
    return makeSeries(series.label, series.period, out);
  }
  if (filler.type === 'word' && filler.name === 'LINEAR') {
    const points = sortedPoints(series);
    const out: [number, number][] = [...points];
    for (let i = 1; i < points.length; i++) {
      const [t0, v0] = points[i - 1]!;
      const [t1, v1] = points[i]!;
      for (const t of times) if (t > t0 && t < t1) out.push([t, v0 + ((v1 - v0) * (t - t0)) / (t1 - t0)]);
    }
    return makeSeries(series.label, series.period, out);
  }
  throw new MathError('Invalid arguments for function FILL');
}

/** Each value against the one before it: `f(value, previousValue, seconds between)`; the first is dropped. */
function pairwise(series: Series, f: (v: number, previous: number, seconds: number) => number): Series {
  const points = sortedPoints(series);
  return makeSeries(series.label, series.period, points.slice(1).map(([t, v], i) => [t, f(v, points[i]![1], (t - points[i]![0]) / 1000)] as const));
}

/** RATE: change per second since the previous value. */
export const rate = (series: Series): Series => pairwise(series, (v, p, s) => (v - p) / s);

/** DIFF: change since the previous value. */
export const diff = (series: Series): Series => pairwise(series, (v, p) => v - p);

/** DIFF_TIME: seconds since the previous value. */
export const diffTime = (series: Series): Series => pairwise(series, (_v, _p, s) => s);

/** RUNNING_SUM: the sum of the values so far. */
export function runningSum(series: Series): Series {
  let total = 0;
  return makeSeries(series.label, series.period, sortedPoints(series).map(([t, v]) => [t, (total += v)] as const));
}

const CALENDAR: Readonly<Record<string, (d: Date) => number>> = {
  MINUTE: (d) => d.getUTCMinutes(),
  HOUR: (d) => d.getUTCHours(),
  DAY: (d) => ((d.getUTCDay() + 6) % 7) + 1,
  DATE: (d) => d.getUTCDate(),
  MONTH: (d) => d.getUTCMonth() + 1,
  YEAR: (d) => d.getUTCFullYear(),
  EPOCH: (d) => d.getTime() / 1000,
};

/** Whether a name is a calendar function. */
export function isCalendar(name: string): boolean {
  return name in CALENDAR;
}

/** A calendar function over the series' period and the window: a value for every period. */
export function calendar(name: string, series: Series, window: MathWindow): Series {
  return makeSeries(series.label, series.period, grid(window, series.period).map((t) => [t, CALENDAR[name]!(new Date(t))] as const));
}
