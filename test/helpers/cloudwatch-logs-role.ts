/**
 * @module
 * The role CloudTrail's user guide has a trail stream into CloudWatch Logs with: a trust policy
 * for `cloudtrail.amazonaws.com`, and a policy allowing `logs:CreateLogStream` and
 * `logs:PutLogEvents` on the log group's streams (a customer managed policy attached to the role).
 */
import { AttachRolePolicyCommand, CreatePolicyCommand, CreateRoleCommand, type IAMClient } from '@aws-sdk/client-iam';

/** The trust policy that lets CloudTrail assume a role. */
export const CLOUDTRAIL_TRUST_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

/** The permissions policy CloudTrail needs on a log group (`arn:aws:logs:...:log-group:<name>:*`). */
export function cloudWatchLogsPolicy(groupArn: string): string {
  const streams = `${groupArn.replace(/:\*$/, '')}:log-stream:*`;
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Sid: 'AWSCloudTrailCreateLogStream2014110', Effect: 'Allow', Action: ['logs:CreateLogStream'], Resource: [streams] },
      { Sid: 'AWSCloudTrailPutLogEvents20141101', Effect: 'Allow', Action: ['logs:PutLogEvents'], Resource: [streams] },
    ],
  });
}

/** A role and its attached policy, as created. */
export interface CloudWatchLogsRole {
  readonly roleArn: string;
  readonly roleName: string;
  readonly policyArn: string;
}

/** Creates the role (trust policy for CloudTrail) with the log group's policy attached. */
export async function createCloudWatchLogsRole(iam: IAMClient, groupArn: string, roleName = 'CloudTrail_CloudWatchLogs_Role'): Promise<CloudWatchLogsRole> {
  const { Role } = await iam.send(new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: CLOUDTRAIL_TRUST_POLICY }));
  const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: `${roleName}Policy`, PolicyDocument: cloudWatchLogsPolicy(groupArn) }));
  await iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: Policy!.Arn! }));
  return { roleArn: Role!.Arn!, roleName, policyArn: Policy!.Arn! };
}
