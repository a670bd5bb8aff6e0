/**
 * @module
 * Log group tags: TagResource, UntagResource and ListTagsForResource by ARN, and the older
 * TagLogGroup, UntagLogGroup and ListTagsLogGroup by name.
 */
import type {
  ListTagsForResourceCommandInput, ListTagsForResourceCommandOutput, ListTagsLogGroupCommandInput, ListTagsLogGroupCommandOutput,
  TagLogGroupCommandInput, TagLogGroupCommandOutput, TagResourceCommandInput, TagResourceCommandOutput, UntagLogGroupCommandInput,
  UntagLogGroupCommandOutput, UntagResourceCommandInput, UntagResourceCommandOutput,
} from '@aws-sdk/client-cloudwatch-logs';
import type { CallContext, Handler, Out } from '../service.js';
import { constraintFailure, InvalidParameterException, ResourceNotFoundException, TooManyTagsException } from './errors.js';
import { getGroup, noteGroupChange, saveGroup } from './log-groups.js';
import { checkConstraints, groupNameConstraint, groupNameFromIdentifier, logGroupArn } from './names.js';

const MAX_TAGS = 50;
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** Checks tags as CloudWatch Logs does; returns them unchanged. */
export function checkTags(tags: Record<string, string> | undefined, member = 'tags'): Record<string, string> {
  const entries = Object.entries(tags ?? {});
  const failures: string[] = [];
  for (const [key, value] of entries) {
    if (key.length < 1 || key.length > 128 || !TAG_KEY.test(key)) {
      failures.push(`Value '${key}' at '${member}' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+)$]`);
    } else if (value.length > 256 || !TAG_VALUE.test(value)) {
      failures.push(`Value '${value}' at '${member}' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 256, Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$]`);
    }
  }
  if (failures.length > 0) throw constraintFailure(...failures);
  if (entries.some(([key]) => key.toLowerCase().startsWith('aws:'))) {
    throw new InvalidParameterException('Tag keys beginning with "aws:" are reserved for AWS use.');
  }
  return tags ?? {};
}

function groupOfArn(ctx: CallContext, arn: string): string {
  try {
    return groupNameFromIdentifier(ctx.scope, arn);
  } catch {
    throw new ResourceNotFoundException(`The specified resource does not exist: ${arn}`);
  }
}

async function retag(ctx: CallContext, group: string, change: (tags: Record<string, string>) => Record<string, string>): Promise<void> {
  const found = await getGroup(ctx.tx, ctx.scope, group);
  const tags = change({ ...found.tags });
  if (Object.keys(tags).length > MAX_TAGS) throw new TooManyTagsException(logGroupArn(ctx.scope, group));
  await saveGroup(ctx.tx, ctx.scope, { ...found, tags });
  await noteGroupChange(ctx, group);
}

async function tagsOf(ctx: CallContext, group: string): Promise<Record<string, string>> {
  return { ...(await getGroup(ctx.tx, ctx.scope, group)).tags };
}

/** TagResource. */
export const tagResource: Handler<TagResourceCommandInput, Out<TagResourceCommandOutput>> = async (input, ctx) => {
  const added = checkTags(input.tags);
  await retag(ctx, groupOfArn(ctx, input.resourceArn ?? ''), (tags) => ({ ...tags, ...added }));
  return {};
};

/** UntagResource. */
export const untagResource: Handler<UntagResourceCommandInput, Out<UntagResourceCommandOutput>> = async (input, ctx) => {
  const keys = new Set(input.tagKeys ?? []);
  await retag(ctx, groupOfArn(ctx, input.resourceArn ?? ''), (tags) => Object.fromEntries(Object.entries(tags).filter(([k]) => !keys.has(k))));
  return {};
};

/** ListTagsForResource. */
export const listTagsForResource: Handler<ListTagsForResourceCommandInput, Out<ListTagsForResourceCommandOutput>> = async (input, ctx) => ({
  tags: await tagsOf(ctx, groupOfArn(ctx, input.resourceArn ?? '')),
});

/** TagLogGroup (deprecated by TagResource). */
export const tagLogGroup: Handler<TagLogGroupCommandInput, Out<TagLogGroupCommandOutput>> = async (input, ctx) => {
  checkConstraints(groupNameConstraint(input.logGroupName ?? ''));
  const added = checkTags(input.tags);
  await retag(ctx, input.logGroupName ?? '', (tags) => ({ ...tags, ...added }));
  return {};
};

/** UntagLogGroup (deprecated by UntagResource). */
export const untagLogGroup: Handler<UntagLogGroupCommandInput, Out<UntagLogGroupCommandOutput>> = async (input, ctx) => {
  checkConstraints(groupNameConstraint(input.logGroupName ?? ''));
  const keys = new Set(input.tags ?? []);
  await retag(ctx, input.logGroupName ?? '', (tags) => Object.fromEntries(Object.entries(tags).filter(([k]) => !keys.has(k))));
  return {};
};

/** ListTagsLogGroup (deprecated by ListTagsForResource). */
export const listTagsLogGroup: Handler<ListTagsLogGroupCommandInput, Out<ListTagsLogGroupCommandOutput>> = async (input, ctx) => {
  checkConstraints(groupNameConstraint(input.logGroupName ?? ''));
  return { tags: await tagsOf(ctx, input.logGroupName ?? '') };
};
