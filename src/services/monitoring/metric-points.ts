/**
 * @module
 * Recording metric data points in a call's transaction: the points go to the metrics store and an
 * outbox entry names the metrics, so that alarm evaluation runs on them right after the commit.
 * PutMetricData and CloudWatch Logs metric filters both record through here.
 */
import type { Scope } from '../../core/scope.js';
import type { NewMetricPoint, Tx } from '../../store/types.js';

/** The outbox kind that announces new data points. */
export const METRIC_DATA_KIND = 'monitoring.MetricData';

/** The outbox payload: which metrics received data. */
export interface MetricDataEntry {
  readonly metrics: readonly { readonly namespace: string; readonly metricName: string }[];
}

/** Stores points and announces them; does nothing for an empty list. */
export async function recordMetricPoints(tx: Tx, scope: Scope, points: readonly NewMetricPoint[]): Promise<void> {
  if (points.length === 0) return;
  await tx.metrics.put(scope, points);
  const seen = new Map<string, { namespace: string; metricName: string }>();
  for (const p of points) seen.set(`${p.namespace}\u0000${p.metricName}`, { namespace: p.namespace, metricName: p.metricName });
  await tx.outbox.append(scope, METRIC_DATA_KIND, { metrics: [...seen.values()] } satisfies MetricDataEntry);
}
