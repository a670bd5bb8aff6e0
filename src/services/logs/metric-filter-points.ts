/**
 * @module
 * What metric filters make of ingested events: for each filter and each minute of event time, one
 * data point holding the distribution of values (metricValue for a matching event, defaultValue
 * for an event that does not match, when the filter has one). Dimensions take their values from
 * the event; an event without a value for the metric or a dimension adds nothing.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/MonitoringPolicyExamples.html
 */
import type { MetricTransformation } from '@aws-sdk/client-cloudwatch-logs';
import type { NewLogEvent, NewMetricPoint } from '../../store/types.js';
import type { FilterMatch, FilterPattern } from './filter-pattern/filter-pattern.js';

const MINUTE = 60_000;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A metric filter ready to apply: its compiled pattern and its one transformation. */
export interface ActiveFilter {
  readonly pattern: FilterPattern;
  readonly transformation: MetricTransformation;
}

function numeric(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && NUMBER.test(value.trim())) return Number(value);
  return undefined;
}

/** The value a matched event contributes, from a literal or a `$` reference. */
function metricValue(spec: string, match: FilterMatch): number | undefined {
  return spec.startsWith('$') ? numeric(match.value(spec)) : numeric(spec);
}

interface Accumulator {
  readonly timestamp: number;
  readonly dimensions: { name: string; value: string }[];
  readonly values: Map<number, number>;
}

function add(buckets: Map<string, Accumulator>, timestamp: number, dimensions: { name: string; value: string }[], value: number): void {
  const minute = Math.floor(timestamp / MINUTE) * MINUTE;
  const key = `${minute}\u0000${JSON.stringify(dimensions)}`;
  let bucket = buckets.get(key);
  if (!bucket) {
    bucket = { timestamp: minute, dimensions, values: new Map() };
    buckets.set(key, bucket);
  }
  bucket.values.set(value, (bucket.values.get(value) ?? 0) + 1);
}

/** The data points a batch of events yields under the given filters. */
export function metricFilterPoints(filters: readonly ActiveFilter[], events: readonly NewLogEvent[]): NewMetricPoint[] {
  const points: NewMetricPoint[] = [];
  for (const { pattern, transformation } of filters) {
    const buckets = new Map<string, Accumulator>();
    const dimensionSpecs = Object.entries(transformation.dimensions ?? {});
    for (const event of events) {
      const match = pattern.match(event.message);
      if (!match) {
        if (transformation.defaultValue !== undefined) add(buckets, event.timestamp, [], transformation.defaultValue);
        continue;
      }
      const value = metricValue(transformation.metricValue ?? '', match);
      if (value === undefined) continue;
      const dimensions: { name: string; value: string }[] = [];
      for (const [name, reference] of dimensionSpecs) {
        const found = match.value(reference);
        if (found === undefined || String(found) === '') break;
        dimensions.push({ name, value: String(found) });
      }
      if (dimensions.length < dimensionSpecs.length) continue;
      add(buckets, event.timestamp, dimensions, value);
    }
    for (const bucket of buckets.values()) {
      const entries = [...bucket.values];
      const values = entries.map(([v]) => v);
      points.push({
        namespace: transformation.metricNamespace ?? '',
        metricName: transformation.metricName ?? '',
        dimensions: bucket.dimensions,
        timestamp: bucket.timestamp,
        sampleCount: entries.reduce((n, [, c]) => n + c, 0),
        sum: entries.reduce((s, [v, c]) => s + v * c, 0),
        min: Math.min(...values),
        max: Math.max(...values),
        unit: transformation.unit ?? 'None',
        distribution: entries,
      });
    }
  }
  return points;
}
