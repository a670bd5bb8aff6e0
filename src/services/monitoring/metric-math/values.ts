/**
 * @module
 * The values metric math computes with: scalars, time series (one value per period start, in ms),
 * arrays of time series, and the strings and bare words some functions take. Helpers to combine
 * series as AWS documents: arithmetic, comparison and logical operators on two series work on the
 * union of their timestamps with a missing value as 0, and a point whose value is not a finite
 * number (a division by zero) is dropped.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html
 */
import { alignStart } from '../statistics.js';
import { MathError } from './tokens.js';

/** A time series: its label, period (seconds) and values by period start (ms). */
export interface Series {
  readonly label: string;
  readonly period: number;
  readonly points: ReadonlyMap<number, number>;
}

/** What an expression or a part of it evaluates to. */
export type MathValue =
  | { readonly type: 'scalar'; readonly value: number }
  | { readonly type: 'series'; readonly series: Series }
  | { readonly type: 'array'; readonly series: readonly Series[] }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'word'; readonly name: string };

/** The query's time range [start, end) in ms and the period of series made from nothing (TIME_SERIES). */
export interface MathWindow {
  readonly start: number;
  readonly end: number;
  readonly period: number;
}

/** A scalar value. */
export function scalar(value: number): MathValue {
  return { type: 'scalar', value };
}

/** A series value. */
export function seriesValue(series: Series): MathValue {
  return { type: 'series', series };
}

/** A series from [timestamp, value] pairs, dropping values that are not finite numbers. */
export function makeSeries(label: string, period: number, entries: Iterable<readonly [number, number]>): Series {
  const points = new Map<number, number>();
  for (const [t, v] of entries) if (Number.isFinite(v)) points.set(t, v);
  return { label, period, points };
}

/** A series' points, oldest first. */
export function sortedPoints(series: Series): [number, number][] {
  return [...series.points.entries()].sort((a, b) => a[0] - b[0]);
}

/** The period starts of a window for a period (seconds), oldest first. */
export function grid(window: MathWindow, period: number): number[] {
  const step = period * 1000;
  const times: number[] = [];
  for (let t = alignStart(window.start, period); t < window.end; t += step) times.push(t);
  return times;
}

/** The union of two series' timestamps, oldest first. */
export function unionTimes(a: Series, b: Series): number[] {
  return [...new Set([...a.points.keys(), ...b.points.keys()])].sort((x, y) => x - y);
}

/** Applies a function to each point of a series, keeping its label and period. */
export function mapSeries(series: Series, f: (value: number, timestamp: number) => number): Series {
  return makeSeries(series.label, series.period, [...series.points].map(([t, v]) => [t, f(v, t)] as const));
}

/** Combines two operands point by point (series with series on the union of timestamps, missing as 0). */
export function combine(left: MathValue, right: MathValue, f: (a: number, b: number) => number): MathValue {
  if (left.type === 'scalar' && right.type === 'scalar') return scalar(f(left.value, right.value));
  if (left.type === 'series' && right.type === 'scalar') return seriesValue(mapSeries(left.series, (v) => f(v, right.value)));
  if (left.type === 'scalar' && right.type === 'series') return seriesValue(mapSeries(right.series, (v) => f(left.value, v)));
  if (left.type === 'series' && right.type === 'series') {
    const a = left.series;
    const b = right.series;
    return seriesValue(makeSeries(a.label, Math.min(a.period, b.period), unionTimes(a, b).map((t) => [t, f(a.points.get(t) ?? 0, b.points.get(t) ?? 0)] as const)));
  }
  if (left.type === 'array' && (right.type === 'scalar' || right.type === 'series')) {
    return { type: 'array', series: left.series.map((s) => onlySeries(combine(seriesValue(s), right, f))) };
  }
  if (right.type === 'array' && (left.type === 'scalar' || left.type === 'series')) {
    return { type: 'array', series: right.series.map((s) => onlySeries(combine(left, seriesValue(s), f))) };
  }
  throw new MathError('Invalid operands');
}

/** The series inside a value known to be one. */
export function onlySeries(value: MathValue): Series {
  if (value.type !== 'series') throw new MathError('Invalid operands');
  return value.series;
}

/** The series of a value as a list: one for a series, all of an array; undefined for anything else. */
export function seriesList(value: MathValue): readonly Series[] | undefined {
  if (value.type === 'series') return [value.series];
  if (value.type === 'array') return value.series;
  return undefined;
}

/** Applies a per-series function to a series or to each series of an array. */
export function eachSeries(value: MathValue, name: string, f: (series: Series) => Series): MathValue {
  if (value.type === 'series') return seriesValue(f(value.series));
  if (value.type === 'array') return { type: 'array', series: value.series.map(f) };
  throw new MathError(`Invalid arguments for function ${name}`);
}
