import { CloudWatchClient, GetMetricDataCommand, PutMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { AwsQueryProtocol, AwsSmithyRpcV2CborProtocol } from '@aws-sdk/core/protocols';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';
import { resetServer } from './helpers/assertions.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ logLevel: 'error' });
});
afterAll(() => server.stop());
beforeEach(() => resetServer(server));

const MINUTE = 60_000;
const PROTOCOLS = [
  ['awsJson1_0', undefined],
  ['Smithy RPC v2 CBOR', AwsSmithyRpcV2CborProtocol],
  ['awsQuery', AwsQueryProtocol],
] as const;

const metric = (id: string, name: string, extra: Partial<MetricDataQuery> = {}): MetricDataQuery => ({
  Id: id, MetricStat: { Metric: { Namespace: 'Shop', MetricName: name }, Period: 60, Stat: 'Sum' }, ReturnData: false, ...extra,
});

describe.each(PROTOCOLS)('metric math in GetMetricData over %s', (_, protocol) => {
  const client = () => new CloudWatchClient({ ...server.clientConfig(), ...(protocol ? { protocol } : {}) });
  const t = Math.floor(Date.now() / MINUTE) * MINUTE - 10 * MINUTE;
  const at = (minute: number) => new Date(t + minute * MINUTE);

  async function putData(cw: CloudWatchClient): Promise<void> {
    // Errors: 5 at minute 0, 20 at minute 2; Requests: 10 at minutes 0, 1 and 2, 40 at minute 3.
    await cw.send(new PutMetricDataCommand({
      Namespace: 'Shop',
      MetricData: [
        { MetricName: 'Errors', Timestamp: at(0), Value: 5 },
        { MetricName: 'Errors', Timestamp: at(2), Value: 20 },
        ...[0, 1, 2].map((m) => ({ MetricName: 'Requests', Timestamp: at(m), Value: 10 })),
        { MetricName: 'Requests', Timestamp: at(3), Value: 40 },
      ],
    }));
  }

  async function query(cw: CloudWatchClient, expressions: MetricDataQuery[], extra: { ScanBy?: 'TimestampAscending'; MaxDatapoints?: number; NextToken?: string } = {}) {
    return cw.send(new GetMetricDataCommand({
      StartTime: at(0), EndTime: at(5), ScanBy: 'TimestampAscending', ...extra,
      MetricDataQueries: [metric('m1', 'Errors'), metric('m2', 'Requests'), ...expressions],
    }));
  }

  it('evaluates arithmetic, SUM(METRICS()), FILL, RATE and IF over the stored series', async () => {
    const cw = client();
    await putData(cw);
    const out = await query(cw, [
      { Id: 'total', Expression: 'm1 + m2', Label: 'all' },
      { Id: 'summed', Expression: 'SUM(METRICS())' },
      { Id: 'filled', Expression: 'FILL(m1, 0)' },
      { Id: 'rate', Expression: 'RATE(m2)' },
      { Id: 'high', Expression: 'IF(m1 > 10, 1, 0)' },
      { Id: 'ratio', Expression: 'm1 / m2 * 100', ReturnData: false },
      { Id: 'pct', Expression: 'ratio - 50' },
    ]);
    expect(out.MetricDataResults).toEqual([
      { Id: 'total', Label: 'all', Timestamps: [at(0), at(1), at(2), at(3)], Values: [15, 10, 30, 40], StatusCode: 'Complete' },
      { Id: 'summed', Label: 'summed', Timestamps: [at(0), at(1), at(2), at(3)], Values: [15, 10, 30, 40], StatusCode: 'Complete' },
      { Id: 'filled', Label: 'filled', Timestamps: [at(0), at(1), at(2), at(3), at(4)], Values: [5, 0, 20, 0, 0], StatusCode: 'Complete' },
      { Id: 'rate', Label: 'rate', Timestamps: [at(1), at(2), at(3)], Values: [0, 0, 0.5], StatusCode: 'Complete' },
      { Id: 'high', Label: 'high', Timestamps: [at(0), at(2)], Values: [0, 1], StatusCode: 'Complete' },
      { Id: 'pct', Label: 'pct', Timestamps: [at(0), at(1), at(2), at(3)], Values: [0, -50, 150, -50], StatusCode: 'Complete' },
    ]);
  });

  it('answers an array of series one result each, labelled after the expression, and pages across them', async () => {
    const cw = client();
    await putData(cw);
    const queries: MetricDataQuery[] = [{ Id: 'doubled', Expression: 'METRICS() * 2', Label: 'x2' }];
    const out = await query(cw, queries);
    expect(out.MetricDataResults!.map((r) => [r.Id, r.Label, r.Values])).toEqual([
      ['doubled', 'x2 Errors', [10, 40]],
      ['doubled', 'x2 Requests', [20, 20, 20, 80]],
    ]);
    const newest = await cw.send(new GetMetricDataCommand({
      StartTime: at(0), EndTime: at(5), MaxDatapoints: 3,
      MetricDataQueries: [metric('m1', 'Errors'), metric('m2', 'Requests'), ...queries],
    }));
    expect(newest.MetricDataResults!.map((r) => [r.Label, r.Values, r.StatusCode])).toEqual([
      ['x2 Errors', [40, 10], 'Complete'],
      ['x2 Requests', [80], 'PartialData'],
    ]);
    const rest = await cw.send(new GetMetricDataCommand({
      StartTime: at(0), EndTime: at(5), MaxDatapoints: 3, NextToken: newest.NextToken,
      MetricDataQueries: [metric('m1', 'Errors'), metric('m2', 'Requests'), ...queries],
    }));
    expect(rest.MetricDataResults!.map((r) => [r.Label, r.Values, r.StatusCode])).toEqual([['x2 Requests', [20, 20, 20], 'Complete']]);
    expect(rest.NextToken).toBeUndefined();
  });

  it.each([
    ['m1 +', "Error in expression 'e1': Invalid syntax"],
    ['NOPE(m1)', "Error in expression 'e1': Function 'NOPE' not found"],
    ['m1 + m7', "Error in expression 'e1': Unrecognized identifier m7"],
    ['AVG(m1)', "Error in expression 'e1': The final result of an expression must be a time series or an array of time series"],
  ])('rejects %j with a ValidationError', async (expression, message) => {
    const cw = client();
    const error = await query(cw, [{ Id: 'e1', Expression: expression }]).then(() => undefined, (e: Error & { Code?: string; $metadata?: { httpStatusCode?: number } }) => e);
    expect(error?.message).toBe(message);
    expect([error?.name, error?.Code]).toContain(protocol ? 'ValidationError' : 'ValidationException');
    expect(error?.$metadata?.httpStatusCode).toBe(400);
  });

  it('rejects expressions that depend on each other in a cycle', async () => {
    const error = await query(client(), [{ Id: 'a', Expression: 'b + m1' }, { Id: 'b', Expression: 'a * 2' }]).then(() => undefined, (e: Error) => e);
    expect(error?.message).toBe("Error in expression 'b': Circular dependency on a");
  });
});
