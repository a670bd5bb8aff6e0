import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, spawnServer, type ServerProcess, awsCliEnv } from './helpers/cli.js';
import { eventually } from './helpers/eventually.js';

const dataDir = mkdtempSync(join(tmpdir(), 'custos-cwl-cli-'));
let server: ServerProcess;
let aws: (args: string[]) => ReturnType<typeof run>;

beforeAll(async () => {
  server = await spawnServer(['--data-dir', dataDir, '--alarm-evaluation-interval', '1']);
  const env = awsCliEnv(server.url, join(dataDir, 'credentials'));
  aws = (args) => run('aws', args, env);
});
afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function ok(args: string[]): Promise<any> {
  const result = await aws(args);
  expect(result.code, `aws ${args.join(' ')}: ${result.stderr}`).toBe(0);
  return result.stdout.trim() ? JSON.parse(result.stdout) : undefined;
}

describe('the aws CLI against CloudWatch Logs and CloudWatch', () => {
  it('runs the CIS unauthorized-API-calls recipe: metric filter, events, alarm', async () => {
    await ok(['logs', 'create-log-group', '--log-group-name', 'CloudTrail/DefaultLogGroup']);
    await ok(['logs', 'create-log-stream', '--log-group-name', 'CloudTrail/DefaultLogGroup', '--log-stream-name', 'cli']);
    await ok(['logs', 'put-metric-filter', '--log-group-name', 'CloudTrail/DefaultLogGroup', '--filter-name', 'unauthorized_api_calls_metric',
      '--filter-pattern', '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }',
      '--metric-transformations', 'metricName=unauthorized_api_calls_metric,metricNamespace=CISBenchmark,metricValue=1']);
    await ok(['cloudwatch', 'put-metric-alarm', '--alarm-name', 'unauthorized_api_calls_alarm', '--metric-name', 'unauthorized_api_calls_metric',
      '--statistic', 'Sum', '--period', '300', '--threshold', '1', '--comparison-operator', 'GreaterThanOrEqualToThreshold',
      '--evaluation-periods', '1', '--namespace', 'CISBenchmark', '--alarm-actions', 'arn:aws:sns:us-east-1:123456789012:cis-alerts']);
    const alarms = await ok(['cloudwatch', 'describe-alarms', '--alarm-names', 'unauthorized_api_calls_alarm']);
    expect(alarms.MetricAlarms[0]).toMatchObject({ AlarmName: 'unauthorized_api_calls_alarm', StateValue: 'INSUFFICIENT_DATA', Period: 300, Namespace: 'CISBenchmark' });

    const events = join(dataDir, 'events.json');
    const now = Date.now();
    writeFileSync(events, JSON.stringify([
      { timestamp: now, message: JSON.stringify({ eventName: 'ListBuckets', eventSource: 's3.amazonaws.com' }) },
      { timestamp: now + 1, message: JSON.stringify({ eventName: 'GetBucketPolicy', eventSource: 's3.amazonaws.com', errorCode: 'AccessDenied' }) },
    ]));
    const put = await ok(['logs', 'put-log-events', '--log-group-name', 'CloudTrail/DefaultLogGroup', '--log-stream-name', 'cli', '--log-events', `file://${events}`]);
    expect(put.nextSequenceToken).toMatch(/^\d+$/);
    const filtered = await ok(['logs', 'filter-log-events', '--log-group-name', 'CloudTrail/DefaultLogGroup', '--filter-pattern', '{ $.errorCode = "AccessDenied*" }']);
    expect(filtered.events.map((e: { message: string }) => JSON.parse(e.message).eventName)).toEqual(['GetBucketPolicy']);

    const alarmed = await eventually(async () => {
      const described = await ok(['cloudwatch', 'describe-alarms', '--state-value', 'ALARM']);
      return described.MetricAlarms[0];
    }, 'the alarm to fire');
    expect(alarmed.StateReason).toMatch(/^Threshold Crossed: 1 datapoint \[1\.0 /);
    const historyItems = (await ok(['cloudwatch', 'describe-alarm-history', '--alarm-name', 'unauthorized_api_calls_alarm', '--history-item-type', 'StateUpdate'])).AlarmHistoryItems;
    expect(historyItems[0].HistorySummary).toBe('Alarm updated from INSUFFICIENT_DATA to ALARM');
    const stats = await ok(['cloudwatch', 'get-metric-statistics', '--namespace', 'CISBenchmark', '--metric-name', 'unauthorized_api_calls_metric',
      '--start-time', new Date(now - 600_000).toISOString(), '--end-time', new Date(now + 600_000).toISOString(), '--period', '300', '--statistics', 'Sum']);
    expect(stats.Datapoints.map((d: { Sum: number }) => d.Sum)).toEqual([1]);
  });

  it('puts a batch of metric data large enough for the CLI to gzip it', async () => {
    const file = join(dataDir, 'metric-data.json');
    const at = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    writeFileSync(file, JSON.stringify(Array.from({ length: 500 }, (_, i) => ({ MetricName: 'Requests', Value: i, Timestamp: at.toISOString(), Dimensions: [{ Name: 'Host', Value: 'web-1' }] }))));
    const put = await aws(['cloudwatch', 'put-metric-data', '--namespace', 'Fleet', '--metric-data', `file://${file}`, '--debug']);
    expect(put.code, put.stderr.slice(-2000)).toBe(0);
    expect(put.stderr).toMatch(/'Content-Encoding': 'gzip'/i);
    const stats = await ok(['cloudwatch', 'get-metric-statistics', '--namespace', 'Fleet', '--metric-name', 'Requests', '--dimensions', 'Name=Host,Value=web-1',
      '--start-time', at.toISOString(), '--end-time', new Date(at.getTime() + 60_000).toISOString(), '--period', '60', '--statistics', 'SampleCount', 'Maximum']);
    expect(stats.Datapoints).toMatchObject([{ SampleCount: 500, Maximum: 499 }]);
  });

  it('reports errors in each service’s own terms', async () => {
    const missing = await aws(['logs', 'describe-log-streams', '--log-group-name', 'missing']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('ResourceNotFoundException');
    expect(missing.stderr).toContain('The specified log group does not exist.');
    const badState = await aws(['cloudwatch', 'set-alarm-state', '--alarm-name', 'nope', '--state-value', 'ALARM', '--state-reason', 'x']);
    expect(badState.code).not.toBe(0);
    expect(badState.stderr).toContain('(ResourceNotFound)');
    expect(badState.stderr).toContain('Alarm nope not found');
    const badPattern = await aws(['logs', 'test-metric-filter', '--filter-pattern', '%a(b)%', '--log-event-messages', 'x']);
    expect(badPattern.stderr).toContain('Invalid character(s) in term');
    const tested = await ok(['logs', 'test-metric-filter', '--filter-pattern', '[ip, user, status = 4*]', '--log-event-messages', '10.0.0.1 bob 404', '10.0.0.1 bob 200']);
    expect(tested.matches).toEqual([{ eventNumber: 1, eventMessage: '10.0.0.1 bob 404', extractedValues: { $ip: '10.0.0.1', $user: 'bob', $status: '404' } }]);
  });
});
