import {
  CreateBucketCommand, DeleteBucketCommand, GetBucketLocationCommand, HeadBucketCommand, ListBucketsCommand, ListObjectsV2Command,
  PutObjectCommand, S3Client, S3ServiceException,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectError, resetServer } from './helpers/assertions.js';
import { otherAccount, outbox, records, s3Client } from './helpers/s3.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { signedFetch } from './helpers/signed-fetch.js';

let server: TestServer;
let s3: S3Client;

beforeAll(async () => {
  server = await startTestServer();
  s3 = s3Client(server);
});
afterAll(() => server.stop());
beforeEach(() => resetServer(server));

describe('CreateBucket', () => {
  it('creates buckets in us-east-1 and in the region of a LocationConstraint', async () => {
    expect((await s3.send(new CreateBucketCommand({ Bucket: 'east-bucket' }))).Location).toBe('/east-bucket');
    const west = s3Client(server, 'eu-west-1');
    await west.send(new CreateBucketCommand({ Bucket: 'west-bucket', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    expect((await s3.send(new GetBucketLocationCommand({ Bucket: 'east-bucket' }))).LocationConstraint).toBeUndefined();
    expect((await s3.send(new GetBucketLocationCommand({ Bucket: 'west-bucket' }))).LocationConstraint).toBe('eu-west-1');
    expect((await s3.send(new HeadBucketCommand({ Bucket: 'west-bucket' }))).BucketRegion).toBe('eu-west-1');
    const listed = await s3.send(new ListBucketsCommand({}));
    expect(listed.Buckets?.map((b) => [b.Name, b.BucketRegion])).toEqual([['east-bucket', 'us-east-1'], ['west-bucket', 'eu-west-1']]);
    expect(listed.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    'ab', 'a'.repeat(64), 'Upper-case', 'under_score', '-leading', 'trailing-', 'two..dots', 'dot.-dash', '192.168.5.4', 'xn--punycode', 'name-s3alias',
  ])('refuses the bucket name %j with InvalidBucketName', async (name) => {
    const error = await expectError(s3.send(new CreateBucketCommand({ Bucket: name })), 'InvalidBucketName', 'The specified bucket is not valid.');
    expect(error.$metadata?.httpStatusCode).toBe(400);
  });

  it('answers BucketAlreadyOwnedByYou outside us-east-1, succeeds again in us-east-1, and BucketAlreadyExists for another account', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'mine' }));
    await s3.send(new CreateBucketCommand({ Bucket: 'mine' }));
    const west = s3Client(server, 'eu-west-1');
    await west.send(new CreateBucketCommand({ Bucket: 'mine-west', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    const owned = await expectError(
      west.send(new CreateBucketCommand({ Bucket: 'mine-west', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } })),
      'BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.',
    );
    expect(owned.$metadata?.httpStatusCode).toBe(409);
    const other = s3Client(server, 'us-east-1', await otherAccount(server, '210987654321'));
    const taken = await expectError(other.send(new CreateBucketCommand({ Bucket: 'mine' })), 'BucketAlreadyExists', 'The bucket namespace is shared by all users of the system.');
    expect(taken.$metadata?.httpStatusCode).toBe(409);
    expect((await other.send(new ListBucketsCommand({}))).Buckets).toEqual([]);
  });

  it('checks the LocationConstraint against the region the request was sent to', async () => {
    await expectError(s3.send(new CreateBucketCommand({ Bucket: 'b-bad', CreateBucketConfiguration: { LocationConstraint: 'mars-north-1' as never } })),
      'InvalidLocationConstraint', 'The specified location-constraint is not valid');
    const unspecified = await signedFetch({ url: server.url, service: 's3', region: 'eu-west-1', method: 'PUT', path: '/b-west', credentials: server.credentials });
    expect(unspecified.status).toBe(400);
    expect(unspecified.text).toContain('<Code>IllegalLocationConstraintException</Code><Message>The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.</Message>');
    const west = s3Client(server, 'eu-west-1');
    await expectError(west.send(new CreateBucketCommand({ Bucket: 'b-west', CreateBucketConfiguration: { LocationConstraint: 'us-west-2' } })),
      'IllegalLocationConstraintException', 'The us-west-2 location constraint is incompatible');
    await s3.send(new CreateBucketCommand({ Bucket: 'b-from-east', CreateBucketConfiguration: { LocationConstraint: 'us-west-2' } }));
    expect((await s3.send(new GetBucketLocationCommand({ Bucket: 'b-from-east' }))).LocationConstraint).toBe('us-west-2');
  });

  it('redirects calls signed for another region than the bucket\'s to the bucket\'s region', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'in-us-west-2', CreateBucketConfiguration: { LocationConstraint: 'us-west-2' } }));
    const error = await expectError(s3.send(new ListObjectsV2Command({ Bucket: 'in-us-west-2' })), 'PermanentRedirect',
      'The bucket you are attempting to access must be addressed using the specified endpoint.');
    expect(error.$metadata?.httpStatusCode).toBe(301);
    expect((error as S3ServiceException & { $response?: { headers: Record<string, string> } }).$response?.headers['x-amz-bucket-region']).toBe('us-west-2');
    const followed = new S3Client({ ...server.clientConfig(), forcePathStyle: true, followRegionRedirects: true });
    expect((await followed.send(new ListObjectsV2Command({ Bucket: 'in-us-west-2' }))).KeyCount).toBe(0);
  });
});

describe('DeleteBucket and HeadBucket', () => {
  it('deletes an empty bucket, refuses one with objects, and frees the name', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'full-bucket' }));
    await s3.send(new PutObjectCommand({ Bucket: 'full-bucket', Key: 'k', Body: 'x' }));
    const error = await expectError(s3.send(new DeleteBucketCommand({ Bucket: 'full-bucket' })), 'BucketNotEmpty', 'The bucket you tried to delete is not empty');
    expect(error.$metadata?.httpStatusCode).toBe(409);
    await s3.send(new CreateBucketCommand({ Bucket: 'empty-bucket' }));
    await s3.send(new DeleteBucketCommand({ Bucket: 'empty-bucket' }));
    await expectError(s3.send(new HeadBucketCommand({ Bucket: 'empty-bucket' })), 'NotFound');
    await expectError(s3.send(new DeleteBucketCommand({ Bucket: 'empty-bucket' })), 'NoSuchBucket', 'The specified bucket does not exist');
    const other = s3Client(server, 'us-east-1', await otherAccount(server, '210987654321'));
    await other.send(new CreateBucketCommand({ Bucket: 'empty-bucket' }));
  });

  it('pages ListBuckets with MaxBuckets and filters by prefix', async () => {
    for (const name of ['pa-1', 'pa-2', 'pa-3', 'pb-1']) await s3.send(new CreateBucketCommand({ Bucket: name }));
    const first = await s3.send(new ListBucketsCommand({ MaxBuckets: 2, Prefix: 'pa-' }));
    expect(first.Buckets?.map((b) => b.Name)).toEqual(['pa-1', 'pa-2']);
    const second = await s3.send(new ListBucketsCommand({ MaxBuckets: 2, Prefix: 'pa-', ContinuationToken: first.ContinuationToken }));
    expect(second.Buckets?.map((b) => b.Name)).toEqual(['pa-3']);
    expect(second.ContinuationToken).toBeUndefined();
    await expectError(s3.send(new ListBucketsCommand({ ContinuationToken: 'bogus' })), 'InvalidArgument', 'The continuation token provided is incorrect');
  });
});

describe('records and resource changes', () => {
  it('records bucket calls as management events and hands bucket changes to Config', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'audited' }));
    await expectError(s3.send(new CreateBucketCommand({ Bucket: 'Bad_Name' })), 'InvalidBucketName');
    await s3.send(new DeleteBucketCommand({ Bucket: 'audited' }));
    const [created] = await records(server, { eventName: 'CreateBucket' });
    expect(created).toMatchObject({
      eventSource: 's3.amazonaws.com', eventCategory: 'Management', managementEvent: true, readOnly: false, awsRegion: 'us-east-1',
      recipientAccountId: '123456789012',
      requestParameters: { bucketName: 'audited', Host: new URL(server.url).host },
      additionalEventData: { SignatureVersion: 'SigV4', AuthenticationMethod: 'AuthHeader', bytesTransferredIn: 0, bytesTransferredOut: 0 },
    });
    expect(created!.additionalEventData['x-amz-id-2']).toMatch(/^[A-Za-z0-9+/]{76}$/);
    const failed = (await records(server, { eventName: 'CreateBucket' }))[1];
    expect(failed).toMatchObject({ errorCode: 'InvalidBucketName', errorMessage: 'The specified bucket is not valid.' });
    const [deleted] = await records(server, { eventName: 'DeleteBucket' });
    expect(deleted!.resources).toEqual([{ accountId: '123456789012', type: 'AWS::S3::Bucket', ARN: 'arn:aws:s3:::audited' }]);
    const changes = await outbox(server);
    expect(changes.map((c) => [c.resourceType, c.resourceId, c.deleted])).toEqual([['AWS::S3::Bucket', 'audited', false], ['AWS::S3::Bucket', 'audited', true]]);
    expect(changes[0]!.eventId).toBe(created!.eventID);
  });
});
