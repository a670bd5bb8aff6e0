/**
 * The authoriser reuses a principal's parsed policies between calls; every kind of IAM change must
 * still apply to the very next call. Each case first makes an allowed (or denied) call, so that the
 * principal's policies are cached, then changes IAM, then expects the opposite answer at once.
 */
import {
  AddUserToGroupCommand, AttachGroupPolicyCommand, AttachRolePolicyCommand, AttachUserPolicyCommand, CreateAccessKeyCommand, CreateGroupCommand,
  CreatePolicyCommand, CreatePolicyVersionCommand, CreateRoleCommand, CreateUserCommand, DeleteGroupPolicyCommand, DeletePolicyVersionCommand,
  DeleteRolePolicyCommand, DeleteUserPermissionsBoundaryCommand, DeleteUserPolicyCommand, DetachRolePolicyCommand, DetachUserPolicyCommand,
  IAMClient, PutGroupPolicyCommand, PutRolePolicyCommand, PutUserPermissionsBoundaryCommand, PutUserPolicyCommand, RemoveUserFromGroupCommand,
  SetDefaultPolicyVersionCommand, TagUserCommand, UntagUserCommand,
} from '@aws-sdk/client-iam';
import { CloudTrailClient, DescribeTrailsCommand } from '@aws-sdk/client-cloudtrail';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectError, resetServer } from './helpers/assertions.js';
import { startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
let iam: IAMClient;

const ACCOUNT = '123456789012';
const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const trails = (Effect = 'Allow', extra: object = {}) => doc({ Effect, Action: 'cloudtrail:DescribeTrails', Resource: '*', ...extra });
const nothing = doc({ Effect: 'Allow', Action: 'sns:ListTopics', Resource: '*' });

beforeAll(async () => {
  server = await startTestServer();
  iam = new IAMClient(server.clientConfig());
});
afterAll(async () => server?.stop());
beforeEach(async () => resetServer(server));

/** A user's access key. */
async function userKey(name: string): Promise<{ accessKeyId: string; secretAccessKey: string }> {
  await iam.send(new CreateUserCommand({ UserName: name }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
  return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
}

/** A user with a key, and a CloudTrail client that signs as the user. */
async function user(name: string): Promise<CloudTrailClient> {
  return new CloudTrailClient({ endpoint: server.url, region: 'us-east-1', credentials: await userKey(name) });
}

const allowed = async (client: CloudTrailClient) => expect((await client.send(new DescribeTrailsCommand({}))).trailList).toEqual([]);
const denied = (client: CloudTrailClient, message?: string) => expectError(client.send(new DescribeTrailsCommand({})), 'AccessDeniedException', message);

describe('a policy change applies to the very next call', () => {
  it('inline user policies: put, replace, delete', async () => {
    const alice = await user('alice');
    await denied(alice);
    await iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'p', PolicyDocument: trails() }));
    await allowed(alice);
    await iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'p', PolicyDocument: nothing }));
    await denied(alice);
    await iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'p', PolicyDocument: trails() }));
    await allowed(alice);
    await iam.send(new DeleteUserPolicyCommand({ UserName: 'alice', PolicyName: 'p' }));
    await denied(alice);
  });

  it('managed policies: attach, new default version, set default back, delete a version, detach', async () => {
    const alice = await user('alice');
    const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: 'trails', PolicyDocument: trails() }));
    const arn = Policy!.Arn!;
    await denied(alice);
    await iam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: arn }));
    await allowed(alice);
    await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: nothing, SetAsDefault: true }));
    await denied(alice);
    await iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }));
    await allowed(alice);
    await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: trails('Deny'), SetAsDefault: true }));
    await denied(alice, 'with an explicit deny in an identity-based policy');
    await iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }));
    await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v3' }));
    await allowed(alice);
    await iam.send(new DetachUserPolicyCommand({ UserName: 'alice', PolicyArn: arn }));
    await denied(alice);
  });

  it('groups: membership, group inline policies and group managed policies', async () => {
    const alice = await user('alice');
    await iam.send(new CreateGroupCommand({ GroupName: 'auditors' }));
    await iam.send(new PutGroupPolicyCommand({ GroupName: 'auditors', PolicyName: 'p', PolicyDocument: trails() }));
    await denied(alice);
    await iam.send(new AddUserToGroupCommand({ GroupName: 'auditors', UserName: 'alice' }));
    await allowed(alice);
    await iam.send(new DeleteGroupPolicyCommand({ GroupName: 'auditors', PolicyName: 'p' }));
    await denied(alice);
    const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: 'trails', PolicyDocument: trails() }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'auditors', PolicyArn: Policy!.Arn! }));
    await allowed(alice);
    await iam.send(new CreatePolicyVersionCommand({ PolicyArn: Policy!.Arn!, PolicyDocument: nothing, SetAsDefault: true }));
    await denied(alice);
    await iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: Policy!.Arn!, VersionId: 'v1' }));
    await allowed(alice);
    await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'auditors', UserName: 'alice' }));
    await denied(alice);
  });

  it('permissions boundaries: set, its policy changed, removed', async () => {
    const alice = await user('alice');
    await iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'p', PolicyDocument: trails() }));
    const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: 'boundary', PolicyDocument: nothing }));
    await allowed(alice);
    await iam.send(new PutUserPermissionsBoundaryCommand({ UserName: 'alice', PermissionsBoundary: Policy!.Arn! }));
    await denied(alice, 'because no permissions boundary allows the cloudtrail:DescribeTrails action');
    await iam.send(new CreatePolicyVersionCommand({ PolicyArn: Policy!.Arn!, PolicyDocument: trails(), SetAsDefault: true }));
    await allowed(alice);
    await iam.send(new PutUserPermissionsBoundaryCommand({ UserName: 'alice', PermissionsBoundary: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' }));
    await denied(alice, 'because no permissions boundary allows the cloudtrail:DescribeTrails action');
    await iam.send(new DeleteUserPermissionsBoundaryCommand({ UserName: 'alice' }));
    await allowed(alice);
  });

  it('aws:PrincipalTag conditions follow the user\'s tags', async () => {
    const alice = await user('alice');
    await iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'p', PolicyDocument: trails('Allow', { Condition: { StringEquals: { 'aws:PrincipalTag/team': 'audit' } } }) }));
    await denied(alice);
    await iam.send(new TagUserCommand({ UserName: 'alice', Tags: [{ Key: 'team', Value: 'audit' }] }));
    await allowed(alice);
    await iam.send(new UntagUserCommand({ UserName: 'alice', TagKeys: ['team'] }));
    await denied(alice);
  });

  it('role sessions follow their role\'s policies while the same session credentials are used', async () => {
    const trust = doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' });
    await iam.send(new CreateRoleCommand({ RoleName: 'auditor', AssumeRolePolicyDocument: trust }));
    const bob = await userKey('bob');
    await iam.send(new PutUserPolicyCommand({ UserName: 'bob', PolicyName: 'assume', PolicyDocument: doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }) }));
    const { Credentials } = await new STSClient({ endpoint: server.url, region: 'us-east-1', credentials: bob }).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/auditor`, RoleSessionName: 'audit' }));
    const session = new CloudTrailClient({
      endpoint: server.url, region: 'us-east-1',
      credentials: { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken! },
    });
    await denied(session);
    await iam.send(new PutRolePolicyCommand({ RoleName: 'auditor', PolicyName: 'p', PolicyDocument: trails() }));
    await allowed(session);
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'auditor', PolicyName: 'p' }));
    await denied(session);
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'auditor', PolicyArn: 'arn:aws:iam::aws:policy/AWSCloudTrail_ReadOnlyAccess' }));
    await allowed(session);
    await iam.send(new DetachRolePolicyCommand({ RoleName: 'auditor', PolicyArn: 'arn:aws:iam::aws:policy/AWSCloudTrail_ReadOnlyAccess' }));
    await denied(session);
  });
});
