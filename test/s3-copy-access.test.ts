import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  CopyObjectCommand, CreateBucketCommand, CreateMultipartUploadCommand, GetObjectCommand, PutBucketPolicyCommand, PutBucketVersioningCommand,
  PutObjectCommand, S3Client, UploadPartCommand, UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { iamUser, policyDocument } from './helpers/iam.js';
import { expectError, resetServer } from './helpers/assertions.js';
import { otherAccount, records, s3Client } from './helpers/s3.js';
import { startTestServer, type TestServer } from './helpers/server.js';

// A copy needs s3:GetObject (s3:GetObjectVersion for a version by id) on its source, judged with the
// caller's identity policies and the source bucket's policy; denied writes stage nothing on disk.
let server: TestServer;
let s3: S3Client;
const OWNER = '123456789012';
const OTHER = '210987654321';
const SOURCE = 'copy-source';
const TARGET = 'copy-target';

const doc = policyDocument;

async function user(name: string, policy: string): Promise<{ s3: S3Client; arn: string }> {
  const { arn, credentials } = await iamUser(server, name, policy);
  return { s3: s3Client(server, 'us-east-1', credentials), arn };
}

function blobFiles(): string[] {
  const dir = join(server.dataDir, 'blobs');
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name).sort();
  } catch {
    return [];
  }
}

beforeAll(async () => {
  server = await startTestServer();
  s3 = s3Client(server);
});
afterAll(() => server.stop());
beforeEach(async () => {
  await resetServer(server);
  await s3.send(new CreateBucketCommand({ Bucket: SOURCE }));
  await s3.send(new CreateBucketCommand({ Bucket: TARGET }));
  await s3.send(new PutObjectCommand({ Bucket: SOURCE, Key: 'doc.txt', Body: 'the source bytes' }));
});

describe('the source of a copy', () => {
  it('is copied for a user allowed s3:GetObject on it and s3:PutObject on the target', async () => {
    const alice = await user('alice', doc(
      { Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${SOURCE}/*` },
      { Effect: 'Allow', Action: 's3:PutObject', Resource: `arn:aws:s3:::${TARGET}/*` },
    ));
    await alice.s3.send(new CopyObjectCommand({ Bucket: TARGET, Key: 'copy.txt', CopySource: `${SOURCE}/doc.txt` }));
    const got = await s3.send(new GetObjectCommand({ Bucket: TARGET, Key: 'copy.txt' }));
    expect(await got.Body!.transformToString()).toBe('the source bytes');
  });

  it('is refused without s3:GetObject on it: AccessDenied naming the source, recorded, nothing staged', async () => {
    const bob = await user('bob', doc({ Effect: 'Allow', Action: 's3:PutObject', Resource: `arn:aws:s3:::${TARGET}/*` }));
    const before = blobFiles();
    const error = await expectError(
      bob.s3.send(new CopyObjectCommand({ Bucket: TARGET, Key: 'copy.txt', CopySource: `${SOURCE}/doc.txt` })),
      'AccessDenied',
      `User: ${bob.arn} is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::${SOURCE}/doc.txt because no identity-based policy allows the s3:GetObject action`,
    );
    expect(error.$metadata?.httpStatusCode).toBe(403);
    expect(blobFiles()).toEqual(before);
    await expectError(s3.send(new GetObjectCommand({ Bucket: TARGET, Key: 'copy.txt' })), 'NoSuchKey');
    const denied = (await records(server, { eventName: 'CopyObject' })).find((r) => r.userIdentity.arn === bob.arn);
    expect(denied).toMatchObject({ errorCode: 'AccessDenied', eventCategory: 'Data' });
    expect(denied!.errorMessage).toContain('s3:GetObject');
  });

  it('needs s3:GetObjectVersion when it names a version', async () => {
    await s3.send(new PutBucketVersioningCommand({ Bucket: SOURCE, VersioningConfiguration: { Status: 'Enabled' } }));
    const { VersionId } = await s3.send(new PutObjectCommand({ Bucket: SOURCE, Key: 'doc.txt', Body: 'version two' }));
    const carol = await user('carol', doc(
      { Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${SOURCE}/*` },
      { Effect: 'Allow', Action: 's3:PutObject', Resource: `arn:aws:s3:::${TARGET}/*` },
    ));
    await expectError(
      carol.s3.send(new CopyObjectCommand({ Bucket: TARGET, Key: 'copy.txt', CopySource: `${SOURCE}/doc.txt?versionId=${VersionId}` })),
      'AccessDenied', /s3:GetObjectVersion/,
    );
    await carol.s3.send(new CopyObjectCommand({ Bucket: TARGET, Key: 'copy.txt', CopySource: `${SOURCE}/doc.txt` }));
  });

  it('is refused by a Deny in the source bucket policy, for UploadPartCopy too', async () => {
    const dave = await user('dave', doc({ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: '*' }));
    await s3.send(new PutBucketPolicyCommand({
      Bucket: SOURCE,
      Policy: doc({ Effect: 'Deny', Principal: { AWS: dave.arn }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${SOURCE}/*` }),
    }));
    await expectError(
      dave.s3.send(new CopyObjectCommand({ Bucket: TARGET, Key: 'copy.txt', CopySource: `${SOURCE}/doc.txt` })),
      'AccessDenied', `User: ${dave.arn} is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::${SOURCE}/doc.txt with an explicit deny in a resource-based policy`,
    );
    const { UploadId } = await dave.s3.send(new CreateMultipartUploadCommand({ Bucket: TARGET, Key: 'parts.txt' }));
    await expectError(
      dave.s3.send(new UploadPartCopyCommand({ Bucket: TARGET, Key: 'parts.txt', UploadId, PartNumber: 1, CopySource: `${SOURCE}/doc.txt` })),
      'AccessDenied', /explicit deny in a resource-based policy/,
    );
    const denied = [...await records(server, { eventName: 'CopyObject' }), ...await records(server, { eventName: 'UploadPartCopy' })]
      .filter((r) => r.userIdentity.arn === dave.arn && r.errorCode === 'AccessDenied');
    expect(denied.map((r) => [r.eventName, r.eventCategory])).toEqual([['CopyObject', 'Data'], ['UploadPartCopy', 'Data']]);
    const cloudtrail = new CloudTrailClient(server.clientConfig());
    const { Events } = await cloudtrail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'dave' }] }));
    expect((Events ?? []).map((e) => e.EventName), 'data events stay out of event history, as on AWS').not.toContain('CopyObject');
  });

  it('in another account is readable only where that bucket policy allows it', async () => {
    const other = s3Client(server, 'us-east-1', await otherAccount(server, OTHER));
    await other.send(new CreateBucketCommand({ Bucket: 'their-bucket' }));
    await other.send(new PutObjectCommand({ Bucket: 'their-bucket', Key: 'shared.txt', Body: 'shared bytes' }));
    const erin = await user('erin', doc({ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: '*' }));
    await expectError(erin.s3.send(new CopyObjectCommand({ Bucket: TARGET, Key: 'copy.txt', CopySource: 'their-bucket/shared.txt' })), 'AccessDenied');
    await other.send(new PutBucketPolicyCommand({
      Bucket: 'their-bucket',
      Policy: doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OWNER}:root` }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::their-bucket/*' }),
    }));
    await erin.s3.send(new CopyObjectCommand({ Bucket: TARGET, Key: 'copy.txt', CopySource: 'their-bucket/shared.txt' }));
    expect(await (await s3.send(new GetObjectCommand({ Bucket: TARGET, Key: 'copy.txt' }))).Body!.transformToString()).toBe('shared bytes');
  });
});

describe('a denied upload', () => {
  it('writes no blob: PutObject and UploadPart are authorised before their bodies are read', async () => {
    const frank = await user('frank', doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: TARGET, Key: 'big.bin' }));
    const before = blobFiles();
    const body = Buffer.alloc(256 * 1024, 7);
    await expectError(frank.s3.send(new PutObjectCommand({ Bucket: TARGET, Key: 'denied.bin', Body: body })), 'AccessDenied');
    await expectError(frank.s3.send(new UploadPartCommand({ Bucket: TARGET, Key: 'big.bin', UploadId, PartNumber: 1, Body: body })), 'AccessDenied');
    await expectError(s3.send(new PutObjectCommand({ Bucket: 'no-such-bucket-here', Key: 'x.bin', Body: body })), 'NoSuchBucket');
    expect(blobFiles()).toEqual(before);
    const denied = (await records(server, { eventName: 'PutObject' })).filter((r) => r.errorCode === 'AccessDenied');
    expect(denied).toHaveLength(1);
  });
});
