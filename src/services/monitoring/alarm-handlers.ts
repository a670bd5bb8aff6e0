/**
 * @module
 * Alarm handlers: PutMetricAlarm, DescribeAlarms, DescribeAlarmsForMetric, DeleteAlarms,
 * SetAlarmState, EnableAlarmActions and DisableAlarmActions. A new or changed alarm is announced
 * in the outbox, so that the evaluator judges it right after the commit.
 */
import type {
  DeleteAlarmsCommandInput, DeleteAlarmsCommandOutput, DescribeAlarmsCommandInput, DescribeAlarmsCommandOutput,
  DescribeAlarmsForMetricCommandInput, DescribeAlarmsForMetricCommandOutput, DisableAlarmActionsCommandInput,
  DisableAlarmActionsCommandOutput, EnableAlarmActionsCommandInput, EnableAlarmActionsCommandOutput, PutMetricAlarmCommandInput,
  MetricDataQuery, PutMetricAlarmCommandOutput, SetAlarmStateCommandInput, SetAlarmStateCommandOutput, StateValue,
} from '@aws-sdk/client-cloudwatch';
import { ServiceError } from '../../core/errors.js';
import { decodeToken, encodeToken } from '../../core/pagination.js';
import { recordResourceChange } from '../resource-changes.js';
import type { CallContext, Handler, Out } from '../service.js';
import { appendHistory, deleteHistory } from './alarm-history.js';
import { changeState } from './alarm-transition.js';
import { isStaticOperator } from './alarm-state.js';
import { ALARM_KIND, alarmArn, findAlarm, saveAlarm, toMetricAlarm, type AlarmDocument } from './alarms.js';
import {
  checkConstraints, enumConstraint, InvalidNextToken, InvalidParameterCombinationException, InvalidParameterValueException,
  InvalidRequestError, lengthConstraint, ResourceNotFound,
} from './errors.js';
import { compileMetricQueries, queryShape } from './query-series.js';
import { checkTags } from './tags.js';
import { isPercentile, metricIdentity, STATISTICS, UNITS, validPeriod } from './statistics.js';

/** The outbox kind that asks the evaluator to judge an alarm now. */
export const ALARM_CHANGED = 'monitoring.AlarmChanged';

const OPERATORS = [
  'GreaterThanOrEqualToThreshold', 'GreaterThanThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold',
  'LessThanLowerOrGreaterThanUpperThreshold', 'LessThanLowerThreshold', 'GreaterThanUpperThreshold',
];
const STATES: readonly StateValue[] = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];
const ACTION_ARN = /^arn:aws[a-z-]*:(sns|automate|autoscaling|lambda|ssm|ssm-incidents|swf|ec2|events):/;

function checkActions(member: string, actions: readonly string[] | undefined): string[] {
  const list = actions ?? [];
  checkConstraints(list.length > 5 ? `Value '${JSON.stringify(list)}' at '${member}' failed to satisfy constraint: Member must have length less than or equal to 5` : undefined);
  const bad = list.find((a) => !ACTION_ARN.test(a));
  if (bad !== undefined) throw new InvalidParameterValueException(`Invalid arn syntax: ${bad}`);
  return [...list];
}

async function announce(ctx: CallContext, alarm: AlarmDocument, deleted = false): Promise<void> {
  const arn = alarmArn(ctx.scope, alarm.name);
  ctx.audit.resources.push({ type: 'AWS::CloudWatch::Alarm', arn, name: alarm.name });
  await recordResourceChange(ctx, { resourceType: 'AWS::CloudWatch::Alarm', resourceId: alarm.name, resourceName: alarm.name, arn, deleted });
  if (!deleted) await ctx.tx.outbox.append(ctx.scope, ALARM_CHANGED, { alarmName: alarm.name });
}

/** An alarm's Metrics: valid unique ids, MetricStat or Expression each, exactly one returning data, expressions that compile to one series. */
function checkAlarmQueries(queries: readonly MetricDataQuery[]): void {
  const ids = new Set<string>();
  for (const q of queries) {
    if (!/^[a-z][a-zA-Z0-9_]*$/.test(q.Id ?? '')) throw new InvalidParameterValueException(`The value ${q.Id} for parameter Metrics.member.Id is invalid. Ids must start with a lowercase letter and contain only letters, digits and underscores.`);
    if (ids.has(q.Id!)) throw new InvalidParameterValueException(`The value ${q.Id} for parameter Metrics.member.Id is used more than once.`);
    ids.add(q.Id!);
    if ((q.MetricStat === undefined) === (q.Expression === undefined)) {
      throw new InvalidParameterCombinationException('Exactly one of MetricStat and Expression must be specified for each MetricDataQuery.');
    }
    if (q.MetricStat && !validPeriod(q.MetricStat.Period ?? 0)) throw new InvalidParameterValueException('The parameter MetricStat.Period must be 10, 30, or a multiple of 60.');
  }
  const returning = queries.filter((q) => q.ReturnData !== false);
  if (returning.length !== 1) throw new InvalidRequestError('Exactly one element of the metrics list should return data.');
  const compiled = compileMetricQueries(queries);
  if (queryShape(queries, compiled, returning[0]!.Id!) === 'array') {
    throw new InvalidRequestError('Metrics expression that return multi time series are only allowed for MetricsInsights expression with an ORDER BY clause');
  }
}

function checkMetricSettings(input: PutMetricAlarmCommandInput): void {
  const single = input.MetricName !== undefined || input.Namespace !== undefined || input.Statistic !== undefined
    || input.ExtendedStatistic !== undefined || input.Period !== undefined || input.Dimensions !== undefined;
  if (input.Metrics !== undefined) {
    if (single) throw new InvalidParameterCombinationException('The parameters MetricName, Namespace, Statistic, ExtendedStatistic, Dimensions and Period cannot be used with Metrics.');
    if (input.Metrics.length < 1 || input.Metrics.length > 10) throw new InvalidParameterValueException('The parameter Metrics must contain between 1 and 10 items.');
    checkAlarmQueries(input.Metrics);
    return;
  }
  if (input.MetricName === undefined || input.Namespace === undefined) {
    throw new InvalidParameterCombinationException('The parameters MetricName and Namespace are required unless Metrics is specified.');
  }
  if ((input.Statistic === undefined) === (input.ExtendedStatistic === undefined)) {
    throw new InvalidParameterCombinationException('Exactly one element of the Statistic and ExtendedStatistic parameters must be specified.');
  }
  if (input.ExtendedStatistic !== undefined && !isPercentile(input.ExtendedStatistic)) {
    throw new InvalidParameterValueException(`The value ${input.ExtendedStatistic} for parameter ExtendedStatistic is not supported.`);
  }
  if (input.Period === undefined || !validPeriod(input.Period) || input.Period === 1 || input.Period === 5) {
    throw new InvalidParameterValueException('The parameter Period must be 10, 30, or a multiple of 60.');
  }
}

/** PutMetricAlarm: creates an alarm (INSUFFICIENT_DATA until judged) or replaces its settings, keeping its state. */
export const putMetricAlarm: Handler<PutMetricAlarmCommandInput, Out<PutMetricAlarmCommandOutput>> = async (input, ctx) => {
  const name = input.AlarmName ?? '';
  checkConstraints(
    lengthConstraint('alarmName', name, 1, 255),
    input.AlarmDescription !== undefined ? lengthConstraint('alarmDescription', input.AlarmDescription, 0, 1024) : undefined,
    input.EvaluationPeriods === undefined ? "Value null at 'evaluationPeriods' failed to satisfy constraint: Member must not be null" : undefined,
    input.ComparisonOperator === undefined ? "Value null at 'comparisonOperator' failed to satisfy constraint: Member must not be null" : undefined,
    enumConstraint('comparisonOperator', input.ComparisonOperator, OPERATORS),
    enumConstraint('statistic', input.Statistic, STATISTICS),
    enumConstraint('unit', input.Unit, UNITS),
    enumConstraint('treatMissingData', input.TreatMissingData, ['breaching', 'notBreaching', 'ignore', 'missing']),
    enumConstraint('evaluateLowSampleCountPercentile', input.EvaluateLowSampleCountPercentile, ['evaluate', 'ignore']),
  );
  const evaluationPeriods = input.EvaluationPeriods!;
  if (!Number.isInteger(evaluationPeriods) || evaluationPeriods < 1) {
    throw new InvalidParameterValueException('The parameter EvaluationPeriods must be greater than or equal to 1.');
  }
  if (input.DatapointsToAlarm !== undefined && (input.DatapointsToAlarm < 1 || input.DatapointsToAlarm > evaluationPeriods)) {
    throw new InvalidParameterValueException('DatapointsToAlarm must be greater than 0 and less than or equal to EvaluationPeriods.');
  }
  if (isStaticOperator(input.ComparisonOperator!) && input.Threshold === undefined) {
    throw new InvalidParameterCombinationException('The parameter Threshold is required with the ComparisonOperator ' + input.ComparisonOperator + '.');
  }
  checkMetricSettings(input);
  const okActions = checkActions('oKActions', input.OKActions);
  const alarmActions = checkActions('alarmActions', input.AlarmActions);
  const insufficientDataActions = checkActions('insufficientDataActions', input.InsufficientDataActions);
  const existing = await findAlarm(ctx.tx, ctx.scope, name);
  const tags = existing ? existing.tags : checkTags(input.Tags);
  const alarm: AlarmDocument = {
    name,
    description: input.AlarmDescription,
    actionsEnabled: input.ActionsEnabled ?? true,
    okActions,
    alarmActions,
    insufficientDataActions,
    metricName: input.MetricName,
    namespace: input.Namespace,
    statistic: input.Statistic,
    extendedStatistic: input.ExtendedStatistic,
    dimensions: input.Metrics ? [] : metricIdentity('', '', input.Dimensions).dimensions.map((d) => ({ Name: d.name, Value: d.value })),
    period: input.Period,
    unit: input.Unit,
    evaluationPeriods,
    datapointsToAlarm: input.DatapointsToAlarm,
    threshold: input.Threshold,
    comparisonOperator: input.ComparisonOperator!,
    treatMissingData: input.TreatMissingData,
    evaluateLowSampleCountPercentile: input.EvaluateLowSampleCountPercentile,
    metrics: input.Metrics,
    thresholdMetricId: input.ThresholdMetricId,
    tags,
    configurationUpdatedAt: ctx.now,
    state: existing?.state ?? { value: 'INSUFFICIENT_DATA', reason: 'Unchecked: Initial alarm creation', updatedAt: ctx.now, transitionedAt: ctx.now },
  };
  await saveAlarm(ctx.tx, ctx.scope, alarm);
  const settings = historyShape(ctx, alarm);
  await appendHistory(ctx.tx, ctx.scope, {
    alarmName: name,
    type: 'ConfigurationUpdate',
    summary: `Alarm "${name}" ${existing ? 'updated' : 'created'}`,
    data: JSON.stringify(existing
      ? { version: '1.0', type: 'Update', updatedAlarm: settings }
      : { version: '1.0', type: 'Create', createdAlarm: settings }),
    at: ctx.now,
  });
  if (!(await ctx.tx.accounts.get(ctx.scope.accountId))) await ctx.tx.accounts.put({ accountId: ctx.scope.accountId, createdAt: ctx.now });
  await announce(ctx, alarm);
  return {};
};

/** An alarm as history items describe it: the MetricAlarm shape in lowerCamelCase, without state. */
function historyShape(ctx: CallContext, alarm: AlarmDocument): Record<string, unknown> {
  const shape: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(toMetricAlarm(ctx.scope, alarm))) {
    if (value === undefined || key.startsWith('State')) continue;
    shape[key.charAt(0).toLowerCase() + key.slice(1)] = value instanceof Date ? value.toISOString().replace('Z', '+0000') : value;
  }
  return shape;
}

type AlarmFilter = (alarm: AlarmDocument) => boolean;

async function alarms(ctx: CallContext, filter: AlarmFilter): Promise<AlarmDocument[]> {
  return (await ctx.tx.documents.list<AlarmDocument>(ctx.scope, ALARM_KIND)).map((e) => e.doc).filter(filter);
}

/** DescribeAlarms: metric alarms by names, name prefix, action prefix or state, in name order. */
export const describeAlarms: Handler<DescribeAlarmsCommandInput, Out<DescribeAlarmsCommandOutput>> = async (input, ctx) => {
  const maxRecords = input.MaxRecords ?? 50;
  checkConstraints(
    enumConstraint('stateValue', input.StateValue, STATES),
    ...(input.AlarmTypes ?? []).map((t, i) => enumConstraint(`alarmTypes.${i + 1}.member`, t, ['CompositeAlarm', 'MetricAlarm'])),
    maxRecords < 1 || maxRecords > 100 ? `Value '${maxRecords}' at 'maxRecords' failed to satisfy constraint: Member must have value ${maxRecords < 1 ? 'greater than or equal to 1' : 'less than or equal to 100'}` : undefined,
    (input.AlarmNames?.length ?? 0) > 100 ? `Value at 'alarmNames' failed to satisfy constraint: Member must have length less than or equal to 100` : undefined,
  );
  if (input.AlarmNames !== undefined && input.AlarmNamePrefix !== undefined) {
    throw new InvalidParameterCombinationException('AlarmNames and AlarmNamePrefix cannot be specified together.');
  }
  const params = { n: input.AlarmNames, p: input.AlarmNamePrefix, a: input.ActionPrefix, s: input.StateValue, t: input.AlarmTypes };
  let after: string | undefined;
  if (input.NextToken !== undefined) {
    after = decodeToken<string>(input.NextToken, params);
    if (after === undefined) throw new InvalidNextToken();
  }
  const wantMetric = !input.AlarmTypes || input.AlarmTypes.includes('MetricAlarm');
  const names = input.AlarmNames && new Set(input.AlarmNames);
  const actionPrefix = input.ActionPrefix;
  const found = wantMetric ? await alarms(ctx, (a) => (!names || names.has(a.name))
    && (input.AlarmNamePrefix === undefined || a.name.startsWith(input.AlarmNamePrefix))
    && (input.StateValue === undefined || a.state.value === input.StateValue)
    && (actionPrefix === undefined || [...a.okActions, ...a.alarmActions, ...a.insufficientDataActions].some((x) => x.startsWith(actionPrefix)))
    && (after === undefined || a.name > after)) : [];
  const page = found.slice(0, maxRecords);
  return {
    MetricAlarms: page.map((a) => toMetricAlarm(ctx.scope, a)),
    CompositeAlarms: [],
    NextToken: found.length > maxRecords ? encodeToken(page[page.length - 1]!.name, params) : undefined,
  };
};

/** DescribeAlarmsForMetric: the alarms on a metric, narrowed by the optional fields given. */
export const describeAlarmsForMetric: Handler<DescribeAlarmsForMetricCommandInput, Out<DescribeAlarmsForMetricCommandOutput>> = async (input, ctx) => {
  checkConstraints(enumConstraint('statistic', input.Statistic, STATISTICS), enumConstraint('unit', input.Unit, UNITS));
  const wanted = metricIdentity(input.Namespace ?? '', input.MetricName ?? '', input.Dimensions);
  const found = await alarms(ctx, (a) => a.namespace === wanted.namespace && a.metricName === wanted.metricName
    && (input.Dimensions === undefined || JSON.stringify(metricIdentity('', '', a.dimensions).dimensions) === JSON.stringify(wanted.dimensions))
    && (input.Statistic === undefined || a.statistic === input.Statistic)
    && (input.ExtendedStatistic === undefined || a.extendedStatistic === input.ExtendedStatistic)
    && (input.Period === undefined || a.period === input.Period)
    && (input.Unit === undefined || a.unit === input.Unit));
  return { MetricAlarms: found.map((a) => toMetricAlarm(ctx.scope, a)) };
};

/** DeleteAlarms: all of them or none. */
export const deleteAlarms: Handler<DeleteAlarmsCommandInput, Out<DeleteAlarmsCommandOutput>> = async (input, ctx) => {
  const names = input.AlarmNames ?? [];
  checkConstraints(names.length > 100 ? `Value at 'alarmNames' failed to satisfy constraint: Member must have length less than or equal to 100` : undefined);
  const found: AlarmDocument[] = [];
  const missing: string[] = [];
  for (const name of names) {
    const alarm = await findAlarm(ctx.tx, ctx.scope, name);
    if (alarm) found.push(alarm);
    else missing.push(name);
  }
  if (missing.length > 0) throw new ResourceNotFound(`The following alarms were not found: ${missing.join(', ')}`);
  for (const alarm of found) {
    await ctx.tx.documents.delete(ctx.scope, ALARM_KIND, alarm.name);
    await deleteHistory(ctx.tx, ctx.scope, alarm.name);
    await announce(ctx, alarm, true);
  }
  return {};
};

/** SetAlarmState: sets the state for testing; the actions of the new state run, and the next evaluation may change it back. */
export const setAlarmState: Handler<SetAlarmStateCommandInput, Out<SetAlarmStateCommandOutput>> = async (input, ctx) => {
  const name = input.AlarmName ?? '';
  checkConstraints(
    lengthConstraint('alarmName', name, 1, 255),
    enumConstraint('stateValue', input.StateValue, STATES),
    lengthConstraint('stateReason', input.StateReason ?? '', 0, 1023),
    input.StateReasonData !== undefined ? lengthConstraint('stateReasonData', input.StateReasonData, 0, 4000) : undefined,
  );
  if (input.StateReasonData !== undefined) {
    try {
      JSON.parse(input.StateReasonData);
    } catch {
      throw new ServiceError('InvalidFormatFault', 'Invalid JSON in StateReasonData.');
    }
  }
  const alarm = await findAlarm(ctx.tx, ctx.scope, name);
  if (!alarm) throw new ResourceNotFound(`Alarm ${name} not found`);
  await changeState(ctx.tx, ctx.scope, alarm, { value: input.StateValue as StateValue, reason: input.StateReason ?? '', reasonData: input.StateReasonData }, ctx.now);
  ctx.audit.resources.push({ type: 'AWS::CloudWatch::Alarm', arn: alarmArn(ctx.scope, name), name });
  return {};
};

async function setActionsEnabled(ctx: CallContext, names: readonly string[], enabled: boolean): Promise<void> {
  checkConstraints(names.length > 100 ? `Value at 'alarmNames' failed to satisfy constraint: Member must have length less than or equal to 100` : undefined);
  for (const name of names) {
    const alarm = await findAlarm(ctx.tx, ctx.scope, name);
    if (!alarm || alarm.actionsEnabled === enabled) continue;
    await saveAlarm(ctx.tx, ctx.scope, { ...alarm, actionsEnabled: enabled });
    await appendHistory(ctx.tx, ctx.scope, {
      alarmName: name,
      type: 'ConfigurationUpdate',
      summary: `Alarm "${name}" updated`,
      data: JSON.stringify({ version: '1.0', type: 'Update', updatedAlarm: { actionsEnabled: enabled } }),
      at: ctx.now,
    });
    const arn = alarmArn(ctx.scope, name);
    ctx.audit.resources.push({ type: 'AWS::CloudWatch::Alarm', arn, name });
    await recordResourceChange(ctx, { resourceType: 'AWS::CloudWatch::Alarm', resourceId: name, resourceName: name, arn });
  }
}

/** EnableAlarmActions. */
export const enableAlarmActions: Handler<EnableAlarmActionsCommandInput, Out<EnableAlarmActionsCommandOutput>> = async (input, ctx) => {
  await setActionsEnabled(ctx, input.AlarmNames ?? [], true);
  return {};
};

/** DisableAlarmActions. */
export const disableAlarmActions: Handler<DisableAlarmActionsCommandInput, Out<DisableAlarmActionsCommandOutput>> = async (input, ctx) => {
  await setActionsEnabled(ctx, input.AlarmNames ?? [], false);
  return {};
};
