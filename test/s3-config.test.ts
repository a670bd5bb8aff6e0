import {
  CreateBucketCommand, DeleteBucketEncryptionCommand, DeleteBucketPolicyCommand, DeleteBucketTaggingCommand, DeleteObjectCommand,
  DeletePublicAccessBlockCommand, GetBucketAclCommand, GetBucketCorsCommand, GetBucketEncryptionCommand, GetBucketLifecycleConfigurationCommand,
  GetBucketLoggingCommand, GetBucketNotificationConfigurationCommand, GetBucketOwnershipControlsCommand, GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand, GetBucketReplicationCommand, GetBucketTaggingCommand, GetBucketVersioningCommand, GetBucketWebsiteCommand,
  GetObjectAclCommand, GetObjectLockConfigurationCommand, GetObjectRetentionCommand, GetPublicAccessBlockCommand, HeadObjectCommand,
  PutBucketAclCommand, PutBucketCorsCommand, PutBucketEncryptionCommand, PutBucketLifecycleConfigurationCommand, PutBucketLoggingCommand,
  PutBucketNotificationConfigurationCommand, PutBucketOwnershipControlsCommand, PutBucketPolicyCommand, PutBucketReplicationCommand,
  PutBucketTaggingCommand, PutBucketVersioningCommand, PutBucketWebsiteCommand, PutObjectAclCommand, PutObjectCommand, PutObjectLockConfigurationCommand,
  PutObjectRetentionCommand, PutPublicAccessBlockCommand, S3Client,
} from '@aws-sdk/client-s3';
import {
  DeletePublicAccessBlockCommand as DeleteAccountPublicAccessBlockCommand, GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand,
  PutPublicAccessBlockCommand as PutAccountPublicAccessBlockCommand, S3ControlClient,
} from '@aws-sdk/client-s3-control';
import { CreateAliasCommand, CreateKeyCommand, DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Agent } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { s3Service } from '../src/services/s3/operations.js';
import { expectError, resetServer } from './helpers/assertions.js';
import { outbox, records, s3Client } from './helpers/s3.js';
import { startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
let s3: S3Client;
let control: S3ControlClient;
const BUCKET = 'config-bucket';
const ACCOUNT = '123456789012';
const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';

beforeAll(async () => {
  server = await startTestServer();
  s3 = s3Client(server);
  // S3 Control puts the account in the host name (123456789012.localhost): resolve every name here.
  const lookup = (_host: string, options: { all?: boolean }, done: (error: null, address: unknown, family?: number) => void) =>
    options.all ? done(null, [{ address: '127.0.0.1', family: 4 }]) : done(null, '127.0.0.1', 4);
  control = new S3ControlClient({
    ...server.clientConfig(), endpoint: server.url.replace('127.0.0.1', 'localhost'),
    requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ lookup } as never) }),
  });
});
afterAll(() => server.stop());
beforeEach(async () => {
  await resetServer(server);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});

const policyFor = (principal: unknown, action = 's3:GetObject', condition?: unknown) => JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: principal, Action: action, Resource: `arn:aws:s3:::${BUCKET}/*`, ...(condition ? { Condition: condition } : {}) }],
});

async function resourcePolicy(arn: string) {
  return server.app.store.read((tx) => s3Service().resourcePolicy!(tx, arn));
}

describe('defaults of a new bucket', () => {
  it('encrypts with SSE-S3, blocks public access, enforces bucket-owner ownership and is not versioned', async () => {
    expect((await s3.send(new GetBucketEncryptionCommand({ Bucket: BUCKET }))).ServerSideEncryptionConfiguration?.Rules).toEqual([
      { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false },
    ]);
    expect((await s3.send(new GetPublicAccessBlockCommand({ Bucket: BUCKET }))).PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true,
    });
    expect((await s3.send(new GetBucketOwnershipControlsCommand({ Bucket: BUCKET }))).OwnershipControls?.Rules).toEqual([{ ObjectOwnership: 'BucketOwnerEnforced' }]);
    const versioning = await s3.send(new GetBucketVersioningCommand({ Bucket: BUCKET }));
    expect(versioning.Status).toBeUndefined();
    const acl = await s3.send(new GetBucketAclCommand({ Bucket: BUCKET }));
    expect(acl.Grants).toEqual([{ Grantee: { Type: 'CanonicalUser', ID: acl.Owner?.ID }, Permission: 'FULL_CONTROL' }]);
    await expectError(s3.send(new GetBucketPolicyCommand({ Bucket: BUCKET })), 'NoSuchBucketPolicy', 'The bucket policy does not exist');
    await expectError(s3.send(new GetBucketTaggingCommand({ Bucket: BUCKET })), 'NoSuchTagSet', 'The TagSet does not exist');
    await expectError(s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: BUCKET })), 'NoSuchLifecycleConfiguration');
    await expectError(s3.send(new GetBucketCorsCommand({ Bucket: BUCKET })), 'NoSuchCORSConfiguration');
    await expectError(s3.send(new GetBucketWebsiteCommand({ Bucket: BUCKET })), 'NoSuchWebsiteConfiguration');
    await expectError(s3.send(new GetBucketReplicationCommand({ Bucket: BUCKET })), 'ReplicationConfigurationNotFoundError');
    await expectError(s3.send(new GetObjectLockConfigurationCommand({ Bucket: BUCKET })), 'ObjectLockConfigurationNotFoundError');
    expect((await s3.send(new GetBucketLoggingCommand({ Bucket: BUCKET }))).LoggingEnabled).toBeUndefined();
  });
});

describe('encryption', () => {
  it('applies SSE-KMS settings from the bucket default and from requests, answering with the key ARN', async () => {
    const kms = new KMSClient(server.clientConfig());
    const keyArn = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/custos', TargetKeyId: keyArn }));
    await s3.send(new PutBucketEncryptionCommand({
      Bucket: BUCKET,
      ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/custos' }, BucketKeyEnabled: true }] },
    }));
    const byDefault = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'kms', Body: 'secret' }));
    expect(byDefault).toMatchObject({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyArn, BucketKeyEnabled: true });
    const explicit = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 's3', Body: 'x', ServerSideEncryption: 'AES256' }));
    expect(explicit.ServerSideEncryption).toBe('AES256');
    const managed = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'managed', Body: 'x', ServerSideEncryption: 'aws:kms' }));
    expect(managed.SSEKMSKeyId).toBe((await kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/s3' }))).KeyMetadata!.Arn);
    expect(managed.SSEKMSKeyId).toMatch(new RegExp(`^arn:aws:kms:us-east-1:${ACCOUNT}:key/`));
    expect((await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'kms' }))).SSEKMSKeyId).toBe(keyArn);
    await expectError(s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'k', Body: 'x', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: 'alias/none' })), 'KMS.NotFoundException');
    await expectError(s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'k', Body: 'x', SSEKMSKeyId: 'alias/x' })), 'InvalidArgument');
    await expectError(s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'k', Body: 'x', ServerSideEncryption: 'DES' as never })), 'InvalidArgument');
    await s3.send(new DeleteBucketEncryptionCommand({ Bucket: BUCKET }));
    expect((await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'after', Body: 'x' }))).ServerSideEncryption).toBe('AES256');
  });
});

describe('public access, policies and ACLs', () => {
  it('blocks public policies and ACLs until Block Public Access is lifted, and reports policy status', async () => {
    await expectError(s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: policyFor('*') })), 'AccessDenied');
    await s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: policyFor({ AWS: 'arn:aws:iam::111122223333:root' }) }));
    expect((await s3.send(new GetBucketPolicyStatusCommand({ Bucket: BUCKET }))).PolicyStatus?.IsPublic).toBe(false);
    await s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: policyFor('*', 's3:GetObject', { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }) }));
    expect((await s3.send(new GetBucketPolicyStatusCommand({ Bucket: BUCKET }))).PolicyStatus?.IsPublic).toBe(false);
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: BUCKET }));
    await s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: policyFor('*') }));
    expect((await s3.send(new GetBucketPolicyStatusCommand({ Bucket: BUCKET }))).PolicyStatus?.IsPublic).toBe(true);
    expect(JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: BUCKET }))).Policy!)).toEqual(JSON.parse(policyFor('*')));
    await s3.send(new DeleteBucketPolicyCommand({ Bucket: BUCKET }));
    await expectError(s3.send(new GetBucketPolicyStatusCommand({ Bucket: BUCKET })), 'NoSuchBucketPolicy');
  });

  it('refuses malformed policies with MalformedPolicy', async () => {
    const bad = [
      ['not json', "Policies must be valid JSON and the first byte must be '{'"],
      ['{"Version":"2012-10-17"}', 'Missing required field Statement'],
      [JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*` }] }), 'Missing required field Principal'],
      [JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 'ec2:RunInstances', Resource: `arn:aws:s3:::${BUCKET}/*` }] }), 'Policy has invalid action'],
      [JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::another-bucket/*' }] }), 'Policy has invalid resource'],
    ];
    for (const [policy, message] of bad) await expectError(s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: policy })), 'MalformedPolicy', message);
  });

  it('takes canned ACLs and grants once ownership allows ACLs, and hands them to the authoriser as policy statements', async () => {
    await expectError(s3.send(new PutBucketAclCommand({ Bucket: BUCKET, ACL: 'public-read' })), 'AccessControlListNotSupported', 'The bucket does not allow ACLs');
    await s3.send(new PutBucketOwnershipControlsCommand({ Bucket: BUCKET, OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] } }));
    await expectError(s3.send(new PutBucketAclCommand({ Bucket: BUCKET, ACL: 'public-read' })), 'AccessDenied');
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: BUCKET, PublicAccessBlockConfiguration: { BlockPublicAcls: false, IgnorePublicAcls: false } }));
    await s3.send(new PutBucketAclCommand({ Bucket: BUCKET, ACL: 'public-read' }));
    const acl = await s3.send(new GetBucketAclCommand({ Bucket: BUCKET }));
    expect(acl.Grants).toContainEqual({ Grantee: { Type: 'Group', URI: ALL_USERS }, Permission: 'READ' });
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'shared', Body: 'x', GrantRead: 'uri="http://acs.amazonaws.com/groups/global/AuthenticatedUsers"' }));
    const objectAcl = await s3.send(new GetObjectAclCommand({ Bucket: BUCKET, Key: 'shared' }));
    expect(objectAcl.Grants).toContainEqual({ Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers' }, Permission: 'READ' });
    await s3.send(new PutObjectAclCommand({ Bucket: BUCKET, Key: 'shared', ACL: 'public-read' }));
    const policy = JSON.parse((await resourcePolicy(`arn:aws:s3:::${BUCKET}/shared`))!.document!);
    expect(policy.Statement).toContainEqual(expect.objectContaining({ Principal: '*', Action: ['s3:ListBucket', 's3:ListBucketVersions', 's3:ListBucketMultipartUploads'] }));
    expect(policy.Statement).toContainEqual(expect.objectContaining({ Principal: '*', Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectTorrent'], Resource: `arn:aws:s3:::${BUCKET}/shared` }));
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: BUCKET, PublicAccessBlockConfiguration: { IgnorePublicAcls: true } }));
    expect((await resourcePolicy(`arn:aws:s3:::${BUCKET}/shared`))).toEqual({ ownerAccountId: ACCOUNT, document: undefined });
    expect(await resourcePolicy('arn:aws:s3:::no-such-bucket-x')).toBeUndefined();
    await expectError(s3.send(new PutBucketAclCommand({ Bucket: BUCKET, ACL: 'private', GrantRead: 'id="abc"' })), 'InvalidRequest');
  });

  it('keeps account-level Block Public Access through S3 Control, and applies it to every bucket', async () => {
    await expectError(control.send(new GetAccountPublicAccessBlockCommand({ AccountId: ACCOUNT })), 'NoSuchPublicAccessBlockConfiguration',
      'The public access block configuration was not found');
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: BUCKET }));
    await control.send(new PutAccountPublicAccessBlockCommand({ AccountId: ACCOUNT, PublicAccessBlockConfiguration: { BlockPublicPolicy: true } }));
    expect((await control.send(new GetAccountPublicAccessBlockCommand({ AccountId: ACCOUNT }))).PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: true, RestrictPublicBuckets: false,
    });
    await expectError(s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: policyFor('*') })), 'AccessDenied');
    await expectError(control.send(new GetAccountPublicAccessBlockCommand({ AccountId: '999999999999' })), 'AccessDenied');
    await control.send(new DeleteAccountPublicAccessBlockCommand({ AccountId: ACCOUNT }));
    await s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: policyFor('*') }));
    const [put] = await records(server, { eventName: 'PutAccountPublicAccessBlock' });
    expect(put).toMatchObject({ eventSource: 's3.amazonaws.com', eventCategory: 'Management', requestParameters: { PublicAccessBlockConfiguration: { BlockPublicPolicy: true } } });
    const changes = (await outbox(server)).filter((c) => c.resourceType === 'AWS::S3::AccountPublicAccessBlock');
    expect(changes.map((c) => [c.resourceId, c.deleted])).toEqual([[ACCOUNT, false], [ACCOUNT, true]]);
  });
});

describe('other bucket configurations', () => {
  it('keeps tagging, logging, lifecycle, CORS, website and notification configurations', async () => {
    await s3.send(new PutBucketTaggingCommand({ Bucket: BUCKET, Tagging: { TagSet: [{ Key: 'team', Value: 'sec' }] } }));
    expect((await s3.send(new GetBucketTaggingCommand({ Bucket: BUCKET }))).TagSet).toEqual([{ Key: 'team', Value: 'sec' }]);
    await expectError(s3.send(new PutBucketTaggingCommand({ Bucket: BUCKET, Tagging: { TagSet: [{ Key: 'a', Value: '1' }, { Key: 'a', Value: '2' }] } })), 'InvalidTag', 'Cannot provide multiple Tags with the same key');
    await s3.send(new DeleteBucketTaggingCommand({ Bucket: BUCKET }));
    await s3.send(new CreateBucketCommand({ Bucket: 'log-target' }));
    await s3.send(new PutBucketLoggingCommand({ Bucket: BUCKET, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: 'log-target', TargetPrefix: 'logs/' } } }));
    expect((await s3.send(new GetBucketLoggingCommand({ Bucket: BUCKET }))).LoggingEnabled).toEqual({ TargetBucket: 'log-target', TargetPrefix: 'logs/' });
    await expectError(s3.send(new PutBucketLoggingCommand({ Bucket: BUCKET, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: 'nowhere-bucket', TargetPrefix: '' } } })), 'InvalidTargetBucketForLogging');
    await s3.send(new PutBucketLifecycleConfigurationCommand({
      Bucket: BUCKET, LifecycleConfiguration: { Rules: [{ ID: 'expire', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 7 } }] },
    }));
    expect((await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: BUCKET }))).Rules).toEqual([{ ID: 'expire', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 7 } }]);
    await expectError(s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: BUCKET, LifecycleConfiguration: { Rules: [{ ID: 'x', Status: 'Enabled', Filter: {} }] } })),
      'InvalidRequest', 'At least one action needs to be specified in a rule');
    await s3.send(new PutBucketCorsCommand({ Bucket: BUCKET, CORSConfiguration: { CORSRules: [{ AllowedMethods: ['GET'], AllowedOrigins: ['*'] }] } }));
    expect((await s3.send(new GetBucketCorsCommand({ Bucket: BUCKET }))).CORSRules).toEqual([{ AllowedMethods: ['GET'], AllowedOrigins: ['*'] }]);
    await expectError(s3.send(new PutBucketCorsCommand({ Bucket: BUCKET, CORSConfiguration: { CORSRules: [{ AllowedMethods: ['PATCH'], AllowedOrigins: ['*'] }] } })),
      'InvalidRequest', 'Found unsupported HTTP method in CORS config. Unsupported method is PATCH');
    await s3.send(new PutBucketWebsiteCommand({ Bucket: BUCKET, WebsiteConfiguration: { IndexDocument: { Suffix: 'index.html' } } }));
    expect((await s3.send(new GetBucketWebsiteCommand({ Bucket: BUCKET }))).IndexDocument).toEqual({ Suffix: 'index.html' });
    await s3.send(new PutBucketNotificationConfigurationCommand({
      Bucket: BUCKET, NotificationConfiguration: { TopicConfigurations: [{ TopicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:t`, Events: ['s3:ObjectCreated:*'] }] },
    }));
    expect((await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: BUCKET }))).TopicConfigurations?.[0]?.Events).toEqual(['s3:ObjectCreated:*']);
    const [lifecycle] = await records(server, { eventName: 'PutBucketLifecycle' });
    expect(lifecycle!.requestParameters).toMatchObject({
      lifecycle: '', bucketName: BUCKET,
      LifecycleConfiguration: { xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/', Rule: { ID: 'expire', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 7 } } },
    });
    const changes = (await outbox(server)).filter((c) => c.resourceId === BUCKET);
    expect(changes.length).toBe(1 + 7);
  });

  it('needs versioning for replication and object lock, and object lock protects versions', async () => {
    const replication = { Role: `arn:aws:iam::${ACCOUNT}:role/r`, Rules: [{ Status: 'Enabled' as const, Priority: 1, Filter: {}, DeleteMarkerReplication: { Status: 'Disabled' as const }, Destination: { Bucket: 'arn:aws:s3:::dest' } }] };
    await expectError(s3.send(new PutBucketReplicationCommand({ Bucket: BUCKET, ReplicationConfiguration: replication })), 'InvalidRequest', "Versioning must be 'Enabled' on the bucket to apply a replication configuration");
    await expectError(s3.send(new PutObjectLockConfigurationCommand({ Bucket: BUCKET, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled' } })), 'InvalidBucketState');
    await s3.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }));
    await s3.send(new PutBucketReplicationCommand({ Bucket: BUCKET, ReplicationConfiguration: replication }));
    expect((await s3.send(new GetBucketReplicationCommand({ Bucket: BUCKET }))).ReplicationConfiguration?.Role).toBe(replication.Role);
    await s3.send(new PutObjectLockConfigurationCommand({ Bucket: BUCKET, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 1 } } } }));
    const locked = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'locked', Body: 'keep me' }));
    expect((await s3.send(new GetObjectRetentionCommand({ Bucket: BUCKET, Key: 'locked' }))).Retention?.Mode).toBe('GOVERNANCE');
    await expectError(s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'locked', VersionId: locked.VersionId })), 'AccessDenied', 'Access Denied because object protected by object lock.');
    await expectError(s3.send(new PutObjectRetentionCommand({ Bucket: BUCKET, Key: 'locked', Retention: { Mode: 'GOVERNANCE', RetainUntilDate: new Date(Date.now() + 60_000) } })), 'AccessDenied');
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'locked', VersionId: locked.VersionId, BypassGovernanceRetention: true }));
    await expectError(s3.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Suspended' } })), 'InvalidBucketState');
  });
});
