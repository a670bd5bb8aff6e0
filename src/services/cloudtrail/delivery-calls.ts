/**
 * @module
 * The calls CloudTrail makes on its own behalf when it delivers: S3 PutObject, KMS GenerateDataKey
 * and SNS Publish, through the pipeline as the service principal `cloudtrail.amazonaws.com`, so that
 * bucket, key and topic policies decide and the calls are audited like AWS's own deliveries.
 */
import { servicePrincipal } from '../../auth/principal.js';
import { ServiceError } from '../../core/errors.js';
import { parseArn } from '../../core/arn.js';
import type { ServiceEnvironment } from '../service.js';
import { CLOUDTRAIL_PRINCIPAL, cloudTrailMayWrite, encryptionContext, trailConditionKeys } from './destination-checks.js';

/** An object CloudTrail writes. */
export interface DeliveredObject {
  /** The account whose trail delivers (the caller of PutObject). */
  readonly accountId: string;
  readonly region: string;
  readonly bucket: string;
  readonly key: string;
  readonly body: Buffer;
  /** The trail delivering (aws:SourceArn of the call, and the SSE-KMS encryption context). */
  readonly trailArn: string;
  readonly metadata?: Readonly<Record<string, string>>;
  /** SSE-KMS with this key. */
  readonly kmsKeyId?: string;
}

/**
 * Writes an object as CloudTrail does (canned ACL bucket-owner-full-control), once the bucket
 * policy grants CloudTrail the write (see destination-checks.ts); otherwise fails with S3's
 * AccessDenied without calling.
 */
export async function putObject(env: ServiceEnvironment, object: DeliveredObject): Promise<void> {
  const delivery = { accountId: object.accountId, trailArn: object.trailArn, bucket: object.bucket };
  if ((await env.store.read((tx) => cloudTrailMayWrite(tx, delivery, object.key))) === false) {
    throw new ServiceError('AccessDenied', 'Access Denied', { status: 403 });
  }
  await env.invoke({
    service: 's3',
    operation: 'PutObject',
    principal: servicePrincipal(object.accountId, CLOUDTRAIL_PRINCIPAL),
    region: object.region,
    conditionKeys: trailConditionKeys(object.trailArn, object.accountId),
    input: {
      Bucket: object.bucket,
      Key: object.key,
      Body: object.body,
      ContentLength: object.body.length,
      ContentType: 'application/json',
      ACL: 'bucket-owner-full-control',
      ...(object.metadata ? { Metadata: { ...object.metadata } } : {}),
      ...(object.kmsKeyId
        ? {
            ServerSideEncryption: 'aws:kms',
            SSEKMSKeyId: object.kmsKeyId,
            SSEKMSEncryptionContext: Buffer.from(JSON.stringify({ 'aws:cloudtrail:arn': object.trailArn })).toString('base64'),
          }
        : {}),
    },
  });
}

/**
 * Asks KMS for the data key a log file is encrypted under (SSE-KMS), as CloudTrail does, under
 * the encryption context `{aws:cloudtrail:arn, aws:s3:arn}`; the key policy decides.
 */
export async function generateDataKey(env: ServiceEnvironment, request: { accountId: string; trailArn: string; keyId: string; objectArn: string }): Promise<void> {
  await env.invoke({
    service: 'kms',
    operation: 'GenerateDataKey',
    principal: servicePrincipal(request.accountId, CLOUDTRAIL_PRINCIPAL),
    region: parseArn(request.keyId)?.region ?? '',
    conditionKeys: trailConditionKeys(request.trailArn, request.accountId),
    input: { KeyId: request.keyId, KeySpec: 'AES_256', EncryptionContext: encryptionContext(request.trailArn, request.objectArn) },
  });
}

/** Tells a trail's SNS topic about delivered log files: `{"s3Bucket": ..., "s3ObjectKey": [...]}`. */
export async function notifyDelivery(
  env: ServiceEnvironment,
  delivery: { accountId: string; trailArn: string; topicArn: string; bucket: string; keys: readonly string[] },
): Promise<void> {
  const { accountId, trailArn, topicArn, bucket, keys } = delivery;
  await env.invoke({
    service: 'sns',
    operation: 'Publish',
    principal: servicePrincipal(accountId, CLOUDTRAIL_PRINCIPAL),
    region: parseArn(topicArn)?.region ?? '',
    conditionKeys: trailConditionKeys(trailArn, accountId),
    input: { TopicArn: topicArn, Message: JSON.stringify({ s3Bucket: bucket, s3ObjectKey: keys }) },
  });
}

/** What GetTrailStatus shows for a failed delivery call: the AWS error code. */
export function deliveryError(error: unknown): string {
  return error instanceof ServiceError ? error.code : 'InternalFailure';
}
