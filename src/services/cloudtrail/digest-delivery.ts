/**
 * @module
 * Delivering digest files. While a trail logs with validation on, each of its chains (one per
 * region it delivers in) gets a digest every period (an hour, or `--digest-interval`), also for
 * periods without log files, listing the files delivered since the last one, chained to it and
 * signed with the region's key. When logging or validation stops, or the trail is deleted, a
 * final digest closes the chain once the region's last records are delivered (it lists every file
 * delivered until then, even within its last second). Digests are always SSE-S3, whatever the
 * trail's KMS key.
 */
import { gzip } from 'node:zlib';
import { promisify } from 'node:util';
import { signDigest, type DigestLogFile } from '../../integrity/digest-file.js';
import { digestFileKey } from '../../integrity/object-keys.js';
import { SIGNATURE_ALGORITHM } from '../../integrity/signing.js';
import type { ServiceEnvironment } from '../service.js';
import { deliveryError, putObject } from './delivery-calls.js';
import {
  closeDigestChain, digestEntries, removeDigestEntries, saveDigestChain, sealedFile, trailByArn, updateTrailStatus, type DigestChain,
  type Destination,
} from './delivery-state.js';
import type { DeliveryOutcome } from './log-delivery.js';
import { currentSigningKey } from './signing-keys.js';
import { selectionPosition } from './trail-selection.js';

const gzipAsync = promisify(gzip);

interface DigestPlan {
  readonly close?: undefined;
  readonly reopen?: undefined;
  readonly active: boolean;
  readonly end: number;
  readonly destination: Destination;
  readonly entries: { id: string; doc: DigestLogFile }[];
}

/** A chain just seen inactive (where the audit log stood), or active again before it closed. */
type ClosingPlan = { readonly close: number; readonly reopen?: undefined } | { readonly close?: undefined; readonly reopen: true };

/** Whether the chain's digest is due now, and what it lists. */
async function plan(env: ServiceEnvironment, chain: DigestChain, intervalMs: number, now: number): Promise<DigestPlan | ClosingPlan | undefined> {
  return env.store.read(async (tx) => {
    const scope = { accountId: chain.accountId, region: chain.region };
    const trail = await trailByArn(tx, chain.trailArn);
    const active = !!trail && trail.status.isLogging && trail.logFileValidationEnabled && (trail.isMultiRegionTrail || chain.region === trail.homeRegion);
    if (active && chain.closeAfterSeq !== undefined) return { reopen: true };
    let end: number;
    if (active) {
      const periods = Math.floor((now - chain.periodStart) / intervalMs);
      if (periods < 1) return undefined;
      end = chain.periodStart + periods * intervalMs;
    } else {
      if (chain.closeAfterSeq === undefined) return { close: await tx.events.head() };
      const undelivered = (await selectionPosition(tx)) < chain.closeAfterSeq
        || (await tx.trailBuffers.cut(scope, chain.trailArn, 1)) !== undefined || (await sealedFile(tx, scope, chain.trailArn));
      end = Math.floor(now / 1000) * 1000;
      if (undelivered || end <= chain.periodStart) return undefined;
    }
    const entries = (await digestEntries(tx, scope, chain.trailArn, active ? end : Number.POSITIVE_INFINITY)).map(({ id, doc: { deliveredAt: _at, ...entry } }) => ({ id, doc: entry }));
    const destination = trail ? { bucket: trail.s3BucketName, prefix: trail.s3KeyPrefix } : { bucket: chain.bucket, prefix: chain.prefix };
    return { active, end, destination, entries };
  });
}

/** Delivers a chain's digest when it is due. */
export async function deliverDigest(env: ServiceEnvironment, chain: DigestChain, intervalMs: number): Promise<DeliveryOutcome> {
  const now = env.clock.now();
  const due = await plan(env, chain, intervalMs, now);
  if (!due) return 'idle';
  if (due.close !== undefined || due.reopen) {
    const { closeAfterSeq: _mark, ...open } = chain;
    await env.store.transaction((tx) => saveDigestChain(tx, due.reopen ? open : { ...open, closeAfterSeq: due.close }));
    return 'idle';
  }
  const { destination, end } = due;
  const signingKey = await currentSigningKey(env.store, chain.region, now);
  const key = digestFileKey({ prefix: destination.prefix, accountId: chain.accountId }, chain.region, chain.trailName, chain.homeRegion, end);
  const signed = signDigest({
    accountId: chain.accountId, startTime: chain.periodStart, endTime: end, bucket: destination.bucket, key,
    fingerprint: signingKey.fingerprint, previous: chain.previous, logFiles: due.entries.map((e) => e.doc),
  }, signingKey.privateKeyPem);
  try {
    await putObject(env, {
      accountId: chain.accountId, region: chain.homeRegion, bucket: destination.bucket, key, body: await gzipAsync(signed.bytes),
      trailArn: chain.trailArn, metadata: { signature: signed.signature, 'signature-algorithm': SIGNATURE_ALGORITHM },
    });
  } catch (error) {
    await env.store.transaction((tx) => updateTrailStatus(tx, chain.trailArn, { latestDigestDeliveryError: deliveryError(error) }));
    if (deliveryError(error) === 'InternalFailure') env.logger.error({ err: error, trail: chain.trailArn }, 'digest delivery failed');
    return 'failed';
  }
  await env.store.transaction(async (tx) => {
    await removeDigestEntries(tx, { accountId: chain.accountId, region: chain.region }, due.entries.map((e) => e.id));
    if (due.active) {
      await saveDigestChain(tx, {
        ...chain, ...destination, periodStart: end,
        previous: { bucket: destination.bucket, key, hash: signed.hash, signature: signed.signature },
      });
    } else {
      await closeDigestChain(tx, chain);
    }
    await updateTrailStatus(tx, chain.trailArn, { latestDigestDeliveryTime: env.clock.now(), latestDigestDeliveryError: undefined });
  });
  return 'delivered';
}
