/**
 * @module
 * Amazon S3 (restXml; path-style and virtual-hosted-style addressing): buckets and their
 * configuration, objects and their versions, multipart uploads. Each operation names its IAM action
 * (which is not always the operation's name), the bucket or object ARNs it acts on and, for
 * object-level calls, CloudTrail's Data category.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
 */
import { loadModel } from '../../protocol/model.js';
import type { OperationSpec, ServiceDefinition } from '../service.js';
import * as access from './bucket-access.js';
import * as config from './bucket-config.js';
import { createBucket, deleteBucket, getBucketLocation, headBucket, listBuckets, prepareCreateBucket } from './bucket-handlers.js';
import { bucketArn } from './buckets.js';
import { s3Background } from './blob-collector.js';
import { copyObject, copySourcePermission, prepareCopyObject } from './copy.js';
import { listObjects, listObjectsV2, listObjectVersions } from './list-objects.js';
import {
  abortMultipartUpload, completeMultipartUpload, createMultipartUpload, prepareUploadPart, prepareUploadPartCopy, uploadPart, uploadPartCopy,
} from './multipart.js';
import { listMultipartUploads, listParts } from './multipart-lists.js';
import * as objectConfig from './object-config.js';
import { deleteObjectHandler, deleteObjects, getObject, headObject, preparePutObject, putObject, settleStaged } from './object-handlers.js';
import { s3RecordDetails } from './records.js';
import { s3ResourcePolicy } from './resource-policy.js';
import { SseKms } from './sse-kms.js';
import { keyVaultProvider } from '../kms/key-vault.js';

type Input = { Bucket?: string; Key?: string };
type Conditions = NonNullable<OperationSpec['conditions']>;

/** Condition keys with a value, as the authoriser takes them. */
function keys(values: Record<string, string | number | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));
}

const listConditions: Conditions = (input: { Prefix?: string; Delimiter?: string; MaxKeys?: number }) =>
  keys({ 's3:prefix': input.Prefix ?? '', 's3:delimiter': input.Delimiter, 's3:max-keys': input.MaxKeys });

const writeConditions: Conditions = (input: { ACL?: string; ServerSideEncryption?: string; SSEKMSKeyId?: string; StorageClass?: string; CopySource?: string; MetadataDirective?: string }) =>
  keys({
    's3:x-amz-acl': input.ACL,
    's3:x-amz-server-side-encryption': input.ServerSideEncryption,
    's3:x-amz-server-side-encryption-aws-kms-key-id': input.SSEKMSKeyId,
    's3:x-amz-storage-class': input.StorageClass,
    's3:x-amz-copy-source': input.CopySource,
    's3:x-amz-metadata-directive': input.MetadataDirective,
  });

const versionConditions: Conditions = (input: { VersionId?: string }) => keys({ 's3:VersionId': input.VersionId });

/** A bucket-level operation: a management event on the bucket's ARN. */
function bucket(handler: OperationSpec['handler'], action: string, extra: Partial<OperationSpec> = {}): OperationSpec {
  return { handler, action: `s3:${action}`, resources: (input: Input) => [bucketArn(input.Bucket ?? '')], ...extra };
}

/** An object-level operation: a data event on the object's ARN. */
function object(handler: OperationSpec['handler'], action: string, extra: Partial<OperationSpec> = {}): OperationSpec {
  return { handler, action: `s3:${action}`, category: 'Data', resources: (input: Input) => [bucketArn(input.Bucket ?? '', input.Key ?? '')], ...extra };
}

/** A listing of a bucket: a data event on the bucket's ARN. */
function listing(handler: OperationSpec['handler'], action: string, extra: Partial<OperationSpec> = {}): OperationSpec {
  return bucket(handler, action, { category: 'Data', ...extra });
}

/** Calls that stage bytes in `prepare`: authorised first, their blob removed when they do not commit. */
const staged = { settle: settleStaged, authorizeFirst: true } as const;

/** The S3 service definition. */
export function s3Service(): ServiceDefinition {
  const sse = new SseKms(keyVaultProvider());
  return {
    model: loadModel('s3'),
    eventSource: 's3.amazonaws.com',
    errorStyle: 's3',
    background: s3Background,
    resourcePolicy: s3ResourcePolicy,
    recordDetails: s3RecordDetails,
    operations: {
      ListBuckets: { handler: listBuckets, action: 's3:ListAllMyBuckets' },
      CreateBucket: bucket(createBucket, 'CreateBucket', { prepare: prepareCreateBucket }),
      DeleteBucket: bucket(deleteBucket, 'DeleteBucket'),
      HeadBucket: listing(headBucket, 'ListBucket'),
      GetBucketLocation: bucket(getBucketLocation, 'GetBucketLocation'),

      ListObjects: listing(listObjects, 'ListBucket', { conditions: listConditions }),
      ListObjectsV2: listing(listObjectsV2, 'ListBucket', { conditions: listConditions }),
      ListObjectVersions: listing(listObjectVersions, 'ListBucketVersions', { conditions: listConditions }),
      ListMultipartUploads: listing(listMultipartUploads, 'ListBucketMultipartUploads'),

      PutObject: object(putObject, 'PutObject', { prepare: (input, ctx) => preparePutObject(input, ctx, sse), ...staged, conditions: writeConditions }),
      GetObject: object(getObject(sse), 'GetObject', { conditions: versionConditions }),
      HeadObject: object(headObject, 'GetObject', { conditions: versionConditions }),
      DeleteObject: object(deleteObjectHandler, 'DeleteObject', { conditions: versionConditions }),
      DeleteObjects: {
        handler: deleteObjects, action: 's3:DeleteObject', category: 'Data',
        resources: (input: { Bucket?: string; Delete?: { Objects?: { Key?: string }[] } }) =>
          (input.Delete?.Objects ?? []).map((o) => bucketArn(input.Bucket ?? '', o.Key ?? '')),
      },
      CopyObject: object(copyObject, 'PutObject', { prepare: (input, ctx) => prepareCopyObject(input, ctx, sse), ...staged, conditions: writeConditions, requires: copySourcePermission }),
      GetObjectAttributes: object(objectConfig.getObjectAttributes, 'GetObjectAttributes', { conditions: versionConditions }),

      CreateMultipartUpload: object(createMultipartUpload(sse), 'PutObject', { conditions: writeConditions }),
      UploadPart: object(uploadPart, 'PutObject', { prepare: (input, ctx) => prepareUploadPart(input, ctx, sse), ...staged }),
      UploadPartCopy: object(uploadPartCopy, 'PutObject', { prepare: (input, ctx) => prepareUploadPartCopy(input, ctx, sse), ...staged, requires: copySourcePermission }),
      CompleteMultipartUpload: object(completeMultipartUpload, 'PutObject'),
      AbortMultipartUpload: object(abortMultipartUpload, 'AbortMultipartUpload'),
      ListParts: object(listParts, 'ListMultipartUploadParts'),

      GetObjectAcl: object(objectConfig.getObjectAcl, 'GetObjectAcl', { conditions: versionConditions }),
      PutObjectAcl: object(objectConfig.putObjectAcl, 'PutObjectAcl', { conditions: writeConditions }),
      GetObjectTagging: object(objectConfig.getObjectTagging, 'GetObjectTagging', { conditions: versionConditions }),
      PutObjectTagging: object(objectConfig.putObjectTagging, 'PutObjectTagging'),
      DeleteObjectTagging: object(objectConfig.deleteObjectTagging, 'DeleteObjectTagging'),
      GetObjectRetention: object(objectConfig.getObjectRetention, 'GetObjectRetention'),
      PutObjectRetention: object(objectConfig.putObjectRetention, 'PutObjectRetention'),
      GetObjectLegalHold: object(objectConfig.getObjectLegalHold, 'GetObjectLegalHold'),
      PutObjectLegalHold: object(objectConfig.putObjectLegalHold, 'PutObjectLegalHold'),

      GetBucketAcl: bucket(access.getBucketAcl, 'GetBucketAcl'),
      PutBucketAcl: bucket(access.putBucketAcl, 'PutBucketAcl', { conditions: writeConditions }),
      GetBucketOwnershipControls: bucket(access.getBucketOwnershipControls, 'GetBucketOwnershipControls'),
      PutBucketOwnershipControls: bucket(access.putBucketOwnershipControls, 'PutBucketOwnershipControls'),
      DeleteBucketOwnershipControls: bucket(access.deleteBucketOwnershipControls, 'PutBucketOwnershipControls'),
      GetBucketPolicy: bucket(access.getBucketPolicy, 'GetBucketPolicy'),
      PutBucketPolicy: bucket(access.putBucketPolicy, 'PutBucketPolicy'),
      DeleteBucketPolicy: bucket(access.deleteBucketPolicy, 'DeleteBucketPolicy'),
      GetBucketPolicyStatus: bucket(access.getBucketPolicyStatus, 'GetBucketPolicyStatus'),
      GetPublicAccessBlock: bucket(access.getPublicAccessBlock, 'GetBucketPublicAccessBlock'),
      PutPublicAccessBlock: bucket(access.putPublicAccessBlock, 'PutBucketPublicAccessBlock'),
      DeletePublicAccessBlock: bucket(access.deletePublicAccessBlock, 'PutBucketPublicAccessBlock'),
      GetBucketVersioning: bucket(access.getBucketVersioning, 'GetBucketVersioning'),
      PutBucketVersioning: bucket(access.putBucketVersioning, 'PutBucketVersioning'),

      GetBucketEncryption: bucket(config.getBucketEncryption, 'GetEncryptionConfiguration'),
      PutBucketEncryption: bucket(config.putBucketEncryption, 'PutEncryptionConfiguration'),
      DeleteBucketEncryption: bucket(config.deleteBucketEncryption, 'PutEncryptionConfiguration'),
      GetBucketTagging: bucket(config.getBucketTagging, 'GetBucketTagging'),
      PutBucketTagging: bucket(config.putBucketTagging, 'PutBucketTagging'),
      DeleteBucketTagging: bucket(config.deleteBucketTagging, 'PutBucketTagging'),
      GetBucketLogging: bucket(config.getBucketLogging, 'GetBucketLogging'),
      PutBucketLogging: bucket(config.putBucketLogging, 'PutBucketLogging'),
      GetBucketLifecycleConfiguration: bucket(config.getBucketLifecycleConfiguration, 'GetLifecycleConfiguration'),
      PutBucketLifecycleConfiguration: bucket(config.putBucketLifecycleConfiguration, 'PutLifecycleConfiguration'),
      DeleteBucketLifecycle: bucket(config.deleteBucketLifecycle, 'PutLifecycleConfiguration'),
      GetBucketReplication: bucket(config.getBucketReplication, 'GetReplicationConfiguration'),
      PutBucketReplication: bucket(config.putBucketReplication, 'PutReplicationConfiguration'),
      DeleteBucketReplication: bucket(config.deleteBucketReplication, 'PutReplicationConfiguration'),
      GetObjectLockConfiguration: bucket(config.getObjectLockConfiguration, 'GetBucketObjectLockConfiguration'),
      PutObjectLockConfiguration: bucket(config.putObjectLockConfiguration, 'PutBucketObjectLockConfiguration'),
      GetBucketCors: bucket(config.getBucketCors, 'GetBucketCORS'),
      PutBucketCors: bucket(config.putBucketCors, 'PutBucketCORS'),
      DeleteBucketCors: bucket(config.deleteBucketCors, 'PutBucketCORS'),
      GetBucketWebsite: bucket(config.getBucketWebsite, 'GetBucketWebsite'),
      PutBucketWebsite: bucket(config.putBucketWebsite, 'PutBucketWebsite'),
      DeleteBucketWebsite: bucket(config.deleteBucketWebsite, 'DeleteBucketWebsite'),
      GetBucketNotificationConfiguration: bucket(config.getBucketNotificationConfiguration, 'GetBucketNotification'),
      PutBucketNotificationConfiguration: bucket(config.putBucketNotificationConfiguration, 'PutBucketNotification'),
      GetBucketAccelerateConfiguration: bucket(config.getBucketAccelerateConfiguration, 'GetAccelerateConfiguration'),
      PutBucketAccelerateConfiguration: bucket(config.putBucketAccelerateConfiguration, 'PutAccelerateConfiguration'),
      GetBucketRequestPayment: bucket(config.getBucketRequestPayment, 'GetBucketRequestPayment'),
      PutBucketRequestPayment: bucket(config.putBucketRequestPayment, 'PutBucketRequestPayment'),
    },
  };
}
