/**
 * @module
 * Metric alarms as stored (one document each, by name), their ARNs, what each watches (one metric,
 * or a metric math expression over its Metrics), and their shape in DescribeAlarms.
 */
import type { Dimension, MetricAlarm, MetricDataQuery, StateValue, Tag } from '@aws-sdk/client-cloudwatch';
import type { Scope } from '../../core/scope.js';
import type { MetricIdentity, Tx } from '../../store/types.js';
import { metricIdentity } from './statistics.js';

/** The document kind of alarms. */
export const ALARM_KIND = 'monitoring.alarm';

/** An alarm's state as stored (times in ms). */
export interface AlarmStateRecord {
  readonly value: StateValue;
  readonly reason: string;
  readonly reasonData?: string;
  readonly updatedAt: number;
  readonly transitionedAt: number;
}

/** A metric alarm as stored: PutMetricAlarm's settings, its state and tags. */
export interface AlarmDocument {
  readonly name: string;
  readonly description?: string;
  readonly actionsEnabled: boolean;
  readonly okActions: readonly string[];
  readonly alarmActions: readonly string[];
  readonly insufficientDataActions: readonly string[];
  readonly metricName?: string;
  readonly namespace?: string;
  readonly statistic?: string;
  readonly extendedStatistic?: string;
  readonly dimensions: readonly Dimension[];
  readonly period?: number;
  readonly unit?: string;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm?: number;
  readonly threshold?: number;
  readonly comparisonOperator: string;
  readonly treatMissingData?: string;
  readonly evaluateLowSampleCountPercentile?: string;
  readonly metrics?: readonly MetricDataQuery[];
  readonly thresholdMetricId?: string;
  readonly tags: readonly Tag[];
  readonly configurationUpdatedAt: number;
  readonly state: AlarmStateRecord;
}

/** What an alarm reads: one metric, one statistic, one period (seconds), maybe one unit. */
export interface WatchedMetric {
  readonly metric: MetricIdentity;
  readonly stat: string;
  readonly period: number;
  readonly unit?: string;
}

/** What an alarm on metric math reads: its queries, the expression it watches, and its period (seconds). */
export interface WatchedExpression {
  readonly queries: readonly MetricDataQuery[];
  readonly id: string;
  readonly period: number;
}

/** An alarm's ARN. */
export function alarmArn(scope: Scope, name: string): string {
  return `arn:aws:cloudwatch:${scope.region}:${scope.accountId}:alarm:${name}`;
}

/** The metric an alarm watches: its own fields, or the one MetricStat query that returns data; undefined for math. */
export function watchedMetric(alarm: AlarmDocument): WatchedMetric | undefined {
  if (alarm.metrics) {
    const returning = alarm.metrics.filter((q) => q.ReturnData !== false);
    const query = returning.length === 1 ? returning[0] : undefined;
    const stat = query?.MetricStat;
    if (!stat?.Metric || query?.Expression !== undefined) return undefined;
    return {
      metric: metricIdentity(stat.Metric.Namespace ?? '', stat.Metric.MetricName ?? '', stat.Metric.Dimensions),
      stat: stat.Stat ?? 'Average',
      period: stat.Period ?? 60,
      unit: stat.Unit,
    };
  }
  if (alarm.namespace === undefined || alarm.metricName === undefined) return undefined;
  return {
    metric: metricIdentity(alarm.namespace, alarm.metricName, alarm.dimensions),
    stat: alarm.extendedStatistic ?? alarm.statistic ?? 'Average',
    period: alarm.period ?? 60,
    unit: alarm.unit,
  };
}

/** The expression an alarm watches: the one query that returns data, when it is an expression; else undefined. */
export function watchedExpression(alarm: AlarmDocument): WatchedExpression | undefined {
  const returning = (alarm.metrics ?? []).filter((q) => q.ReturnData !== false);
  const query = returning.length === 1 ? returning[0]! : undefined;
  if (query?.Expression === undefined) return undefined;
  const periods = alarm.metrics!.map((q) => q.MetricStat?.Period).filter((p): p is number => p !== undefined);
  return { queries: alarm.metrics!, id: query.Id ?? '', period: query.Period ?? (periods.length > 0 ? Math.min(...periods) : 60) };
}

/** The metrics an alarm reads (for matching new data to the alarms it concerns). */
export function alarmMetrics(alarm: AlarmDocument): MetricIdentity[] {
  const single = watchedMetric(alarm);
  if (single) return [single.metric];
  return (alarm.metrics ?? []).flatMap((q) => {
    const m = q.MetricStat?.Metric;
    return m ? [metricIdentity(m.Namespace ?? '', m.MetricName ?? '', m.Dimensions)] : [];
  });
}

/** An alarm, or undefined. */
export function findAlarm(tx: Tx, scope: Scope, name: string): Promise<AlarmDocument | undefined> {
  return tx.documents.get<AlarmDocument>(scope, ALARM_KIND, name);
}

/** Stores an alarm. */
export async function saveAlarm(tx: Tx, scope: Scope, alarm: AlarmDocument): Promise<void> {
  await tx.documents.put(scope, ALARM_KIND, alarm.name, alarm);
}

/** An alarm in the shape of DescribeAlarms' `MetricAlarm`. */
export function toMetricAlarm(scope: Scope, alarm: AlarmDocument): MetricAlarm {
  return {
    AlarmName: alarm.name,
    AlarmArn: alarmArn(scope, alarm.name),
    AlarmDescription: alarm.description,
    AlarmConfigurationUpdatedTimestamp: new Date(alarm.configurationUpdatedAt),
    ActionsEnabled: alarm.actionsEnabled,
    OKActions: [...alarm.okActions],
    AlarmActions: [...alarm.alarmActions],
    InsufficientDataActions: [...alarm.insufficientDataActions],
    StateValue: alarm.state.value,
    StateReason: alarm.state.reason,
    StateReasonData: alarm.state.reasonData,
    StateUpdatedTimestamp: new Date(alarm.state.updatedAt),
    StateTransitionedTimestamp: new Date(alarm.state.transitionedAt),
    MetricName: alarm.metricName,
    Namespace: alarm.namespace,
    Statistic: alarm.statistic as MetricAlarm['Statistic'],
    ExtendedStatistic: alarm.extendedStatistic,
    Dimensions: alarm.metrics ? undefined : [...alarm.dimensions],
    Period: alarm.period,
    Unit: alarm.unit as MetricAlarm['Unit'],
    EvaluationPeriods: alarm.evaluationPeriods,
    DatapointsToAlarm: alarm.datapointsToAlarm,
    Threshold: alarm.threshold,
    ComparisonOperator: alarm.comparisonOperator as MetricAlarm['ComparisonOperator'],
    TreatMissingData: alarm.treatMissingData,
    EvaluateLowSampleCountPercentile: alarm.evaluateLowSampleCountPercentile,
    Metrics: alarm.metrics ? [...alarm.metrics] : undefined,
    ThresholdMetricId: alarm.thresholdMetricId,
  };
}
