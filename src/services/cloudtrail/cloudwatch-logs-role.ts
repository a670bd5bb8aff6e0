/**
 * @module
 * A trail's CloudWatch Logs role as CloudTrail uses it: CloudTrail assumes the role as
 * `cloudtrail.amazonaws.com` (its trust policy must allow that) and writes each region's records
 * to the stream `<account>_CloudTrail_<region>` as that session, which needs `logs:CreateLogStream`
 * and `logs:PutLogEvents` on the stream. CreateTrail and UpdateTrail check this up front with
 * CloudTrail's errors; each delivery checks it again, against the role's policies as they are then.
 */
import { parseArn } from '../../core/arn.js';
import type { Principal } from '../../auth/principal.js';
import type { Tx } from '../../store/types.js';
import { findRoleByArn, serviceMayAssume, serviceRoleSession, sessionMay } from '../iam/service-role.js';
import { findGroup } from '../logs/log-groups.js';
import { CLOUDTRAIL_PRINCIPAL, trailConditionKeys } from './destination-checks.js';
import { CLOUDWATCH_LOGS_MESSAGES, InvalidCloudWatchLogsLogGroupArnException, InvalidCloudWatchLogsRoleArnException } from './errors.js';
import { arnOf, type TrailDocument } from './trails.js';

/** The actions CloudTrail's role session needs on a stream. */
const STREAM_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents'] as const;

/** A log group named by `arn:aws:logs:<region>:<acct>:log-group:<name>[:*]`. */
export interface LogGroupRef {
  readonly accountId: string;
  readonly region: string;
  readonly name: string;
}

/** What CloudTrail may do with a trail's role on one stream: write as the session, or why not. */
export type StreamAccess =
  | { readonly allowed: true; readonly session: Principal }
  | { readonly allowed: false; readonly reason: 'trust' | 'permissions' };

/** The log group a trail's CloudWatchLogsLogGroupArn names. */
export function logGroupOf(arn: string): LogGroupRef | undefined {
  const parsed = parseArn(arn);
  const match = parsed && /^log-group:(.+?)(?::\*)?$/.exec(parsed.resource);
  return parsed && match ? { accountId: parsed.accountId, region: parsed.region, name: match[1]! } : undefined;
}

/** The stream CloudTrail writes a region's records to. */
export function streamNameFor(accountId: string, region: string): string {
  return `${accountId}_CloudTrail_${region}`;
}

/** Whether CloudTrail, assuming the role for this trail, may create and write the stream in the group. */
export async function streamAccess(
  tx: Tx, trail: { readonly trailArn: string; readonly accountId: string; readonly roleArn: string }, group: LogGroupRef, stream: string, now: number,
): Promise<StreamAccess> {
  const role = await findRoleByArn(tx, trail.roleArn);
  if (!role || !serviceMayAssume(role, CLOUDTRAIL_PRINCIPAL, trailConditionKeys(trail.trailArn, trail.accountId))) return { allowed: false, reason: 'trust' };
  const session = serviceRoleSession(role, CLOUDTRAIL_PRINCIPAL, stream, now);
  const streamArn = `arn:aws:logs:${group.region}:${group.accountId}:log-group:${group.name}:log-stream:${stream}`;
  for (const action of STREAM_ACTIONS) {
    if (!(await sessionMay(tx, session, action, streamArn))) return { allowed: false, reason: 'permissions' };
  }
  return { allowed: true, session };
}

/** Throws CloudTrail's error unless the trail's log group exists and its role lets CloudTrail write the home region's stream. */
export async function checkCloudWatchLogs(tx: Tx, trail: TrailDocument, now: number): Promise<void> {
  if (!trail.cloudWatchLogsLogGroupArn || !trail.cloudWatchLogsRoleArn) return;
  const group = logGroupOf(trail.cloudWatchLogsLogGroupArn);
  if (!group || !(await findGroup(tx, { accountId: group.accountId, region: group.region }, group.name))) {
    throw new InvalidCloudWatchLogsLogGroupArnException(CLOUDWATCH_LOGS_MESSAGES.groupUnvalidated);
  }
  const access = await streamAccess(
    tx, { trailArn: arnOf(trail), accountId: trail.accountId, roleArn: trail.cloudWatchLogsRoleArn }, group, streamNameFor(trail.accountId, trail.homeRegion), now,
  );
  if (access.allowed) return;
  if (access.reason === 'trust') throw new InvalidCloudWatchLogsRoleArnException(CLOUDWATCH_LOGS_MESSAGES.roleTrust);
  throw new InvalidCloudWatchLogsLogGroupArnException(CLOUDWATCH_LOGS_MESSAGES.rolePermissions);
}
