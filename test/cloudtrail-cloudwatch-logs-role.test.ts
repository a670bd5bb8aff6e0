import {
  CloudTrailClient, CreateTrailCommand, DescribeTrailsCommand, GetTrailCommand, GetTrailStatusCommand, ListTrailsCommand, StartLoggingCommand,
  UpdateTrailCommand,
} from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient, CreateLogGroupCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  AttachRolePolicyCommand, CreatePolicyCommand, CreateRoleCommand, DetachRolePolicyCommand, IAMClient, PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './helpers/assertions.js';
import { CLOUDTRAIL_TRUST_POLICY, cloudWatchLogsPolicy, createCloudWatchLogsRole } from './helpers/cloudwatch-logs-role.js';
import { eventually } from './helpers/eventually.js';
import { s3Client } from './helpers/s3.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { createTrailBucket, listKeys, readJsonGz } from './helpers/trail-destinations.js';

const ACCOUNT = '123456789012';
const GROUP = 'CloudTrail/RoleChecks';
const GROUP_ARN = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${GROUP}:*`;
const STREAM = `${ACCOUNT}_CloudTrail_us-east-1`;
const roleArnOf = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const MESSAGES = {
  groupUnvalidated: 'CloudTrail cannot validate the specified log group ARN.',
  permissions: 'Access denied. Verify in IAM that the role has adequate permissions.',
  trust: 'Access denied. Check the trust relationships for your role.',
  roleMissing: 'You must specify a role ARN as well as a log group.',
};

let server: TestServer;
let trails: CloudTrailClient;
let iam: IAMClient;
let logs: CloudWatchLogsClient;

beforeAll(async () => {
  server = await startTestServer({ trailDeliveryIntervalSeconds: 1 });
  trails = new CloudTrailClient(server.clientConfig());
  iam = new IAMClient(server.clientConfig());
  logs = new CloudWatchLogsClient(server.clientConfig());
  await createTrailBucket(s3Client(server), 'role-bucket');
  await logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
});
afterAll(() => server.stop());

async function role(name: string, trust: string, policies: { inline?: object; attach?: string; boundary?: string } = {}): Promise<string> {
  await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trust }));
  if (policies.inline) await iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: 'inline', PolicyDocument: JSON.stringify(policies.inline) }));
  if (policies.attach) await iam.send(new AttachRolePolicyCommand({ RoleName: name, PolicyArn: policies.attach }));
  if (policies.boundary) await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: name, PermissionsBoundary: policies.boundary }));
  return roleArnOf(name);
}

function createTrail(name: string, settings: { CloudWatchLogsLogGroupArn?: string; CloudWatchLogsRoleArn?: string }) {
  return trails.send(new CreateTrailCommand({ Name: name, S3BucketName: 'role-bucket', ...settings }));
}

async function expectRefused(call: Promise<unknown>, code: string, message: string): Promise<void> {
  const error = await expectError(call, code, message);
  expect(error.$metadata?.httpStatusCode).toBe(400);
}

async function streamed(): Promise<Record<string, unknown>[]> {
  try {
    const got = await logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: STREAM, startFromHead: true }));
    return (got.events ?? []).map((e) => JSON.parse(e.message!) as Record<string, unknown>);
  } catch {
    return [];
  }
}

describe('CreateTrail and UpdateTrail check the CloudWatch Logs role as CloudTrail does', () => {
  let policyArn: string;
  beforeAll(async () => {
    const created = await iam.send(new CreatePolicyCommand({ PolicyName: 'CloudTrailLogsWrite', PolicyDocument: cloudWatchLogsPolicy(GROUP_ARN) }));
    policyArn = created.Policy!.Arn!;
  });

  it('needs both ARNs, well formed', async () => {
    const good = await role('Good', CLOUDTRAIL_TRUST_POLICY, { attach: policyArn });
    await expectRefused(createTrail('refused', { CloudWatchLogsLogGroupArn: GROUP_ARN }), 'InvalidCloudWatchLogsRoleArnException', MESSAGES.roleMissing);
    await expectRefused(createTrail('refused', { CloudWatchLogsRoleArn: good }), 'InvalidCloudWatchLogsLogGroupArnException', 'log group');
    await expectRefused(createTrail('refused', { CloudWatchLogsLogGroupArn: 'nope', CloudWatchLogsRoleArn: good }), 'InvalidCloudWatchLogsLogGroupArnException', MESSAGES.groupUnvalidated);
    await expectRefused(
      createTrail('refused', { CloudWatchLogsLogGroupArn: GROUP_ARN.replace(/:\*$/, ''), CloudWatchLogsRoleArn: good }), 'InvalidCloudWatchLogsLogGroupArnException', MESSAGES.groupUnvalidated,
    );
    await expectError(createTrail('refused', { CloudWatchLogsLogGroupArn: GROUP_ARN, CloudWatchLogsRoleArn: 'arn:aws:iam::123:role' }), 'InvalidCloudWatchLogsRoleArnException');
  });

  it('needs a log group that exists', async () => {
    const good = roleArnOf('Good');
    const missing = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:NoSuchGroup:*`;
    await expectRefused(createTrail('refused', { CloudWatchLogsLogGroupArn: missing, CloudWatchLogsRoleArn: good }), 'InvalidCloudWatchLogsLogGroupArnException', MESSAGES.groupUnvalidated);
  });

  it('needs a role that exists and trusts cloudtrail.amazonaws.com', async () => {
    await expectRefused(createTrail('refused', { CloudWatchLogsLogGroupArn: GROUP_ARN, CloudWatchLogsRoleArn: roleArnOf('NoSuchRole') }), 'InvalidCloudWatchLogsRoleArnException', MESSAGES.trust);
    const ec2Trust = CLOUDTRAIL_TRUST_POLICY.replace('cloudtrail.amazonaws.com', 'ec2.amazonaws.com');
    const untrusting = await role('TrustsEc2', ec2Trust, { attach: policyArn });
    await expectRefused(createTrail('refused', { CloudWatchLogsLogGroupArn: GROUP_ARN, CloudWatchLogsRoleArn: untrusting }), 'InvalidCloudWatchLogsRoleArnException', MESSAGES.trust);
    const otherTrail = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceArn': `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/other` } },
      }],
    });
    const conditioned = await role('OnlyOtherTrail', otherTrail, { attach: policyArn });
    await expectRefused(createTrail('refused', { CloudWatchLogsLogGroupArn: GROUP_ARN, CloudWatchLogsRoleArn: conditioned }), 'InvalidCloudWatchLogsRoleArnException', MESSAGES.trust);
    await createTrail('other', { CloudWatchLogsLogGroupArn: GROUP_ARN, CloudWatchLogsRoleArn: conditioned });
  });

  it('needs logs:CreateLogStream and logs:PutLogEvents on the group\'s streams, from identity policies within the boundary', async () => {
    const refused = (arn: string) => expectRefused(
      createTrail('refused', { CloudWatchLogsLogGroupArn: GROUP_ARN, CloudWatchLogsRoleArn: arn }), 'InvalidCloudWatchLogsLogGroupArnException', MESSAGES.permissions,
    );
    await refused(await role('NoPolicies', CLOUDTRAIL_TRUST_POLICY));
    const streams = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${GROUP}:log-stream:*`;
    await refused(await role('PutOnly', CLOUDTRAIL_TRUST_POLICY, { inline: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: streams }] } }));
    const otherGroup = cloudWatchLogsPolicy(`arn:aws:logs:us-east-1:${ACCOUNT}:log-group:Elsewhere:*`);
    await refused(await role('OtherGroup', CLOUDTRAIL_TRUST_POLICY, { inline: JSON.parse(otherGroup) }));
    await refused(await role('ExplicitDeny', CLOUDTRAIL_TRUST_POLICY, {
      attach: policyArn, inline: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'logs:CreateLogStream', Resource: '*' }] },
    }));
    const putOnly = await iam.send(new CreatePolicyCommand({
      PolicyName: 'BoundaryPutOnly', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: '*' }] }),
    }));
    await refused(await role('Bounded', CLOUDTRAIL_TRUST_POLICY, { attach: policyArn, boundary: putOnly.Policy!.Arn! }));
    await createTrail('inline-ok', { CloudWatchLogsLogGroupArn: GROUP_ARN, CloudWatchLogsRoleArn: await role('InlineOk', CLOUDTRAIL_TRUST_POLICY, { inline: JSON.parse(cloudWatchLogsPolicy(GROUP_ARN)) }) });
  });

  it('checks the same on UpdateTrail', async () => {
    await createTrail('updated', {});
    await expectRefused(
      trails.send(new UpdateTrailCommand({ Name: 'updated', CloudWatchLogsLogGroupArn: GROUP_ARN, CloudWatchLogsRoleArn: roleArnOf('NoPolicies') })),
      'InvalidCloudWatchLogsLogGroupArnException', MESSAGES.permissions,
    );
    await expectRefused(
      trails.send(new UpdateTrailCommand({ Name: 'updated', CloudWatchLogsLogGroupArn: GROUP_ARN, CloudWatchLogsRoleArn: roleArnOf('TrustsEc2') })),
      'InvalidCloudWatchLogsRoleArnException', MESSAGES.trust,
    );
    const done = await trails.send(new UpdateTrailCommand({ Name: 'updated', CloudWatchLogsLogGroupArn: GROUP_ARN, CloudWatchLogsRoleArn: roleArnOf('Good') }));
    expect(done.CloudWatchLogsRoleArn).toBe(roleArnOf('Good'));
  });
});

describe('delivery acts as the role as it is now', () => {
  it('streams within a second, stops with AccessDenied when the policy is detached (S3 still gets the records), resumes when re-attached', async () => {
    const writer = await createCloudWatchLogsRole(iam, GROUP_ARN, 'StreamWriter');
    await createTrail('live', { CloudWatchLogsLogGroupArn: GROUP_ARN, CloudWatchLogsRoleArn: writer.roleArn });
    await trails.send(new StartLoggingCommand({ Name: 'live' }));

    const started = Date.now();
    await trails.send(new DescribeTrailsCommand({ trailNameList: ['live'] }));
    await eventually(async () => ((await streamed()).some((r) => r.eventName === 'DescribeTrails') ? true : undefined), 'the first streamed record');
    expect(Date.now() - started).toBeLessThan(1000);

    await iam.send(new DetachRolePolicyCommand({ RoleName: writer.roleName, PolicyArn: writer.policyArn }));
    const denied = await trails.send(new GetTrailCommand({ Name: 'live' }));
    const status = await eventually(async () => {
      const s = await trails.send(new GetTrailStatusCommand({ Name: 'live' }));
      return s.LatestCloudWatchLogsDeliveryError ? s : undefined;
    }, 'the delivery error');
    expect(status.LatestCloudWatchLogsDeliveryError).toBe('AccessDenied');
    const deniedId = denied.$metadata.requestId;
    const s3 = s3Client(server);
    await eventually(async () => {
      const keys = await listKeys(s3, 'role-bucket', `AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/`);
      const files = await Promise.all(keys.map((k) => readJsonGz<{ Records: { eventName: string; requestID: string }[] }>(s3, 'role-bucket', k)));
      return files.flatMap((f) => f.json.Records).some((r) => r.eventName === 'GetTrail' && r.requestID === deniedId) ? true : undefined;
    }, 'the record in the S3 log file');

    await iam.send(new AttachRolePolicyCommand({ RoleName: writer.roleName, PolicyArn: writer.policyArn }));
    await trails.send(new ListTrailsCommand({}));
    const after = await eventually(async () => {
      const got = await streamed();
      return got.some((r) => r.eventName === 'ListTrails') ? got : undefined;
    }, 'streaming to resume');
    expect(after.some((r) => r.eventName === 'GetTrail')).toBe(false);
    const resumed = await eventually(async () => {
      const s = await trails.send(new GetTrailStatusCommand({ Name: 'live' }));
      return s.LatestCloudWatchLogsDeliveryError === undefined ? s : undefined;
    }, 'the error to clear');
    expect(resumed.LatestCloudWatchLogsDeliveryTime).toBeInstanceOf(Date);
  });
});
