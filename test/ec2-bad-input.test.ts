import { DescribeSubnetsCommand, DescribeVpcsCommand, RunInstancesCommand, StopInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './helpers/assertions.js';
import { ec2Client, ec2Records, resourceChanges } from './helpers/ec2.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { signedFetch } from './helpers/signed-fetch.js';

let server: TestServer;
let ec2: EC2Client;

beforeAll(async () => {
  server = await startTestServer();
  ec2 = ec2Client(server);
  await ec2.send(new DescribeVpcsCommand({}));
});
afterAll(() => server.stop());

async function query(body: string): Promise<{ status: number; text: string }> {
  return signedFetch({
    url: server.url, service: 'ec2', credentials: server.credentials,
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body,
  });
}

function errorOf(text: string): { code?: string; message?: string } {
  return { code: /<Code>([^<]*)<\/Code>/.exec(text)?.[1], message: /<Message>([^<]*)<\/Message>/.exec(text)?.[1] };
}

describe('bad EC2 input and authorisation', () => {
  it('answers in EC2’s error form: unparsable values, missing parameters, unknown actions', async () => {
    const notANumber = await query('Action=DescribeInstances&Version=2016-11-15&MaxResults=many');
    expect(notANumber.status).toBe(400);
    expect(notANumber.text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><Response><Errors><Error><Code>InvalidParameterValue<\/Code>/);
    expect(notANumber.text).toMatch(/<RequestID>[0-9a-f-]{36}<\/RequestID><\/Response>$/);

    const missing = await query('Action=CreateVpc&Version=2016-11-15');
    expect(missing.status).toBe(400);
    expect(errorOf(missing.text)).toEqual({ code: 'MissingParameter', message: 'The request must contain the parameter CidrBlock' });
    const missingGroup = await query('Action=AuthorizeSecurityGroupIngress&Version=2016-11-15&IpProtocol=tcp');
    expect(errorOf(missingGroup.text)).toEqual({ code: 'MissingParameter', message: 'The request must contain the parameter GroupId' });

    const unknown = await query('Action=DescribeUnicorns&Version=2016-11-15');
    expect(unknown.status).toBe(400);
    expect(errorOf(unknown.text).code).toBe('InvalidAction');

    const cidr = await query('Action=CreateVpc&Version=2016-11-15&CidrBlock=10.0.0.0%2F99');
    expect(errorOf(cidr.text)).toEqual({ code: 'InvalidParameterValue', message: 'Value (10.0.0.0/99) for parameter cidrBlock is invalid. This is not a valid CIDR block.' });

    const [record] = await ec2Records(server, 'CreateVpc');
    expect(record).toMatchObject({ errorCode: 'Client.InvalidParameterValue', errorMessage: 'Value (10.0.0.0/99) for parameter cidrBlock is invalid. This is not a valid CIDR block.' });
    expect((await ec2.send(new DescribeVpcsCommand({}))).Vpcs).toHaveLength(1);
  });

  it('leaves nothing behind when a call fails half way', async () => {
    const before = (await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'availability-zone', Values: ['us-east-1a'] }] }))).Subnets![0]!;
    const changes = (await resourceChanges(server)).length;
    await expectError(ec2.send(new RunInstancesCommand({
      ImageId: 'ami-12345678', MinCount: 2, MaxCount: 2, BlockDeviceMappings: [{ DeviceName: '/dev/sdf', Ebs: { VolumeSize: 1, Encrypted: true, KmsKeyId: 'not a key' } }],
    })), 'InvalidParameterValue');
    const after = (await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [before.SubnetId!] }))).Subnets![0]!;
    expect(after.AvailableIpAddressCount).toBe(before.AvailableIpAddressCount);
    expect(await resourceChanges(server)).toHaveLength(changes);
    const [record] = await ec2Records(server, 'RunInstances');
    expect(record).toMatchObject({ errorCode: 'Client.InvalidParameterValue', responseElements: null });
    expect(record!.resources).toBeUndefined();
  });

  it('authorises with IAM: Describe allowed, launches denied (DryRun included), stops allowed on one instance only', async () => {
    const iam = new IAMClient(server.clientConfig());
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
    const [mine, theirs] = (await ec2.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 2, MaxCount: 2 }))).Instances!.map((i) => i.InstanceId!);
    await iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'ec2', PolicyDocument: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' },
        { Effect: 'Allow', Action: 'ec2:StopInstances', Resource: `arn:aws:ec2:us-east-1:123456789012:instance/${mine}` },
      ],
    }) }));
    const asAlice = ec2Client(server, 'us-east-1', { credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! } });
    expect((await asAlice.send(new DescribeVpcsCommand({}))).Vpcs).toHaveLength(1);
    const denied = await expectError(asAlice.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1, DryRun: true })), 'UnauthorizedOperation',
      'You are not authorized to perform this operation.');
    expect(denied.$metadata?.httpStatusCode).toBe(403);
    await expectError(asAlice.send(new StopInstancesCommand({ InstanceIds: [mine!], DryRun: true })), 'DryRunOperation');
    await expectError(asAlice.send(new StopInstancesCommand({ InstanceIds: [theirs!] })), 'UnauthorizedOperation');
    expect((await asAlice.send(new StopInstancesCommand({ InstanceIds: [mine!] }))).StoppingInstances![0]!.CurrentState?.Name).toBe('stopping');
    const [record] = await ec2Records(server, 'RunInstances');
    expect(record).toMatchObject({ errorCode: 'Client.UnauthorizedOperation', userIdentity: { type: 'IAMUser', userName: 'alice' } });
    const unknown = await expectError(ec2Client(server, 'us-east-1', { credentials: { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'x' } }).send(new DescribeVpcsCommand({})), 'AuthFailure');
    expect(unknown.$metadata?.httpStatusCode).toBe(401);
  });
});
