import {
  AddUserToGroupCommand, AttachGroupPolicyCommand, AttachUserPolicyCommand, CreateAccessKeyCommand, CreateGroupCommand, CreateLoginProfileCommand,
  CreatePolicyCommand, CreatePolicyVersionCommand, CreateUserCommand, DeleteAccessKeyCommand, DeleteGroupCommand, DeletePolicyCommand,
  DeletePolicyVersionCommand, DeleteUserCommand, DeleteUserPolicyCommand, DetachUserPolicyCommand, GetAccessKeyLastUsedCommand,
  GetAccountPasswordPolicyCommand, GetAccountSummaryCommand, GetCredentialReportCommand, GenerateCredentialReportCommand, GetPolicyCommand,
  GetPolicyVersionCommand, GetUserCommand, GetUserPolicyCommand, IAMClient, ListAttachedUserPoliciesCommand, ListEntitiesForPolicyCommand,
  ListPoliciesCommand, ListPolicyVersionsCommand, ListUsersCommand, PutUserPermissionsBoundaryCommand, PutUserPolicyCommand,
  RemoveUserFromGroupCommand, SetDefaultPolicyVersionCommand, TagUserCommand, UpdateAccountPasswordPolicyCommand, UpdateUserCommand,
  CreateInstanceProfileCommand, CreateRoleCommand, AddRoleToInstanceProfileCommand, DeleteRoleCommand, GetInstanceProfileCommand,
  CreateServiceLinkedRoleCommand, DeleteServiceLinkedRoleCommand, GetServiceLinkedRoleDeletionStatusCommand, ListUserTagsCommand,
  DeleteLoginProfileCommand, RemoveRoleFromInstanceProfileCommand, DeleteInstanceProfileCommand, GetRoleCommand,
} from '@aws-sdk/client-iam';
import { CloudTrailClient, CreateTrailCommand, DescribeTrailsCommand, GetTrailStatusCommand, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ResourceChangedEntry } from '../src/services/resource-changes.js';
import { policyDocument } from './helpers/iam.js';
import { expectError, resetServer } from './helpers/assertions.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { s3Client } from './helpers/s3.js';
import { createTrailBucket } from './helpers/trail-destinations.js';

let server: TestServer;
let iam: IAMClient;

const doc = policyDocument;
const allow = (Action: string | string[], Resource: string | string[] = '*') => ({ Effect: 'Allow', Action, Resource });

beforeAll(async () => {
  server = await startTestServer();
  iam = new IAMClient(server.clientConfig());
});
afterAll(async () => server?.stop());
beforeEach(async () => resetServer(server));

/** A user with an access key, and clients that use it. */
async function userWithKey(name: string) {
  await iam.send(new CreateUserCommand({ UserName: name }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
  const credentials = { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
  const config = { endpoint: server.url, region: 'us-east-1', credentials };
  return { credentials, iam: new IAMClient(config), sts: new STSClient(config), cloudtrail: new CloudTrailClient(config) };
}

describe('IAM users', () => {
  it('creates, gets, lists (paginated), renames and deletes users', async () => {
    const created = await iam.send(new CreateUserCommand({ UserName: 'alice', Path: '/eng/', Tags: [{ Key: 'team', Value: 'red' }] }));
    expect(created.User).toMatchObject({ UserName: 'alice', Path: '/eng/', Arn: 'arn:aws:iam::123456789012:user/eng/alice', Tags: [{ Key: 'team', Value: 'red' }] });
    expect(created.User!.UserId).toMatch(/^AIDA[A-Z2-7]{16}$/);
    for (const name of ['bob', 'carol', 'dave']) await iam.send(new CreateUserCommand({ UserName: name }));
    const first = await iam.send(new ListUsersCommand({ MaxItems: 3 }));
    expect(first.Users!.map((u) => u.UserName)).toEqual(['alice', 'bob', 'carol']);
    expect(first.IsTruncated).toBe(true);
    const second = await iam.send(new ListUsersCommand({ MaxItems: 3, Marker: first.Marker }));
    expect(second.Users!.map((u) => u.UserName)).toEqual(['dave']);
    expect(second.IsTruncated).toBe(false);
    expect((await iam.send(new ListUsersCommand({ PathPrefix: '/eng/' }))).Users!.map((u) => u.UserName)).toEqual(['alice']);
    await iam.send(new UpdateUserCommand({ UserName: 'dave', NewUserName: 'david' }));
    expect((await iam.send(new GetUserCommand({ UserName: 'david' }))).User!.Arn).toBe('arn:aws:iam::123456789012:user/david');
    await iam.send(new TagUserCommand({ UserName: 'david', Tags: [{ Key: 'k', Value: 'v' }] }));
    expect((await iam.send(new ListUserTagsCommand({ UserName: 'david' }))).Tags).toEqual([{ Key: 'k', Value: 'v' }]);
    await iam.send(new DeleteUserCommand({ UserName: 'david' }));
    await expectError(iam.send(new GetUserCommand({ UserName: 'david' })), 'NoSuchEntityException', 'The user with name david cannot be found.');
  });

  it('answers bad input with IAM errors', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    const dup = await expectError(iam.send(new CreateUserCommand({ UserName: 'ALICE' })), 'EntityAlreadyExistsException', 'User with name ALICE already exists.');
    expect(dup.$metadata?.httpStatusCode).toBe(409);
    await expectError(iam.send(new CreateUserCommand({ UserName: 'bad name' })), 'ValidationError',
      "1 validation error detected: Value 'bad name' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+");
    await expectError(iam.send(new CreateUserCommand({ UserName: 'x'.repeat(65) })), 'ValidationError', 'Member must have length less than or equal to 64');
    await expectError(iam.send(new CreateUserCommand({ UserName: 'p', Path: 'nope' })), 'ValidationError', 'The specified value for path is invalid.');
    await expectError(iam.send(new ListUsersCommand({ Marker: 'garbage' })), 'ValidationError', 'Invalid Marker.');
  });

  it('refuses to delete a user that still has keys, policies, groups or a login profile (DeleteConflict)', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    await iam.send(new CreateGroupCommand({ GroupName: 'devs' }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
    await iam.send(new CreateLoginProfileCommand({ UserName: 'alice', Password: 'Correct-Horse-9' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'p', PolicyDocument: doc(allow('s3:*')) }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
    await iam.send(new AddUserToGroupCommand({ UserName: 'alice', GroupName: 'devs' }));
    const steps: [string, () => Promise<unknown>][] = [
      ['Cannot delete entity, must delete login profile first.', () => iam.send(new DeleteLoginProfileCommand({ UserName: 'alice' }))],
      ['Cannot delete entity, must delete access keys first.', () => iam.send(new DeleteAccessKeyCommand({ UserName: 'alice', AccessKeyId: AccessKey!.AccessKeyId }))],
      ['Cannot delete entity, must delete policies first.', () => iam.send(new DeleteUserPolicyCommand({ UserName: 'alice', PolicyName: 'p' }))],
      ['Cannot delete entity, must detach all policies first.', () => iam.send(new DetachUserPolicyCommand({ UserName: 'alice', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }))],
      ['Cannot delete entity, must remove user from all groups first.', () => iam.send(new RemoveUserFromGroupCommand({ UserName: 'alice', GroupName: 'devs' }))],
    ];
    for (const [message, fix] of steps) {
      const error = await expectError(iam.send(new DeleteUserCommand({ UserName: 'alice' })), 'DeleteConflictException', message);
      expect(error.$metadata?.httpStatusCode).toBe(409);
      await fix();
    }
    await iam.send(new DeleteUserCommand({ UserName: 'alice' }));
    await iam.send(new DeleteGroupCommand({ GroupName: 'devs' }));
  });
});

describe('IAM policies', () => {
  it('manages customer policies, versions and attachment counts', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: 'read-trails', PolicyDocument: doc(allow('cloudtrail:Describe*')) }));
    expect(Policy).toMatchObject({ Arn: 'arn:aws:iam::123456789012:policy/read-trails', DefaultVersionId: 'v1', AttachmentCount: 0, IsAttachable: true });
    await iam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: Policy!.Arn }));
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: Policy!.Arn }))).Policy!.AttachmentCount).toBe(1);
    const v2 = await iam.send(new CreatePolicyVersionCommand({ PolicyArn: Policy!.Arn, PolicyDocument: doc(allow('cloudtrail:*')), SetAsDefault: true }));
    expect(v2.PolicyVersion).toMatchObject({ VersionId: 'v2', IsDefaultVersion: true });
    const version = await iam.send(new GetPolicyVersionCommand({ PolicyArn: Policy!.Arn, VersionId: 'v2' }));
    expect(JSON.parse(decodeURIComponent(version.PolicyVersion!.Document!))).toEqual(JSON.parse(doc(allow('cloudtrail:*'))));
    expect((await iam.send(new ListPolicyVersionsCommand({ PolicyArn: Policy!.Arn }))).Versions!.map((v) => v.VersionId)).toEqual(['v2', 'v1']);
    await expectError(iam.send(new DeletePolicyVersionCommand({ PolicyArn: Policy!.Arn, VersionId: 'v2' })), 'DeleteConflictException', 'Cannot delete the default version of a policy.');
    await iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: Policy!.Arn, VersionId: 'v1' }));
    await iam.send(new DeletePolicyVersionCommand({ PolicyArn: Policy!.Arn, VersionId: 'v2' }));
    for (let i = 0; i < 4; i++) await iam.send(new CreatePolicyVersionCommand({ PolicyArn: Policy!.Arn, PolicyDocument: doc(allow('s3:*')) }));
    await expectError(iam.send(new CreatePolicyVersionCommand({ PolicyArn: Policy!.Arn, PolicyDocument: doc(allow('s3:*')) })), 'LimitExceededException', 'A managed policy can have up to 5 versions.');
    await expectError(iam.send(new DeletePolicyCommand({ PolicyArn: Policy!.Arn })), 'DeleteConflictException', 'Cannot delete a policy attached to entities.');
    expect((await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: Policy!.Arn }))).PolicyUsers!.map((u) => u.UserName)).toEqual(['alice']);
    await iam.send(new DetachUserPolicyCommand({ UserName: 'alice', PolicyArn: Policy!.Arn }));
    expect((await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'alice' }))).AttachedPolicies).toEqual([]);
  });

  it('serves the AWS managed policies with their real documents', async () => {
    const local = await iam.send(new ListPoliciesCommand({ Scope: 'AWS', MaxItems: 1000 }));
    const names = local.Policies!.map((p) => p.PolicyName);
    for (const name of ['AdministratorAccess', 'PowerUserAccess', 'ReadOnlyAccess', 'IAMFullAccess', 'AmazonS3FullAccess', 'AmazonS3ReadOnlyAccess',
      'AmazonEC2FullAccess', 'AWSCloudTrail_FullAccess', 'AWS_ConfigRole', 'AWSConfigServiceRolePolicy']) expect(names).toContain(name);
    const power = await iam.send(new GetPolicyVersionCommand({ PolicyArn: 'arn:aws:iam::aws:policy/PowerUserAccess', VersionId: 'v12' }));
    expect(JSON.parse(decodeURIComponent(power.PolicyVersion!.Document!)).Statement[0].NotAction).toEqual(['iam:*', 'organizations:*', 'account:*']);
    const config = await iam.send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWS_ConfigRole' }));
    expect(config.Policy).toMatchObject({ PolicyName: 'AWS_ConfigRole', Path: '/service-role/' });
    await expectError(iam.send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/NoSuchPolicy' })), 'NoSuchEntityException', 'Policy arn:aws:iam::aws:policy/NoSuchPolicy was not found.');
  });

  it('rejects malformed, oversized and unknown-operator policies with AWS errors', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    await expectError(iam.send(new CreatePolicyCommand({ PolicyName: 'p', PolicyDocument: '{"Version":' })), 'MalformedPolicyDocumentException', 'Syntax errors in policy.');
    await expectError(iam.send(new CreatePolicyCommand({ PolicyName: 'p', PolicyDocument: JSON.stringify({ Statement: [allow('s3:*')] }) })),
      'MalformedPolicyDocumentException', 'Policy document must be version 2012-10-17 or greater.');
    await expectError(iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'p', PolicyDocument: doc({ ...allow('s3:*'), Condition: { StringEqualz: { 'aws:username': 'x' } } }) })),
      'MalformedPolicyDocumentException', 'Syntax errors in policy.');
    await expectError(iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'p', PolicyDocument: doc({ ...allow('s3:*'), Principal: '*' }) })),
      'MalformedPolicyDocumentException', 'Policy document should not specify a principal.');
    const many = Array.from({ length: 500 }, (_, i) => `s3:Action${i}`);
    await expectError(iam.send(new CreatePolicyCommand({ PolicyName: 'big', PolicyDocument: doc(allow(many)) })), 'LimitExceededException', 'Cannot exceed quota for PolicySize: 6144');
    await expectError(iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'big', PolicyDocument: doc(allow(many.slice(0, 150))) })),
      'LimitExceededException', 'Maximum policy size of 2048 bytes exceeded for user alice');
    await iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'ok', PolicyDocument: doc(allow('s3:GetObject')) }));
    const got = await iam.send(new GetUserPolicyCommand({ UserName: 'alice', PolicyName: 'ok' }));
    expect(decodeURIComponent(got.PolicyDocument!)).toBe(doc(allow('s3:GetObject')));
  });
});

describe('authorisation of every call', () => {
  it('allows what policies allow, denies the rest with AWS messages, and records denials', async () => {
    const alice = await userWithKey('alice');
    await iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'trails', PolicyDocument: doc(allow(['cloudtrail:DescribeTrails', 'cloudtrail:LookupEvents'])) }));
    expect((await alice.cloudtrail.send(new DescribeTrailsCommand({}))).trailList).toEqual([]);
    const denied = await expectError(alice.iam.send(new CreateUserCommand({ UserName: 'mallory' })), 'AccessDenied',
      'User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::123456789012:user/mallory because no identity-based policy allows the iam:CreateUser action');
    expect(denied.$metadata?.httpStatusCode).toBe(403);
    const history = await alice.cloudtrail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateUser' }] }));
    const record = history.Events!.map((e) => JSON.parse(e.CloudTrailEvent!)).find((r) => r.errorCode === 'AccessDenied');
    expect(record).toMatchObject({ eventSource: 'iam.amazonaws.com', awsRegion: 'us-east-1', userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::123456789012:user/alice', userName: 'alice' } });
    expect(record.errorMessage).toContain('is not authorized to perform: iam:CreateUser');
    await expectError(alice.iam.send(new CreateUserCommand({ UserName: 'bad name' })), 'ValidationError', "at 'userName' failed to satisfy constraint");
  });

  it('scopes CloudTrail permissions to trail ARNs', async () => {
    const alice = await userWithKey('alice');
    const root = new CloudTrailClient(server.clientConfig());
    await createTrailBucket(s3Client(server, 'eu-west-1'), 'audit-bucket');
    await root.send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'audit-bucket' }));
    await root.send(new CreateTrailCommand({ Name: 'other', S3BucketName: 'audit-bucket' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'main-only', PolicyDocument: doc(allow('cloudtrail:GetTrailStatus', 'arn:aws:cloudtrail:us-east-1:123456789012:trail/main')) }));
    expect((await alice.cloudtrail.send(new GetTrailStatusCommand({ Name: 'main' }))).IsLogging).toBe(false);
    await expectError(alice.cloudtrail.send(new GetTrailStatusCommand({ Name: 'other' })), 'AccessDeniedException',
      'on resource: arn:aws:cloudtrail:us-east-1:123456789012:trail/other because no identity-based policy allows the cloudtrail:GetTrailStatus action');
  });

  it('applies group policies, explicit denies and boundaries, and a change takes effect on the next call', async () => {
    const alice = await userWithKey('alice');
    await iam.send(new CreateGroupCommand({ GroupName: 'admins' }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'admins', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
    await expectError(alice.iam.send(new ListUsersCommand({})), 'AccessDenied');
    await iam.send(new AddUserToGroupCommand({ UserName: 'alice', GroupName: 'admins' }));
    expect((await alice.iam.send(new ListUsersCommand({}))).Users!.length).toBe(1);
    await iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'no-delete', PolicyDocument: doc({ Effect: 'Deny', Action: 'iam:DeleteUser', Resource: '*' }) }));
    await expectError(alice.iam.send(new DeleteUserCommand({ UserName: 'alice' })), 'AccessDenied', 'with an explicit deny in an identity-based policy');
    await iam.send(new CreatePolicyCommand({ PolicyName: 'only-trails', PolicyDocument: doc(allow('cloudtrail:*')) }));
    await iam.send(new PutUserPermissionsBoundaryCommand({ UserName: 'alice', PermissionsBoundary: 'arn:aws:iam::123456789012:policy/only-trails' }));
    await expectError(alice.iam.send(new ListUsersCommand({})), 'AccessDenied', 'because no permissions boundary allows the iam:ListUsers action');
    await alice.cloudtrail.send(new DescribeTrailsCommand({}));
  });

  it('reads aws:ResourceTag from IAM roles', async () => {
    const alice = await userWithKey('alice');
    const trust = doc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' });
    await iam.send(new CreateRoleCommand({ RoleName: 'red', AssumeRolePolicyDocument: trust, Tags: [{ Key: 'team', Value: 'red' }] }));
    await iam.send(new CreateRoleCommand({ RoleName: 'blue', AssumeRolePolicyDocument: trust, Tags: [{ Key: 'team', Value: 'blue' }] }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'red', PolicyDocument: doc({ ...allow('iam:GetRole'), Condition: { StringEquals: { 'aws:ResourceTag/team': 'red' } } }) }));
    expect((await alice.iam.send(new GetRoleCommand({ RoleName: 'red' }))).Role!.Tags).toEqual([{ Key: 'team', Value: 'red' }]);
    await expectError(alice.iam.send(new GetRoleCommand({ RoleName: 'blue' })), 'AccessDenied', 'iam:GetRole on resource: arn:aws:iam::123456789012:role/blue');
  });

  it('substitutes ${aws:username} and keeps AccessKeyLastUsed current', async () => {
    const alice = await userWithKey('alice');
    await iam.send(new CreateUserCommand({ UserName: 'bob' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'self', PolicyDocument: doc(allow(['iam:GetUser', 'iam:GetAccessKeyLastUsed'], 'arn:aws:iam::123456789012:user/${aws:username}')) }));
    expect((await alice.iam.send(new GetUserCommand({}))).User!.UserName).toBe('alice');
    await expectError(alice.iam.send(new GetUserCommand({ UserName: 'bob' })), 'AccessDenied');
    const used = await alice.iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: alice.credentials.accessKeyId }));
    expect(used).toMatchObject({ UserName: 'alice', AccessKeyLastUsed: { ServiceName: 'iam', Region: 'us-east-1' } });
  });

  it('lets root do anything, and open mode skips authorisation', async () => {
    expect((await iam.send(new GetAccountSummaryCommand({}))).SummaryMap!.Users).toBe(0);
    const open = await startTestServer({ auth: 'open' });
    try {
      const root = new IAMClient(open.clientConfig());
      await root.send(new CreateUserCommand({ UserName: 'alice' }));
      const { AccessKey } = await root.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
      const alice = new IAMClient({ endpoint: open.url, region: 'us-east-1', credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: 'x' } });
      await alice.send(new CreateUserCommand({ UserName: 'bob' }));
      const who = await new STSClient({ endpoint: open.url, region: 'us-east-1', credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: 'x' } }).send(new GetCallerIdentityCommand({}));
      expect(who.Arn).toBe('arn:aws:iam::123456789012:user/alice');
    } finally {
      await open.stop();
    }
  });
});

describe('account settings, reports, roles and instance profiles', () => {
  it('keeps the password policy, the summary and the credential report', async () => {
    await expectError(iam.send(new GetAccountPasswordPolicyCommand({})), 'NoSuchEntityException', 'The Password Policy with domain name 123456789012 cannot be found.');
    await iam.send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 14, RequireSymbols: true }));
    expect((await iam.send(new GetAccountPasswordPolicyCommand({}))).PasswordPolicy).toMatchObject({ MinimumPasswordLength: 14, RequireSymbols: true, RequireNumbers: false });
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    await expectError(iam.send(new CreateLoginProfileCommand({ UserName: 'alice', Password: 'short' })), 'PasswordPolicyViolationException');
    await expectError(iam.send(new GetCredentialReportCommand({})), 'CredentialReportNotPresentException');
    expect((await iam.send(new GenerateCredentialReportCommand({}))).State).toBe('COMPLETE');
    const report = Buffer.from((await iam.send(new GetCredentialReportCommand({}))).Content!).toString('utf8').split('\n');
    expect(report[0]).toMatch(/^user,arn,user_creation_time,password_enabled,/);
    expect(report[1]).toMatch(/^<root_account>,arn:aws:iam::123456789012:root,/);
    expect(report[2]).toMatch(/^alice,arn:aws:iam::123456789012:user\/alice,/);
    const summary = (await iam.send(new GetAccountSummaryCommand({}))).SummaryMap!;
    expect(summary).toMatchObject({ Users: 1, UsersQuota: 5000, AccountAccessKeysPresent: 1 });
  });

  it('handles instance profiles and service-linked roles', async () => {
    const trust = doc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' });
    await iam.send(new CreateRoleCommand({ RoleName: 'web', AssumeRolePolicyDocument: trust }));
    expect(decodeURIComponent((await iam.send(new GetRoleCommand({ RoleName: 'web' }))).Role!.AssumeRolePolicyDocument!)).toBe(trust);
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'web' }));
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'web', RoleName: 'web' }));
    expect((await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'web' }))).InstanceProfile!.Roles!.map((r) => r.RoleName)).toEqual(['web']);
    await expectError(iam.send(new DeleteRoleCommand({ RoleName: 'web' })), 'DeleteConflictException', 'Cannot delete entity, must remove roles from instance profile first.');
    await iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: 'web', RoleName: 'web' }));
    await iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'web' }));
    await iam.send(new DeleteRoleCommand({ RoleName: 'web' }));
    await expectError(iam.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: doc({ ...allow('sts:AssumeRole'), Principal: '*' }) })),
      'MalformedPolicyDocumentException', 'Has prohibited field Resource.');
    const slr = await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'config.amazonaws.com' }));
    expect(slr.Role).toMatchObject({ RoleName: 'AWSServiceRoleForConfig', Path: '/aws-service-role/config.amazonaws.com/' });
    await expectError(iam.send(new DeleteRoleCommand({ RoleName: 'AWSServiceRoleForConfig' })), 'UnmodifiableEntityException');
    const { DeletionTaskId } = await iam.send(new DeleteServiceLinkedRoleCommand({ RoleName: 'AWSServiceRoleForConfig' }));
    expect((await iam.send(new GetServiceLinkedRoleDeletionStatusCommand({ DeletionTaskId }))).Status).toBe('SUCCEEDED');
  });

  it('puts every IAM mutation in the outbox with the causing eventID', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    await iam.send(new CreatePolicyCommand({ PolicyName: 'p', PolicyDocument: doc(allow('s3:*')) }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: 'arn:aws:iam::123456789012:policy/p' }));
    await iam.send(new DetachUserPolicyCommand({ UserName: 'alice', PolicyArn: 'arn:aws:iam::123456789012:policy/p' }));
    await iam.send(new DeleteUserCommand({ UserName: 'alice' }));
    const entries = await server.app.store.read((tx) => tx.outbox.readAfter(0, 100));
    const changes = entries.map((e) => e.payload as ResourceChangedEntry);
    expect(changes.map((c) => [c.resourceType, c.resourceName, c.deleted ?? false])).toEqual([
      ['AWS::IAM::User', 'alice', false], ['AWS::IAM::Policy', 'p', false],
      ['AWS::IAM::User', 'alice', false], ['AWS::IAM::Policy', 'p', false],
      ['AWS::IAM::User', 'alice', false], ['AWS::IAM::Policy', 'p', false],
      ['AWS::IAM::User', 'alice', true],
    ]);
    expect(entries.every((e) => e.region === 'us-east-1')).toBe(true);
    const history = await new CloudTrailClient(server.clientConfig()).send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateUser' }] }));
    expect(changes[0]!.eventId).toBe(history.Events![0]!.EventId);
    expect(history.Events![0]!.Resources).toEqual([{ ResourceType: 'AWS::IAM::User', ResourceName: 'alice' }]);
  });
});
