/**
 * @module
 * A bucket a trail can deliver to (with the bucket policy CloudTrail's user guide gives), and
 * reading what the trail delivered into it.
 */
import { gunzipSync } from 'node:zlib';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';

/** Where in the bucket CloudTrail may write: under a key prefix, or (`'*'`) under any prefix. */
export interface TrailBucketOptions {
  readonly accountId?: string;
  readonly prefix?: string;
}

/** The bucket policy of CloudTrail's user guide: GetBucketAcl, and PutObject under AWSLogs/<account>/ with the canned ACL. */
export function cloudTrailBucketPolicy(bucket: string, { accountId = '123456789012', prefix }: TrailBucketOptions = {}): string {
  const root = prefix === '*' ? `arn:aws:s3:::${bucket}/*` : `arn:aws:s3:::${bucket}/${prefix ? `${prefix}/` : ''}AWSLogs/${accountId}/*`;
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'AWSCloudTrailAclCheck20150319', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:GetBucketAcl', Resource: `arn:aws:s3:::${bucket}` },
      {
        Sid: 'AWSCloudTrailWrite20150319', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: root,
        Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
      },
    ],
  });
}

/** Creates a bucket, in the client's region, with CloudTrail's bucket policy. */
export async function createTrailBucket(s3: S3Client, bucket: string, options: TrailBucketOptions = {}): Promise<void> {
  const region = await s3.config.region();
  await s3.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: region === 'us-east-1' ? undefined : { LocationConstraint: region as never } }));
  await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: cloudTrailBucketPolicy(bucket, options) }));
}

/** An S3 client for a test server (path-style addressing, as on localhost). */
export function s3Client(config: { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } }): S3Client {
  return new S3Client({ ...config, forcePathStyle: true });
}

/** Every key of a bucket under a prefix. */
export async function listKeys(s3: S3Client, bucket: string, prefix = ''): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    keys.push(...(page.Contents ?? []).map((o) => o.Key!));
    token = page.NextContinuationToken;
  } while (token);
  return keys;
}

/** An object's bytes, gunzipped, parsed as JSON; with its user metadata. */
export async function readJsonGz<T>(s3: S3Client, bucket: string, key: string): Promise<{ json: T; metadata: Record<string, string>; raw: Buffer }> {
  const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const raw = Buffer.from(await got.Body!.transformToByteArray());
  return { json: JSON.parse(gunzipSync(raw).toString('utf8')) as T, metadata: got.Metadata ?? {}, raw };
}
