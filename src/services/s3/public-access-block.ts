/**
 * @module
 * Block Public Access: the account-level settings (S3 Control) and the bucket-level ones, and the
 * settings in force for a bucket (either level turns a setting on). New buckets block everything,
 * as S3 has done since April 2023.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
 */
import type { PublicAccessBlockConfiguration } from '@aws-sdk/client-s3';
import { GLOBAL_REGION, type Scope } from '../../core/scope.js';
import type { Tx } from '../../store/types.js';
import type { BucketDocument } from './buckets.js';

/** The four settings, each on or off. */
export type PublicAccessSettings = Required<Pick<PublicAccessBlockConfiguration, 'BlockPublicAcls' | 'IgnorePublicAcls' | 'BlockPublicPolicy' | 'RestrictPublicBuckets'>>;

/** What new buckets get. */
export const BLOCK_ALL: PublicAccessSettings = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };

/** The document kind of the account-level settings (one per account). */
export const ACCOUNT_PUBLIC_ACCESS_BLOCK_KIND = 's3-account-public-access-block';

/** Where an account's own settings live: the account, in the region AWS records global S3 Control state in. */
export function accountSettingsScope(accountId: string): Scope {
  return { accountId, region: GLOBAL_REGION };
}

/** An account's settings, or undefined when none are set. */
export async function accountPublicAccessBlock(tx: Tx, accountId: string): Promise<PublicAccessSettings | undefined> {
  return tx.documents.get<PublicAccessSettings>(accountSettingsScope(accountId), ACCOUNT_PUBLIC_ACCESS_BLOCK_KIND, accountId);
}

/** The settings a configuration amounts to (an absent flag is off). */
export function settingsOf(config: PublicAccessBlockConfiguration | undefined): PublicAccessSettings {
  return {
    BlockPublicAcls: config?.BlockPublicAcls === true,
    IgnorePublicAcls: config?.IgnorePublicAcls === true,
    BlockPublicPolicy: config?.BlockPublicPolicy === true,
    RestrictPublicBuckets: config?.RestrictPublicBuckets === true,
  };
}

/** The settings in force for a bucket: on at either level. */
export async function effectivePublicAccessBlock(tx: Tx, bucket: BucketDocument): Promise<PublicAccessSettings> {
  const account = settingsOf(await accountPublicAccessBlock(tx, bucket.owner));
  const own = settingsOf(bucket.config.publicAccessBlock as PublicAccessBlockConfiguration | undefined);
  return {
    BlockPublicAcls: account.BlockPublicAcls || own.BlockPublicAcls,
    IgnorePublicAcls: account.IgnorePublicAcls || own.IgnorePublicAcls,
    BlockPublicPolicy: account.BlockPublicPolicy || own.BlockPublicPolicy,
    RestrictPublicBuckets: account.RestrictPublicBuckets || own.RestrictPublicBuckets,
  };
}
