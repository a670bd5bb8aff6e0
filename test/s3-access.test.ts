import {
  CreateBucketCommand, DeletePublicAccessBlockCommand, GetObjectCommand, PutBucketAclCommand, PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand, PutObjectAclCommand, PutObjectCommand, PutPublicAccessBlockCommand, S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectError, resetServer } from './helpers/assertions.js';
import { otherAccount, records, s3Client, s3Fetch } from './helpers/s3.js';
import { startTestServer, type TestServer } from './helpers/server.js';

// Bucket policies and ACLs are judged by the IAM authoriser, from the resource policy S3 hands it.
let server: TestServer;
let s3: S3Client;
const BUCKET = 'access-bucket';
const OWNER = '123456789012';
const OTHER = '210987654321';

beforeAll(async () => {
  server = await startTestServer();
  s3 = s3Client(server);
});
afterAll(() => server.stop());
beforeEach(async () => {
  await resetServer(server);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'public/page.html', Body: '<p>hello</p>' }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'private/secret.txt', Body: 'secret' }));
});

const policy = (statements: Record<string, unknown>[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const anonymousGet = (key: string) => s3Fetch(server, { path: `/${BUCKET}/${key}`, auth: 'anonymous' });

describe('anonymous access', () => {
  it('is denied until a bucket policy grants it, for the objects it names', async () => {
    expect((await anonymousGet('public/page.html')).status).toBe(403);
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: BUCKET }));
    await s3.send(new PutBucketPolicyCommand({
      Bucket: BUCKET,
      Policy: policy([{ Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/public/*` }]),
    }));
    const page = await anonymousGet('public/page.html');
    expect(page.status).toBe(200);
    expect(page.text).toBe('<p>hello</p>');
    const secret = await anonymousGet('private/secret.txt');
    expect(secret.status).toBe(403);
    expect(secret.text).toContain('<Code>AccessDenied</Code>');
    const read = (await records(server, { eventName: 'GetObject' })).find((r) => r.errorCode === undefined && r.userIdentity.type === 'Anonymous');
    expect(read).toMatchObject({ recipientAccountId: OWNER, eventCategory: 'Data', additionalEventData: { bytesTransferredOut: 12 } });
    expect(read!.additionalEventData.SignatureVersion).toBeUndefined();
  });

  it('loses a public policy\'s grant under RestrictPublicBuckets', async () => {
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: BUCKET, PublicAccessBlockConfiguration: { RestrictPublicBuckets: true } }));
    await s3.send(new PutBucketPolicyCommand({
      Bucket: BUCKET, Policy: policy([{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*` }]),
    }));
    expect((await anonymousGet('public/page.html')).status).toBe(403);
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: BUCKET }));
    expect((await anonymousGet('public/page.html')).status).toBe(200);
  });

  it('is granted by public ACLs once ownership allows ACLs, and not under IgnorePublicAcls', async () => {
    await s3.send(new PutBucketOwnershipControlsCommand({ Bucket: BUCKET, OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] } }));
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: BUCKET }));
    await s3.send(new PutObjectAclCommand({ Bucket: BUCKET, Key: 'public/page.html', ACL: 'public-read' }));
    expect((await anonymousGet('public/page.html')).status).toBe(200);
    expect((await anonymousGet('private/secret.txt')).status).toBe(403);
    await s3.send(new PutBucketAclCommand({ Bucket: BUCKET, ACL: 'public-read' }));
    expect((await s3Fetch(server, { path: `/${BUCKET}`, query: { 'list-type': '2' }, auth: 'anonymous' })).status).toBe(200);
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: BUCKET, PublicAccessBlockConfiguration: { IgnorePublicAcls: true } }));
    expect((await anonymousGet('public/page.html')).status).toBe(403);
  });
});

describe('other accounts', () => {
  it('are denied by default and allowed what the bucket policy grants them; their calls are recorded in their own account', async () => {
    const other = s3Client(server, 'us-east-1', await otherAccount(server, OTHER));
    await expectError(other.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'public/page.html' })), 'AccessDenied');
    await expectError(other.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'theirs.txt', Body: 'x' })), 'AccessDenied');
    await s3.send(new PutBucketPolicyCommand({
      Bucket: BUCKET,
      Policy: policy([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/public/*` }]),
    }));
    const got = await other.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'public/page.html' }));
    expect(await got.Body!.transformToString()).toBe('<p>hello</p>');
    await expectError(other.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'private/secret.txt' })), 'AccessDenied');
    const theirs = (await records(server, { eventName: 'GetObject', accountId: OTHER })).find((r) => r.errorCode === undefined);
    expect(theirs).toMatchObject({ recipientAccountId: OTHER, userIdentity: { accountId: OTHER } });
    expect(theirs!.resources).toContainEqual({ accountId: OWNER, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${BUCKET}` });
  });

  it('is refused by an explicit Deny in the bucket policy, for the owner too', async () => {
    await s3.send(new PutBucketPolicyCommand({
      Bucket: BUCKET,
      Policy: policy([{ Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/private/*` }]),
    }));
    await expectError(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'private/secret.txt' })), 'AccessDenied');
    expect(await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'public/page.html' }))).Body!.transformToString()).toBe('<p>hello</p>');
  });

  it('answers BucketAlreadyExists, not AccessDenied, when creating a name another account owns', async () => {
    const other = s3Client(server, 'us-east-1', await otherAccount(server, OTHER));
    const error = await expectError(other.send(new CreateBucketCommand({ Bucket: BUCKET })), 'BucketAlreadyExists');
    expect(error.$metadata?.httpStatusCode).toBe(409);
  });
});
