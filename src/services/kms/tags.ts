/**
 * @module
 * Key tags: TagResource, UntagResource, ListResourceTags, and the rules tags must follow.
 */
import type {
  ListResourceTagsCommandInput, ListResourceTagsCommandOutput, Tag, TagResourceCommandInput, TagResourceCommandOutput,
  UntagResourceCommandInput, UntagResourceCommandOutput,
} from '@aws-sdk/client-kms';
import type { Handler, Out } from '../service.js';
import { TagException, ValidationException } from './errors.js';
import { noteKey, requireNotPendingDeletion, resolveKey, saveKey } from './keys.js';
import { page } from './listing.js';

const MAX_TAGS = 50;

/** Checks tags as KMS does (key 1–128 characters, value up to 256, no `aws:` keys, at most 50). */
export function checkTags(tags: readonly Tag[]): Tag[] {
  tags.forEach((tag, i) => {
    const key = tag.TagKey ?? '';
    const value = tag.TagValue ?? '';
    const at = `tags.${i + 1}.member`;
    if (key.length < 1 || key.length > 128) {
      throw ValidationException.constraint(`Value '${key}' at '${at}.tagKey' failed to satisfy constraint: Member must have length between 1 and 128`);
    }
    if (value.length > 256) {
      throw ValidationException.constraint(`Value '${value}' at '${at}.tagValue' failed to satisfy constraint: Member must have length less than or equal to 256`);
    }
    if (key.toLowerCase().startsWith('aws:')) throw new TagException('Tags beginning with aws: are reserved');
  });
  return tags.map((t) => ({ TagKey: t.TagKey ?? '', TagValue: t.TagValue ?? '' }));
}

/** Tags merged: a new value replaces the old one of the same key. */
function merge(existing: readonly Tag[], added: readonly Tag[]): Tag[] {
  const byKey = new Map(existing.map((t) => [t.TagKey, t]));
  for (const tag of added) byKey.set(tag.TagKey, tag);
  if (byKey.size > MAX_TAGS) throw new TagException(`Too many tags: a key can have at most ${MAX_TAGS} tags.`);
  return [...byKey.values()];
}

/** TagResource: adds or replaces tags on a key. */
export const tagResource: Handler<TagResourceCommandInput, Out<TagResourceCommandOutput>> = async (input, ctx) => {
  const key = await resolveKey(ctx.tx, ctx.scope, input.KeyId ?? '', ctx.now);
  requireNotPendingDeletion(key);
  await saveKey(ctx, { ...key, tags: merge(key.tags, checkTags(input.Tags ?? [])) });
  return {};
};

/** UntagResource: removes tags by key; keys the key does not have are ignored. */
export const untagResource: Handler<UntagResourceCommandInput, Out<UntagResourceCommandOutput>> = async (input, ctx) => {
  const key = await resolveKey(ctx.tx, ctx.scope, input.KeyId ?? '', ctx.now);
  requireNotPendingDeletion(key);
  const removed = new Set(input.TagKeys ?? []);
  await saveKey(ctx, { ...key, tags: key.tags.filter((t) => !removed.has(t.TagKey ?? '')) });
  return {};
};

/** ListResourceTags: a key's tags, by tag key, 50 to a page. */
export const listResourceTags: Handler<ListResourceTagsCommandInput, Out<ListResourceTagsCommandOutput>> = async (input, ctx) => {
  const key = await resolveKey(ctx.tx, ctx.scope, input.KeyId ?? '', ctx.now);
  noteKey(ctx, key);
  const sorted = [...key.tags].sort((a, b) => ((a.TagKey ?? '') < (b.TagKey ?? '') ? -1 : 1));
  const { items, NextMarker, Truncated } = page(sorted, (t) => t.TagKey ?? '', { ...input, listing: `ListResourceTags:${key.keyId}`, max: 50, fallback: 50 });
  return { Tags: items, NextMarker, Truncated };
};
