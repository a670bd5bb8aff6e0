/**
 * @module
 * Delivering one log file of a trail for one region: seal (choose the key and the buffered
 * records it takes, in the store), build `{"Records":[...]}` from the stored record bytes, gzip,
 * (with a KMS key: a data key from KMS for SSE-KMS) PutObject, then confirm (drop those records from the buffer, queue the file for its digest,
 * update GetTrailStatus) and notify SNS. A failure leaves the seal in place, so the retry, even
 * after a restart, writes the same key with the same records: nothing is lost or doubled.
 */
import { gzip } from 'node:zlib';
import { promisify } from 'node:util';
import { randomString } from '../../core/ids.js';
import type { Scope } from '../../core/scope.js';
import { buildLogFile, digestEntry } from '../../integrity/log-file.js';
import { logFileKey } from '../../integrity/object-keys.js';
import type { ServiceEnvironment } from '../service.js';
import { deliveryError, generateDataKey, notifyDelivery, putObject } from './delivery-calls.js';
import {
  addDigestEntry, digestChain, openDigestChain, sealedFile, sealFile, trailByArn, unsealFile, updateTrailStatus, type SealedFile,
} from './delivery-state.js';
import type { TrailDocument } from './trails.js';

const gzipAsync = promisify(gzip);

/** The most record bytes one log file holds; a buffer this large is delivered at once. */
export const LARGE_FILE_BYTES = 8 * 1024 * 1024;

/** A trail's buffer for one account and region. */
export interface Stream {
  readonly accountId: string;
  readonly region: string;
  readonly trailArn: string;
}

/** How a delivery attempt ended. */
export type DeliveryOutcome = 'delivered' | 'failed' | 'idle';

function sameDestination(sealed: SealedFile, trail: TrailDocument): boolean {
  return sealed.bucket === trail.s3BucketName && sealed.prefix === trail.s3KeyPrefix;
}

/** Picks (or resumes) the file to deliver; drops the buffer of a trail that no longer exists. */
async function seal(env: ServiceEnvironment, stream: Stream, scope: Scope): Promise<{ trail: TrailDocument; file: SealedFile } | undefined> {
  return env.store.transaction(async (tx) => {
    const trail = await trailByArn(tx, stream.trailArn);
    if (!trail) {
      await tx.trailBuffers.remove(scope, stream.trailArn, Number.MAX_SAFE_INTEGER);
      await unsealFile(tx, scope, stream.trailArn);
      return undefined;
    }
    const sealed = await sealedFile(tx, scope, stream.trailArn);
    if (sealed && sameDestination(sealed, trail)) return { trail, file: sealed };
    const throughSeq = await tx.trailBuffers.cut(scope, stream.trailArn, LARGE_FILE_BYTES);
    if (throughSeq === undefined) return undefined;
    const now = env.clock.now();
    const file: SealedFile = {
      bucket: trail.s3BucketName,
      prefix: trail.s3KeyPrefix,
      key: logFileKey({ prefix: trail.s3KeyPrefix, accountId: stream.accountId }, stream.region, now, randomString(16)),
      throughSeq,
    };
    await sealFile(tx, scope, stream.trailArn, file);
    return { trail, file };
  });
}

/** Delivers the oldest buffered records of a stream as one log file. */
export async function deliverLogFile(env: ServiceEnvironment, stream: Stream): Promise<DeliveryOutcome> {
  const scope = { accountId: stream.accountId, region: stream.region };
  const sealed = await seal(env, stream, scope);
  if (!sealed) return 'idle';
  const { trail, file } = sealed;
  const records = await env.store.read((tx) => tx.trailBuffers.read(scope, stream.trailArn, file.throughSeq));
  if (records.length === 0) {
    await env.store.transaction((tx) => unsealFile(tx, scope, stream.trailArn));
    return 'idle';
  }
  const log = buildLogFile(records);
  try {
    if (trail.kmsKeyId) {
      await generateDataKey(env, { accountId: stream.accountId, trailArn: stream.trailArn, keyId: trail.kmsKeyId, objectArn: `arn:aws:s3:::${file.bucket}/${file.key}` });
    }
    await putObject(env, {
      accountId: stream.accountId, region: trail.homeRegion, bucket: file.bucket, key: file.key, body: await gzipAsync(log.bytes),
      trailArn: stream.trailArn, kmsKeyId: trail.kmsKeyId,
    });
  } catch (error) {
    await env.store.transaction((tx) => updateTrailStatus(tx, stream.trailArn, { latestDeliveryError: deliveryError(error) }));
    if (deliveryError(error) === 'InternalFailure') env.logger.error({ err: error, trail: stream.trailArn }, 'log file delivery failed');
    return 'failed';
  }
  const deliveredAt = env.clock.now();
  const topic = await env.store.transaction(async (tx) => {
    await tx.trailBuffers.remove(scope, stream.trailArn, file.throughSeq);
    await unsealFile(tx, scope, stream.trailArn);
    const current = await trailByArn(tx, stream.trailArn);
    if (current?.logFileValidationEnabled) {
      await openDigestChain(tx, current, stream.trailArn, stream.region, deliveredAt);
      if (await digestChain(tx, stream.region, stream.trailArn)) {
        await addDigestEntry(tx, scope, stream.trailArn, { ...digestEntry(log, file.bucket, file.key), deliveredAt });
      }
    }
    await updateTrailStatus(tx, stream.trailArn, { latestDeliveryTime: deliveredAt, latestDeliveryError: undefined });
    return current?.snsTopicArn;
  });
  if (topic) await notify(env, stream, topic, file);
  return 'delivered';
}

async function notify(env: ServiceEnvironment, stream: Stream, topicArn: string, file: SealedFile): Promise<void> {
  let patch;
  try {
    await notifyDelivery(env, { accountId: stream.accountId, trailArn: stream.trailArn, topicArn, bucket: file.bucket, keys: [file.key] });
    patch = { latestNotificationTime: env.clock.now(), latestNotificationError: undefined };
  } catch (error) {
    patch = { latestNotificationError: deliveryError(error) };
  }
  await env.store.transaction((tx) => updateTrailStatus(tx, stream.trailArn, patch));
}
