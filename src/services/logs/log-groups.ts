/**
 * @module
 * Log groups as stored (one document each, by name) and how calls find and describe them.
 */
import type { LogGroup, LogGroupClass } from '@aws-sdk/client-cloudwatch-logs';
import type { Scope } from '../../core/scope.js';
import type { Tx } from '../../store/types.js';
import { recordResourceChange } from '../resource-changes.js';
import type { CallContext } from '../service.js';
import { logGroupNotFound } from './errors.js';
import { logGroupArn } from './names.js';

/** The document kind of log groups. */
export const GROUP_KIND = 'logs.group';

/** A log group as stored. */
export interface LogGroupDocument {
  readonly name: string;
  readonly createdAt: number;
  readonly retentionInDays?: number;
  readonly kmsKeyId?: string;
  readonly logGroupClass: LogGroupClass;
  readonly deletionProtectionEnabled?: boolean;
  readonly tags: Readonly<Record<string, string>>;
  readonly metricFilterCount: number;
  readonly storedBytes: number;
}

/** A log group, or undefined. */
export function findGroup(tx: Tx, scope: Scope, name: string): Promise<LogGroupDocument | undefined> {
  return tx.documents.get<LogGroupDocument>(scope, GROUP_KIND, name);
}

/** A log group, or ResourceNotFoundException. */
export async function getGroup(tx: Tx, scope: Scope, name: string): Promise<LogGroupDocument> {
  const group = await findGroup(tx, scope, name);
  if (!group) throw logGroupNotFound();
  return group;
}

/** Stores a log group. */
export async function saveGroup(tx: Tx, scope: Scope, group: LogGroupDocument): Promise<void> {
  await tx.documents.put(scope, GROUP_KIND, group.name, group);
}

/** The earliest event timestamp a group's retention keeps at `now` (0 when it keeps everything). */
export function retainedSince(group: LogGroupDocument, now: number): number {
  return group.retentionInDays === undefined ? 0 : now - group.retentionInDays * 86_400_000;
}

/** A group in the shape of DescribeLogGroups' `LogGroup`. */
export function toLogGroup(scope: Scope, group: LogGroupDocument): LogGroup {
  const arn = logGroupArn(scope, group.name);
  return {
    logGroupName: group.name,
    creationTime: group.createdAt,
    retentionInDays: group.retentionInDays,
    metricFilterCount: group.metricFilterCount,
    arn: `${arn}:*`,
    storedBytes: group.storedBytes,
    kmsKeyId: group.kmsKeyId,
    logGroupClass: group.logGroupClass,
    logGroupArn: arn,
    deletionProtectionEnabled: group.deletionProtectionEnabled,
  };
}

/** Names the group in the call's record and hands the change to Config. */
export async function noteGroupChange(ctx: CallContext, name: string, deleted = false): Promise<void> {
  const arn = logGroupArn(ctx.scope, name);
  ctx.audit.resources.push({ type: 'AWS::Logs::LogGroup', arn });
  await recordResourceChange(ctx, { resourceType: 'AWS::Logs::LogGroup', resourceId: name, resourceName: name, arn, deleted });
}
