/**
 * @module
 * Trail tags: AddTags, RemoveTags, ListTags, and the tag rules CreateTrail shares.
 */
import type {
  AddTagsCommandInput, AddTagsCommandOutput, ListTagsCommandInput, ListTagsCommandOutput,
  RemoveTagsCommandInput, RemoveTagsCommandOutput, ResourceTag, Tag,
} from '@aws-sdk/client-cloudtrail';
import type { Scope } from '../../core/scope.js';
import type { Handler, Out } from '../service.js';
import type { Tx } from '../../store/types.js';
import { CloudTrailARNInvalidException, InvalidTagParameterException, ResourceNotFoundException, TagsLimitExceededException } from './errors.js';
import { arnOf, findTrail, noteTrailChange, saveTrail, type TrailDocument, type TrailTag } from './trails.js';

const MAX_TAGS = 50;

/** Checks tags against CloudTrail's rules and returns them in stored form. */
export function checkTags(tags: readonly Tag[] | undefined): TrailTag[] {
  const out: TrailTag[] = [];
  for (const tag of tags ?? []) {
    const key = tag.Key ?? '';
    if (key.length < 1 || key.length > 128) throw new InvalidTagParameterException('Tag key must be between 1 and 128 characters long.');
    if (key.startsWith('aws:')) throw new InvalidTagParameterException('Tag keys cannot start with the reserved prefix aws:.');
    if ((tag.Value ?? '').length > 256) throw new InvalidTagParameterException('Tag value must be at most 256 characters long.');
    out.push(tag.Value === undefined ? { Key: key } : { Key: key, Value: tag.Value });
  }
  return out;
}

/** Merges tags into a list: same keys are overwritten, new ones appended; enforces the 50-tag limit. */
export function mergeTags(current: readonly TrailTag[], added: readonly TrailTag[]): TrailTag[] {
  const byKey = new Map(current.map((t) => [t.Key, t]));
  for (const tag of added) byKey.set(tag.Key, tag);
  if (byKey.size > MAX_TAGS) throw new TagsLimitExceededException(`The number of tags on a resource cannot exceed ${MAX_TAGS}.`);
  return [...byKey.values()];
}

async function trailByResourceId(tx: Tx, scope: Scope, resourceId: string | undefined): Promise<TrailDocument> {
  const id = resourceId ?? '';
  if (!/^arn:aws[a-z-]*:cloudtrail:[a-z0-9-]+:\d{12}:trail\/.+$/.test(id)) throw new CloudTrailARNInvalidException(id);
  const trail = await findTrail(tx, scope, id);
  if (!trail) throw new ResourceNotFoundException(id);
  return trail;
}

/** AddTags: adds or overwrites tags on a trail. */
export const addTags: Handler<AddTagsCommandInput, Out<AddTagsCommandOutput>> = async (input, ctx) => {
  const trail = await trailByResourceId(ctx.tx, ctx.scope, input.ResourceId);
  const tags = mergeTags(trail.tags, checkTags(input.TagsList));
  await saveTrail(ctx.tx, { ...trail, tags });
  await noteTrailChange(ctx, trail);
  return {};
};

/** RemoveTags: removes tags by key (and value, when given) from a trail. */
export const removeTags: Handler<RemoveTagsCommandInput, Out<RemoveTagsCommandOutput>> = async (input, ctx) => {
  const trail = await trailByResourceId(ctx.tx, ctx.scope, input.ResourceId);
  const removed = checkTags(input.TagsList);
  const tags = trail.tags.filter((t) => !removed.some((r) => r.Key === t.Key && (r.Value === undefined || r.Value === t.Value)));
  await saveTrail(ctx.tx, { ...trail, tags });
  await noteTrailChange(ctx, trail);
  return {};
};

/** ListTags: the tags of each trail named. */
export const listTags: Handler<ListTagsCommandInput, Out<ListTagsCommandOutput>> = async (input, ctx) => {
  const result: ResourceTag[] = [];
  for (const id of input.ResourceIdList ?? []) {
    const trail = await trailByResourceId(ctx.tx, ctx.scope, id);
    result.push({ ResourceId: arnOf(trail), TagsList: trail.tags.map((t) => ({ ...t })) });
  }
  return { ResourceTagList: result };
};
