/**
 * @module
 * Reading a metric as a series of (timestamp, value) per period for one statistic: the one read
 * that GetMetricData, GetMetricStatistics and alarm evaluation share.
 */
import type { Scope } from '../../core/scope.js';
import type { MetricBucket, MetricIdentity, Tx } from '../../store/types.js';
import { isPercentile, percentile, standardValue } from './statistics.js';

/** One period's value. */
export interface SeriesPoint {
  readonly timestamp: number;
  readonly value: number;
  readonly sampleCount: number;
}

/** What to read: a metric over [start, end) ms, in periods of `period` seconds from `start`. */
export interface SeriesQuery {
  readonly metric: MetricIdentity;
  readonly start: number;
  readonly end: number;
  readonly period: number;
  readonly stat: string;
  readonly unit?: string;
}

/** The buckets and, when a percentile is asked for, the distributions of a query. */
export async function readBuckets(tx: Tx, scope: Scope, query: Omit<SeriesQuery, 'stat'>, percentiles: boolean): Promise<{
  buckets: MetricBucket[];
  distributions: Map<number, [number, number][]>;
}> {
  const storeQuery = { metric: query.metric, startTime: query.start, endTime: query.end, period: query.period * 1000, unit: query.unit };
  const buckets = await tx.metrics.aggregate(scope, storeQuery);
  const distributions = new Map<number, [number, number][]>();
  if (percentiles) for (const d of await tx.metrics.distributions(scope, storeQuery)) distributions.set(d.start, d.values);
  return { buckets, distributions };
}

/** The value of a statistic for a bucket, or undefined (a percentile without a distribution). */
export function statisticOf(bucket: MetricBucket, stat: string, distributions: Map<number, [number, number][]>): number | undefined {
  if (!isPercentile(stat)) return standardValue(bucket, stat);
  const values = distributions.get(bucket.start);
  return values ? percentile(values, stat) : undefined;
}

/** A metric's series for one statistic, oldest first; periods without data are absent. */
export async function readSeries(tx: Tx, scope: Scope, query: SeriesQuery): Promise<SeriesPoint[]> {
  const { buckets, distributions } = await readBuckets(tx, scope, query, isPercentile(query.stat));
  const points: SeriesPoint[] = [];
  for (const bucket of buckets) {
    const value = statisticOf(bucket, query.stat, distributions);
    if (value !== undefined) points.push({ timestamp: bucket.start, value, sampleCount: bucket.sampleCount });
  }
  return points;
}
