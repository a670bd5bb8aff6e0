/**
 * @module
 * Log group handlers: CreateLogGroup, DeleteLogGroup, DescribeLogGroups, PutRetentionPolicy and
 * DeleteRetentionPolicy.
 */
import type {
  CreateLogGroupCommandInput, CreateLogGroupCommandOutput, DeleteLogGroupCommandInput, DeleteLogGroupCommandOutput,
  DeleteRetentionPolicyCommandInput, DeleteRetentionPolicyCommandOutput, DescribeLogGroupsCommandInput, DescribeLogGroupsCommandOutput,
  LogGroupClass, PutRetentionPolicyCommandInput, PutRetentionPolicyCommandOutput,
} from '@aws-sdk/client-cloudwatch-logs';
import { decodeToken, encodeToken } from '../../core/pagination.js';
import type { Handler, Out } from '../service.js';
import { InvalidParameterException, ResourceAlreadyExistsException } from './errors.js';
import { findGroup, getGroup, GROUP_KIND, noteGroupChange, saveGroup, toLogGroup, type LogGroupDocument } from './log-groups.js';
import { STREAM_KIND } from './log-streams.js';
import { METRIC_FILTER_KIND } from './metric-filters.js';
import { checkConstraints, groupNameConstraint, groupNameFromIdentifier, stringConstraint } from './names.js';
import { checkTags } from './tags.js';

const CLASSES: readonly LogGroupClass[] = ['STANDARD', 'INFREQUENT_ACCESS', 'DELIVERY'];

/** The retention periods CloudWatch Logs accepts, in days. */
export const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

function enumConstraint(member: string, value: string | number, allowed: readonly (string | number)[]): string | undefined {
  return allowed.includes(value) ? undefined
    : `Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`;
}

/** CreateLogGroup. */
export const createLogGroup: Handler<CreateLogGroupCommandInput, Out<CreateLogGroupCommandOutput>> = async (input, ctx) => {
  const name = input.logGroupName ?? '';
  const logGroupClass = (input.logGroupClass ?? 'STANDARD') as LogGroupClass;
  checkConstraints(
    groupNameConstraint(name),
    enumConstraint('logGroupClass', logGroupClass, CLASSES),
    input.kmsKeyId !== undefined ? stringConstraint('kmsKeyId', input.kmsKeyId, 0, 256) : undefined,
  );
  const tags = checkTags(input.tags);
  if (Object.keys(tags).length > 50) throw new InvalidParameterException('A resource can have no more than 50 tags.');
  if (await findGroup(ctx.tx, ctx.scope, name)) throw new ResourceAlreadyExistsException('The specified log group already exists');
  const group: LogGroupDocument = {
    name,
    createdAt: ctx.now,
    kmsKeyId: input.kmsKeyId,
    logGroupClass,
    deletionProtectionEnabled: input.deletionProtectionEnabled,
    tags,
    metricFilterCount: 0,
    storedBytes: 0,
  };
  await saveGroup(ctx.tx, ctx.scope, group);
  await noteGroupChange(ctx, name);
  return {};
};

/** DeleteLogGroup: the group, its streams, events and metric filters. */
export const deleteLogGroup: Handler<DeleteLogGroupCommandInput, Out<DeleteLogGroupCommandOutput>> = async (input, ctx) => {
  const name = input.logGroupName ?? '';
  checkConstraints(groupNameConstraint(name));
  await getGroup(ctx.tx, ctx.scope, name);
  for (const kind of [STREAM_KIND, METRIC_FILTER_KIND]) {
    for (const entry of await ctx.tx.documents.list(ctx.scope, kind, { prefix: `${name}:` })) {
      await ctx.tx.documents.delete(ctx.scope, kind, entry.id);
    }
  }
  await ctx.tx.logEvents.deleteGroup(ctx.scope, name);
  await ctx.tx.documents.delete(ctx.scope, GROUP_KIND, name);
  await noteGroupChange(ctx, name, true);
  return {};
};

/** DescribeLogGroups: by name prefix or a case-insensitive name pattern, 50 to a page, in name order. */
export const describeLogGroups: Handler<DescribeLogGroupsCommandInput, Out<DescribeLogGroupsCommandOutput>> = async (input, ctx) => {
  const limit = input.limit ?? 50;
  const prefix = input.logGroupNamePrefix;
  const pattern = input.logGroupNamePattern;
  checkConstraints(
    prefix !== undefined ? groupNameConstraint(prefix, 'logGroupNamePrefix') : undefined,
    pattern !== undefined ? stringConstraint('logGroupNamePattern', pattern, 0, 512) : undefined,
    limit < 1 || limit > 50 ? `Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value ${limit < 1 ? 'greater than or equal to 1' : 'less than or equal to 50'}` : undefined,
    input.logGroupClass !== undefined ? enumConstraint('logGroupClass', input.logGroupClass, CLASSES) : undefined,
  );
  if (prefix !== undefined && pattern !== undefined) {
    throw new InvalidParameterException('LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.');
  }
  const wanted = input.logGroupIdentifiers?.map((id) => groupNameFromIdentifier(ctx.scope, id));
  const params = { prefix, pattern, class: input.logGroupClass, wanted };
  let after: string | undefined;
  if (input.nextToken !== undefined) {
    after = decodeToken<string>(input.nextToken, params);
    if (after === undefined) throw new InvalidParameterException('The specified nextToken is invalid.');
  }
  const needle = pattern?.toLowerCase();
  const matches = (g: LogGroupDocument) =>
    (needle === undefined || g.name.toLowerCase().includes(needle))
    && (input.logGroupClass === undefined || g.logGroupClass === input.logGroupClass)
    && (wanted === undefined || wanted.includes(g.name));
  const page: LogGroupDocument[] = [];
  let more = false;
  for (let cursor = after; ;) {
    const batch = await ctx.tx.documents.list<LogGroupDocument>(ctx.scope, GROUP_KIND, { prefix, after: cursor, limit: 200 });
    for (const { doc } of batch) {
      if (!matches(doc)) continue;
      if (page.length === limit) {
        more = true;
        break;
      }
      page.push(doc);
    }
    if (more || batch.length < 200) break;
    cursor = batch[batch.length - 1]!.id;
  }
  const last = page[page.length - 1];
  return {
    logGroups: page.map((g) => toLogGroup(ctx.scope, g)),
    nextToken: more && last ? encodeToken(last.name, params) : undefined,
  };
};

/** PutRetentionPolicy: events older than the period are no longer returned and are deleted by a sweep. */
export const putRetentionPolicy: Handler<PutRetentionPolicyCommandInput, Out<PutRetentionPolicyCommandOutput>> = async (input, ctx) => {
  const name = input.logGroupName ?? '';
  const days = input.retentionInDays ?? 0;
  checkConstraints(groupNameConstraint(name), enumConstraint('retentionInDays', days, RETENTION_DAYS));
  const group = await getGroup(ctx.tx, ctx.scope, name);
  await saveGroup(ctx.tx, ctx.scope, { ...group, retentionInDays: days });
  await noteGroupChange(ctx, name);
  return {};
};

/** DeleteRetentionPolicy: events are kept indefinitely. */
export const deleteRetentionPolicy: Handler<DeleteRetentionPolicyCommandInput, Out<DeleteRetentionPolicyCommandOutput>> = async (input, ctx) => {
  const name = input.logGroupName ?? '';
  checkConstraints(groupNameConstraint(name));
  const { retentionInDays: _dropped, ...group } = await getGroup(ctx.tx, ctx.scope, name);
  await saveGroup(ctx.tx, ctx.scope, group);
  await noteGroupChange(ctx, name);
  return {};
};
