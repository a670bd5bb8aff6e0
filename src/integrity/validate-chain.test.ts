import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { signDigest, type PreviousDigest } from './digest-file.js';
import { buildLogFile, digestEntry } from './log-file.js';
import { digestFileKey, logFileKey } from './object-keys.js';
import { keyFingerprint, publicKeyDer } from './signing.js';
import { checkLogFile, walkDigests, type ChainFinding, type ChainQuery, type ObjectSource, type SourceObject } from './validate-chain.js';

const PRIVATE_KEY = readFileSync(new URL('./testdata/signing-key.pem', import.meta.url), 'utf8');
const DER = publicKeyDer(PRIVATE_KEY);
const FINGERPRINT = keyFingerprint(DER);
const BUCKET = 'trail-bucket';
const location = { accountId: '123456789012', prefix: 'p' };
const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 2, 1, 0, 0, 0);

/** A bucket in memory: the walk's source in these tests. */
class MemoryBucket implements ObjectSource {
  readonly objects = new Map<string, SourceObject>();
  async listKeys(bucket: string, prefix: string): Promise<string[]> {
    return [...this.objects.keys()].filter((k) => k.startsWith(`${bucket}/${prefix}`)).map((k) => k.slice(bucket.length + 1)).sort();
  }
  async getObject(bucket: string, key: string): Promise<SourceObject | undefined> {
    return this.objects.get(`${bucket}/${key}`);
  }
  put(key: string, body: Buffer, metadata: Record<string, string> = {}): void {
    this.objects.set(`${BUCKET}/${key}`, { body, metadata });
  }
}

/** Writes `hours` hourly digests (the chain restarting where `restartAt` says), each with one log file. */
function writeChain(bucket: MemoryBucket, hours: number, restartAt = new Set<number>()): { digests: string[]; logs: string[] } {
  let previous: PreviousDigest | undefined;
  const digests: string[] = [];
  const logs: string[] = [];
  for (let h = 0; h < hours; h++) {
    if (restartAt.has(h)) previous = undefined;
    const file = buildLogFile([{ body: JSON.stringify({ eventID: `e${h}` }), eventTime: T0 + h * HOUR + 60_000 }]);
    const logKey = logFileKey(location, 'us-east-1', T0 + h * HOUR + 300_000, `LOG${String(h).padStart(13, '0')}`);
    bucket.put(logKey, gzipSync(file.bytes));
    logs.push(logKey);
    const key = digestFileKey(location, 'us-east-1', 'main', 'us-east-1', T0 + (h + 1) * HOUR);
    const signed = signDigest({
      accountId: location.accountId, startTime: T0 + h * HOUR, endTime: T0 + (h + 1) * HOUR, bucket: BUCKET, key,
      fingerprint: FINGERPRINT, previous, logFiles: [digestEntry(file, BUCKET, logKey)],
    }, PRIVATE_KEY);
    bucket.put(key, gzipSync(signed.bytes), { signature: signed.signature, 'signature-algorithm': 'SHA256withRSA' });
    previous = { bucket: BUCKET, key, hash: signed.hash, signature: signed.signature };
    digests.push(key);
  }
  return { digests, logs };
}

const query: ChainQuery = {
  bucket: BUCKET, location, trailName: 'main', homeRegion: 'us-east-1', region: 'us-east-1',
  startTime: T0, endTime: T0 + 10 * HOUR, publicKeys: new Map([[FINGERPRINT, DER]]),
};

async function walk(source: ObjectSource, q = query): Promise<ChainFinding[]> {
  const findings: ChainFinding[] = [];
  for await (const finding of walkDigests(source, q)) findings.push(finding);
  return findings;
}

const summary = (findings: ChainFinding[]) => findings.map((f) => (f.type === 'gap' ? 'gap' : `${f.type}:${f.key.slice(-24, -8)}`));

describe('walking a digest chain', () => {
  it('visits every digest newest first and every log file checks out', async () => {
    const bucket = new MemoryBucket();
    const { digests } = writeChain(bucket, 3);
    const findings = await walk(bucket);
    expect(summary(findings)).toEqual(digests.map((k) => `digest:${k.slice(-24, -8)}`).reverse());
    for (const f of findings) {
      if (f.type !== 'digest') continue;
      for (const entry of f.digest.logFiles) expect(await checkLogFile(bucket, entry)).toBe('valid');
    }
  });

  it('stops at the start time and ignores digests beyond end + 1 h', async () => {
    const bucket = new MemoryBucket();
    writeChain(bucket, 6);
    const findings = await walk(bucket, { ...query, startTime: T0 + 2 * HOUR, endTime: T0 + 3 * HOUR });
    expect(summary(findings)).toEqual(['digest:20240301T040000Z', 'digest:20240301T030000Z', 'digest:20240301T020000Z']);
  });

  it('reports a deleted digest as missing and goes on with the next older one', async () => {
    const bucket = new MemoryBucket();
    const { digests } = writeChain(bucket, 3);
    bucket.objects.delete(`${BUCKET}/${digests[1]}`);
    expect(summary(await walk(bucket))).toEqual(['digest:20240301T030000Z', 'digest-missing:20240301T020000Z', 'digest:20240301T010000Z']);
  });

  it('reports an edited digest as invalid', async () => {
    const bucket = new MemoryBucket();
    const { digests } = writeChain(bucket, 2);
    const original = bucket.objects.get(`${BUCKET}/${digests[1]}`)!;
    bucket.put(digests[1]!, gzipSync(Buffer.from('{"awsAccountId":"123456789012"}')), original.metadata);
    const findings = await walk(bucket);
    expect(findings[0]).toMatchObject({ type: 'digest-invalid', reason: 'invalid format' });
    expect(summary(findings)).toEqual(['digest-invalid:20240301T020000Z', 'digest:20240301T010000Z']);
  });

  it('reports the gap where a chain restarted', async () => {
    const bucket = new MemoryBucket();
    writeChain(bucket, 4, new Set([2]));
    const findings = await walk(bucket);
    expect(summary(findings)).toEqual(['digest:20240301T040000Z', 'digest:20240301T030000Z', 'gap', 'digest:20240301T020000Z', 'digest:20240301T010000Z']);
    expect(findings[2]).toEqual({ type: 'gap', from: T0 + 2 * HOUR, to: T0 + 2 * HOUR });
  });

  it('finds tampered, deleted and non-gzip log files', async () => {
    const bucket = new MemoryBucket();
    const { logs } = writeChain(bucket, 3);
    bucket.put(logs[0]!, gzipSync(Buffer.from('{"Records":[]}')));
    bucket.objects.delete(`${BUCKET}/${logs[1]}`);
    bucket.put(logs[2]!, Buffer.from('plain'));
    const verdicts: string[] = [];
    for (const f of await walk(bucket)) {
      if (f.type === 'digest') for (const entry of f.digest.logFiles) verdicts.push(await checkLogFile(bucket, entry));
    }
    expect(verdicts).toEqual(['format', 'missing', 'mismatch']);
  });

  it('finds nothing when no digest is in range', async () => {
    expect(await walk(new MemoryBucket())).toEqual([]);
  });
});
