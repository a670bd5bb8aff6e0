import { CloudTrailClient, CreateTrailCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient, DescribeAlarmsCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, CreateLogGroupCommand, PutMetricFilterCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './helpers/assertions.js';
import { s3Client } from './helpers/s3.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { notifications, startSnsEndpoint, type SnsEndpoint } from './helpers/sns-endpoint.js';
import { createCloudWatchLogsRole } from './helpers/cloudwatch-logs-role.js';
import { createTrailBucket } from './helpers/trail-destinations.js';

/**
 * The CIS AWS Foundations monitoring recipe for unauthorised API calls (CIS 3.1 / CloudWatch.2),
 * set up as published: a multi-region trail streaming into a log group (through a role CloudTrail may
 * assume, allowed logs:CreateLogStream and logs:PutLogEvents), a metric filter with CIS's
 * pattern, an alarm on its metric with an SNS topic as action, an HTTP subscription. A denied call
 * must reach the subscriber as an ALARM notification.
 */
const PATTERN = '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }';
const GROUP = 'CloudTrail/DefaultLogGroup';

let server: TestServer;
let receiver: SnsEndpoint;

beforeAll(async () => {
  server = await startTestServer({ alarmEvaluationInterval: 1 });
  receiver = await startSnsEndpoint();
});
afterAll(async () => {
  await server.stop();
  await receiver.close();
});

describe('CIS 3.1: unauthorised API calls', () => {
  it('turns a denied call into an alarm notification at an HTTP endpoint', async () => {
    const config = server.clientConfig('us-east-1');
    const logs = new CloudWatchLogsClient(config);
    await createTrailBucket(s3Client(server), 'cis-trail-bucket');
    await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
    const iam = new IAMClient(config);
    const groupArn = `arn:aws:logs:us-east-1:123456789012:log-group:${GROUP}:*`;
    const { roleArn } = await createCloudWatchLogsRole(iam, groupArn);
    const trails = new CloudTrailClient(config);
    await trails.send(new CreateTrailCommand({
      Name: 'cis-trail', S3BucketName: 'cis-trail-bucket', IsMultiRegionTrail: true, CloudWatchLogsLogGroupArn: groupArn, CloudWatchLogsRoleArn: roleArn,
    }));
    await trails.send(new StartLoggingCommand({ Name: 'cis-trail' }));
    await logs.send(new PutMetricFilterCommand({
      logGroupName: GROUP, filterName: 'UnauthorizedAPICalls', filterPattern: PATTERN,
      metricTransformations: [{ metricName: 'UnauthorizedAPICalls', metricNamespace: 'CISBenchmark', metricValue: '1' }],
    }));
    const sns = new SNSClient(config);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'cis-alarms' }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: receiver.url }));
    await receiver.waitFor((r) => r.some((m) => m.message?.Type === 'SubscriptionConfirmation' && m.status === 200), 'the subscription confirmation');
    const cloudwatch = new CloudWatchClient(config);
    await cloudwatch.send(new PutMetricAlarmCommand({
      AlarmName: 'CIS-3.1-UnauthorizedAPICalls', MetricName: 'UnauthorizedAPICalls', Namespace: 'CISBenchmark',
      Statistic: 'Sum', Period: 300, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching', AlarmActions: [TopicArn!],
    }));

    await iam.send(new CreateUserCommand({ UserName: 'mallory' }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'mallory' }));
    const mallory = new IAMClient({ ...config, credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! } });
    await expectError(mallory.send(new CreateUserCommand({ UserName: 'backdoor' })), 'AccessDenied');

    await receiver.waitFor(() => notifications(receiver).length > 0, 'the alarm notification');
    const [notification] = notifications(receiver);
    expect(notification!.signatureValid).toBe(true);
    expect(notification!.message!.TopicArn).toBe(TopicArn);
    const alarm = JSON.parse(notification!.message!.Message!);
    expect(alarm).toMatchObject({
      AlarmName: 'CIS-3.1-UnauthorizedAPICalls', AWSAccountId: '123456789012', NewStateValue: 'ALARM', OldStateValue: 'OK',
      Trigger: { MetricName: 'UnauthorizedAPICalls', Namespace: 'CISBenchmark', Threshold: 1 },
    });
    const { MetricAlarms } = await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ['CIS-3.1-UnauthorizedAPICalls'] }));
    expect(MetricAlarms![0]!.StateValue).toBe('ALARM');
  });
});
