/**
 * @module
 * Where `custos validate-logs` reads digests and log files from.
 *
 * An *exported bucket directory* holds one folder per bucket, each object a file at its key
 * (what `aws s3 sync s3://BUCKET DIR/BUCKET` makes). Object metadata does not survive such a copy,
 * so a digest's signature is read from a sidecar file `<key>.metadata.json` holding the object's
 * user metadata (`{"signature": "...", "signature-algorithm": "SHA256withRSA"}`).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { ObjectSource, SourceObject } from '../integrity/validate-chain.js';

const METADATA_SUFFIX = '.metadata.json';

async function walkFiles(root: string, dir: string, out: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await walkFiles(root, path, out);
    else if (!entry.name.endsWith(METADATA_SUFFIX)) out.push(relative(root, path).split(sep).join('/'));
  }
}

async function readOptional(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if (['ENOENT', 'EISDIR', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return undefined;
    throw error;
  }
}

/** Buckets exported to a directory, one folder per bucket. */
export class DirectorySource implements ObjectSource {
  constructor(private readonly root: string) {}

  async listKeys(bucket: string, prefix: string): Promise<string[]> {
    const bucketRoot = join(this.root, bucket);
    const slash = prefix.lastIndexOf('/');
    const keys: string[] = [];
    await walkFiles(bucketRoot, join(bucketRoot, prefix.slice(0, slash + 1)), keys);
    return keys.filter((key) => key.startsWith(prefix)).sort();
  }

  async getObject(bucket: string, key: string): Promise<SourceObject | undefined> {
    const segments = key.split('/');
    if (segments.includes('..') || bucket.includes('/')) return undefined;
    const path = join(this.root, bucket, ...segments);
    const body = await readOptional(path);
    if (!body) return undefined;
    const sidecar = await readOptional(path + METADATA_SUFFIX);
    return { body, metadata: sidecar ? (JSON.parse(sidecar.toString('utf8')) as Record<string, string>) : {} };
  }
}
