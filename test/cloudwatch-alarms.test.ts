import {
  CloudWatchClient, DeleteAlarmsCommand, DescribeAlarmHistoryCommand, DescribeAlarmsCommand, DescribeAlarmsForMetricCommand,
  DisableAlarmActionsCommand, EnableAlarmActionsCommand, ListTagsForResourceCommand, PutMetricAlarmCommand, PutMetricDataCommand,
  SetAlarmStateCommand, TagResourceCommand, type PutMetricAlarmCommandInput,
} from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand, PutMetricFilterCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../src/core/clock.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { expectError, resetServer } from './helpers/assertions.js';
import { eventually } from './helpers/eventually.js';

/** The wall clock, plus an offset the test can move forward. */
class MovableClock implements Clock {
  offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
}

const clock = new MovableClock();
let server: TestServer;
let cw: CloudWatchClient;

beforeAll(async () => {
  server = await startTestServer({ alarmEvaluationInterval: 0.05 }, { clock });
  cw = new CloudWatchClient(server.clientConfig());
});
afterAll(() => server.stop());
beforeEach(async () => {
  clock.offset = 0;
  await resetServer(server);
});

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:security-alerts';

function alarm(overrides: Partial<PutMetricAlarmCommandInput> = {}): PutMetricAlarmCommandInput {
  return {
    AlarmName: 'errors', MetricName: 'Errors', Namespace: 'App', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1,
    Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', AlarmActions: [TOPIC], ...overrides,
  };
}

async function stateOf(name: string): Promise<string | undefined> {
  return (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name] }))).MetricAlarms?.[0]?.StateValue;
}

function reaches(name: string, state: string): Promise<true> {
  return eventually(async () => ((await stateOf(name)) === state ? true : undefined), `${name} to be ${state}`);
}

async function history(name: string, type?: 'StateUpdate' | 'Action' | 'ConfigurationUpdate') {
  return (await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: name, HistoryItemType: type }))).AlarmHistoryItems ?? [];
}

describe('alarm configuration', () => {
  it('creates alarms in INSUFFICIENT_DATA, describes, filters, tags and deletes them', async () => {
    await cw.send(new PutMetricAlarmCommand(alarm({ AlarmDescription: 'app errors', Tags: [{ Key: 'team', Value: 'sec' }], Dimensions: [{ Name: 'Service', Value: 'api' }] })));
    await cw.send(new PutMetricAlarmCommand(alarm({ AlarmName: 'latency', MetricName: 'Latency', Statistic: undefined, ExtendedStatistic: 'p99', Threshold: 500, AlarmActions: [] })));
    const described = await cw.send(new DescribeAlarmsCommand({}));
    expect(described.MetricAlarms!.map((a) => a.AlarmName)).toEqual(['errors', 'latency']);
    expect(described.MetricAlarms![0]).toMatchObject({
      AlarmName: 'errors', AlarmArn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:errors', AlarmDescription: 'app errors',
      StateValue: 'INSUFFICIENT_DATA', StateReason: 'Unchecked: Initial alarm creation', ActionsEnabled: true, AlarmActions: [TOPIC],
      Dimensions: [{ Name: 'Service', Value: 'api' }], Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1,
    });
    expect(described.CompositeAlarms).toEqual([]);
    expect((await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'lat' }))).MetricAlarms!.map((a) => a.AlarmName)).toEqual(['latency']);
    expect((await cw.send(new DescribeAlarmsCommand({ ActionPrefix: 'arn:aws:sns:' }))).MetricAlarms!.map((a) => a.AlarmName)).toEqual(['errors']);
    expect((await cw.send(new DescribeAlarmsCommand({ StateValue: 'ALARM' }))).MetricAlarms).toEqual([]);
    expect((await cw.send(new DescribeAlarmsCommand({ AlarmTypes: ['CompositeAlarm'] }))).MetricAlarms).toEqual([]);
    const paged = await cw.send(new DescribeAlarmsCommand({ MaxRecords: 1 }));
    expect((await cw.send(new DescribeAlarmsCommand({ MaxRecords: 1, NextToken: paged.NextToken }))).MetricAlarms!.map((a) => a.AlarmName)).toEqual(['latency']);
    expect((await cw.send(new DescribeAlarmsForMetricCommand({ Namespace: 'App', MetricName: 'Latency' }))).MetricAlarms!.map((a) => a.AlarmName)).toEqual(['latency']);
    const arn = described.MetricAlarms![0]!.AlarmArn!;
    await cw.send(new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: 'env', Value: 'prod' }] }));
    expect((await cw.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags).toEqual([{ Key: 'team', Value: 'sec' }, { Key: 'env', Value: 'prod' }]);
    expect((await history('errors', 'ConfigurationUpdate'))[0]).toMatchObject({ HistorySummary: 'Alarm "errors" created', AlarmType: 'MetricAlarm' });
    await cw.send(new DeleteAlarmsCommand({ AlarmNames: ['errors', 'latency'] }));
    expect((await cw.send(new DescribeAlarmsCommand({}))).MetricAlarms).toEqual([]);
  });

  it.each([
    ['no statistic', { Statistic: undefined }, 'InvalidParameterCombination', 'Exactly one element of the Statistic and ExtendedStatistic parameters must be specified.'],
    ['both statistics', { ExtendedStatistic: 'p90' }, 'InvalidParameterCombination', 'Exactly one element of the Statistic and ExtendedStatistic parameters must be specified.'],
    ['a bad period', { Period: 45 }, 'InvalidParameterValue', 'Period'],
    ['too many datapoints to alarm', { DatapointsToAlarm: 2 }, 'InvalidParameterValue', 'DatapointsToAlarm'],
    ['a bad operator', { ComparisonOperator: 'Bigger' as never }, 'ValidationError', "Value 'Bigger' at 'comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set"],
    ['a bad action', { AlarmActions: ['not-an-arn'] }, 'InvalidParameterValue', 'Invalid arn syntax: not-an-arn'],
    ['no evaluation periods', { EvaluationPeriods: undefined }, 'ValidationError', "Value null at 'evaluationPeriods' failed to satisfy constraint: Member must not be null"],
    ['metrics beside a metric name', { Metrics: [{ Id: 'm1', Expression: 'SUM(METRICS())' }] }, 'InvalidParameterCombination', 'cannot be used with Metrics'],
    ['a bad treatment of missing data', { TreatMissingData: 'sometimes' }, 'ValidationError', 'treatMissingData'],
  ])('rejects %s', async (_, overrides, code, message) => {
    const error = await cw.send(new PutMetricAlarmCommand(alarm(overrides as Partial<PutMetricAlarmCommandInput>))).then(() => undefined, (e: Error & { Code?: string }) => e);
    expect(error?.message).toContain(message);
    expect([error?.name, error?.Code]).toContain(code === 'ValidationError' ? 'ValidationException' : code.endsWith('Combination') || code.endsWith('Value') ? `${code}Exception` : code);
    expect((await cw.send(new DescribeAlarmsCommand({}))).MetricAlarms).toEqual([]);
  });

  it('answers unknown alarms and bad states with CloudWatch errors', async () => {
    await expectError(cw.send(new SetAlarmStateCommand({ AlarmName: 'nope', StateValue: 'ALARM', StateReason: 'x' })), 'ResourceNotFound', 'Alarm nope not found');
    await expectError(cw.send(new DeleteAlarmsCommand({ AlarmNames: ['nope'] })), 'ResourceNotFound', 'The following alarms were not found: nope');
    await cw.send(new PutMetricAlarmCommand(alarm()));
    await expectError(cw.send(new SetAlarmStateCommand({ AlarmName: 'errors', StateValue: 'ALARM', StateReason: 'x', StateReasonData: '{not json' })), 'InvalidFormatFault');
    await expectError(cw.send(new DescribeAlarmsCommand({ AlarmNames: ['a'], AlarmNamePrefix: 'a' })), 'InvalidParameterCombinationException');
    await expectError(cw.send(new DescribeAlarmHistoryCommand({ NextToken: 'forged' })), 'InvalidNextToken');
  });
});

describe('state changes and actions', () => {
  it('SetAlarmState changes the state, writes history and runs the actions as cloudwatch.amazonaws.com', async () => {
    await cw.send(new PutMetricAlarmCommand(alarm({ MetricName: 'Quiet' })));
    await cw.send(new SetAlarmStateCommand({ AlarmName: 'errors', StateValue: 'ALARM', StateReason: 'testing', StateReasonData: '{"a":1}' }));
    // The next evaluation (no data: INSUFFICIENT_DATA) may already have changed it back, as on AWS.
    const update = (await history('errors', 'StateUpdate')).find((h) => h.HistorySummary === 'Alarm updated from INSUFFICIENT_DATA to ALARM');
    expect(JSON.parse(update!.HistoryData!)).toMatchObject({ oldState: { stateValue: 'INSUFFICIENT_DATA' }, newState: { stateValue: 'ALARM', stateReason: 'testing', stateReasonData: { a: 1 } } });
    // The publish goes through the pipeline: with or without SNS present, it is recorded in the
    // alarm's history and in CloudTrail, made by the CloudWatch service principal.
    const action = await eventually(async () => (await history('errors', 'Action'))[0], 'the action history item');
    expect(action.HistorySummary).toContain(TOPIC);
    const publish = await eventually(async () => {
      const found = await new CloudTrailClient(server.clientConfig()).send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'Publish' }] }));
      return found.Events?.map((e) => JSON.parse(e.CloudTrailEvent!))[0];
    }, 'the Publish record');
    expect(publish).toMatchObject({ eventSource: 'sns.amazonaws.com', userIdentity: { type: 'AWSService', invokedBy: 'cloudwatch.amazonaws.com' } });
    // The message itself is checked in src/services/monitoring/alarm-notification.test.ts; the
    // end-to-end check of its delivery to an SNS subscription waits for SNS.
  });

  it('does not run actions while they are disabled', async () => {
    await cw.send(new PutMetricAlarmCommand(alarm({ MetricName: 'Quiet' })));
    await cw.send(new DisableAlarmActionsCommand({ AlarmNames: ['errors'] }));
    expect((await cw.send(new DescribeAlarmsCommand({}))).MetricAlarms![0]!.ActionsEnabled).toBe(false);
    await cw.send(new SetAlarmStateCommand({ AlarmName: 'errors', StateValue: 'ALARM', StateReason: 'quiet' }));
    await cw.send(new EnableAlarmActionsCommand({ AlarmNames: ['errors'] }));
    await cw.send(new SetAlarmStateCommand({ AlarmName: 'errors', StateValue: 'OK', StateReason: 'calm' }));
    expect(await history('errors', 'Action')).toEqual([]);
  });
});

describe('evaluation', () => {
  it('alarms as soon as a breaching datapoint arrives, and returns to OK when the data says so', async () => {
    await cw.send(new PutMetricAlarmCommand(alarm({ AlarmActions: [] })));
    await cw.send(new PutMetricDataCommand({ Namespace: 'App', MetricData: [{ MetricName: 'Errors', Value: 3 }] }));
    await reaches('errors', 'ALARM');
    const [update] = await history('errors', 'StateUpdate');
    expect(update!.HistorySummary).toBe('Alarm updated from INSUFFICIENT_DATA to ALARM');
    expect((await cw.send(new DescribeAlarmsCommand({}))).MetricAlarms![0]!.StateReason).toMatch(/^Threshold Crossed: 1 datapoint \[3\.0 \(.*\)\] was greater than or equal to the threshold \(1\.0\)\.$/);
    await cw.send(new PutMetricAlarmCommand(alarm({ AlarmActions: [], Threshold: 5 })));
    await reaches('errors', 'OK');
  });

  it('judges 10-second alarms on high-resolution data', async () => {
    await cw.send(new PutMetricAlarmCommand(alarm({ AlarmName: 'fast', Period: 10, Statistic: 'Maximum', Threshold: 90, ComparisonOperator: 'GreaterThanThreshold', AlarmActions: [] })));
    await cw.send(new PutMetricDataCommand({ Namespace: 'App', MetricData: [{ MetricName: 'Errors', Value: 95, StorageResolution: 1 }] }));
    await reaches('fast', 'ALARM');
  });

  it('turns silence into missing data on the schedule, treated as the alarm says', async () => {
    await cw.send(new PutMetricAlarmCommand(alarm({ AlarmName: 'silent-breaching', TreatMissingData: 'breaching', AlarmActions: [] })));
    await cw.send(new PutMetricAlarmCommand(alarm({ AlarmName: 'silent-missing', AlarmActions: [] })));
    await cw.send(new PutMetricAlarmCommand(alarm({ AlarmName: 'silent-ignore', TreatMissingData: 'ignore', AlarmActions: [] })));
    await cw.send(new PutMetricDataCommand({ Namespace: 'App', MetricData: [{ MetricName: 'Errors', Value: 0 }] }));
    await reaches('silent-breaching', 'OK');
    await reaches('silent-missing', 'OK');
    await reaches('silent-ignore', 'OK');
    clock.offset = 3 * 60_000;
    await reaches('silent-breaching', 'ALARM');
    await reaches('silent-missing', 'INSUFFICIENT_DATA');
    expect(await stateOf('silent-ignore')).toBe('OK');
  });
});

describe('alarms on metric math', () => {
  const queries = (expression: string, returning = { m1: false, m2: false }): PutMetricAlarmCommandInput['Metrics'] => [
    { Id: 'm1', MetricStat: { Metric: { Namespace: 'App', MetricName: 'Errors' }, Period: 60, Stat: 'Sum' }, ReturnData: returning.m1 },
    { Id: 'm2', MetricStat: { Metric: { Namespace: 'App', MetricName: 'Requests' }, Period: 60, Stat: 'Sum' }, ReturnData: returning.m2 },
    { Id: 'e1', Expression: expression, Label: 'error rate' },
  ];
  const mathAlarm = (overrides: Partial<PutMetricAlarmCommandInput> = {}): PutMetricAlarmCommandInput => ({
    AlarmName: 'error-rate', Metrics: queries('m1 / m2 * 100'), EvaluationPeriods: 1, Threshold: 50,
    ComparisonOperator: 'GreaterThanThreshold', AlarmActions: [TOPIC], ...overrides,
  });
  const put = (name: string, value: number) => cw.send(new PutMetricDataCommand({
    Namespace: 'App', MetricData: [{ MetricName: name, Value: value, Timestamp: new Date(Math.floor(Date.now() / 60_000) * 60_000) }],
  }));

  it('judges the expression over the evaluation window and runs the actions when it crosses the threshold', async () => {
    await cw.send(new PutMetricAlarmCommand(mathAlarm()));
    expect((await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['error-rate'] }))).MetricAlarms![0]).toMatchObject({
      Metrics: [{ Id: 'm1' }, { Id: 'm2' }, { Id: 'e1', Expression: 'm1 / m2 * 100' }], Threshold: 50, StateValue: 'INSUFFICIENT_DATA',
    });
    await put('Requests', 10);
    await put('Errors', 1);
    await reaches('error-rate', 'OK');
    await put('Errors', 9);
    await reaches('error-rate', 'ALARM');
    const described = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['error-rate'] }))).MetricAlarms![0]!;
    expect(described.StateReason).toMatch(/^Threshold Crossed: 1 datapoint \[100\.0 \(.*\)\] was greater than the threshold \(50\.0\)\.$/);
    const reasonData = JSON.parse(described.StateReasonData!) as Record<string, unknown>;
    expect(reasonData).toMatchObject({ period: 60, recentDatapoints: [100], threshold: 50 });
    expect(reasonData).not.toHaveProperty('statistic');
    const action = await eventually(async () => (await history('error-rate', 'Action'))[0], 'the action history item');
    expect(action.HistorySummary).toContain(TOPIC);
  });

  it('treats periods the expression has no value for as missing data', async () => {
    await cw.send(new PutMetricAlarmCommand(mathAlarm({ AlarmName: 'filled', Metrics: queries('FILL(m1, 0) + 60'), TreatMissingData: 'notBreaching', AlarmActions: [] })));
    await reaches('filled', 'ALARM');
    await cw.send(new PutMetricAlarmCommand(mathAlarm({ AlarmName: 'sparse', Metrics: queries('m1 + 60'), AlarmActions: [] })));
    await reaches('sparse', 'INSUFFICIENT_DATA');
    await put('Errors', 1);
    await reaches('sparse', 'ALARM');
  });

  it.each([
    ['two queries returning data', { Metrics: queries('m1 + m2', { m1: true, m2: false }) }, 'Exactly one element of the metrics list should return data.'],
    ['a malformed expression', { Metrics: queries('m1 / (m2 * 100') }, "Error in expression 'e1': Invalid syntax"],
    ['an unknown id', { Metrics: queries('m1 / m3') }, "Error in expression 'e1': Unrecognized identifier m3"],
    ['an expression that returns several series', { Metrics: queries('METRICS() * 100') }, 'Metrics expression that return multi time series are only allowed for MetricsInsights expression with an ORDER BY clause'],
  ])('rejects %s with a ValidationError', async (_, overrides, message) => {
    const error = await cw.send(new PutMetricAlarmCommand(mathAlarm(overrides))).then(() => undefined, (e: Error & { $metadata?: { httpStatusCode?: number } }) => e);
    expect(error?.name).toBe('ValidationException');
    expect(error?.message).toBe(message);
    expect(error?.$metadata?.httpStatusCode).toBe(400);
    expect((await cw.send(new DescribeAlarmsCommand({}))).MetricAlarms).toEqual([]);
  });
});

const REAL_DATA = fileURLToPath(new URL('../../shared/data/cloudtrail-logs/', import.meta.url));

describe('the CIS AWS Foundations monitoring recipe (3.1, unauthorized API calls), up to SNS', () => {
  it('alarms within seconds of a denied call reaching the trail log group, and publishes to the topic', async () => {
    const records = readdirSync(REAL_DATA).filter((f) => f.endsWith('.json')).sort()
      .flatMap((f) => (JSON.parse(readFileSync(REAL_DATA + f, 'utf8')) as { Records: Record<string, unknown>[] }).Records);
    const denied = records.filter((r) => typeof r.errorCode === 'string' && (r.errorCode.endsWith('UnauthorizedOperation') || r.errorCode.startsWith('AccessDenied')));
    const allowed = records.filter((r) => r.errorCode === undefined).slice(0, 50);
    expect(denied.length).toBeGreaterThan(0);

    const logs = new CloudWatchLogsClient(server.clientConfig());
    const group = 'CloudTrail/DefaultLogGroup';
    const stream = '123456789012_CloudTrail_us-east-1';
    await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
    await logs.send(new PutMetricFilterCommand({
      logGroupName: group, filterName: 'unauthorized_api_calls_metric',
      filterPattern: '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }',
      metricTransformations: [{ metricName: 'unauthorized_api_calls_metric', metricNamespace: 'CISBenchmark', metricValue: '1' }],
    }));
    await cw.send(new PutMetricAlarmCommand({
      AlarmName: 'unauthorized_api_calls_alarm', MetricName: 'unauthorized_api_calls_metric', Namespace: 'CISBenchmark', Statistic: 'Sum',
      Period: 300, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', EvaluationPeriods: 1, AlarmActions: [TOPIC],
    }));

    const put = async (batch: Record<string, unknown>[]) => {
      const now = Date.now();
      await logs.send(new PutLogEventsCommand({
        logGroupName: group, logStreamName: stream,
        logEvents: batch.map((record, i) => ({ timestamp: now + i, message: JSON.stringify({ ...record, eventTime: new Date(now + i).toISOString().slice(0, 19) + 'Z' }) })),
      }));
    };
    await put(allowed);
    expect(await stateOf('unauthorized_api_calls_alarm')).toBe('INSUFFICIENT_DATA');
    await put([denied[0]!]);
    await reaches('unauthorized_api_calls_alarm', 'ALARM');
    const [described] = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['unauthorized_api_calls_alarm'] }))).MetricAlarms!;
    expect(described!.StateReason).toMatch(/^Threshold Crossed: 1 datapoint \[1\.0 /);
    const action = await eventually(async () => (await history('unauthorized_api_calls_alarm', 'Action'))[0], 'the SNS action');
    expect(action.HistorySummary).toContain(TOPIC);
  });
});
