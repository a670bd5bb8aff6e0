/**
 * @module
 * CloudTrail's errors, with AWS's messages.
 */
import { ServiceError } from '../../core/errors.js';

/** A trail name or ARN that does not name an existing trail. */
export class TrailNotFoundException extends ServiceError {
  constructor(name: string, accountId: string) {
    super('TrailNotFoundException', `Unknown trail: ${name} for the user: ${accountId}`);
  }
}

/** CreateTrail with the name of a trail that exists. */
export class TrailAlreadyExistsException extends ServiceError {
  constructor(name: string, accountId: string) {
    super('TrailAlreadyExistsException', `Trail ${name} already exists for customer: ${accountId}`);
  }
}

/** A trail name that breaks CloudTrail's naming rules. */
export class InvalidTrailNameException extends ServiceError {
  constructor(message: string) {
    super('InvalidTrailNameException', message);
  }
}

/** A sixth trail in a region. */
export class MaximumNumberOfTrailsExceededException extends ServiceError {
  constructor(accountId: string, region: string) {
    super('MaximumNumberOfTrailsExceededException', `User: ${accountId} already has 5 trails in ${region}.`);
  }
}

/** A change to a trail made outside its home region. */
export class InvalidHomeRegionException extends ServiceError {
  constructor(arn: string, homeRegion: string, region: string) {
    super('InvalidHomeRegionException', `This operation must be called from the trail's home region. Trail ${arn} home region is ${homeRegion}, called from ${region}.`);
  }
}

/** Parameters that cannot go together. */
export class InvalidParameterCombinationException extends ServiceError {
  constructor(message: string) {
    super('InvalidParameterCombinationException', message);
  }
}

/** A KmsKeyId that is not a key id, key ARN, alias or alias ARN. */
export class InvalidKmsKeyIdException extends ServiceError {
  constructor(value: string) {
    super('InvalidKmsKeyIdException', `Invalid KmsKeyId ${value}.`);
  }
}

/** A resource id in the tagging APIs that is not a CloudTrail ARN. */
export class CloudTrailARNInvalidException extends ServiceError {
  constructor(value: string) {
    super('CloudTrailARNInvalidException', `${value} is not a valid CloudTrail ARN.`);
  }
}

/** IsOrganizationTrail from an account that manages no organization. */
export class OrganizationsNotInUseException extends ServiceError {
  constructor() {
    super('OrganizationsNotInUseException', 'This account is not a member of an organization.');
  }
}

/** A parameter value CloudTrail does not accept. */
export class InvalidParameterException extends ServiceError {
  constructor(message: string) {
    super('InvalidParameterException', message);
  }
}

/** An S3 bucket name that is not one. */
export class InvalidS3BucketNameException extends ServiceError {
  constructor(name: string) {
    super('InvalidS3BucketNameException', `Bucket name ${name} is not valid.`);
  }
}

/** An S3 key prefix that is not acceptable. */
export class InvalidS3PrefixException extends ServiceError {
  constructor(message: string) {
    super('InvalidS3PrefixException', message);
  }
}

/** An SNS topic name that is not one. */
export class InvalidSnsTopicNameException extends ServiceError {
  constructor(name: string) {
    super('InvalidSnsTopicNameException', `Topic name ${name} is not valid.`);
  }
}

/**
 * CloudTrail's messages about a trail's CloudWatch Logs settings, as AWS words them (seen in
 * aws/aws-cdk#1963, cloudposse/terraform-aws-cloudwatch-logs#38, cloudposse/terraform-aws-cloudtrail-cloudwatch-alarms#2,
 * pulumi/docs#5117, cisagov/crossfeed#2197).
 */
export const CLOUDWATCH_LOGS_MESSAGES = {
  groupUnvalidated: 'CloudTrail cannot validate the specified log group ARN.',
  rolePermissions: 'Access denied. Verify in IAM that the role has adequate permissions.',
  roleTrust: 'Access denied. Check the trust relationships for your role.',
  roleMissing: 'You must specify a role ARN as well as a log group.',
  groupMissing: 'You must specify a log group as well as a role ARN.',
} as const;

/** A log group CloudTrail cannot use: malformed, missing, or one the role may not write to. */
export class InvalidCloudWatchLogsLogGroupArnException extends ServiceError {
  constructor(message: string) {
    super('InvalidCloudWatchLogsLogGroupArnException', message);
  }
}

/** A role CloudTrail cannot use: malformed, missing, or one it may not assume. */
export class InvalidCloudWatchLogsRoleArnException extends ServiceError {
  constructor(message: string) {
    super('InvalidCloudWatchLogsRoleArnException', message);
  }
}

/** A log group ARN given without a role ARN, or the other way round. */
export class CloudWatchLogsDeliveryUnavailableException extends ServiceError {
  constructor(message: string) {
    super('CloudWatchLogsDeliveryUnavailableException', message);
  }
}

/** A malformed or foreign resource ARN in the tagging APIs. */
export class ResourceNotFoundException extends ServiceError {
  constructor(arn: string) {
    super('ResourceNotFoundException', `Resource ${arn} not found.`);
  }
}

/** Tags that break CloudTrail's tag rules. */
export class InvalidTagParameterException extends ServiceError {
  constructor(message: string) {
    super('InvalidTagParameterException', message);
  }
}

/** More than 50 tags on one resource. */
export class TagsLimitExceededException extends ServiceError {
  constructor(message: string) {
    super('TagsLimitExceededException', message);
  }
}

/** A LookupAttributes list CloudTrail does not accept. */
export class InvalidLookupAttributesException extends ServiceError {
  constructor(message: string) {
    super('InvalidLookupAttributesException', message);
  }
}

/** A StartTime after EndTime, or bounds out of range. */
export class InvalidTimeRangeException extends ServiceError {
  constructor(message = 'Start time must be before end time.') {
    super('InvalidTimeRangeException', message);
  }
}

/** MaxResults outside 1..50. */
export class InvalidMaxResultsException extends ServiceError {
  constructor(message = 'Value for MaxResults is invalid. Value must be between 1 and 50.') {
    super('InvalidMaxResultsException', message);
  }
}

/** A NextToken that this query did not issue. */
export class InvalidNextTokenException extends ServiceError {
  constructor(message = 'Invalid NextToken') {
    super('InvalidNextTokenException', message);
  }
}

/** An EventCategory other than `insight`. */
export class InvalidEventCategoryException extends ServiceError {
  constructor(value: string) {
    super('InvalidEventCategoryException', `Event category ${value} is not valid. Valid values are: insight.`);
  }
}

/** Event selectors that break CloudTrail's rules (counts, values, fields, operators). */
export class InvalidEventSelectorsException extends ServiceError {
  constructor(message: string) {
    super('InvalidEventSelectorsException', message);
  }
}

/** Insight selectors that break CloudTrail's rules. */
export class InvalidInsightSelectorsException extends ServiceError {
  constructor(message: string) {
    super('InvalidInsightSelectorsException', message);
  }
}

/** GetInsightSelectors on a trail without Insights. */
export class InsightNotEnabledException extends ServiceError {
  constructor(trailArn: string) {
    super('InsightNotEnabledException', `Trail ${trailArn} does not have Insights enabled. Enable Insights on the trail, and then try again.`);
  }
}

/** An event data store that does not exist (Custos keeps no Lake event data stores). */
export class EventDataStoreNotFoundException extends ServiceError {
  constructor(name: string) {
    super('EventDataStoreNotFoundException', `The specified event data store ${name} was not found.`);
  }
}

/** A NextToken ListPublicKeys did not issue (it issues none). */
export class InvalidTokenException extends ServiceError {
  constructor() {
    super('InvalidTokenException', 'Reserved for future use.');
  }
}

/** A trail's bucket that does not exist. */
export class S3BucketDoesNotExistException extends ServiceError {
  constructor(bucket: string) {
    super('S3BucketDoesNotExistException', `S3 bucket ${bucket} does not exist.`);
  }
}

/** A bucket whose policy does not let CloudTrail deliver into it. */
export class InsufficientS3BucketPolicyException extends ServiceError {
  constructor(bucket: string) {
    super('InsufficientS3BucketPolicyException', `Incorrect S3 bucket policy is detected for bucket: ${bucket}`);
  }
}

/** A topic that does not exist or whose policy does not let CloudTrail publish. */
export class InsufficientSnsTopicPolicyException extends ServiceError {
  constructor() {
    super('InsufficientSnsTopicPolicyException', 'SNS Topic does not exist or the topic policy is incorrect');
  }
}

/** A KMS key that does not exist (or is in another region than the bucket). */
export class KmsKeyNotFoundException extends ServiceError {
  constructor(key: string) {
    super('KmsKeyNotFoundException', `KMS key ${key} does not exist.`);
  }
}

/** A bucket or key whose policy does not let CloudTrail encrypt the trail's files. */
export class InsufficientEncryptionPolicyException extends ServiceError {
  constructor(bucket: string, key: string) {
    super('InsufficientEncryptionPolicyException', `Insufficient permissions to access S3 bucket ${bucket} or KMS key ${key}.`);
  }
}

/** A KMS key CloudTrail cannot use (disabled, or pending deletion). */
export class KmsException extends ServiceError {
  constructor(key: string) {
    super('KmsException', `KMS key ${key} is not enabled.`);
  }
}
