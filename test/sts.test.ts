import {
  CreateAccessKeyCommand, CreateRoleCommand, CreateUserCommand, CreateVirtualMFADeviceCommand, DeactivateMFADeviceCommand, DeleteVirtualMFADeviceCommand,
  EnableMFADeviceCommand, IAMClient, ListMFADevicesCommand, ListVirtualMFADevicesCommand, PutRolePolicyCommand, PutUserPolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { CloudTrailClient, DescribeTrailsCommand, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { totp } from '../src/services/iam/totp.js';
import { policyDocument } from './helpers/iam.js';
import { expectError, resetServer } from './helpers/assertions.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const ACCOUNT = '123456789012';
const doc = policyDocument;
const trusting = (principal: string, extra: object = {}) => doc({ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole', ...extra });

/** A clock the test moves; clients sign with the same offset, so only credential expiry notices. */
const clock = { offset: 0, now: () => Date.now() + clock.offset };
let server: TestServer;
let iam: IAMClient;

beforeAll(async () => {
  server = await startTestServer({}, { clock });
  iam = new IAMClient(server.clientConfig());
});
afterAll(async () => server?.stop());
beforeEach(async () => {
  clock.offset = 0;
  await resetServer(server);
});

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
const config = (credentials: Creds) => ({ endpoint: server.url, region: 'us-east-1', credentials, systemClockOffset: clock.offset });
const fromSts = (c: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string }): Creds =>
  ({ accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken });

async function alice(): Promise<Creds> {
  await iam.send(new CreateUserCommand({ UserName: 'alice' }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
  return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
}

async function auditorRole(trust: string): Promise<string> {
  const { Role } = await iam.send(new CreateRoleCommand({ RoleName: 'auditor', AssumeRolePolicyDocument: trust, MaxSessionDuration: 7200 }));
  await iam.send(new PutRolePolicyCommand({ RoleName: 'auditor', PolicyName: 'read', PolicyDocument: doc({ Effect: 'Allow', Action: 'cloudtrail:*', Resource: '*' }) }));
  return Role!.Arn!;
}

describe('AssumeRole', () => {
  it('issues role credentials whose calls are AssumedRole with a full sessionContext', async () => {
    const roleArn = await auditorRole(trusting(`arn:aws:iam::${ACCOUNT}:user/alice`));
    const sts = new STSClient(config(await alice()));
    await expectError(sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'audit-1', SourceIdentity: 'alice-laptop' })), 'AccessDenied',
      `User: arn:aws:iam::${ACCOUNT}:user/alice is not authorized to perform: sts:SetSourceIdentity on resource: ${roleArn}`);
    await iam.send(new UpdateAssumeRolePolicyCommand({
      RoleName: 'auditor',
      PolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/alice` }, Action: ['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:TagSession'] }),
    }));
    await iam.send(new PutRolePolicyCommand({
      RoleName: 'auditor', PolicyName: 'team-only',
      PolicyDocument: doc({ Effect: 'Deny', Action: 'cloudtrail:*', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalTag/team': 'audit' } } }),
    }));
    const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'audit-1', SourceIdentity: 'alice-laptop', Tags: [{ Key: 'team', Value: 'audit' }] }));
    expect(assumed.Credentials!.AccessKeyId).toMatch(/^ASIA/);
    expect(assumed.AssumedRoleUser!.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/auditor/audit-1`);
    expect(assumed.AssumedRoleUser!.AssumedRoleId).toMatch(/^AROA[A-Z2-7]{16}:audit-1$/);
    const role = config(fromSts(assumed.Credentials!));
    const who = await new STSClient(role).send(new GetCallerIdentityCommand({}));
    expect(who).toMatchObject({ Arn: assumed.AssumedRoleUser!.Arn, UserId: assumed.AssumedRoleUser!.AssumedRoleId, Account: ACCOUNT });
    const trail = new CloudTrailClient(role);
    await trail.send(new DescribeTrailsCommand({}));
    await expectError(new IAMClient(role).send(new CreateUserCommand({ UserName: 'x' })), 'AccessDenied',
      `User: arn:aws:sts::${ACCOUNT}:assumed-role/auditor/audit-1 is not authorized to perform: iam:CreateUser`);
    const events = await trail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'DescribeTrails' }] }));
    expect(events.Events![0]!.Username).toBe('audit-1');
    const record = JSON.parse(events.Events![0]!.CloudTrailEvent!);
    expect(record.userIdentity).toMatchObject({
      type: 'AssumedRole',
      principalId: assumed.AssumedRoleUser!.AssumedRoleId,
      arn: assumed.AssumedRoleUser!.Arn,
      accountId: ACCOUNT,
      accessKeyId: assumed.Credentials!.AccessKeyId,
      sessionContext: {
        sessionIssuer: { type: 'Role', principalId: assumed.AssumedRoleUser!.AssumedRoleId!.split(':')[0], arn: roleArn, accountId: ACCOUNT, userName: 'auditor' },
        attributes: { mfaAuthenticated: 'false' },
        sourceIdentity: 'alice-laptop',
      },
    });
    expect(record.userIdentity.sessionContext.attributes.creationDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const assumeRecords = await trail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'AssumeRole' }] }));
    const granted = assumeRecords.Events!.map((e) => JSON.parse(e.CloudTrailEvent!)).find((r) => !r.errorCode);
    expect(granted.responseElements.credentials).toEqual({ accessKeyId: assumed.Credentials!.AccessKeyId, sessionToken: assumed.Credentials!.SessionToken, expiration: expect.any(String) });
    expect(granted.responseElements.assumedRoleUser.arn).toBe(assumed.AssumedRoleUser!.Arn);
    const untagged = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'audit-2' }));
    await expectError(new CloudTrailClient(config(fromSts(untagged.Credentials!))).send(new DescribeTrailsCommand({})), 'AccessDeniedException',
      'with an explicit deny in an identity-based policy');
  });

  it('enforces the trust policy, ExternalId, durations and root', async () => {
    const roleArn = await auditorRole(trusting(ACCOUNT, { Condition: { StringEquals: { 'sts:ExternalId': 'secret-42' } } }));
    const user = await alice();
    const sts = new STSClient(config(user));
    await expectError(sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'ss', ExternalId: 'secret-42' })), 'AccessDenied',
      `User: arn:aws:iam::${ACCOUNT}:user/alice is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
    await iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'assume', PolicyDocument: doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: roleArn }) }));
    await expectError(sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'ss', ExternalId: 'wrong' })), 'AccessDenied');
    await expectError(sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'ss' })), 'AccessDenied');
    await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'ss', ExternalId: 'secret-42', DurationSeconds: 7200 }));
    await expectError(sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'ss', ExternalId: 'secret-42', DurationSeconds: 7201 })),
      'ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
    await expectError(sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'x' })), 'ValidationError', "at 'roleSessionName' failed to satisfy constraint");
    await expectError(sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'ss', ExternalId: 'secret-42', Policy: '{' })),
      'MalformedPolicyDocumentException', 'Syntax errors in policy.');
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'auditor', PolicyDocument: trusting(`arn:aws:iam::${ACCOUNT}:root`) }));
    await expectError(new STSClient(server.clientConfig()).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'root' })),
      'AccessDenied', 'Roles may not be assumed by root accounts.');
  });

  it('narrows a session with a session policy, and credentials expire', async () => {
    const roleArn = await auditorRole(trusting(`arn:aws:iam::${ACCOUNT}:user/alice`));
    const sts = new STSClient(config(await alice()));
    const narrowed = await sts.send(new AssumeRoleCommand({
      RoleArn: roleArn, RoleSessionName: 'narrow', DurationSeconds: 900,
      Policy: doc({ Effect: 'Allow', Action: 'cloudtrail:LookupEvents', Resource: '*' }),
    }));
    const trail = new CloudTrailClient(config(fromSts(narrowed.Credentials!)));
    await trail.send(new LookupEventsCommand({}));
    await expectError(trail.send(new DescribeTrailsCommand({})), 'AccessDeniedException', 'because no session policy allows the cloudtrail:DescribeTrails action');
    clock.offset = 901_000;
    const later = new STSClient(config(fromSts(narrowed.Credentials!)));
    await expectError(later.send(new GetCallerIdentityCommand({})), 'ExpiredToken', 'The security token included in the request is expired');
  });
});

describe('GetSessionToken and virtual MFA', () => {
  it('enables a device with two codes, issues MFA sessions, and rejects a replayed code', async () => {
    const user = await alice();
    const { VirtualMFADevice } = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'alice-phone' }));
    const serial = VirtualMFADevice!.SerialNumber!;
    expect(serial).toBe(`arn:aws:iam::${ACCOUNT}:mfa/alice-phone`);
    const seed = Buffer.from(VirtualMFADevice!.Base32StringSeed!).toString('utf8');
    expect(seed).toMatch(/^[A-Z2-7]{64}$/);
    const now = Date.now();
    await expectError(iam.send(new EnableMFADeviceCommand({ UserName: 'alice', SerialNumber: serial, AuthenticationCode1: '000000', AuthenticationCode2: '000000' })),
      'InvalidAuthenticationCodeException', 'Authentication code for device is not valid.');
    await iam.send(new EnableMFADeviceCommand({ UserName: 'alice', SerialNumber: serial, AuthenticationCode1: totp(seed, now - 30_000), AuthenticationCode2: totp(seed, now) }));
    expect((await iam.send(new ListMFADevicesCommand({ UserName: 'alice' }))).MFADevices!.map((d) => d.SerialNumber)).toEqual([serial]);
    expect((await iam.send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Assigned' }))).VirtualMFADevices![0]!.User!.UserName).toBe('alice');

    const sts = new STSClient(config(user));
    const code = totp(seed, now + 30_000);
    const session = await sts.send(new GetSessionTokenCommand({ SerialNumber: serial, TokenCode: code, DurationSeconds: 900 }));
    await expectError(sts.send(new GetSessionTokenCommand({ SerialNumber: serial, TokenCode: code })), 'AccessDenied',
      'MultiFactorAuthentication failed with invalid MFA one time pass code.');
    const mfaSession = config(fromSts(session.Credentials!));
    expect((await new STSClient(mfaSession).send(new GetCallerIdentityCommand({}))).Arn).toBe(`arn:aws:iam::${ACCOUNT}:user/alice`);
    await expectError(new STSClient(mfaSession).send(new GetSessionTokenCommand({})), 'AccessDenied', 'Cannot call GetSessionToken with session credentials');
    await iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'mfa', PolicyDocument: doc({ Effect: 'Allow', Action: 'cloudtrail:*', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }) }));
    await expectError(new CloudTrailClient(config(user)).send(new DescribeTrailsCommand({})), 'AccessDeniedException');
    const trail = new CloudTrailClient(mfaSession);
    await trail.send(new DescribeTrailsCommand({}));
    const record = JSON.parse((await trail.send(new LookupEventsCommand({ MaxResults: 1 }))).Events![0]!.CloudTrailEvent!);
    expect(record.userIdentity).toMatchObject({ type: 'IAMUser', userName: 'alice', sessionContext: { attributes: { mfaAuthenticated: 'true' } } });

    await expectError(iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serial })), 'DeleteConflictException');
    await iam.send(new DeactivateMFADeviceCommand({ UserName: 'alice', SerialNumber: serial }));
    await iam.send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serial }));
  });
});
