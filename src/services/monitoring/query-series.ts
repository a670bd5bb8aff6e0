/**
 * @module
 * The values of a request's metric data queries over a time range: each MetricStat query's series
 * (ReturnData false ones too, since expressions may use them), then every math expression over
 * them (metric-math/). GetMetricData and the evaluation of alarms on metric math share it.
 */
import type { MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { Scope } from '../../core/scope.js';
import type { Tx } from '../../store/types.js';
import { compileQueries, evaluateQueries, type CompiledQueries } from './metric-math/queries.js';
import { makeSeries, type MathValue, type Series } from './metric-math/values.js';
import { readSeries } from './metric-series.js';
import { alignStart, metricIdentity } from './statistics.js';

/** Parses and checks the expressions of a list of queries (throws MetricMathError). */
export function compileMetricQueries(queries: readonly MetricDataQuery[]): CompiledQueries {
  return compileQueries(queries.map((q) => ({ id: q.Id ?? '', expression: q.Expression })));
}

/** The label of a MetricStat query's series: its Label, else the metric's name. */
export function metricLabel(query: MetricDataQuery): string {
  return query.Label ?? query.MetricStat?.Metric?.MetricName ?? query.Id ?? '';
}

/** The period of series made from scalars: the shortest metric period, else an expression's Period, else 60. */
function basePeriod(queries: readonly MetricDataQuery[]): number {
  const periods = queries.map((q) => q.MetricStat?.Period).filter((p): p is number => p !== undefined);
  if (periods.length > 0) return Math.min(...periods);
  return queries.find((q) => q.Period !== undefined)?.Period ?? 60;
}

/** Every query's value over [start, end): a series for metrics, a series or array for expressions. */
export async function evaluateMetricQueries(
  tx: Tx,
  scope: Scope,
  queries: readonly MetricDataQuery[],
  compiled: CompiledQueries,
  window: { start: number; end: number },
): Promise<Map<string, MathValue>> {
  const metrics: { id: string; series: Series }[] = [];
  for (const q of queries) {
    const stat = q.MetricStat;
    if (!stat) continue;
    const period = stat.Period ?? 60;
    const metric = metricIdentity(stat.Metric?.Namespace ?? '', stat.Metric?.MetricName ?? '', stat.Metric?.Dimensions);
    const points = await readSeries(tx, scope, { metric, start: alignStart(window.start, period), end: window.end, period, stat: stat.Stat ?? 'Average', unit: stat.Unit });
    metrics.push({ id: q.Id ?? '', series: makeSeries(metricLabel(q), period, points.map((p) => [p.timestamp, p.value] as const)) });
  }
  return evaluateQueries(compiled, metrics, { ...window, period: basePeriod(queries) });
}

/** Whether a query yields one series or an array of them, found by evaluating over metrics without data. */
export function queryShape(queries: readonly MetricDataQuery[], compiled: CompiledQueries, id: string): 'series' | 'array' {
  const metrics = queries.filter((q) => q.MetricStat).map((q) => ({ id: q.Id ?? '', series: makeSeries(metricLabel(q), q.MetricStat!.Period ?? 60, []) }));
  const value = evaluateQueries(compiled, metrics, { start: 0, end: 60_000, period: basePeriod(queries) }).get(id);
  return value?.type === 'array' ? 'array' : 'series';
}
