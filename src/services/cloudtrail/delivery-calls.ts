/**
 * @module
 * The calls CloudTrail makes on its own behalf when it delivers: S3 PutObject and SNS Publish,
 * through the pipeline as the service principal `cloudtrail.amazonaws.com`, so that bucket and
 * topic policies decide and the calls are audited like AWS's own deliveries.
 */
import { servicePrincipal } from '../../auth/principal.js';
import { ServiceError } from '../../core/errors.js';
import { parseArn } from '../../core/arn.js';
import type { ServiceEnvironment } from '../service.js';

/** CloudTrail's service principal. */
export const CLOUDTRAIL_PRINCIPAL = 'cloudtrail.amazonaws.com';

/** An object CloudTrail writes. */
export interface DeliveredObject {
  /** The account whose trail delivers (the caller of PutObject). */
  readonly accountId: string;
  readonly region: string;
  readonly bucket: string;
  readonly key: string;
  readonly body: Buffer;
  readonly metadata?: Readonly<Record<string, string>>;
  /** SSE-KMS with this key, under the trail's encryption context. */
  readonly kms?: { readonly keyId: string; readonly trailArn: string };
}

/** Writes an object as CloudTrail does (canned ACL bucket-owner-full-control). */
export async function putObject(env: ServiceEnvironment, object: DeliveredObject): Promise<void> {
  await env.invoke({
    service: 's3',
    operation: 'PutObject',
    principal: servicePrincipal(object.accountId, CLOUDTRAIL_PRINCIPAL),
    region: object.region,
    input: {
      Bucket: object.bucket,
      Key: object.key,
      Body: object.body,
      ContentLength: object.body.length,
      ContentType: 'application/json',
      ACL: 'bucket-owner-full-control',
      ...(object.metadata ? { Metadata: { ...object.metadata } } : {}),
      ...(object.kms
        ? {
            ServerSideEncryption: 'aws:kms',
            SSEKMSKeyId: object.kms.keyId,
            SSEKMSEncryptionContext: Buffer.from(JSON.stringify({ 'aws:cloudtrail:arn': object.kms.trailArn })).toString('base64'),
          }
        : {}),
    },
  });
}

/** Tells a trail's SNS topic about delivered log files: `{"s3Bucket": ..., "s3ObjectKey": [...]}`. */
export async function notifyDelivery(env: ServiceEnvironment, accountId: string, topicArn: string, bucket: string, keys: readonly string[]): Promise<void> {
  await env.invoke({
    service: 'sns',
    operation: 'Publish',
    principal: servicePrincipal(accountId, CLOUDTRAIL_PRINCIPAL),
    region: parseArn(topicArn)?.region ?? '',
    input: { TopicArn: topicArn, Message: JSON.stringify({ s3Bucket: bucket, s3ObjectKey: keys }) },
  });
}

/** What GetTrailStatus shows for a failed delivery call: the AWS error code. */
export function deliveryError(error: unknown): string {
  return error instanceof ServiceError ? error.code : 'InternalFailure';
}
