/**
 * @module
 * Tags as EC2 takes them: checked one by one, merged onto a resource's tags, and picked out of a
 * call's TagSpecifications for the resource types it creates.
 */
import type { Tag, TagSpecification } from '@aws-sdk/client-ec2';
import { InvalidParameterValue, TagLimitExceeded } from './errors.js';

const MAX_TAGS = 50;
const MAX_KEY = 128;
const MAX_VALUE = 256;

/** Checks tags given by a user: keys present, within length, not in the reserved `aws:` namespace. */
export function checkTags(tags: readonly Tag[] | undefined): Tag[] {
  return (tags ?? []).map((tag) => {
    const key = tag.Key;
    if (key === undefined) throw new InvalidParameterValue('Tag key cannot be null');
    if (key.toLowerCase().startsWith('aws:')) throw new InvalidParameterValue("Tag keys starting with 'aws:' are reserved for internal use");
    if (key.length > MAX_KEY) throw InvalidParameterValue.of('tag:key', key, `Tag key exceeds the maximum length of ${MAX_KEY} characters`);
    const value = tag.Value ?? '';
    if (value.length > MAX_VALUE) throw InvalidParameterValue.of('tag:value', value, `Tag value exceeds the maximum length of ${MAX_VALUE} characters`);
    return { Key: key, Value: value };
  });
}

/** A resource's tags with `added` put on (same key replaced), within the limit of 50. */
export function mergeTags(current: readonly Tag[] | undefined, added: readonly Tag[]): Tag[] {
  const merged = new Map((current ?? []).map((t) => [t.Key, t]));
  for (const tag of added) merged.set(tag.Key, tag);
  if (merged.size > MAX_TAGS) throw new TagLimitExceeded();
  return [...merged.values()];
}

/** A resource's tags without `removed`: a tag with a value goes only when the value matches. */
export function withoutTags(current: readonly Tag[] | undefined, removed: readonly Tag[] | undefined): Tag[] {
  if (!removed?.length) return [];
  return (current ?? []).filter((tag) => !removed.some((r) => r.Key === tag.Key && (r.Value === undefined || r.Value === tag.Value)));
}

/**
 * The tags a call's TagSpecifications give each resource type, after checking that every
 * specification names a type the call creates.
 */
export function specifiedTags(specs: readonly TagSpecification[] | undefined, allowed: readonly string[]): Map<string, Tag[]> {
  const byType = new Map<string, Tag[]>();
  for (const spec of specs ?? []) {
    const type = spec.ResourceType ?? '';
    if (!allowed.includes(type)) throw new InvalidParameterValue(`'${type}' is not a valid taggable resource type for this operation.`);
    byType.set(type, mergeTags(byType.get(type), checkTags(spec.Tags)));
  }
  return byType;
}

/** The tags the specifications give one resource type (empty when none). */
export function tagsFor(specs: readonly TagSpecification[] | undefined, type: string, allowed: readonly string[] = [type]): Tag[] {
  return specifiedTags(specs, allowed).get(type) ?? [];
}
