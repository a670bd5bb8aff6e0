/**
 * @module
 * What a trail delivers to, with the policies CloudTrail's user guide gives (bucket, SNS topic,
 * KMS key), and reading what the trail delivered.
 */
import { gunzipSync } from 'node:zlib';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutBucketPolicyCommand, type S3Client } from '@aws-sdk/client-s3';

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

/** The topic policy of CloudTrail's user guide: cloudtrail.amazonaws.com may publish. */
export function cloudTrailTopicPolicy(topicArn: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: 'AWSCloudTrailSNSPolicy20131101', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'SNS:Publish', Resource: topicArn }],
  });
}

/** The key policy of CloudTrail's user guide: the account administers, CloudTrail makes data keys for its trails. */
export function cloudTrailKeyPolicy(accountId = '123456789012'): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'kms:*', Resource: '*' },
      {
        Sid: 'Allow CloudTrail to encrypt logs', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:GenerateDataKey*', Resource: '*',
        Condition: { StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${accountId}:trail/*` } },
      },
      { Sid: 'Allow CloudTrail to describe key', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:DescribeKey', Resource: '*' },
    ],
  });
}
