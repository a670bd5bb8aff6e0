/**
 * @module
 * The notification CloudWatch publishes to an SNS topic when an alarm changes state: its subject
 * (`ALARM: "name" in US East (N. Virginia)`) and its JSON message (AlarmName, AlarmDescription,
 * AWSAccountId, NewStateValue, NewStateReason, StateChangeTime, Region, AlarmArn, OldStateValue,
 * the actions, and the Trigger that describes the metric and threshold).
 */
import type { Scope } from '../../core/scope.js';
import { cloudwatchTime } from './alarm-state.js';
import { alarmArn, type AlarmDocument } from './alarms.js';

const REGION_NAMES: Readonly<Record<string, string>> = {
  'us-east-1': 'US East (N. Virginia)', 'us-east-2': 'US East (Ohio)', 'us-west-1': 'US West (N. California)', 'us-west-2': 'US West (Oregon)',
  'ca-central-1': 'Canada (Central)', 'sa-east-1': 'South America (Sao Paulo)', 'eu-west-1': 'EU (Ireland)', 'eu-west-2': 'EU (London)',
  'eu-west-3': 'EU (Paris)', 'eu-central-1': 'EU (Frankfurt)', 'eu-north-1': 'EU (Stockholm)', 'eu-south-1': 'EU (Milan)',
  'ap-south-1': 'Asia Pacific (Mumbai)', 'ap-northeast-1': 'Asia Pacific (Tokyo)', 'ap-northeast-2': 'Asia Pacific (Seoul)',
  'ap-northeast-3': 'Asia Pacific (Osaka)', 'ap-southeast-1': 'Asia Pacific (Singapore)', 'ap-southeast-2': 'Asia Pacific (Sydney)',
  'ap-east-1': 'Asia Pacific (Hong Kong)', 'me-south-1': 'Middle East (Bahrain)', 'af-south-1': 'Africa (Cape Town)',
};

/** A state change to notify: the alarm after the change, and the state before it. */
export interface AlarmNotification {
  readonly subject: string;
  readonly message: string;
  /** The actions of the new state (empty when actions are disabled). */
  readonly actions: readonly string[];
}

function trigger(alarm: AlarmDocument): Record<string, unknown> {
  const common = {
    Period: alarm.period,
    EvaluationPeriods: alarm.evaluationPeriods,
    DatapointsToAlarm: alarm.datapointsToAlarm ?? alarm.evaluationPeriods,
    ComparisonOperator: alarm.comparisonOperator,
    Threshold: alarm.threshold,
    TreatMissingData: alarm.treatMissingData ?? 'missing',
    EvaluateLowSampleCountPercentile: alarm.evaluateLowSampleCountPercentile ?? '',
  };
  if (alarm.metrics) return { Metrics: alarm.metrics, ...common };
  return {
    MetricName: alarm.metricName,
    Namespace: alarm.namespace,
    StatisticType: alarm.extendedStatistic ? 'ExtendedStatistic' : 'Statistic',
    ...(alarm.extendedStatistic ? { ExtendedStatistic: alarm.extendedStatistic } : { Statistic: (alarm.statistic ?? '').toUpperCase() }),
    Unit: alarm.unit ?? null,
    Dimensions: alarm.dimensions.map((d) => ({ value: d.Value, name: d.Name })),
    ...common,
  };
}

/** The notification for an alarm that moved from `oldState` to its current state. */
export function alarmNotification(scope: Scope, alarm: AlarmDocument, oldState: string): AlarmNotification {
  const region = REGION_NAMES[scope.region] ?? scope.region;
  const state = alarm.state.value;
  const actions = !alarm.actionsEnabled ? [] : state === 'ALARM' ? alarm.alarmActions : state === 'OK' ? alarm.okActions : alarm.insufficientDataActions;
  const message = {
    AlarmName: alarm.name,
    AlarmDescription: alarm.description ?? null,
    AWSAccountId: scope.accountId,
    AlarmConfigurationUpdatedTimestamp: cloudwatchTime(alarm.configurationUpdatedAt),
    NewStateValue: state,
    NewStateReason: alarm.state.reason,
    StateChangeTime: cloudwatchTime(alarm.state.updatedAt),
    Region: region,
    AlarmArn: alarmArn(scope, alarm.name),
    OldStateValue: oldState,
    OKActions: alarm.okActions,
    AlarmActions: alarm.alarmActions,
    InsufficientDataActions: alarm.insufficientDataActions,
    Trigger: trigger(alarm),
  };
  return { subject: `${state}: "${alarm.name}" in ${region}`.slice(0, 100), message: JSON.stringify(message), actions };
}
