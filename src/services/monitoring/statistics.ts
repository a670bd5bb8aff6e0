/**
 * @module
 * Statistics over aggregated metric buckets, as CloudWatch computes them: SampleCount, Average,
 * Sum, Minimum, Maximum, and percentiles (`p90`, `p99.9`) from the values' distribution (nearest
 * rank; a bucket fed only statistic sets has no percentiles). Periods and their alignment too.
 */
import type { Dimension, StandardUnit, Statistic } from '@aws-sdk/client-cloudwatch';
import type { MetricBucket, MetricIdentity } from '../../store/types.js';

/** The standard statistics. */
export const STATISTICS: readonly Statistic[] = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'];

/** The units CloudWatch knows. */
export const UNITS: readonly StandardUnit[] = [
  'Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes', 'Bits', 'Kilobits',
  'Megabits', 'Gigabits', 'Terabits', 'Percent', 'Count', 'Bytes/Second', 'Kilobytes/Second', 'Megabytes/Second', 'Gigabytes/Second',
  'Terabytes/Second', 'Bits/Second', 'Kilobits/Second', 'Megabits/Second', 'Gigabits/Second', 'Terabits/Second', 'Count/Second', 'None',
];

const PERCENTILE = /^p(\d{1,2}(\.\d{1,10})?|100(\.0{1,10})?)$/;

/** Whether a statistic name is a percentile CloudWatch accepts (`p0`..`p100`). */
export function isPercentile(stat: string): boolean {
  return PERCENTILE.test(stat);
}

/** Whether a name is a statistic this server computes. */
export function isKnownStatistic(stat: string): boolean {
  return (STATISTICS as readonly string[]).includes(stat) || isPercentile(stat);
}

/** The value of a standard statistic for a bucket. */
export function standardValue(bucket: MetricBucket, stat: string): number {
  switch (stat) {
    case 'SampleCount':
      return bucket.sampleCount;
    case 'Average':
      return bucket.sampleCount === 0 ? 0 : bucket.sum / bucket.sampleCount;
    case 'Sum':
      return bucket.sum;
    case 'Minimum':
      return bucket.min;
    default:
      return bucket.max;
  }
}

/** The nearest-rank percentile of a [value, count] distribution; undefined when it is empty. */
export function percentile(values: readonly (readonly [number, number])[], stat: string): number | undefined {
  const total = values.reduce((n, [, c]) => n + c, 0);
  if (total === 0) return undefined;
  const p = Number(stat.slice(1));
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  const sorted = [...values].sort((a, b) => a[0] - b[0]);
  let seen = 0;
  for (const [value, count] of sorted) {
    seen += count;
    if (seen >= rank) return value;
  }
  return sorted[sorted.length - 1]![0];
}

/** Whether a period (seconds) is one CloudWatch accepts: 1, 5, 10, 30 or a multiple of 60. */
export function validPeriod(period: number): boolean {
  return Number.isInteger(period) && (period === 1 || period === 5 || period === 10 || period === 30 || (period >= 60 && period % 60 === 0));
}

/** Where buckets start for a query: rounded down to the minute (or to the period, for periods under a minute). */
export function alignStart(startMs: number, periodSeconds: number): number {
  const unit = periodSeconds >= 60 ? 60_000 : periodSeconds * 1000;
  return Math.floor(startMs / unit) * unit;
}

/** A metric identity from the API's shapes. */
export function metricIdentity(namespace: string, metricName: string, dimensions: readonly Dimension[] | undefined): MetricIdentity {
  return {
    namespace,
    metricName,
    dimensions: (dimensions ?? []).map((d) => ({ name: d.Name ?? '', value: d.Value ?? '' })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  };
}
