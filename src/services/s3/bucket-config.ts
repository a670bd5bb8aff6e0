/**
 * @module
 * Bucket sub-resource configurations kept as sent, after S3's checks: default encryption, tagging,
 * logging, lifecycle, replication, object lock, CORS, website, notifications, transfer acceleration
 * and requester pays. Each change is saved with the bucket and handed to Config.
 */
import type * as S3 from '@aws-sdk/client-s3';
import type { CallContext, Handler, Out } from '../service.js';
import { findBucket, getBucket, updateBucket, type BucketConfigurations, type BucketDocument } from './buckets.js';
import { checkEncryptionConfiguration, DEFAULT_ENCRYPTION } from './encryption.js';
import {
  InvalidArgument, InvalidBucketState, InvalidRequest, InvalidTargetBucketForLogging, MalformedXML, MissingRequestBodyError, NoSuchConfiguration,
} from './errors.js';
import { checkTags } from './tags.js';

/** Any input that names a bucket. */
export interface BucketInput {
  Bucket?: string;
  ExpectedBucketOwner?: string;
}

/** Applies a change to the bucket a call names, saves it and records the change. */
export async function changeBucket(ctx: CallContext, input: BucketInput, change: (bucket: BucketDocument) => BucketDocument | Promise<BucketDocument>): Promise<BucketDocument> {
  const bucket = await getBucket(ctx, input.Bucket ?? '', input.ExpectedBucketOwner);
  const changed = await change(bucket);
  await updateBucket(ctx, changed);
  return changed;
}

/** The bucket with one configuration set (or removed, for undefined). */
export function withConfig<K extends keyof BucketConfigurations>(bucket: BucketDocument, name: K, value: BucketConfigurations[K] | undefined): BucketDocument {
  const config = { ...bucket.config, [name]: value };
  if (value === undefined) delete config[name];
  return { ...bucket, config };
}

/** A configuration that must be set; the named 404 otherwise. */
export function required<T>(bucket: BucketDocument, name: keyof BucketConfigurations, code: string, message: string): T {
  const value = bucket.config[name];
  if (value === undefined) throw new NoSuchConfiguration(code, message, bucket.name);
  return value as T;
}

function body<T>(value: T | undefined): T {
  if (value === undefined) throw new MissingRequestBodyError();
  return value;
}

const read = (ctx: CallContext, input: BucketInput) => getBucket(ctx, input.Bucket ?? '', input.ExpectedBucketOwner);

/** PutBucketEncryption. */
export const putBucketEncryption: Handler<S3.PutBucketEncryptionCommandInput, Out<S3.PutBucketEncryptionCommandOutput>> = async (input, ctx) => {
  const config = checkEncryptionConfiguration(body(input.ServerSideEncryptionConfiguration));
  await changeBucket(ctx, input, (b) => withConfig(b, 'encryption', config));
  return {};
};

/** GetBucketEncryption: the configured default, or SSE-S3. */
export const getBucketEncryption: Handler<S3.GetBucketEncryptionCommandInput, Out<S3.GetBucketEncryptionCommandOutput>> = async (input, ctx) => ({
  ServerSideEncryptionConfiguration: ((await read(ctx, input)).config.encryption as S3.ServerSideEncryptionConfiguration | undefined) ?? DEFAULT_ENCRYPTION,
});

/** DeleteBucketEncryption: back to SSE-S3. */
export const deleteBucketEncryption: Handler<S3.DeleteBucketEncryptionCommandInput, Out<S3.DeleteBucketEncryptionCommandOutput>> = async (input, ctx) => {
  await changeBucket(ctx, input, (b) => withConfig(b, 'encryption', undefined));
  return {};
};

/** PutBucketTagging: replaces the bucket's tag set. */
export const putBucketTagging: Handler<S3.PutBucketTaggingCommandInput, Out<S3.PutBucketTaggingCommandOutput>> = async (input, ctx) => {
  const tags = checkTags(body(input.Tagging).TagSet ?? [], 'bucket');
  await changeBucket(ctx, input, (b) => withConfig(b, 'tagging', tags));
  return {};
};

/** GetBucketTagging. */
export const getBucketTagging: Handler<S3.GetBucketTaggingCommandInput, Out<S3.GetBucketTaggingCommandOutput>> = async (input, ctx) => ({
  TagSet: required<S3.Tag[]>(await read(ctx, input), 'tagging', 'NoSuchTagSet', 'The TagSet does not exist'),
});

/** DeleteBucketTagging. */
export const deleteBucketTagging: Handler<S3.DeleteBucketTaggingCommandInput, Out<S3.DeleteBucketTaggingCommandOutput>> = async (input, ctx) => {
  await changeBucket(ctx, input, (b) => withConfig(b, 'tagging', undefined));
  return {};
};

/** PutBucketLogging: server access logging into a bucket of the same owner (or off, with no LoggingEnabled). */
export const putBucketLogging: Handler<S3.PutBucketLoggingCommandInput, Out<S3.PutBucketLoggingCommandOutput>> = async (input, ctx) => {
  const enabled = body(input.BucketLoggingStatus).LoggingEnabled;
  await changeBucket(ctx, input, async (bucket) => {
    if (enabled) {
      if (!enabled.TargetBucket || enabled.TargetPrefix === undefined) throw new MalformedXML();
      const target = await findBucket(ctx.tx, enabled.TargetBucket);
      if (!target) throw new InvalidTargetBucketForLogging(enabled.TargetBucket);
      if (target.owner !== bucket.owner) throw new InvalidTargetBucketForLogging(enabled.TargetBucket, 'The owner for the bucket to be logged and the target bucket must be the same.');
    }
    return withConfig(bucket, 'logging', enabled);
  });
  return {};
};

/** GetBucketLogging: LoggingEnabled, or nothing when logging is off. */
export const getBucketLogging: Handler<S3.GetBucketLoggingCommandInput, Out<S3.GetBucketLoggingCommandOutput>> = async (input, ctx) => ({
  LoggingEnabled: (await read(ctx, input)).config.logging as S3.LoggingEnabled | undefined,
});

function checkLifecycle(config: S3.BucketLifecycleConfiguration): S3.LifecycleRule[] {
  const rules = config.Rules ?? [];
  if (rules.length === 0 || rules.length > 1000) throw new MalformedXML();
  const ids = new Set<string>();
  for (const rule of rules) {
    if (rule.Status !== 'Enabled' && rule.Status !== 'Disabled') throw new MalformedXML();
    if (rule.Filter !== undefined && rule.Prefix !== undefined) throw new MalformedXML();
    if (rule.ID !== undefined) {
      if (rule.ID.length > 255) throw new InvalidArgument('ID length should not exceed allowed limit of 255', 'ID', rule.ID);
      if (ids.has(rule.ID)) throw new InvalidArgument('Rule ID must be unique. Found same ID for more than one rule', 'ID', rule.ID);
      ids.add(rule.ID);
    }
    const actions = [rule.Expiration, rule.Transitions?.length ? rule.Transitions : undefined, rule.NoncurrentVersionExpiration,
      rule.NoncurrentVersionTransitions?.length ? rule.NoncurrentVersionTransitions : undefined, rule.AbortIncompleteMultipartUpload];
    if (actions.every((a) => a === undefined)) throw new InvalidRequest('At least one action needs to be specified in a rule');
    if (rule.Expiration?.Days !== undefined && rule.Expiration.Days <= 0) {
      throw new InvalidArgument("'Days' for Expiration action must be a positive integer", 'Days', String(rule.Expiration.Days));
    }
  }
  return rules;
}

/** PutBucketLifecycleConfiguration: replaces the lifecycle rules (kept; not run). */
export const putBucketLifecycleConfiguration: Handler<S3.PutBucketLifecycleConfigurationCommandInput, Out<S3.PutBucketLifecycleConfigurationCommandOutput>> = async (input, ctx) => {
  const rules = checkLifecycle(body(input.LifecycleConfiguration));
  const minimum = input.TransitionDefaultMinimumObjectSize ?? 'all_storage_classes_128K';
  await changeBucket(ctx, input, (b) => withConfig(b, 'lifecycle', { Rules: rules, TransitionDefaultMinimumObjectSize: minimum }));
  return { TransitionDefaultMinimumObjectSize: minimum };
};

/** GetBucketLifecycleConfiguration. */
export const getBucketLifecycleConfiguration: Handler<S3.GetBucketLifecycleConfigurationCommandInput, Out<S3.GetBucketLifecycleConfigurationCommandOutput>> = async (input, ctx) =>
  required<Out<S3.GetBucketLifecycleConfigurationCommandOutput>>(await read(ctx, input), 'lifecycle', 'NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist');

/** DeleteBucketLifecycle. */
export const deleteBucketLifecycle: Handler<S3.DeleteBucketLifecycleCommandInput, Out<S3.DeleteBucketLifecycleCommandOutput>> = async (input, ctx) => {
  await changeBucket(ctx, input, (b) => withConfig(b, 'lifecycle', undefined));
  return {};
};

/** PutBucketReplication: needs versioning enabled (kept; objects are not replicated). */
export const putBucketReplication: Handler<S3.PutBucketReplicationCommandInput, Out<S3.PutBucketReplicationCommandOutput>> = async (input, ctx) => {
  const config = body(input.ReplicationConfiguration);
  if (!config.Role || !config.Rules?.length) throw new MalformedXML();
  await changeBucket(ctx, input, (bucket) => {
    if (bucket.versioning !== 'Enabled') throw new InvalidRequest("Versioning must be 'Enabled' on the bucket to apply a replication configuration");
    return withConfig(bucket, 'replication', config);
  });
  return {};
};

/** GetBucketReplication. */
export const getBucketReplication: Handler<S3.GetBucketReplicationCommandInput, Out<S3.GetBucketReplicationCommandOutput>> = async (input, ctx) => ({
  ReplicationConfiguration: required<S3.ReplicationConfiguration>(await read(ctx, input), 'replication', 'ReplicationConfigurationNotFoundError', 'The replication configuration was not found'),
});

/** DeleteBucketReplication. */
export const deleteBucketReplication: Handler<S3.DeleteBucketReplicationCommandInput, Out<S3.DeleteBucketReplicationCommandOutput>> = async (input, ctx) => {
  await changeBucket(ctx, input, (b) => withConfig(b, 'replication', undefined));
  return {};
};

/** PutObjectLockConfiguration: turns object lock on (versioning must be enabled) and sets the default retention. */
export const putObjectLockConfiguration: Handler<S3.PutObjectLockConfigurationCommandInput, Out<S3.PutObjectLockConfigurationCommandOutput>> = async (input, ctx) => {
  const config = body(input.ObjectLockConfiguration);
  if (config.ObjectLockEnabled !== 'Enabled') throw new MalformedXML();
  const retention = config.Rule?.DefaultRetention;
  if (retention && (!retention.Mode || (retention.Days === undefined) === (retention.Years === undefined) || (retention.Days ?? retention.Years ?? 0) <= 0)) {
    throw new MalformedXML();
  }
  await changeBucket(ctx, input, (bucket) => {
    if (bucket.versioning !== 'Enabled') throw new InvalidBucketState("Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration");
    return { ...withConfig(bucket, 'objectLock', config), objectLockEnabled: true };
  });
  return {};
};

/** GetObjectLockConfiguration. */
export const getObjectLockConfiguration: Handler<S3.GetObjectLockConfigurationCommandInput, Out<S3.GetObjectLockConfigurationCommandOutput>> = async (input, ctx) => {
  const bucket = await read(ctx, input);
  if (!bucket.objectLockEnabled) throw new NoSuchConfiguration('ObjectLockConfigurationNotFoundError', 'Object Lock configuration does not exist for this bucket', bucket.name);
  return { ObjectLockConfiguration: (bucket.config.objectLock as S3.ObjectLockConfiguration | undefined) ?? { ObjectLockEnabled: 'Enabled' } };
};

const CORS_METHODS = new Set(['GET', 'PUT', 'POST', 'DELETE', 'HEAD']);

/** PutBucketCors. */
export const putBucketCors: Handler<S3.PutBucketCorsCommandInput, Out<S3.PutBucketCorsCommandOutput>> = async (input, ctx) => {
  const rules = body(input.CORSConfiguration).CORSRules ?? [];
  if (rules.length === 0 || rules.length > 100) throw new MalformedXML();
  for (const rule of rules) {
    if (!rule.AllowedMethods?.length || !rule.AllowedOrigins?.length) throw new MalformedXML();
    const bad = rule.AllowedMethods.find((m) => !CORS_METHODS.has(m));
    if (bad) throw new InvalidRequest(`Found unsupported HTTP method in CORS config. Unsupported method is ${bad}`);
  }
  await changeBucket(ctx, input, (b) => withConfig(b, 'cors', rules));
  return {};
};

/** GetBucketCors. */
export const getBucketCors: Handler<S3.GetBucketCorsCommandInput, Out<S3.GetBucketCorsCommandOutput>> = async (input, ctx) => ({
  CORSRules: required<S3.CORSRule[]>(await read(ctx, input), 'cors', 'NoSuchCORSConfiguration', 'The CORS configuration does not exist'),
});

/** DeleteBucketCors. */
export const deleteBucketCors: Handler<S3.DeleteBucketCorsCommandInput, Out<S3.DeleteBucketCorsCommandOutput>> = async (input, ctx) => {
  await changeBucket(ctx, input, (b) => withConfig(b, 'cors', undefined));
  return {};
};

/** PutBucketWebsite: an index document, or a redirect of all requests. */
export const putBucketWebsite: Handler<S3.PutBucketWebsiteCommandInput, Out<S3.PutBucketWebsiteCommandOutput>> = async (input, ctx) => {
  const config = body(input.WebsiteConfiguration);
  if (!config.RedirectAllRequestsTo) {
    const suffix = config.IndexDocument?.Suffix;
    if (suffix === undefined) throw new InvalidArgument('A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty', 'IndexDocument');
    if (suffix === '' || suffix.includes('/')) throw new InvalidArgument('The IndexDocument Suffix is not well formed', 'IndexDocument', suffix);
  }
  await changeBucket(ctx, input, (b) => withConfig(b, 'website', config));
  return {};
};

/** GetBucketWebsite. */
export const getBucketWebsite: Handler<S3.GetBucketWebsiteCommandInput, Out<S3.GetBucketWebsiteCommandOutput>> = async (input, ctx) =>
  required<S3.WebsiteConfiguration>(await read(ctx, input), 'website', 'NoSuchWebsiteConfiguration', 'The specified bucket does not have a website configuration');

/** DeleteBucketWebsite. */
export const deleteBucketWebsite: Handler<S3.DeleteBucketWebsiteCommandInput, Out<S3.DeleteBucketWebsiteCommandOutput>> = async (input, ctx) => {
  await changeBucket(ctx, input, (b) => withConfig(b, 'website', undefined));
  return {};
};

/** PutBucketNotificationConfiguration: kept as sent (events are not delivered). */
export const putBucketNotificationConfiguration: Handler<S3.PutBucketNotificationConfigurationCommandInput, Out<S3.PutBucketNotificationConfigurationCommandOutput>> = async (input, ctx) => {
  const config = body(input.NotificationConfiguration);
  await changeBucket(ctx, input, (b) => withConfig(b, 'notification', config));
  return {};
};

/** GetBucketNotificationConfiguration: the configuration, empty when none was set. */
export const getBucketNotificationConfiguration: Handler<S3.GetBucketNotificationConfigurationCommandInput, Out<S3.GetBucketNotificationConfigurationCommandOutput>> = async (input, ctx) =>
  ((await read(ctx, input)).config.notification as S3.NotificationConfiguration | undefined) ?? {};

/** PutBucketAccelerateConfiguration (not for bucket names with dots, as on S3). */
export const putBucketAccelerateConfiguration: Handler<S3.PutBucketAccelerateConfigurationCommandInput, Out<S3.PutBucketAccelerateConfigurationCommandOutput>> = async (input, ctx) => {
  const status = body(input.AccelerateConfiguration).Status;
  if (status !== 'Enabled' && status !== 'Suspended') throw new MalformedXML();
  await changeBucket(ctx, input, (bucket) => {
    if (bucket.name.includes('.')) throw new InvalidRequest('S3 Transfer Acceleration is not supported for buckets with periods (.) in their names');
    return withConfig(bucket, 'accelerate', status);
  });
  return {};
};

/** GetBucketAccelerateConfiguration. */
export const getBucketAccelerateConfiguration: Handler<S3.GetBucketAccelerateConfigurationCommandInput, Out<S3.GetBucketAccelerateConfigurationCommandOutput>> = async (input, ctx) => ({
  Status: (await read(ctx, input)).config.accelerate as S3.BucketAccelerateStatus | undefined,
});

/** PutBucketRequestPayment. */
export const putBucketRequestPayment: Handler<S3.PutBucketRequestPaymentCommandInput, Out<S3.PutBucketRequestPaymentCommandOutput>> = async (input, ctx) => {
  const payer = body(input.RequestPaymentConfiguration).Payer;
  if (payer !== 'Requester' && payer !== 'BucketOwner') throw new MalformedXML();
  await changeBucket(ctx, input, (b) => withConfig(b, 'requestPayment', payer));
  return {};
};

/** GetBucketRequestPayment. */
export const getBucketRequestPayment: Handler<S3.GetBucketRequestPaymentCommandInput, Out<S3.GetBucketRequestPaymentCommandOutput>> = async (input, ctx) => ({
  Payer: ((await read(ctx, input)).config.requestPayment as S3.Payer | undefined) ?? 'BucketOwner',
});
