/**
 * @module
 * Server-side encryption settings: a bucket's default (SSE-S3 unless configured, as on S3 since
 * 2023) and what an object is written with. SSE-KMS objects are stored encrypted: envelope encryption
 * with a data key per object (per upload for multipart objects) from KMS (sse-kms.ts), AES-256-GCM
 * in 64 KiB frames (sse-frames.ts), decrypted as they are read. SSE-S3 bytes are stored as sent.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/serv-side-encryption.html
 */
import type { ServerSideEncryptionConfiguration } from '@aws-sdk/client-s3';
import type { BucketDocument } from './buckets.js';
import { HeaderNotImplemented, InvalidArgument, MalformedXML } from './errors.js';

/** How an object is encrypted at rest. */
export interface StoredEncryption {
  readonly algorithm: 'AES256' | 'aws:kms' | 'aws:kms:dsse';
  /** For SSE-KMS: the key id or ARN as given, or the ARN of the AWS managed key. */
  readonly kmsKeyId?: string;
  readonly bucketKeyEnabled?: boolean;
  /** Base64 JSON encryption context, as sent. */
  readonly context?: string;
  /** For SSE-KMS: the object's data key, encrypted under the KMS key (base64 CiphertextBlob); its bytes are framed (sse-frames.ts). */
  readonly dataKey?: string;
}

const ALGORITHMS = new Set(['AES256', 'aws:kms', 'aws:kms:dsse']);

/** The default encryption configuration of a bucket without one: SSE-S3. */
export const DEFAULT_ENCRYPTION: ServerSideEncryptionConfiguration = {
  Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }],
};

/** The ARN of an account's AWS managed key for S3 (`aws/s3`). */
export function awsManagedKey(accountId: string, region: string): string {
  return `arn:aws:kms:${region}:${accountId}:alias/aws/s3`;
}

/** Checks a PutBucketEncryption configuration; returns it as stored. */
export function checkEncryptionConfiguration(config: ServerSideEncryptionConfiguration | undefined): ServerSideEncryptionConfiguration {
  const rules = config?.Rules ?? [];
  if (rules.length !== 1) throw new MalformedXML();
  const byDefault = rules[0]!.ApplyServerSideEncryptionByDefault;
  if (!byDefault?.SSEAlgorithm || !ALGORITHMS.has(byDefault.SSEAlgorithm)) throw new MalformedXML();
  if (byDefault.KMSMasterKeyID !== undefined && byDefault.SSEAlgorithm === 'AES256') {
    throw new InvalidArgument('a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse', 'ApplyServerSideEncryptionByDefault');
  }
  return { Rules: [{ ApplyServerSideEncryptionByDefault: { ...byDefault }, BucketKeyEnabled: rules[0]!.BucketKeyEnabled ?? false }] };
}

/** The encryption headers of object writes. */
export interface EncryptionRequest {
  ServerSideEncryption?: string;
  SSEKMSKeyId?: string;
  SSEKMSEncryptionContext?: string;
  BucketKeyEnabled?: boolean;
  SSECustomerAlgorithm?: string;
}

/** What an object written with these headers into this bucket is encrypted with. */
export function objectEncryption(request: EncryptionRequest, bucket: BucketDocument): StoredEncryption {
  if (request.SSECustomerAlgorithm !== undefined) throw new HeaderNotImplemented('x-amz-server-side-encryption-customer-algorithm');
  const requested = request.ServerSideEncryption;
  if (requested !== undefined && !ALGORITHMS.has(requested)) {
    throw new InvalidArgument('The encryption method specified is not supported', 'x-amz-server-side-encryption', requested);
  }
  if (request.SSEKMSKeyId !== undefined && requested !== 'aws:kms' && requested !== 'aws:kms:dsse') {
    throw new InvalidArgument('Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms', 'x-amz-server-side-encryption-aws-kms-key-id', request.SSEKMSKeyId);
  }
  const rule = ((bucket.config.encryption as ServerSideEncryptionConfiguration | undefined) ?? DEFAULT_ENCRYPTION).Rules?.[0];
  const algorithm = (requested ?? rule?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm ?? 'AES256') as StoredEncryption['algorithm'];
  if (algorithm === 'AES256') return { algorithm };
  const keyId = request.SSEKMSKeyId ?? (requested === undefined ? rule?.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID : undefined);
  return {
    algorithm,
    kmsKeyId: keyId ?? awsManagedKey(bucket.owner, bucket.region),
    bucketKeyEnabled: request.BucketKeyEnabled ?? (requested === undefined ? rule?.BucketKeyEnabled : undefined) ?? false,
    context: request.SSEKMSEncryptionContext,
  };
}

/** The output members that report an object's encryption. */
export function encryptionOutput(encryption: StoredEncryption | undefined): Record<string, unknown> {
  if (!encryption) return { ServerSideEncryption: 'AES256' };
  if (encryption.algorithm === 'AES256') return { ServerSideEncryption: 'AES256' };
  return { ServerSideEncryption: encryption.algorithm, SSEKMSKeyId: encryption.kmsKeyId, BucketKeyEnabled: encryption.bucketKeyEnabled || undefined };
}
