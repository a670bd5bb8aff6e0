/**
 * @module
 * Deletes the blobs that committed calls released (overwritten or deleted objects, aborted or
 * unused parts), from the outbox: a crash between commit and deletion loses nothing, the collector
 * picks up where it stopped. Blobs still being read are deleted when their reads close.
 */
import type { OutboxSubscriber } from '../../server/dispatcher.js';
import type { BackgroundWork, ServiceEnvironment } from '../service.js';
import { BLOBS_RELEASED } from './objects.js';

/** The S3 service's background work: the blob collector. */
export function s3Background(env: ServiceEnvironment): BackgroundWork {
  const collector: OutboxSubscriber = {
    name: 's3-blob-collector',
    feed: 'outbox',
    async handle(entries) {
      for (const entry of entries) {
        if (entry.kind !== BLOBS_RELEASED) continue;
        for (const id of (entry.payload as { ids: string[] }).ids) await env.blobs.delete(id);
      }
    },
  };
  return { subscribers: [collector] };
}
