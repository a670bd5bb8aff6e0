/**
 * @module
 * What trail delivery keeps in the store between steps, so that a restart loses nothing:
 *  - a *sealed file* per trail and region: the key and feed range of the log file being
 *    delivered, so a retry writes the same object with the same records;
 *  - *digest entries*: log files delivered and not yet listed in a digest;
 *  - a *digest chain* per trail and region: the open period and the last digest signed.
 * Chains live under the service's own pseudo-account (one scope per region), so the digest loop
 * can find every chain of every account.
 */
import type { Scope } from '../../core/scope.js';
import type { DigestLogFile, PreviousDigest } from '../../integrity/digest-file.js';
import type { Tx } from '../../store/types.js';
import { parseTrailRef } from './trail-names.js';
import { saveTrail, TRAIL_KIND, type TrailDocument, type TrailStatus } from './trails.js';

const SEALED_KIND = 'cloudtrail.sealed-log-file';
const ENTRY_KIND = 'cloudtrail.digest-entry';
const CHAIN_KIND = 'cloudtrail.digest-chain';
const SERVICE_ACCOUNT = 'cloudtrail';

/** Where a trail's files go. */
export interface Destination {
  readonly bucket: string;
  readonly prefix?: string;
}

/** A log file being delivered: its key and the buffered records it holds (through `throughSeq`). */
export interface SealedFile extends Destination {
  readonly key: string;
  readonly throughSeq: number;
}

/** A delivered log file waiting for its digest. */
export interface DigestEntry extends DigestLogFile {
  readonly deliveredAt: number;
}

/** A trail's digest chain in one region. */
export interface DigestChain extends Destination {
  readonly accountId: string;
  readonly region: string;
  readonly trailArn: string;
  readonly trailName: string;
  readonly homeRegion: string;
  /** Start of the period the next digest covers (ms, whole seconds). */
  readonly periodStart: number;
  readonly previous?: PreviousDigest;
  /**
   * Set when the chain is first seen inactive: the audit-log head then. Its final digest waits
   * until selection has passed it and the region's last records are delivered.
   */
  readonly closeAfterSeq?: number;
}

/** The trail an ARN names, if it still exists. */
export async function trailByArn(tx: Tx, trailArn: string): Promise<TrailDocument | undefined> {
  const ref = parseTrailRef(trailArn);
  if (ref.arn === undefined) return undefined;
  return tx.documents.get<TrailDocument>({ accountId: ref.accountId, region: ref.region }, TRAIL_KIND, ref.name);
}

/** Changes a trail's delivery status (when the trail still exists). */
export async function updateTrailStatus(tx: Tx, trailArn: string, patch: Partial<TrailStatus>): Promise<void> {
  const trail = await trailByArn(tx, trailArn);
  if (trail) await saveTrail(tx, { ...trail, status: { ...trail.status, ...patch } });
}

/** The file being delivered for a trail and region, if any. */
export function sealedFile(tx: Tx, scope: Scope, trailArn: string): Promise<SealedFile | undefined> {
  return tx.documents.get<SealedFile>(scope, SEALED_KIND, trailArn);
}

/** Records the file about to be delivered. */
export function sealFile(tx: Tx, scope: Scope, trailArn: string, file: SealedFile): Promise<void> {
  return tx.documents.put(scope, SEALED_KIND, trailArn, file);
}

/** Forgets the sealed file once delivered (or abandoned). */
export async function unsealFile(tx: Tx, scope: Scope, trailArn: string): Promise<void> {
  await tx.documents.delete(scope, SEALED_KIND, trailArn);
}

const entryPrefix = (trailArn: string) => `${trailArn}|`;

/** Adds a delivered log file to the next digest of its trail and region. */
export function addDigestEntry(tx: Tx, scope: Scope, trailArn: string, entry: DigestEntry): Promise<void> {
  return tx.documents.put(scope, ENTRY_KIND, `${entryPrefix(trailArn)}${String(entry.deliveredAt).padStart(15, '0')}|${entry.s3Object}`, entry);
}

/** Log files delivered before `before`, waiting for a digest, oldest first, with their ids. */
export async function digestEntries(tx: Tx, scope: Scope, trailArn: string, before: number): Promise<{ id: string; doc: DigestEntry }[]> {
  const entries = await tx.documents.list<DigestEntry>(scope, ENTRY_KIND, { prefix: entryPrefix(trailArn) });
  return entries.filter((e) => e.doc.deliveredAt < before);
}

/** Drops digest entries once their digest is delivered. */
export async function removeDigestEntries(tx: Tx, scope: Scope, ids: readonly string[]): Promise<void> {
  for (const id of ids) await tx.documents.delete(scope, ENTRY_KIND, id);
}

const chainScope = (region: string): Scope => ({ accountId: SERVICE_ACCOUNT, region });

/** A trail's digest chain in a region, if one is open. */
export function digestChain(tx: Tx, region: string, trailArn: string): Promise<DigestChain | undefined> {
  return tx.documents.get<DigestChain>(chainScope(region), CHAIN_KIND, trailArn);
}

/** Every open digest chain. */
export async function allDigestChains(tx: Tx): Promise<DigestChain[]> {
  return (await tx.documents.listInAccount<DigestChain>(SERVICE_ACCOUNT, CHAIN_KIND)).map((e) => e.doc);
}

/** Stores a chain's state. */
export function saveDigestChain(tx: Tx, chain: DigestChain): Promise<void> {
  return tx.documents.put(chainScope(chain.region), CHAIN_KIND, chain.trailArn, chain);
}

/** Ends a chain (logging or validation stopped, or the trail was deleted). */
export async function closeDigestChain(tx: Tx, chain: DigestChain): Promise<void> {
  await tx.documents.delete(chainScope(chain.region), CHAIN_KIND, chain.trailArn);
}

/** Opens a trail's chain in a region when it logs with validation on and has none; periods start on whole seconds. */
export async function openDigestChain(tx: Tx, trail: TrailDocument, trailArn: string, region: string, now: number): Promise<void> {
  if (!trail.isMultiRegionTrail && region !== trail.homeRegion) return;
  if (!trail.status.isLogging || !trail.logFileValidationEnabled || (await digestChain(tx, region, trailArn))) return;
  await saveDigestChain(tx, {
    accountId: trail.accountId, region, trailArn, trailName: trail.name, homeRegion: trail.homeRegion,
    bucket: trail.s3BucketName, prefix: trail.s3KeyPrefix, periodStart: Math.floor(now / 1000) * 1000,
  });
}
