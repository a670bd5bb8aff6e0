/**
 * @module
 * Metric data: PutMetricData, GetMetricStatistics and ListMetrics (GetMetricData, with metric
 * math, is in get-metric-data.ts).
 */
import type {
  Datapoint, GetMetricStatisticsCommandInput, GetMetricStatisticsCommandOutput,
  ListMetricsCommandInput, ListMetricsCommandOutput, MetricDatum, PutMetricDataCommandInput, PutMetricDataCommandOutput,
} from '@aws-sdk/client-cloudwatch';
import { decodeToken, encodeToken } from '../../core/pagination.js';
import type { NewMetricPoint } from '../../store/types.js';
import type { Handler, Out } from '../service.js';
import {
  checkConstraints, enumConstraint, InvalidNextToken, InvalidParameterCombinationException, InvalidParameterValueException,
  lengthConstraint,
} from './errors.js';
import { recordMetricPoints } from './metric-points.js';
import { readBuckets, statisticOf } from './metric-series.js';
import { checkPeriod, checkWindow } from './query-checks.js';
import { alignStart, isPercentile, metricIdentity, STATISTICS, UNITS } from './statistics.js';

const HOUR = 3_600_000;
const MAX_DATAPOINTS = 1440;
const LIST_PAGE = 500;

function datumPoint(namespace: string, datum: MetricDatum, i: number, now: number): NewMetricPoint {
  const at = `MetricData.member.${i + 1}`;
  checkConstraints(
    lengthConstraint(`metricData.${i + 1}.member.metricName`, datum.MetricName ?? '', 1, 255),
    enumConstraint(`metricData.${i + 1}.member.unit`, datum.Unit, UNITS),
    (datum.Dimensions?.length ?? 0) > 30 ? `Value at 'metricData.${i + 1}.member.dimensions' failed to satisfy constraint: Member must have length less than or equal to 30` : undefined,
  );
  const hasValue = datum.Value !== undefined;
  const set = datum.StatisticValues;
  const values = datum.Values;
  if (hasValue && set) throw new InvalidParameterCombinationException(`The parameters ${at}.Value and ${at}.StatisticValues are mutually exclusive and you have specified both.`);
  if ((hasValue || set) && values) throw new InvalidParameterCombinationException(`The parameters ${at}.Values and ${at}.${hasValue ? 'Value' : 'StatisticValues'} are mutually exclusive and you have specified both.`);
  if (datum.Counts && !values) throw new InvalidParameterCombinationException(`The parameter ${at}.Counts requires ${at}.Values.`);
  if (values && datum.Counts && datum.Counts.length !== values.length) {
    throw new InvalidParameterValueException(`The parameters ${at}.Values and ${at}.Counts must be of the same size.`);
  }
  if (values && values.length > 150) throw new InvalidParameterValueException(`The collection ${at}.Values must not have a size greater than 150.`);
  const numbers = [datum.Value, set?.SampleCount, set?.Sum, set?.Minimum, set?.Maximum, ...(values ?? []), ...(datum.Counts ?? [])];
  if (numbers.some((n) => n !== undefined && !Number.isFinite(n))) throw new InvalidParameterValueException(`The value ${numbers.find((n) => n !== undefined && !Number.isFinite(n))} for parameter ${at} is invalid.`);
  const resolution = datum.StorageResolution ?? 60;
  if (resolution !== 1 && resolution !== 60) throw new InvalidParameterValueException(`The value ${resolution} for parameter ${at}.StorageResolution is invalid.`);
  const at0 = datum.Timestamp ? datum.Timestamp.getTime() : now;
  if (at0 > now + 2 * HOUR) throw new InvalidParameterValueException(`The parameter ${at}.Timestamp must specify a time no more than two hours in the future.`);
  if (at0 < now - 14 * 24 * HOUR) throw new InvalidParameterValueException(`The parameter ${at}.Timestamp must specify a time within the past two weeks.`);
  const grain = resolution === 1 ? 1000 : 60_000;
  const base = { ...metricIdentity(namespace, datum.MetricName ?? '', datum.Dimensions), timestamp: Math.floor(at0 / grain) * grain, unit: datum.Unit ?? 'None' };
  if (set) {
    if (set.SampleCount === undefined || set.Sum === undefined || set.Minimum === undefined || set.Maximum === undefined) {
      throw new InvalidParameterValueException(`The parameter ${at}.StatisticValues must have SampleCount, Sum, Minimum and Maximum.`);
    }
    return { ...base, sampleCount: set.SampleCount, sum: set.Sum, min: set.Minimum, max: set.Maximum };
  }
  if (values) {
    const pairs = values.map((v, k) => [v, datum.Counts?.[k] ?? 1] as [number, number]).filter(([, c]) => c > 0);
    if (pairs.length === 0) throw new InvalidParameterValueException(`The parameter ${at}.Values must have at least one value with a positive count.`);
    return {
      ...base,
      sampleCount: pairs.reduce((n, [, c]) => n + c, 0),
      sum: pairs.reduce((s, [v, c]) => s + v * c, 0),
      min: Math.min(...pairs.map(([v]) => v)),
      max: Math.max(...pairs.map(([v]) => v)),
      distribution: pairs,
    };
  }
  if (!hasValue) throw new InvalidParameterCombinationException(`At least one of the parameters ${at}.Value, ${at}.StatisticValues or ${at}.Values must be specified.`);
  const value = datum.Value!;
  return { ...base, sampleCount: 1, sum: value, min: value, max: value, distribution: [[value, 1]] };
}

/** PutMetricData. */
export const putMetricData: Handler<PutMetricDataCommandInput, Out<PutMetricDataCommandOutput>> = async (input, ctx) => {
  const namespace = input.Namespace ?? '';
  const data = [...(input.MetricData ?? []), ...(input.EntityMetricData ?? []).flatMap((e) => e.MetricData ?? [])];
  checkConstraints(
    lengthConstraint('namespace', namespace, 1, 255),
    data.length > 1000 ? `Value at 'metricData' failed to satisfy constraint: Member must have length less than or equal to 1000` : undefined,
  );
  if (namespace.startsWith(':') || namespace.startsWith('AWS/')) throw new InvalidParameterValueException(`The value ${namespace} for parameter Namespace is invalid.`);
  if (data.length === 0) throw new InvalidParameterCombinationException('At least one of the parameters MetricData or EntityMetricData must be specified.');
  const points = data.map((datum, i) => datumPoint(namespace, datum, i, ctx.now));
  await recordMetricPoints(ctx.tx, ctx.scope, points);
  return {};
};

/** GetMetricStatistics. */
export const getMetricStatistics: Handler<GetMetricStatisticsCommandInput, Out<GetMetricStatisticsCommandOutput>> = async (input, ctx) => {
  const statistics = input.Statistics ?? [];
  const extended = input.ExtendedStatistics ?? [];
  checkConstraints(
    lengthConstraint('namespace', input.Namespace ?? '', 1, 255),
    lengthConstraint('metricName', input.MetricName ?? '', 1, 255),
    enumConstraint('unit', input.Unit, UNITS),
    ...statistics.map((s, i) => enumConstraint(`statistics.${i + 1}.member`, s, STATISTICS)),
  );
  if ((statistics.length === 0) === (extended.length === 0)) {
    throw new InvalidParameterCombinationException('Must specify either Statistics or ExtendedStatistics, but not both.');
  }
  const bad = extended.find((s) => !isPercentile(s));
  if (bad !== undefined) throw new InvalidParameterValueException(`The value ${bad} for parameter ExtendedStatistics is not supported.`);
  const period = checkPeriod(input.Period);
  const window = checkWindow(input.StartTime, input.EndTime);
  const start = alignStart(window.start, period);
  const count = Math.ceil((window.end - start) / (period * 1000));
  if (count > MAX_DATAPOINTS) {
    throw new InvalidParameterCombinationException(`You have requested up to ${count.toLocaleString('en-US')} datapoints, which exceeds the limit of ${MAX_DATAPOINTS.toLocaleString('en-US')}. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`);
  }
  const metric = metricIdentity(input.Namespace ?? '', input.MetricName ?? '', input.Dimensions);
  const { buckets, distributions } = await readBuckets(ctx.tx, ctx.scope, { metric, start, end: window.end, period, unit: input.Unit }, extended.length > 0);
  const datapoints: Datapoint[] = buckets.map((bucket) => {
    const point: Datapoint = { Timestamp: new Date(bucket.start), Unit: (input.Unit ?? bucket.units[0] ?? 'None') as Datapoint['Unit'] };
    for (const stat of statistics) (point as Record<string, unknown>)[stat] = statisticOf(bucket, stat, distributions);
    if (extended.length > 0) {
      const values: Record<string, number> = {};
      for (const stat of extended) {
        const value = statisticOf(bucket, stat, distributions);
        if (value !== undefined) values[stat] = value;
      }
      point.ExtendedStatistics = values;
    }
    return point;
  });
  return { Label: input.MetricName, Datapoints: datapoints };
};

/** ListMetrics: 500 to a page; `RecentlyActive: PT3H` keeps metrics with data in the last three hours. */
export const listMetrics: Handler<ListMetricsCommandInput, Out<ListMetricsCommandOutput>> = async (input, ctx) => {
  checkConstraints(
    input.Namespace !== undefined ? lengthConstraint('namespace', input.Namespace, 1, 255) : undefined,
    input.MetricName !== undefined ? lengthConstraint('metricName', input.MetricName, 1, 255) : undefined,
    enumConstraint('recentlyActive', input.RecentlyActive, ['PT3H']),
  );
  const dimensions = (input.Dimensions ?? []).map((d) => ({ name: d.Name ?? '', value: d.Value }));
  const params = { n: input.Namespace, m: input.MetricName, d: dimensions, r: input.RecentlyActive };
  let after: number | undefined;
  if (input.NextToken !== undefined) {
    after = decodeToken<number>(input.NextToken, params);
    if (after === undefined) throw new InvalidNextToken();
  }
  const metrics = await ctx.tx.metrics.list(ctx.scope, {
    namespace: input.Namespace,
    metricName: input.MetricName,
    dimensions,
    activeSince: input.RecentlyActive ? ctx.now - 3 * HOUR : undefined,
    after,
    limit: LIST_PAGE + 1,
  });
  const page = metrics.slice(0, LIST_PAGE);
  return {
    Metrics: page.map((m) => ({ Namespace: m.namespace, MetricName: m.metricName, Dimensions: m.dimensions.map((d) => ({ Name: d.name, Value: d.value })) })),
    NextToken: metrics.length > LIST_PAGE ? encodeToken(page[page.length - 1]!.key, params) : undefined,
  };
};
