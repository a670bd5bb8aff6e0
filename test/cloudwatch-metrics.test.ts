import {
  CloudWatchClient, GetMetricDataCommand, GetMetricStatisticsCommand, ListMetricsCommand, PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { AwsQueryProtocol, AwsSmithyRpcV2CborProtocol } from '@aws-sdk/core/protocols';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';
import { expectError, resetServer } from './helpers/assertions.js';
import { signedFetch } from './helpers/signed-fetch.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ logLevel: 'error' });
});
afterAll(() => server.stop());
beforeEach(() => resetServer(server));

const PROTOCOLS = [
  ['awsJson1_0', undefined],
  ['Smithy RPC v2 CBOR', AwsSmithyRpcV2CborProtocol],
  ['awsQuery', AwsQueryProtocol],
] as const;

const MINUTE = 60_000;

describe.each(PROTOCOLS)('CloudWatch metrics over %s', (_, protocol) => {
  // The JS SDK gzips large CBOR bodies but declares their uncompressed length (a client bug, seen
  // with @aws-sdk/client-cloudwatch 3.1164), so CBOR batches go uncompressed here.
  const client = () => new CloudWatchClient({
    ...server.clientConfig(), ...(protocol ? { protocol } : {}), disableRequestCompression: protocol === AwsSmithyRpcV2CborProtocol,
  });
  const base = () => Math.floor(Date.now() / MINUTE) * MINUTE - 10 * MINUTE;

  it('stores values, statistic sets and distributions and aggregates them per period', async () => {
    const cw = client();
    const t = base();
    await cw.send(new PutMetricDataCommand({
      Namespace: 'App',
      MetricData: [
        { MetricName: 'Latency', Dimensions: [{ Name: 'Host', Value: 'a' }], Timestamp: new Date(t), Value: 10, Unit: 'Milliseconds' },
        { MetricName: 'Latency', Dimensions: [{ Name: 'Host', Value: 'a' }], Timestamp: new Date(t + 20_000), Values: [20, 30], Counts: [1, 2], Unit: 'Milliseconds' },
        { MetricName: 'Latency', Dimensions: [{ Name: 'Host', Value: 'a' }], Timestamp: new Date(t + MINUTE), StatisticValues: { SampleCount: 4, Sum: 40, Minimum: 5, Maximum: 15 }, Unit: 'Milliseconds' },
        { MetricName: 'Latency', Dimensions: [{ Name: 'Host', Value: 'b' }], Timestamp: new Date(t), Value: 99 },
      ],
    }));
    const stats = await cw.send(new GetMetricStatisticsCommand({
      Namespace: 'App', MetricName: 'Latency', Dimensions: [{ Name: 'Host', Value: 'a' }],
      StartTime: new Date(t), EndTime: new Date(t + 5 * MINUTE), Period: 60, Statistics: ['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum'],
    }));
    expect(stats.Label).toBe('Latency');
    expect(stats.Datapoints!.sort((a, b) => a.Timestamp!.getTime() - b.Timestamp!.getTime())).toEqual([
      { Timestamp: new Date(t), SampleCount: 4, Sum: 90, Average: 22.5, Minimum: 10, Maximum: 30, Unit: 'Milliseconds' },
      { Timestamp: new Date(t + MINUTE), SampleCount: 4, Sum: 40, Average: 10, Minimum: 5, Maximum: 15, Unit: 'Milliseconds' },
    ]);
    const percentiles = await cw.send(new GetMetricStatisticsCommand({
      Namespace: 'App', MetricName: 'Latency', Dimensions: [{ Name: 'Host', Value: 'a' }],
      StartTime: new Date(t), EndTime: new Date(t + 5 * MINUTE), Period: 300, ExtendedStatistics: ['p50', 'p99'],
    }));
    expect(percentiles.Datapoints).toEqual([{ Timestamp: new Date(t), ExtendedStatistics: { p50: 20, p99: 30 }, Unit: 'Milliseconds' }]);

    const data = await cw.send(new GetMetricDataCommand({
      StartTime: new Date(t), EndTime: new Date(t + 5 * MINUTE),
      MetricDataQueries: [
        { Id: 'a', MetricStat: { Metric: { Namespace: 'App', MetricName: 'Latency', Dimensions: [{ Name: 'Host', Value: 'a' }] }, Period: 60, Stat: 'Sum' } },
        { Id: 'b', Label: 'host b', MetricStat: { Metric: { Namespace: 'App', MetricName: 'Latency', Dimensions: [{ Name: 'Host', Value: 'b' }] }, Period: 60, Stat: 'Maximum' } },
        { Id: 'hidden', ReturnData: false, MetricStat: { Metric: { Namespace: 'App', MetricName: 'Latency' }, Period: 60, Stat: 'Sum' } },
        { Id: 'math', Expression: 'a + b' },
      ],
    }));
    expect(data.MetricDataResults).toEqual([
      { Id: 'a', Label: 'Latency', Timestamps: [new Date(t + MINUTE), new Date(t)], Values: [40, 90], StatusCode: 'Complete' },
      { Id: 'b', Label: 'host b', Timestamps: [new Date(t)], Values: [99], StatusCode: 'Complete' },
      { Id: 'math', Label: 'math', Timestamps: [new Date(t + MINUTE), new Date(t)], Values: [40, 189], StatusCode: 'Complete' },
    ]);
    const paged = await cw.send(new GetMetricDataCommand({
      StartTime: new Date(t), EndTime: new Date(t + 5 * MINUTE), MaxDatapoints: 1, ScanBy: 'TimestampAscending',
      MetricDataQueries: [{ Id: 'a', MetricStat: { Metric: { Namespace: 'App', MetricName: 'Latency', Dimensions: [{ Name: 'Host', Value: 'a' }] }, Period: 60, Stat: 'Sum' } }],
    }));
    expect(paged.MetricDataResults![0]).toMatchObject({ Values: [90], StatusCode: 'PartialData' });
    const rest = await cw.send(new GetMetricDataCommand({
      StartTime: new Date(t), EndTime: new Date(t + 5 * MINUTE), MaxDatapoints: 1, ScanBy: 'TimestampAscending', NextToken: paged.NextToken,
      MetricDataQueries: [{ Id: 'a', MetricStat: { Metric: { Namespace: 'App', MetricName: 'Latency', Dimensions: [{ Name: 'Host', Value: 'a' }] }, Period: 60, Stat: 'Sum' } }],
    }));
    expect(rest.MetricDataResults![0]).toMatchObject({ Values: [40], StatusCode: 'Complete' });
    expect(rest.NextToken).toBeUndefined();

    const listed = await cw.send(new ListMetricsCommand({ Namespace: 'App', Dimensions: [{ Name: 'Host', Value: 'b' }] }));
    expect(listed.Metrics).toEqual([{ Namespace: 'App', MetricName: 'Latency', Dimensions: [{ Name: 'Host', Value: 'b' }] }]);
    expect((await cw.send(new ListMetricsCommand({ RecentlyActive: 'PT3H' }))).Metrics).toHaveLength(2);
  });

  it('accepts batches large enough for the SDK to gzip them', async () => {
    const cw = client();
    const t = base();
    const MetricData = Array.from({ length: 1000 }, (_, i) => ({ MetricName: 'Batch', Dimensions: [{ Name: 'Shard', Value: String(i % 4) }], Timestamp: new Date(t), Value: i }));
    await cw.send(new PutMetricDataCommand({ Namespace: 'App', MetricData }));
    const stats = await cw.send(new GetMetricStatisticsCommand({
      Namespace: 'App', MetricName: 'Batch', Dimensions: [{ Name: 'Shard', Value: '1' }], StartTime: new Date(t), EndTime: new Date(t + MINUTE), Period: 60, Statistics: ['SampleCount', 'Sum'],
    }));
    expect(stats.Datapoints).toMatchObject([{ SampleCount: 250, Sum: (1 + 997) * 250 / 2 }]);
  });

  it('answers bad input with CloudWatch errors and stores nothing', async () => {
    const cw = client();
    const now = new Date();
    const cases: [() => Promise<unknown>, string, string][] = [
      [() => cw.send(new PutMetricDataCommand({ Namespace: 'AWS/EC2', MetricData: [{ MetricName: 'm', Value: 1 }] })), 'InvalidParameterValue', 'The value AWS/EC2 for parameter Namespace is invalid.'],
      [() => cw.send(new PutMetricDataCommand({ Namespace: 'App', MetricData: [{ MetricName: 'm', Value: 1, StatisticValues: { SampleCount: 1, Sum: 1, Minimum: 1, Maximum: 1 } }] })), 'InvalidParameterCombination', 'The parameters MetricData.member.1.Value and MetricData.member.1.StatisticValues are mutually exclusive and you have specified both.'],
      [() => cw.send(new PutMetricDataCommand({ Namespace: 'App', MetricData: [{ MetricName: 'm', Values: [1, 2], Counts: [1] }] })), 'InvalidParameterValue', 'The parameters MetricData.member.1.Values and MetricData.member.1.Counts must be of the same size.'],
      [() => cw.send(new PutMetricDataCommand({ Namespace: 'App', MetricData: [{ MetricName: 'm', Value: 1, Timestamp: new Date(Date.now() + 3 * 3_600_000) }] })), 'InvalidParameterValue', 'must specify a time no more than two hours in the future'],
      [() => cw.send(new PutMetricDataCommand({ Namespace: 'App', MetricData: [{ MetricName: 'm', Value: 1, Unit: 'Parsecs' as never }] })), 'ValidationError', 'Member must satisfy enum value set'],
      [() => cw.send(new GetMetricStatisticsCommand({ Namespace: 'App', MetricName: 'm', StartTime: now, EndTime: new Date(now.getTime() - 1000), Period: 60, Statistics: ['Sum'] })), 'InvalidParameterValue', 'The parameter StartTime must be less than the parameter EndTime.'],
      [() => cw.send(new GetMetricStatisticsCommand({ Namespace: 'App', MetricName: 'm', StartTime: new Date(now.getTime() - 2 * 86_400_000), EndTime: now, Period: 60, Statistics: ['Sum'] })), 'InvalidParameterCombination', 'which exceeds the limit of 1,440'],
      [() => cw.send(new GetMetricStatisticsCommand({ Namespace: 'App', MetricName: 'm', StartTime: new Date(now.getTime() - 1000), EndTime: now, Period: 61, Statistics: ['Sum'] })), 'InvalidParameterValue', 'Period'],
      [() => cw.send(new GetMetricStatisticsCommand({ Namespace: 'App', MetricName: 'm', StartTime: new Date(now.getTime() - 1000), EndTime: now, Period: 60 })), 'InvalidParameterCombination', 'Must specify either Statistics or ExtendedStatistics, but not both.'],
      [() => cw.send(new GetMetricDataCommand({ StartTime: new Date(now.getTime() - 1000), EndTime: now, MetricDataQueries: [{ Id: 'Bad' , Expression: 'x' }] })), 'InvalidParameterValue', 'Ids must start with a lowercase letter'],
      [() => cw.send(new ListMetricsCommand({ NextToken: 'forged' })), 'InvalidNextToken', 'The NextToken is invalid.'],
    ];
    for (const [call, code, message] of cases) {
      const error = await call().then(() => undefined, (e: Error & { Code?: string; $metadata?: { httpStatusCode?: number } }) => e);
      expect(error, `${code}: ${message}`).toBeDefined();
      expect(error!.message).toContain(message);
      expect([error!.name, error!.Code, (error as { code?: string }).code]).toContain(code === 'ValidationError' && !protocol ? 'ValidationException' : code);
      expect(error!.$metadata?.httpStatusCode).toBe(400);
    }
    expect((await cw.send(new ListMetricsCommand({}))).Metrics).toEqual([]);
  });
});

describe('CloudWatch over awsQuery on the wire', () => {
  it('answers in the monitoring namespace with query error codes', async () => {
    const send = (body: string) => signedFetch({
      url: server.url, service: 'monitoring', credentials: server.credentials, method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body,
    });
    const ok = await send('Action=ListMetrics&Version=2010-08-01');
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('<ListMetricsResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/">');
    const bad = await send('Action=DescribeAlarms&Version=2010-08-01&StateValue=BAD');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('<Code>ValidationError</Code>');
    expect(bad.text).toContain('xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"');
    const missing = await send('Action=SetAlarmState&Version=2010-08-01&AlarmName=nope&StateValue=OK&StateReason=x');
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('<Code>ResourceNotFound</Code>');
  });
});

describe('compressed bodies', () => {
  it('answers a body that claims gzip but is not with SerializationException', async () => {
    const response = await signedFetch({
      url: server.url, service: 'monitoring', credentials: server.credentials, method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'GraniteServiceVersion20100801.ListMetrics', 'content-encoding': 'gzip' },
      body: '{}',
    });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text)).toEqual({ __type: 'SerializationException', message: 'The request body is not valid gzip.' });
  });
});

describe('CloudWatch errors over JSON', () => {
  it('carries the query code in x-amzn-query-error', async () => {
    const error = await expectError(new CloudWatchClient(server.clientConfig()).send(new ListMetricsCommand({ NextToken: 'forged' })), 'InvalidNextToken');
    expect(error.$metadata?.httpStatusCode).toBe(400);
  });
});
