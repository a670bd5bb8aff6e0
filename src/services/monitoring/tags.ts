/**
 * @module
 * Alarm tags: TagResource, UntagResource and ListTagsForResource on alarm ARNs.
 */
import type {
  ListTagsForResourceCommandInput, ListTagsForResourceCommandOutput, Tag, TagResourceCommandInput, TagResourceCommandOutput,
  UntagResourceCommandInput, UntagResourceCommandOutput,
} from '@aws-sdk/client-cloudwatch';
import { parseArn } from '../../core/arn.js';
import type { CallContext, Handler, Out } from '../service.js';
import { alarmArn, findAlarm, saveAlarm, type AlarmDocument } from './alarms.js';
import { checkConstraints, InvalidParameterValueException, LimitExceededFault, ResourceNotFoundException } from './errors.js';
import { recordResourceChange } from '../resource-changes.js';

const MAX_TAGS = 50;

/** Checks tags as CloudWatch does; returns them. */
export function checkTags(tags: readonly Tag[] | undefined): Tag[] {
  const list = [...(tags ?? [])];
  checkConstraints(...list.flatMap((t, i) => [
    (t.Key ?? '').length < 1 || (t.Key ?? '').length > 128 ? `Value '${t.Key}' at 'tags.${i + 1}.member.key' failed to satisfy constraint: Member must have length between 1 and 128` : undefined,
    (t.Value ?? '').length > 256 ? `Value '${t.Value}' at 'tags.${i + 1}.member.value' failed to satisfy constraint: Member must have length less than or equal to 256` : undefined,
  ]));
  if (list.some((t) => (t.Key ?? '').toLowerCase().startsWith('aws:'))) throw new InvalidParameterValueException('Tag keys starting with "aws:" are reserved.');
  if (list.length > MAX_TAGS) throw new LimitExceededFault(`The maximum number of tags per resource is ${MAX_TAGS}.`);
  return list;
}

async function alarmOf(ctx: CallContext, arn: string): Promise<AlarmDocument> {
  const parsed = parseArn(arn);
  const name = parsed?.service === 'cloudwatch' && parsed.resource.startsWith('alarm:') ? parsed.resource.slice('alarm:'.length) : undefined;
  const alarm = name !== undefined && parsed!.accountId === ctx.scope.accountId && parsed!.region === ctx.scope.region
    ? await findAlarm(ctx.tx, ctx.scope, name) : undefined;
  if (!alarm) throw new ResourceNotFoundException('Alarm', name ?? arn);
  return alarm;
}

async function retag(ctx: CallContext, alarm: AlarmDocument, tags: Tag[]): Promise<void> {
  if (tags.length > MAX_TAGS) throw new LimitExceededFault(`The maximum number of tags per resource is ${MAX_TAGS}.`);
  await saveAlarm(ctx.tx, ctx.scope, { ...alarm, tags });
  const arn = alarmArn(ctx.scope, alarm.name);
  await recordResourceChange(ctx, { resourceType: 'AWS::CloudWatch::Alarm', resourceId: alarm.name, resourceName: alarm.name, arn });
}

/** TagResource. */
export const tagResource: Handler<TagResourceCommandInput, Out<TagResourceCommandOutput>> = async (input, ctx) => {
  const added = checkTags(input.Tags);
  const alarm = await alarmOf(ctx, input.ResourceARN ?? '');
  const keys = new Set(added.map((t) => t.Key));
  await retag(ctx, alarm, [...alarm.tags.filter((t) => !keys.has(t.Key)), ...added]);
  return {};
};

/** UntagResource. */
export const untagResource: Handler<UntagResourceCommandInput, Out<UntagResourceCommandOutput>> = async (input, ctx) => {
  const alarm = await alarmOf(ctx, input.ResourceARN ?? '');
  const keys = new Set(input.TagKeys ?? []);
  await retag(ctx, alarm, alarm.tags.filter((t) => !keys.has(t.Key ?? '')));
  return {};
};

/** ListTagsForResource. */
export const listTagsForResource: Handler<ListTagsForResourceCommandInput, Out<ListTagsForResourceCommandOutput>> = async (input, ctx) => ({
  Tags: [...(await alarmOf(ctx, input.ResourceARN ?? '')).tags],
});
