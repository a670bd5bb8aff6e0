/**
 * @module
 * Topic tags: TagResource, UntagResource, ListTagsForResource, and the rules tags follow.
 */
import type {
  ListTagsForResourceCommandInput, ListTagsForResourceCommandOutput, Tag, TagResourceCommandInput, TagResourceCommandOutput,
  UntagResourceCommandInput, UntagResourceCommandOutput,
} from '@aws-sdk/client-sns';
import type { CallContext, Handler, Out } from '../service.js';
import { InvalidParameterException, ResourceNotFoundException, TagLimitExceededException } from './errors.js';
import { noteTopic, parseTopicArn, saveTopic, TOPIC_KIND, type TopicDocument } from './topics.js';

const MAX_TAGS = 50;

/** Checks tags as SNS does: keys 1–128 characters, values up to 256, no `aws:` keys, no key twice. */
export function checkTopicTags(tags: readonly Tag[]): Tag[] {
  const keys = new Set<string>();
  for (const { Key: key = '', Value: value = '' } of tags) {
    if (key.length < 1 || key.length > 128) throw new InvalidParameterException('Tags Reason: A tag key must be 1 to 128 characters long');
    if (value.length > 256) throw new InvalidParameterException('Tags Reason: A tag value must be at most 256 characters long');
    if (key.toLowerCase().startsWith('aws:')) throw new InvalidParameterException("Tags Reason: Tag keys must not start with 'aws:'");
    if (keys.has(key)) throw new InvalidParameterException('Duplicated keys are not allowed.');
    keys.add(key);
  }
  if (keys.size > MAX_TAGS) throw new TagLimitExceededException();
  return tags.map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' }));
}

/** Whether two tag lists hold the same pairs. */
export function sameTags(a: readonly Tag[], b: readonly Tag[]): boolean {
  const pairs = (tags: readonly Tag[]) => tags.map((t) => `${t.Key}\u0000${t.Value}`).sort().join('\u0001');
  return pairs(a) === pairs(b);
}

async function taggedTopic(ctx: CallContext, arn: string): Promise<TopicDocument> {
  const parsed = parseTopicArn(arn);
  const topic = parsed && parsed.scope.region === ctx.scope.region
    ? await ctx.tx.documents.get<TopicDocument>(parsed.scope, TOPIC_KIND, parsed.name)
    : undefined;
  if (!topic) throw new ResourceNotFoundException();
  return topic;
}

/** TagResource: adds or replaces tags on a topic. */
export const tagResource: Handler<TagResourceCommandInput, Out<TagResourceCommandOutput>> = async (input, ctx) => {
  const topic = await taggedTopic(ctx, input.ResourceArn ?? '');
  const byKey = new Map(topic.tags.map((t) => [t.Key, t]));
  for (const tag of checkTopicTags(input.Tags ?? [])) byKey.set(tag.Key, tag);
  if (byKey.size > MAX_TAGS) throw new TagLimitExceededException();
  await saveTopic(ctx, { ...topic, tags: [...byKey.values()] });
  return {};
};

/** UntagResource: removes tags by key. */
export const untagResource: Handler<UntagResourceCommandInput, Out<UntagResourceCommandOutput>> = async (input, ctx) => {
  const topic = await taggedTopic(ctx, input.ResourceArn ?? '');
  const removed = new Set(input.TagKeys ?? []);
  await saveTopic(ctx, { ...topic, tags: topic.tags.filter((t) => !removed.has(t.Key ?? '')) });
  return {};
};

/** ListTagsForResource: a topic's tags. */
export const listTagsForResource: Handler<ListTagsForResourceCommandInput, Out<ListTagsForResourceCommandOutput>> = async (input, ctx) => {
  const topic = await taggedTopic(ctx, input.ResourceArn ?? '');
  noteTopic(ctx, topic);
  return { Tags: [...topic.tags] };
};
