/**
 * @module
 * Bucket and object tags: the `x-amz-tagging` header form, and S3's limits (50 tags on a bucket,
 * 10 on an object; keys up to 128 characters, values up to 256; no `aws:` keys; no duplicates).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-tagging.html
 */
import type { Tag } from '@aws-sdk/client-s3';
import { InvalidTag } from './errors.js';

/** The most tags a bucket, and an object, may carry. */
export const TAG_LIMITS = { bucket: 50, object: 10 } as const;

/** Checks a tag set against S3's rules; returns it as given. */
export function checkTags(tags: readonly Tag[], level: keyof typeof TAG_LIMITS): Tag[] {
  if (tags.length > TAG_LIMITS[level]) {
    throw new InvalidTag(level === 'bucket' ? 'Bucket tag count cannot be greater than 50' : 'Object tags cannot be greater than 10');
  }
  const seen = new Set<string>();
  for (const tag of tags) {
    const key = tag.Key ?? '';
    const value = tag.Value ?? '';
    if (key.length === 0 || key.length > 128) throw new InvalidTag('The TagKey you have provided is invalid');
    if (value.length > 256) throw new InvalidTag('The TagValue you have provided is invalid');
    if (key.toLowerCase().startsWith('aws:')) throw new InvalidTag('System tags cannot be added/updated by requester');
    if (seen.has(key)) throw new InvalidTag('Cannot provide multiple Tags with the same key');
    seen.add(key);
  }
  return tags.map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' }));
}

/** The tags of an `x-amz-tagging` header (`k1=v1&k2=v2`, URL-encoded). */
export function parseTaggingHeader(header: string): Tag[] {
  const tags: Tag[] = [];
  for (const [Key, Value] of new URLSearchParams(header)) tags.push({ Key, Value });
  return checkTags(tags, 'object');
}
