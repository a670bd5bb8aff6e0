/**
 * @module
 * Reading a trail's files straight from a Custos data directory: the trail's bucket and prefix,
 * the region's public keys, and the objects themselves.
 */
import { join } from 'node:path';
import type { ObjectSource } from '../integrity/validate-chain.js';
import { trailByArn } from '../services/cloudtrail/delivery-state.js';
import { keysOverlapping } from '../services/cloudtrail/signing-keys.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';

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
  const source: ObjectSource = {
    listKeys: () => Promise.reject(new Error('this data directory holds no S3 objects')),
    getObject: () => Promise.reject(new Error('this data directory holds no S3 objects')),
  };
  return {
    source,
    publicKeys: new Map(keys.map((k) => [k.fingerprint, Buffer.from(k.publicKey, 'base64')])),
    trail: trail && { bucket: trail.s3BucketName, prefix: trail.s3KeyPrefix },
    close: () => store.close(),
  };
}
