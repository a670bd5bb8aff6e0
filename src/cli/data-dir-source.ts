/**
 * @module
 * Reading a trail's files straight from a Custos data directory: the trail's bucket and prefix,
 * the region's public keys, and the objects themselves (S3's listings in the store, their bytes
 * in the blob store), without a server.
 */
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import type { BlobStore } from '../blob/blob-store.js';
import { FsBlobStore } from '../blob/fs-blob-store.js';
import type { ObjectSource, SourceObject } from '../integrity/validate-chain.js';
import { trailByArn } from '../services/cloudtrail/delivery-state.js';
import { keysOverlapping } from '../services/cloudtrail/signing-keys.js';
import { bucketScope, findBucket, type BucketDocument } from '../services/s3/buckets.js';
import { KeyVault } from '../services/kms/key-vault.js';
import { isSealed, objectBytes } from '../services/s3/object-bytes.js';
import { attributesOf } from '../services/s3/objects.js';
import { openDataKey } from '../services/s3/sse-kms.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import type { Store, Tx } from '../store/types.js';

const PAGE = 1000;

/** The S3 objects of a data directory: listings from the store, bytes from the blob store. */
class StoreObjectSource implements ObjectSource {
  readonly #buckets = new Map<string, Promise<BucketDocument | undefined>>();

  constructor(private readonly store: Store, private readonly blobs: BlobStore, private readonly vault: () => KeyVault) {}

  #bucket(tx: Tx, name: string): Promise<BucketDocument | undefined> {
    let found = this.#buckets.get(name);
    if (!found) this.#buckets.set(name, (found = findBucket(tx, name)));
    return found;
  }

  async listKeys(bucketName: string, prefix: string): Promise<string[]> {
    const keys: string[] = [];
    await this.store.read(async (tx) => {
      const bucket = await this.#bucket(tx, bucketName);
      if (!bucket) return;
      for (let after: string | undefined; ;) {
        const page = await tx.s3Objects.list(bucketScope(bucket), bucketName, { prefix, after, limit: PAGE });
        keys.push(...page.map((v) => v.key));
        if (page.length < PAGE) return;
        after = page[page.length - 1]!.key;
      }
    });
    return keys;
  }

  async getObject(bucketName: string, key: string): Promise<SourceObject | undefined> {
    const found = await this.store.read(async (tx) => {
      const bucket = await this.#bucket(tx, bucketName);
      const version = bucket && await tx.s3Objects.get(bucketScope(bucket), bucketName, key);
      if (!bucket || !version || version.deleteMarker) return undefined;
      const attributes = attributesOf(version);
      const dataKey = isSealed(attributes) ? await openDataKey(tx, this.vault(), bucketScope(bucket), attributes.encryption, bucket, key) : undefined;
      return { attributes, dataKey };
    });
    if (!found) return undefined;
    return { body: await buffer(objectBytes(this.blobs, found.attributes, undefined, found.dataKey)), metadata: found.attributes.metadata ?? {} };
  }
}

/** What validate-logs needs from a data directory. */
export interface DataDirSource {
  readonly source: ObjectSource;
  readonly publicKeys: ReadonlyMap<string, Uint8Array>;
  readonly trail?: { readonly bucket: string; readonly prefix?: string };
  close(): Promise<void>;
}

/** Opens a data directory for validation of a trail's files in a region and time range. */
export async function openDataDir(
  dataDir: string,
  query: { trailArn: string; region: string; startTime: number; endTime: number },
): Promise<DataDirSource> {
  const store = new SqliteStore({ file: join(dataDir, 'custos.db'), durability: 'process' });
  const { trail, keys } = await store.read(async (tx) => ({
    trail: await trailByArn(tx, query.trailArn),
    keys: await keysOverlapping(tx, query.region, query.startTime, query.endTime + 7_200_000),
  }));
  return {
    source: new StoreObjectSource(store, new FsBlobStore({ dir: join(dataDir, 'blobs'), sync: false }), () => KeyVault.open(dataDir)),
    publicKeys: new Map(keys.map((k) => [k.fingerprint, Buffer.from(k.publicKey, 'base64')])),
    trail: trail && { bucket: trail.s3BucketName, prefix: trail.s3KeyPrefix },
    close: () => store.close(),
  };
}
