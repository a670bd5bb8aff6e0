import {
  CloudTrailClient, CreateTrailCommand, DescribeTrailsCommand, GetTrailStatusCommand, PutEventSelectorsCommand, StartLoggingCommand,
} from '@aws-sdk/client-cloudtrail';
import {
  CloudWatchLogsClient, CreateLogGroupCommand, DeleteLogGroupCommand, DescribeLogStreamsCommand, GetLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { IAMClient } from '@aws-sdk/client-iam';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';
import { s3Client } from './helpers/s3.js';
import { createCloudWatchLogsRole } from './helpers/cloudwatch-logs-role.js';
import { createTrailBucket } from './helpers/trail-destinations.js';
import { eventually } from './helpers/eventually.js';

let server: TestServer;
let trails: CloudTrailClient;
let westTrails: CloudTrailClient;
let logs: CloudWatchLogsClient;
let roleArn: string;
const GROUP_ARN = 'arn:aws:logs:us-east-1:123456789012:log-group:CloudTrail/Default:*';

// A server per test: the subscribers' feed positions start from the beginning of each one's audit log.
beforeEach(async () => {
  server = await startTestServer();
  trails = new CloudTrailClient(server.clientConfig('us-east-1'));
  westTrails = new CloudTrailClient(server.clientConfig('eu-west-1'));
  logs = new CloudWatchLogsClient(server.clientConfig('us-east-1'));
  await createTrailBucket(s3Client(server, 'eu-west-1'), 'audit-bucket');
  roleArn = (await createCloudWatchLogsRole(new IAMClient(server.clientConfig()), GROUP_ARN)).roleArn;
});
afterEach(() => server.stop());

async function records(stream: string): Promise<Record<string, unknown>[]> {
  try {
    const got = await logs.send(new GetLogEventsCommand({ logGroupName: 'CloudTrail/Default', logStreamName: stream, startFromHead: true }));
    return (got.events ?? []).map((e) => JSON.parse(e.message!) as Record<string, unknown>);
  } catch {
    return [];
  }
}

describe('a trail streaming into CloudWatch Logs', () => {
  it('puts each selected record into <account>_CloudTrail_<region>, one event per record', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'CloudTrail/Default' }));
    await trails.send(new CreateTrailCommand({
      Name: 'main', S3BucketName: 'audit-bucket', IsMultiRegionTrail: true, CloudWatchLogsLogGroupArn: GROUP_ARN, CloudWatchLogsRoleArn: roleArn,
    }));
    await trails.send(new StartLoggingCommand({ Name: 'main' }));
    await trails.send(new DescribeTrailsCommand({}));
    await westTrails.send(new DescribeTrailsCommand({}));

    const east = await eventually(async () => {
      const got = await records('123456789012_CloudTrail_us-east-1');
      return got.some((r) => r.eventName === 'DescribeTrails') ? got : undefined;
    }, 'us-east-1 records in the log group');
    expect(east.map((r) => r.eventName)).toEqual(expect.arrayContaining(['StartLogging', 'DescribeTrails']));
    expect(east.every((r) => r.awsRegion === 'us-east-1' && r.recipientAccountId === '123456789012')).toBe(true);
    expect(east.some((r) => r.eventName === 'CreateTrail')).toBe(false);

    const west = await eventually(async () => {
      const got = await records('123456789012_CloudTrail_eu-west-1');
      return got.length > 0 ? got : undefined;
    }, 'eu-west-1 records in the log group');
    expect(west.map((r) => [r.eventName, r.awsRegion])).toEqual([['DescribeTrails', 'eu-west-1']]);

    const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: 'CloudTrail/Default' }));
    expect(streams.logStreams?.map((s) => s.logStreamName).sort()).toEqual(['123456789012_CloudTrail_eu-west-1', '123456789012_CloudTrail_us-east-1']);
    const status = await trails.send(new GetTrailStatusCommand({ Name: 'main' }));
    expect(status.LatestCloudWatchLogsDeliveryTime).toBeInstanceOf(Date);
    expect(status.LatestCloudWatchLogsDeliveryError).toBeUndefined();
  });

  it('streams only what the selectors select, writing as a session of the role invoked by CloudTrail', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'CloudTrail/Default' }));
    await trails.send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'audit-bucket', CloudWatchLogsLogGroupArn: GROUP_ARN, CloudWatchLogsRoleArn: roleArn }));
    await trails.send(new PutEventSelectorsCommand({ TrailName: 'main', EventSelectors: [{ ReadWriteType: 'WriteOnly' }] }));
    await trails.send(new StartLoggingCommand({ Name: 'main' }));
    await trails.send(new DescribeTrailsCommand({}));
    await trails.send(new PutEventSelectorsCommand({ TrailName: 'main', EventSelectors: [{ ReadWriteType: 'WriteOnly' }] }));
    const got = await eventually(async () => {
      const r = await records('123456789012_CloudTrail_us-east-1');
      return r.some((e) => e.eventName === 'PutEventSelectors') ? r : undefined;
    }, 'the write event');
    expect(got.map((r) => r.eventName).sort()).toEqual(['CreateLogStream', 'PutEventSelectors', 'StartLogging']);
    const created = got.find((r) => r.eventName === 'CreateLogStream')!;
    const session = 'arn:aws:sts::123456789012:assumed-role/CloudTrail_CloudWatchLogs_Role/123456789012_CloudTrail_us-east-1';
    expect(created.userIdentity).toMatchObject({
      type: 'AssumedRole', arn: session, accountId: '123456789012', invokedBy: 'cloudtrail.amazonaws.com',
      sessionContext: { sessionIssuer: { type: 'Role', arn: roleArn, userName: 'CloudTrail_CloudWatchLogs_Role' } },
    });
    expect(created.sourceIPAddress).toBe('cloudtrail.amazonaws.com');
  });

  it('reports a log group deleted after CreateTrail in GetTrailStatus and keeps going', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'CloudTrail/Default' }));
    await trails.send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'audit-bucket', CloudWatchLogsLogGroupArn: GROUP_ARN, CloudWatchLogsRoleArn: roleArn }));
    await logs.send(new DeleteLogGroupCommand({ logGroupName: 'CloudTrail/Default' }));
    await trails.send(new StartLoggingCommand({ Name: 'main' }));
    const status = await eventually(async () => {
      const s = await trails.send(new GetTrailStatusCommand({ Name: 'main' }));
      return s.LatestCloudWatchLogsDeliveryError ? s : undefined;
    }, 'the delivery error');
    expect(status.LatestCloudWatchLogsDeliveryError).toBe('ResourceNotFoundException');
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'CloudTrail/Default' }));
    await trails.send(new DescribeTrailsCommand({}));
    await eventually(async () => ((await records('123456789012_CloudTrail_us-east-1')).length > 0 ? true : undefined), 'records after the group exists');
  });
});
