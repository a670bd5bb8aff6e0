import {
  CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, DeleteLogGroupCommand, DeleteLogStreamCommand,
  DeleteMetricFilterCommand, DeleteRetentionPolicyCommand, DescribeLogGroupsCommand, DescribeLogStreamsCommand,
  DescribeMetricFiltersCommand, FilterLogEventsCommand, GetLogEventsCommand, ListTagsForResourceCommand, ListTagsLogGroupCommand,
  PutLogEventsCommand, PutMetricFilterCommand, PutRetentionPolicyCommand, TagResourceCommand, TestMetricFilterCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CloudWatchClient, GetMetricStatisticsCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { servicePrincipal } from '../src/auth/principal.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { expectError, resetServer } from './helpers/assertions.js';

let server: TestServer;
let logs: CloudWatchLogsClient;

beforeAll(async () => {
  server = await startTestServer();
  logs = new CloudWatchLogsClient(server.clientConfig());
});
afterAll(() => server.stop());
beforeEach(() => resetServer(server));

const DAY = 86_400_000;
const groupArn = (name: string) => `arn:aws:logs:us-east-1:123456789012:log-group:${name}`;

async function groupWithStream(group = 'app', stream = 's1'): Promise<void> {
  await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
}

async function put(messages: string[], options: { group?: string; stream?: string; at?: number } = {}): Promise<void> {
  const at = options.at ?? Date.now();
  await logs.send(new PutLogEventsCommand({
    logGroupName: options.group ?? 'app', logStreamName: options.stream ?? 's1',
    logEvents: messages.map((message, i) => ({ timestamp: at + i, message })),
  }));
}

describe('log groups', () => {
  it('creates, describes (prefix, pattern, paging) and deletes groups', async () => {
    for (const name of ['/aws/app-a', '/aws/app-b', 'other', 'Team.Logs#1']) {
      await logs.send(new CreateLogGroupCommand({ logGroupName: name, tags: name === 'other' ? { team: 'sec' } : undefined }));
    }
    const all = await logs.send(new DescribeLogGroupsCommand({}));
    expect(all.logGroups!.map((g) => g.logGroupName)).toEqual(['/aws/app-a', '/aws/app-b', 'Team.Logs#1', 'other']);
    expect(all.logGroups![0]).toMatchObject({
      arn: `${groupArn('/aws/app-a')}:*`, logGroupArn: groupArn('/aws/app-a'), metricFilterCount: 0, storedBytes: 0, logGroupClass: 'STANDARD',
    });
    expect(all.logGroups![0]!.retentionInDays).toBeUndefined();
    expect((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/' }))).logGroups!.map((g) => g.logGroupName)).toEqual(['/aws/app-a', '/aws/app-b']);
    expect((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePattern: 'LOGS' }))).logGroups!.map((g) => g.logGroupName)).toEqual(['Team.Logs#1']);
    const first = await logs.send(new DescribeLogGroupsCommand({ limit: 3 }));
    expect(first.logGroups).toHaveLength(3);
    const second = await logs.send(new DescribeLogGroupsCommand({ limit: 3, nextToken: first.nextToken }));
    expect(second.logGroups!.map((g) => g.logGroupName)).toEqual(['other']);
    expect(second.nextToken).toBeUndefined();
    expect((await logs.send(new ListTagsLogGroupCommand({ logGroupName: 'other' }))).tags).toEqual({ team: 'sec' });
    await logs.send(new DeleteLogGroupCommand({ logGroupName: 'other' }));
    expect((await logs.send(new DescribeLogGroupsCommand({}))).logGroups).toHaveLength(3);
  });

  it('answers bad input with CloudWatch Logs errors', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'dup' }));
    await expectError(logs.send(new CreateLogGroupCommand({ logGroupName: 'dup' })), 'ResourceAlreadyExistsException', 'The specified log group already exists');
    await expectError(logs.send(new CreateLogGroupCommand({ logGroupName: 'bad name' })), 'InvalidParameterException',
      "1 validation error detected: Value 'bad name' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+");
    await expectError(logs.send(new CreateLogGroupCommand({ logGroupName: 'x'.repeat(513) })), 'InvalidParameterException', 'Member must have length less than or equal to 512');
    await expectError(logs.send(new CreateLogGroupCommand({} as never)), 'InvalidParameterException', "Value null at 'logGroupName' failed to satisfy constraint: Member must not be null");
    await expectError(logs.send(new CreateLogGroupCommand({ logGroupName: 't', tags: { 'aws:x': 'y' } })), 'InvalidParameterException');
    await expectError(logs.send(new DeleteLogGroupCommand({ logGroupName: 'missing' })), 'ResourceNotFoundException', 'The specified log group does not exist.');
    await expectError(logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'a', logGroupNamePattern: 'b' })), 'InvalidParameterException', 'mutually exclusive');
    await expectError(logs.send(new DescribeLogGroupsCommand({ limit: 51 })), 'InvalidParameterException', 'Member must have value less than or equal to 50');
    await expectError(logs.send(new DescribeLogGroupsCommand({ nextToken: 'forged' })), 'InvalidParameterException', 'The specified nextToken is invalid.');
    const err = await expectError(logs.send(new PutRetentionPolicyCommand({ logGroupName: 'dup', retentionInDays: 2 })), 'InvalidParameterException',
      "Value '2' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [1, 3, 5, 7, 14, 30");
    expect(err.$metadata?.httpStatusCode).toBe(400);
    expect((await logs.send(new DescribeLogGroupsCommand({}))).logGroups!.map((g) => g.logGroupName)).toEqual(['dup']);
  });

  it('keeps tags by ARN and by name', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'tagged', tags: { a: '1' } }));
    await logs.send(new TagResourceCommand({ resourceArn: groupArn('tagged'), tags: { b: '2' } }));
    await logs.send(new UntagResourceCommand({ resourceArn: groupArn('tagged'), tagKeys: ['a'] }));
    expect((await logs.send(new ListTagsForResourceCommand({ resourceArn: groupArn('tagged') }))).tags).toEqual({ b: '2' });
    await expectError(logs.send(new ListTagsForResourceCommand({ resourceArn: groupArn('nope') })), 'ResourceNotFoundException');
    await expectError(logs.send(new TagResourceCommand({ resourceArn: groupArn('tagged'), tags: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v'])) })), 'TooManyTagsException');
  });
});

describe('streams and events', () => {
  it('creates streams, stores events and reports stream statistics', async () => {
    await groupWithStream();
    await expectError(logs.send(new CreateLogStreamCommand({ logGroupName: 'app', logStreamName: 's1' })), 'ResourceAlreadyExistsException', 'The specified log stream already exists');
    await expectError(logs.send(new CreateLogStreamCommand({ logGroupName: 'nope', logStreamName: 's1' })), 'ResourceNotFoundException', 'The specified log group does not exist.');
    await expectError(logs.send(new CreateLogStreamCommand({ logGroupName: 'app', logStreamName: 'a:b' })), 'InvalidParameterException', 'Member must satisfy regular expression pattern: [^:*]*');
    const at = Date.now() - 1000;
    const result = await logs.send(new PutLogEventsCommand({ logGroupName: 'app', logStreamName: 's1', logEvents: [{ timestamp: at, message: 'one' }, { timestamp: at + 5, message: 'two' }] }));
    expect(result.nextSequenceToken).toMatch(/^\d{56}$/);
    expect(result.rejectedLogEventsInfo).toBeUndefined();
    const [stream] = (await logs.send(new DescribeLogStreamsCommand({ logGroupName: 'app' }))).logStreams!;
    expect(stream).toMatchObject({ logStreamName: 's1', firstEventTimestamp: at, lastEventTimestamp: at + 5, arn: `${groupArn('app')}:log-stream:s1` });
    expect(stream!.lastIngestionTime).toBeGreaterThanOrEqual(at);
    expect((await logs.send(new DescribeLogGroupsCommand({}))).logGroups![0]!.storedBytes).toBe(6);
  });

  it('rejects events that are too old or too new, and broken batches, without storing anything of a broken batch', async () => {
    await groupWithStream();
    const now = Date.now();
    const old = await logs.send(new PutLogEventsCommand({
      logGroupName: 'app', logStreamName: 's1',
      logEvents: [{ timestamp: now - 14 * DAY - 2000, message: 'ancient' }, { timestamp: now - 14 * DAY - 1000, message: 'old' }, { timestamp: now - 14 * DAY + 60_000, message: 'kept' }],
    }));
    expect(old.rejectedLogEventsInfo).toEqual({ tooOldLogEventEndIndex: 2 });
    const future = await logs.send(new PutLogEventsCommand({
      logGroupName: 'app', logStreamName: 's1', logEvents: [{ timestamp: now, message: 'ok' }, { timestamp: now + 3 * 3_600_000, message: 'future' }],
    }));
    expect(future.rejectedLogEventsInfo).toEqual({ tooNewLogEventStartIndex: 1 });
    await expectError(logs.send(new PutLogEventsCommand({ logGroupName: 'app', logStreamName: 's1', logEvents: [{ timestamp: now, message: 'b' }, { timestamp: now - 1, message: 'a' }] })),
      'InvalidParameterException', 'Log events in a single PutLogEvents request must be in chronological order.');
    await expectError(logs.send(new PutLogEventsCommand({ logGroupName: 'app', logStreamName: 's1', logEvents: [{ timestamp: now - DAY - 1, message: 'a' }, { timestamp: now, message: 'b' }] })),
      'InvalidParameterException', 'cannot span more than 24 hours');
    await expectError(logs.send(new PutLogEventsCommand({ logGroupName: 'app', logStreamName: 's1', logEvents: [] })), 'InvalidParameterException', "Value '[]' at 'logEvents'");
    await expectError(logs.send(new PutLogEventsCommand({ logGroupName: 'app', logStreamName: 's1', logEvents: [{ timestamp: now, message: 'x'.repeat(1_048_576) }] })),
      'InvalidParameterException', 'Upload too large: 1048602 bytes exceeds limit of 1048576');
    await expectError(logs.send(new PutLogEventsCommand({ logGroupName: 'app', logStreamName: 'nope', logEvents: [{ timestamp: now, message: 'x' }] })),
      'ResourceNotFoundException', 'The specified log stream does not exist.');
    const events = (await logs.send(new GetLogEventsCommand({ logGroupName: 'app', logStreamName: 's1' }))).events!;
    expect(events.map((e) => e.message)).toEqual(['kept', 'ok']);
  });

  it('pages GetLogEvents forward and backward with tokens that stop repeating at the end', async () => {
    await groupWithStream();
    await put(Array.from({ length: 7 }, (_, i) => `m${i}`));
    const tail = await logs.send(new GetLogEventsCommand({ logGroupName: 'app', logStreamName: 's1', limit: 3 }));
    expect(tail.events!.map((e) => e.message)).toEqual(['m4', 'm5', 'm6']);
    const back = await logs.send(new GetLogEventsCommand({ logGroupName: 'app', logStreamName: 's1', limit: 3, nextToken: tail.nextBackwardToken }));
    expect(back.events!.map((e) => e.message)).toEqual(['m1', 'm2', 'm3']);
    const head = await logs.send(new GetLogEventsCommand({ logGroupName: 'app', logStreamName: 's1', limit: 4, startFromHead: true }));
    expect(head.events!.map((e) => e.message)).toEqual(['m0', 'm1', 'm2', 'm3']);
    const rest = await logs.send(new GetLogEventsCommand({ logGroupName: 'app', logStreamName: 's1', nextToken: head.nextForwardToken }));
    expect(rest.events!.map((e) => e.message)).toEqual(['m4', 'm5', 'm6']);
    const end = await logs.send(new GetLogEventsCommand({ logGroupName: 'app', logStreamName: 's1', nextToken: rest.nextForwardToken }));
    expect(end.events).toEqual([]);
    expect(end.nextForwardToken).toBe(rest.nextForwardToken);
    const byArn = await logs.send(new GetLogEventsCommand({ logGroupIdentifier: `${groupArn('app')}:*`, logStreamName: 's1', startFromHead: true, limit: 1 }));
    expect(byArn.events!.map((e) => e.message)).toEqual(['m0']);
    await expectError(logs.send(new GetLogEventsCommand({ logGroupName: 'app', logStreamName: 's1', nextToken: 'f/123' })), 'InvalidParameterException', 'The specified nextToken is invalid.');
    await expectError(logs.send(new GetLogEventsCommand({ logGroupName: 'app', logGroupIdentifier: 'app', logStreamName: 's1' })), 'InvalidParameterException', 'mutually exclusive');
  });

  it('filters events across streams with every pattern kind, pages them, and rejects bad patterns', async () => {
    await groupWithStream('app', 'web');
    await logs.send(new CreateLogStreamCommand({ logGroupName: 'app', logStreamName: 'worker' }));
    const at = Date.now() - 10_000;
    await put(['127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET /a.html HTTP/1.0" 404 2326', '{"level":"ERROR","latency":900}', 'INFO fine'], { stream: 'web', at });
    await put(['{"level":"INFO","latency":20}', 'ERROR disk full', '{"level":"ERROR","latency":50}'], { stream: 'worker', at: at + 1 });
    const filter = async (filterPattern: string, extra: object = {}) =>
      (await logs.send(new FilterLogEventsCommand({ logGroupName: 'app', filterPattern, ...extra }))).events!.map((e) => `${e.logStreamName}:${e.message}`);
    expect(await filter('{ $.level = "ERROR" && $.latency > 100 }')).toEqual(['web:{"level":"ERROR","latency":900}']);
    expect(await filter('ERROR')).toEqual(['web:{"level":"ERROR","latency":900}', 'worker:ERROR disk full', 'worker:{"level":"ERROR","latency":50}']);
    expect(await filter('[ip, id, user, time, request = *.html*, status = 4*, bytes]')).toHaveLength(1);
    expect(await filter('%^INFO%')).toEqual(['web:INFO fine']);
    expect(await filter('ERROR', { logStreamNames: ['worker'] })).toHaveLength(2);
    expect(await filter('', { logStreamNamePrefix: 'wor' })).toHaveLength(3);
    expect(await filter('', { startTime: at + 1, endTime: at + 2 })).toEqual(['web:{"level":"ERROR","latency":900}', 'worker:{"level":"INFO","latency":20}', 'web:INFO fine', 'worker:ERROR disk full']);
    const page = await logs.send(new FilterLogEventsCommand({ logGroupName: 'app', limit: 4 }));
    expect(page.events).toHaveLength(4);
    expect(page.events![0]!.eventId).toMatch(/^\d{56}$/);
    const next = await logs.send(new FilterLogEventsCommand({ logGroupName: 'app', limit: 4, nextToken: page.nextToken }));
    expect(next.events).toHaveLength(2);
    expect(next.nextToken).toBeUndefined();
    await expectError(logs.send(new FilterLogEventsCommand({ logGroupName: 'app', filterPattern: '{ $.a = ' })), 'InvalidParameterException', 'Invalid filter pattern');
    await expectError(logs.send(new FilterLogEventsCommand({ logGroupName: 'app', filterPattern: '%a!b%' })), 'InvalidParameterException', 'Invalid character(s) in term');
    await expectError(logs.send(new FilterLogEventsCommand({ logGroupName: 'nope' })), 'ResourceNotFoundException');
    await expectError(logs.send(new FilterLogEventsCommand({ logGroupName: 'app', nextToken: 'x' })), 'InvalidParameterException', 'The specified nextToken is invalid.');
    await expectError(logs.send(new FilterLogEventsCommand({ logGroupName: 'app', logStreamNames: ['web'], logStreamNamePrefix: 'w' })), 'InvalidParameterException');
  });

  it('hides events past the retention period, and deletes streams with their events', async () => {
    await groupWithStream();
    await put(['old'], { at: Date.now() - 2 * DAY });
    await put(['new']);
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: 'app', retentionInDays: 1 }));
    expect((await logs.send(new DescribeLogGroupsCommand({}))).logGroups![0]!.retentionInDays).toBe(1);
    expect((await logs.send(new GetLogEventsCommand({ logGroupName: 'app', logStreamName: 's1' }))).events!.map((e) => e.message)).toEqual(['new']);
    expect((await logs.send(new FilterLogEventsCommand({ logGroupName: 'app' }))).events!.map((e) => e.message)).toEqual(['new']);
    const rejected = await logs.send(new PutLogEventsCommand({ logGroupName: 'app', logStreamName: 's1', logEvents: [{ timestamp: Date.now() - 2 * DAY, message: 'late' }] }));
    expect(rejected.rejectedLogEventsInfo).toEqual({ expiredLogEventEndIndex: 1 });
    await logs.send(new DeleteRetentionPolicyCommand({ logGroupName: 'app' }));
    expect((await logs.send(new FilterLogEventsCommand({ logGroupName: 'app' }))).events!.map((e) => e.message)).toEqual(['old', 'new']);
    await logs.send(new DeleteLogStreamCommand({ logGroupName: 'app', logStreamName: 's1' }));
    expect((await logs.send(new FilterLogEventsCommand({ logGroupName: 'app' }))).events).toEqual([]);
    await expectError(logs.send(new DeleteLogStreamCommand({ logGroupName: 'app', logStreamName: 's1' })), 'ResourceNotFoundException', 'The specified log stream does not exist.');
  });
});

describe('metric filters', () => {
  it('puts, describes, tests and deletes metric filters', async () => {
    await groupWithStream();
    await logs.send(new PutMetricFilterCommand({
      logGroupName: 'app', filterName: 'latency', filterPattern: '{ $.latency = * }',
      metricTransformations: [{ metricName: 'Latency', metricNamespace: 'App', metricValue: '$.latency', unit: 'Milliseconds', dimensions: { Service: '$.service' } }],
    }));
    await logs.send(new PutMetricFilterCommand({
      logGroupName: 'app', filterName: 'errors', filterPattern: 'ERROR',
      metricTransformations: [{ metricName: 'Errors', metricNamespace: 'App', metricValue: '1', defaultValue: 0 }],
    }));
    const described = await logs.send(new DescribeMetricFiltersCommand({ logGroupName: 'app' }));
    expect(described.metricFilters!.map((f) => f.filterName)).toEqual(['errors', 'latency']);
    expect(described.metricFilters![1]).toMatchObject({ logGroupName: 'app', filterPattern: '{ $.latency = * }', metricTransformations: [{ metricValue: '$.latency', unit: 'Milliseconds', dimensions: { Service: '$.service' } }] });
    expect((await logs.send(new DescribeMetricFiltersCommand({ metricName: 'Errors', metricNamespace: 'App' }))).metricFilters!.map((f) => f.filterName)).toEqual(['errors']);
    expect((await logs.send(new DescribeLogGroupsCommand({}))).logGroups![0]!.metricFilterCount).toBe(2);

    const tested = await logs.send(new TestMetricFilterCommand({ filterPattern: '[ip, user, status = 5*, bytes]', logEventMessages: ['1.2.3.4 bob 503 12', '1.2.3.4 bob 200 12'] }));
    expect(tested.matches).toEqual([{ eventNumber: 1, eventMessage: '1.2.3.4 bob 503 12', extractedValues: { $ip: '1.2.3.4', $user: 'bob', $status: '503', $bytes: '12' } }]);

    await logs.send(new DeleteMetricFilterCommand({ logGroupName: 'app', filterName: 'errors' }));
    await expectError(logs.send(new DeleteMetricFilterCommand({ logGroupName: 'app', filterName: 'errors' })), 'ResourceNotFoundException', 'The specified metric filter does not exist.');
    expect((await logs.send(new DescribeLogGroupsCommand({}))).logGroups![0]!.metricFilterCount).toBe(1);
  });

  it.each([
    ['an invalid pattern', { filterPattern: '{ $.a = ' }, 'Invalid metric filter pattern'],
    ['a regex outside the dialect', { filterPattern: '%a(b)%' }, 'Invalid character(s) in term'],
    ['dimensions on a term pattern', { filterPattern: 'ERROR', metricTransformations: [{ metricName: 'm', metricNamespace: 'n', metricValue: '1', dimensions: { d: '$.x' } }] }, 'The specified filter pattern does not support dimensions'],
    ['a value the pattern cannot name', { filterPattern: '[a, b]', metricTransformations: [{ metricName: 'm', metricNamespace: 'n', metricValue: '$c' }] }, 'Invalid metric value: $c'],
    ['a bad metric name', { metricTransformations: [{ metricName: 'a:b', metricNamespace: 'n', metricValue: '1' }] }, 'Member must satisfy regular expression pattern: [^:*$]*'],
    ['two transformations', { metricTransformations: [{ metricName: 'm', metricNamespace: 'n', metricValue: '1' }, { metricName: 'm2', metricNamespace: 'n', metricValue: '1' }] }, 'Member must have length less than or equal to 1'],
  ])('rejects %s', async (_, overrides, message) => {
    await groupWithStream();
    await expectError(logs.send(new PutMetricFilterCommand({
      logGroupName: 'app', filterName: 'f', filterPattern: '{ $.x = 1 }',
      metricTransformations: [{ metricName: 'm', metricNamespace: 'n', metricValue: '1' }], ...overrides,
    })), 'InvalidParameterException', message);
    expect((await logs.send(new DescribeMetricFiltersCommand({}))).metricFilters).toEqual([]);
  });

  it('turns ingested events into metric data points, with dimensions, values and default values', async () => {
    await groupWithStream();
    const cloudwatch = new CloudWatchClient(server.clientConfig());
    await logs.send(new PutMetricFilterCommand({
      logGroupName: 'app', filterName: 'latency', filterPattern: '{ $.latency = * }',
      metricTransformations: [{ metricName: 'Latency', metricNamespace: 'App', metricValue: '$.latency', dimensions: { Service: '$.service' }, unit: 'Milliseconds' }],
    }));
    await logs.send(new PutMetricFilterCommand({
      logGroupName: 'app', filterName: 'errors', filterPattern: '?ERROR ?FATAL',
      metricTransformations: [{ metricName: 'Errors', metricNamespace: 'App', metricValue: '2', defaultValue: 0 }],
    }));
    const at = Math.floor(Date.now() / 60_000) * 60_000;
    await put(['{"service":"api","latency":100}', '{"service":"api","latency":300}', '{"service":"db","latency":7}', 'ERROR boom', 'all good', '{"latency":5}'], { at });
    const stats = async (metricName: string, dimensions: { Name: string; Value: string }[] = [], statistics = ['Sum', 'SampleCount', 'Maximum'] as const) =>
      (await cloudwatch.send(new GetMetricStatisticsCommand({
        Namespace: 'App', MetricName: metricName, Dimensions: dimensions, StartTime: new Date(at), EndTime: new Date(at + 60_000), Period: 60, Statistics: [...statistics],
      }))).Datapoints!;
    expect(await stats('Latency', [{ Name: 'Service', Value: 'api' }])).toEqual([{ Timestamp: new Date(at), Sum: 400, SampleCount: 2, Maximum: 300, Unit: 'Milliseconds' }]);
    expect(await stats('Latency', [{ Name: 'Service', Value: 'db' }])).toMatchObject([{ Sum: 7, SampleCount: 1 }]);
    expect(await stats('Errors')).toEqual([{ Timestamp: new Date(at), Sum: 2, SampleCount: 6, Maximum: 2, Unit: 'None' }]);
    const listed = (await cloudwatch.send(new ListMetricsCommand({ Namespace: 'App' }))).Metrics!;
    expect(listed.map((m) => `${m.MetricName}:${(m.Dimensions ?? []).map((d) => d.Value).join()}`).sort()).toEqual(['Errors:', 'Latency:api', 'Latency:db']);
  });
});

describe('calls on behalf of CloudTrail', () => {
  it('creates a stream and puts events when invoked by cloudtrail.amazonaws.com, recorded as an AWS service', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'CloudTrail/DefaultLogGroup' }));
    const principal = servicePrincipal('123456789012', 'cloudtrail.amazonaws.com');
    const stream = '123456789012_CloudTrail_us-east-1';
    await server.app.env.invoke({ service: 'logs', operation: 'CreateLogStream', input: { logGroupName: 'CloudTrail/DefaultLogGroup', logStreamName: stream }, principal, region: 'us-east-1' });
    const record = JSON.stringify({ eventVersion: '1.11', eventName: 'DescribeTrails', errorCode: 'AccessDenied' });
    const output = await server.app.env.invoke({
      service: 'logs', operation: 'PutLogEvents', principal, region: 'us-east-1',
      input: { logGroupName: 'CloudTrail/DefaultLogGroup', logStreamName: stream, logEvents: [{ timestamp: Date.now(), message: record }] },
    });
    expect(output.nextSequenceToken).toBeDefined();
    const events = await logs.send(new GetLogEventsCommand({ logGroupName: 'CloudTrail/DefaultLogGroup', logStreamName: stream }));
    expect(events.events!.map((e) => e.message)).toEqual([record]);
    await expect(server.app.env.invoke({ service: 'logs', operation: 'CreateLogStream', input: { logGroupName: 'CloudTrail/DefaultLogGroup', logStreamName: stream }, principal, region: 'us-east-1' }))
      .rejects.toMatchObject({ code: 'ResourceAlreadyExistsException' });

    const history = await new CloudTrailClient(server.clientConfig()).send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'logs.amazonaws.com' }] }));
    const names = history.Events!.map((e) => e.EventName);
    expect(names).toContain('CreateLogStream');
    expect(names).not.toContain('PutLogEvents');
    const created = history.Events!.map((e) => JSON.parse(e.CloudTrailEvent!)).find((e) => e.eventName === 'CreateLogStream' && e.errorCode === undefined);
    expect(created).toMatchObject({ userIdentity: { type: 'AWSService', invokedBy: 'cloudtrail.amazonaws.com' }, sourceIPAddress: 'cloudtrail.amazonaws.com' });
  });
});
