/**
 * @module
 * The settings CreateTrail and UpdateTrail share, checked and normalised as CloudTrail does.
 */
import type { CreateTrailCommandInput } from '@aws-sdk/client-cloudtrail';
import { parseArn } from '../../core/arn.js';
import type { Scope } from '../../core/scope.js';
import {
  CLOUDWATCH_LOGS_MESSAGES,
  InvalidCloudWatchLogsLogGroupArnException,
  InvalidCloudWatchLogsRoleArnException,
  InvalidParameterCombinationException,
  InvalidS3BucketNameException,
  InvalidS3PrefixException,
  InvalidSnsTopicNameException,
  InvalidKmsKeyIdException,
} from './errors.js';
import type { TrailDocument } from './trails.js';

/** The settable part of a trail. */
export type TrailSettings = Pick<
  TrailDocument,
  | 's3BucketName' | 's3KeyPrefix' | 'snsTopicArn' | 'includeGlobalServiceEvents' | 'isMultiRegionTrail'
  | 'logFileValidationEnabled' | 'cloudWatchLogsLogGroupArn' | 'cloudWatchLogsRoleArn' | 'kmsKeyId' | 'isOrganizationTrail'
>;

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const LOG_GROUP_ARN = /^arn:aws[a-z-]*:logs:[a-z0-9-]+:\d{12}:log-group:[\w#./-]+:\*$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The input members that carry settings (CreateTrail's, which UpdateTrail shares). */
export type SettingsInput = Partial<Omit<CreateTrailCommandInput, 'Name' | 'TagsList'>>;

/** Applies the settings in `input` over `base` (or the defaults), checking each as CloudTrail does. */
export function applySettings(scope: Scope, input: SettingsInput, base?: TrailSettings): TrailSettings {
  const next: TrailSettings = {
    s3BucketName: input.S3BucketName ?? base?.s3BucketName ?? '',
    s3KeyPrefix: input.S3KeyPrefix !== undefined ? input.S3KeyPrefix || undefined : base?.s3KeyPrefix,
    snsTopicArn: input.SnsTopicName !== undefined ? topicArn(scope, input.SnsTopicName) : base?.snsTopicArn,
    includeGlobalServiceEvents: input.IncludeGlobalServiceEvents ?? base?.includeGlobalServiceEvents ?? true,
    isMultiRegionTrail: input.IsMultiRegionTrail ?? base?.isMultiRegionTrail ?? false,
    logFileValidationEnabled: input.EnableLogFileValidation ?? base?.logFileValidationEnabled ?? false,
    cloudWatchLogsLogGroupArn: input.CloudWatchLogsLogGroupArn !== undefined ? input.CloudWatchLogsLogGroupArn || undefined : base?.cloudWatchLogsLogGroupArn,
    cloudWatchLogsRoleArn: input.CloudWatchLogsRoleArn !== undefined ? input.CloudWatchLogsRoleArn || undefined : base?.cloudWatchLogsRoleArn,
    kmsKeyId: input.KmsKeyId !== undefined ? kmsKeyArn(scope, input.KmsKeyId) : base?.kmsKeyId,
    isOrganizationTrail: input.IsOrganizationTrail ?? base?.isOrganizationTrail ?? false,
  };
  if (!BUCKET_NAME.test(next.s3BucketName) || next.s3BucketName.includes('..')) throw new InvalidS3BucketNameException(next.s3BucketName);
  if (next.s3KeyPrefix !== undefined && (next.s3KeyPrefix.length > 200 || next.s3KeyPrefix.endsWith('/') || next.s3KeyPrefix.startsWith('/'))) {
    throw new InvalidS3PrefixException(`Prefix ${next.s3KeyPrefix} is not valid.`);
  }
  if (next.isMultiRegionTrail && !next.includeGlobalServiceEvents) {
    throw new InvalidParameterCombinationException('Multi-Region trail must include global service events.');
  }
  if (next.cloudWatchLogsLogGroupArn !== undefined && !LOG_GROUP_ARN.test(next.cloudWatchLogsLogGroupArn)) {
    throw new InvalidCloudWatchLogsLogGroupArnException(CLOUDWATCH_LOGS_MESSAGES.groupUnvalidated);
  }
  if (next.cloudWatchLogsRoleArn !== undefined && !ROLE_ARN.test(next.cloudWatchLogsRoleArn)) {
    throw new InvalidCloudWatchLogsRoleArnException(`Role ARN ${next.cloudWatchLogsRoleArn} is invalid.`);
  }
  if ((next.cloudWatchLogsLogGroupArn === undefined) !== (next.cloudWatchLogsRoleArn === undefined)) {
    throw next.cloudWatchLogsRoleArn === undefined
      ? new InvalidCloudWatchLogsRoleArnException(CLOUDWATCH_LOGS_MESSAGES.roleMissing)
      : new InvalidCloudWatchLogsLogGroupArnException(CLOUDWATCH_LOGS_MESSAGES.groupMissing);
  }
  return next;
}

function topicArn(scope: Scope, value: string): string | undefined {
  if (value === '') return undefined;
  if (value.startsWith('arn:')) {
    const arn = parseArn(value);
    if (!arn || arn.service !== 'sns' || !/^[\w-]{1,256}$/.test(arn.resource)) throw new InvalidSnsTopicNameException(value);
    return value;
  }
  if (!/^[\w-]{1,256}$/.test(value)) throw new InvalidSnsTopicNameException(value);
  return `arn:aws:sns:${scope.region}:${scope.accountId}:${value}`;
}

function kmsKeyArn(scope: Scope, value: string): string | undefined {
  if (value === '') return undefined;
  if (value.startsWith('arn:')) {
    const arn = parseArn(value);
    if (!arn || arn.service !== 'kms' || !/^(key|alias)\/.+/.test(arn.resource)) {
      throw new InvalidKmsKeyIdException(value);
    }
    return value;
  }
  if (value.startsWith('alias/')) return `arn:aws:kms:${scope.region}:${scope.accountId}:${value}`;
  if (UUID.test(value) || /^mrk-[0-9a-f]{32}$/.test(value)) return `arn:aws:kms:${scope.region}:${scope.accountId}:key/${value}`;
  throw new InvalidKmsKeyIdException(value);
}
