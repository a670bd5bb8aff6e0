import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  CloudTrailClient, CreateTrailCommand, DescribeTrailsCommand, GetTrailStatusCommand, ListPublicKeysCommand, StartLoggingCommand,
  StopLoggingCommand, UpdateTrailCommand,
} from '@aws-sdk/client-cloudtrail';
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { digestStringToSign, type Digest } from '../src/integrity/digest-file.js';
import { sha256Hex, verifyText } from '../src/integrity/signing.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { expectError } from './helpers/assertions.js';
import { cloudTrailBucketPolicy, createTrailBucket, listKeys, readJsonGz } from './helpers/trail-destinations.js';
import { eventually } from './helpers/eventually.js';

const ACCOUNT = '123456789012';
const servers: TestServer[] = [];
const cleanups: (() => void)[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function start(overrides: Parameters<typeof startTestServer>[0] = {}) {
  const server = await startTestServer({ trailDeliveryIntervalSeconds: 1, digestIntervalSeconds: 2, ...overrides });
  servers.push(server);
  return {
    server,
    east: new CloudTrailClient(server.clientConfig('us-east-1')),
    west: new CloudTrailClient(server.clientConfig('eu-west-1')),
    s3: new S3Client({ ...server.clientConfig('us-east-1'), forcePathStyle: true }),
  };
}

type Records = { Records: { eventName: string; awsRegion: string; eventID: string }[] };

describe('CreateTrail and UpdateTrail check the bucket', () => {
  it('answers S3BucketDoesNotExistException and InsufficientS3BucketPolicyException as CloudTrail does', async () => {
    const { east, s3 } = await start();
    await expectError(east.send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'no-such-bucket' })),
      'S3BucketDoesNotExistException', 'S3 bucket no-such-bucket does not exist.');
    await s3.send(new CreateBucketCommand({ Bucket: 'closed-bucket' }));
    await expectError(east.send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'closed-bucket' })),
      'InsufficientS3BucketPolicyException', 'Incorrect S3 bucket policy is detected for bucket: closed-bucket');
    await s3.send(new PutBucketPolicyCommand({ Bucket: 'closed-bucket', Policy: cloudTrailBucketPolicy('closed-bucket', { prefix: 'only-here' }) }));
    await expectError(east.send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'closed-bucket' })), 'InsufficientS3BucketPolicyException');
    await east.send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'closed-bucket', S3KeyPrefix: 'only-here' }));
    await expectError(east.send(new UpdateTrailCommand({ Name: 'main', S3KeyPrefix: 'elsewhere' })), 'InsufficientS3BucketPolicyException');
    await expectError(east.send(new UpdateTrailCommand({ Name: 'main', S3BucketName: 'no-such-bucket' })), 'S3BucketDoesNotExistException');
    expect((await east.send(new DescribeTrailsCommand({}))).trailList?.map((t) => [t.S3BucketName, t.S3KeyPrefix])).toEqual([['closed-bucket', 'only-here']]);
  });

  it('honours the aws:SourceArn condition of the recommended bucket policy, at creation and at delivery', async () => {
    const { east, s3 } = await start();
    const policy = JSON.parse(cloudTrailBucketPolicy('trail-bucket')) as { Statement: { Condition?: Record<string, Record<string, string>> }[] };
    for (const statement of policy.Statement) {
      statement.Condition = { ...statement.Condition, StringEquals: { ...statement.Condition?.StringEquals, 'aws:SourceArn': `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main` } };
    }
    await s3.send(new CreateBucketCommand({ Bucket: 'trail-bucket' }));
    await s3.send(new PutBucketPolicyCommand({ Bucket: 'trail-bucket', Policy: JSON.stringify(policy) }));
    await expectError(east.send(new CreateTrailCommand({ Name: 'other', S3BucketName: 'trail-bucket' })), 'InsufficientS3BucketPolicyException');
    await east.send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'trail-bucket' }));
    await east.send(new StartLoggingCommand({ Name: 'main' }));
    await eventually(async () => ((await listKeys(s3, 'trail-bucket')).length ? true : undefined), 'a delivery under the conditional policy');
  });

  it('reports a bucket policy that no longer lets CloudTrail write as AccessDenied', async () => {
    const { east, s3 } = await start();
    await createTrailBucket(s3, 'trail-bucket');
    await east.send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'trail-bucket' }));
    await s3.send(new PutBucketPolicyCommand({ Bucket: 'trail-bucket', Policy: cloudTrailBucketPolicy('trail-bucket', { prefix: 'elsewhere' }) }));
    await east.send(new StartLoggingCommand({ Name: 'main' }));
    const status = await eventually(async () => {
      const s = await east.send(new GetTrailStatusCommand({ Name: 'main' }));
      return s.LatestDeliveryError ? s : undefined;
    }, 'the delivery error');
    expect(status.LatestDeliveryError).toBe('AccessDenied');
  });
});

describe('log file delivery', () => {
  it('writes gzipped {"Records":[...]} files under AWS\'s key layout, one per account and region', async () => {
    const { east, west, s3 } = await start();
    await createTrailBucket(s3, 'trail-bucket', { prefix: 'audit' });
    await east.send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'trail-bucket', S3KeyPrefix: 'audit', IsMultiRegionTrail: true }));
    await east.send(new StartLoggingCommand({ Name: 'main' }));
    await east.send(new DescribeTrailsCommand({}));
    await west.send(new DescribeTrailsCommand({}));
    const pattern = (region: string) => new RegExp(
      `^audit/AWSLogs/${ACCOUNT}/CloudTrail/${region}/\\d{4}/\\d{2}/\\d{2}/${ACCOUNT}_CloudTrail_${region}_\\d{8}T\\d{4}Z_[A-Za-z0-9]{16}\\.json\\.gz$`,
    );
    const events = async (region: string) => {
      const keys = await listKeys(s3, 'trail-bucket', `audit/AWSLogs/${ACCOUNT}/CloudTrail/${region}/`);
      for (const key of keys) expect(key).toMatch(pattern(region));
      return (await Promise.all(keys.map((k) => readJsonGz<Records>(s3, 'trail-bucket', k)))).flatMap((f) => f.json.Records);
    };
    const eastRecords = await eventually(async () => {
      const got = await events('us-east-1');
      return got.some((r) => r.eventName === 'DescribeTrails') ? got : undefined;
    }, 'the us-east-1 log file');
    expect(eastRecords.map((r) => r.eventName)).toEqual(expect.arrayContaining(['StartLogging', 'DescribeTrails']));
    expect(eastRecords.every((r) => r.awsRegion === 'us-east-1')).toBe(true);
    const westRecords = await eventually(async () => ((await events('eu-west-1')).length ? events('eu-west-1') : undefined), 'the eu-west-1 log file');
    expect(westRecords.map((r) => [r.eventName, r.awsRegion])).toEqual([['DescribeTrails', 'eu-west-1']]);
    const status = await east.send(new GetTrailStatusCommand({ Name: 'main' }));
    expect(status.LatestDeliveryTime).toBeInstanceOf(Date);
    expect(status.LatestDeliveryError).toBeUndefined();
  });

  it('reports a deleted bucket in GetTrailStatus, then delivers what waited once the bucket is back', async () => {
    const { east, s3 } = await start();
    await createTrailBucket(s3, 'trail-bucket');
    await east.send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'trail-bucket' }));
    await s3.send(new DeleteBucketCommand({ Bucket: 'trail-bucket' }));
    await east.send(new StartLoggingCommand({ Name: 'main' }));
    await east.send(new DescribeTrailsCommand({}));
    const failed = await eventually(async () => {
      const status = await east.send(new GetTrailStatusCommand({ Name: 'main' }));
      return status.LatestDeliveryError ? status : undefined;
    }, 'the delivery error');
    expect(failed.LatestDeliveryError).toBe('NoSuchBucket');
    await createTrailBucket(s3, 'trail-bucket');
    const keys = await eventually(async () => {
      const found = await listKeys(s3, 'trail-bucket', `AWSLogs/${ACCOUNT}/CloudTrail/`);
      return found.length ? found : undefined;
    }, 'the delayed log file');
    const records = (await Promise.all(keys.map((k) => readJsonGz<Records>(s3, 'trail-bucket', k)))).flatMap((f) => f.json.Records);
    expect(records.map((r) => r.eventName)).toEqual(expect.arrayContaining(['StartLogging', 'DescribeTrails']));
    expect(new Set(records.map((r) => r.eventID)).size).toBe(records.length);
    const status = await east.send(new GetTrailStatusCommand({ Name: 'main' }));
    expect(status.LatestDeliveryError).toBeUndefined();
  });

  it('loses nothing across a restart: records buffered before it are delivered after it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'custos-restart-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const first = await start({ trailDeliveryIntervalSeconds: 3600, dataDir });
    await createTrailBucket(first.s3, 'trail-bucket');
    await first.east.send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'trail-bucket' }));
    await first.east.send(new StartLoggingCommand({ Name: 'main' }));
    await first.east.send(new DescribeTrailsCommand({ trailNameList: ['before-restart'] }));
    await eventually(async () => ((await first.server.app.store.read((tx) => tx.trailBuffers.pending())).length ? true : undefined), 'buffering');
    await servers.pop()!.stop();
    const second = await start({ dataDir });
    const keys = await eventually(async () => {
      const found = await listKeys(second.s3, 'trail-bucket', `AWSLogs/${ACCOUNT}/CloudTrail/`);
      return found.length ? found : undefined;
    }, 'delivery after the restart');
    const records = (await Promise.all(keys.map((k) => readJsonGz<Records>(second.s3, 'trail-bucket', k)))).flatMap((f) => f.json.Records);
    expect(records.map((r) => r.eventName)).toEqual(expect.arrayContaining(['StartLogging', 'DescribeTrails']));
  });
});

describe('digest files', () => {
  it('signs a chain of digests, also for periods without logs, that list every delivered file', async () => {
    const { east, s3 } = await start();
    await createTrailBucket(s3, 'trail-bucket');
    await east.send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'trail-bucket', EnableLogFileValidation: true }));
    await east.send(new StartLoggingCommand({ Name: 'main' }));
    await east.send(new DescribeTrailsCommand({}));
    const digestPrefix = `AWSLogs/${ACCOUNT}/CloudTrail-Digest/us-east-1/`;
    const keys = await eventually(async () => {
      const found = await listKeys(s3, 'trail-bucket', digestPrefix);
      return found.length >= 4 ? found : undefined;
    }, 'four digests');
    const digests = await Promise.all(keys.map((k) => readJsonGz<Digest>(s3, 'trail-bucket', k)));
    const publicKeys = (await east.send(new ListPublicKeysCommand({ StartTime: new Date(Date.now() - 3_600_000) }))).PublicKeyList ?? [];
    let previous: { key: string; hash: string; signature: string } | undefined;
    for (const [i, { json, metadata, raw }] of digests.entries()) {
      expect(keys[i]).toMatch(new RegExp(`^${digestPrefix}\\d{4}/\\d{2}/\\d{2}/${ACCOUNT}_CloudTrail-Digest_us-east-1_main_us-east-1_\\d{8}T\\d{6}Z\\.json\\.gz$`));
      expect(json.digestS3Object).toBe(keys[i]);
      expect(metadata['signature-algorithm']).toBe('SHA256withRSA');
      const bytes = gunzipSync(raw);
      const key = publicKeys.find((k) => k.Fingerprint === json.digestPublicKeyFingerprint)!;
      expect(verifyText(digestStringToSign(json, sha256Hex(bytes)), metadata.signature!, key.Value!)).toBe(true);
      expect(json.previousDigestS3Object).toBe(previous?.key ?? null);
      expect(json.previousDigestHashValue).toBe(previous?.hash ?? null);
      expect(json.previousDigestSignature).toBe(previous?.signature ?? null);
      if (json.logFiles.length === 0) expect([json.newestEventTime, json.oldestEventTime]).toEqual([null, null]);
      previous = { key: keys[i]!, hash: sha256Hex(bytes), signature: metadata.signature! };
    }
    const listed = digests.flatMap((d) => d.json.logFiles.map((f) => f.s3Object));
    const delivered = await listKeys(s3, 'trail-bucket', `AWSLogs/${ACCOUNT}/CloudTrail/`);
    expect(delivered.slice(0, listed.length)).toEqual(listed);
    for (const entry of digests.flatMap((d) => d.json.logFiles)) {
      const { raw } = await readJsonGz(s3, 'trail-bucket', entry.s3Object);
      expect(sha256Hex(gunzipSync(raw))).toBe(entry.hashValue);
    }
    expect((await east.send(new GetTrailStatusCommand({ Name: 'main' }))).LatestDigestDeliveryTime).toBeInstanceOf(Date);
  });

  it('ends the chain with a final digest when logging stops, and starts a new one after', async () => {
    const { east, s3, server } = await start();
    await createTrailBucket(s3, 'trail-bucket');
    await east.send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'trail-bucket', EnableLogFileValidation: true }));
    await east.send(new StartLoggingCommand({ Name: 'main' }));
    await east.send(new StopLoggingCommand({ Name: 'main' }));
    const chains = () => server.app.store.read((tx) => tx.documents.listInAccount('cloudtrail', 'cloudtrail.digest-chain'));
    await eventually(async () => ((await chains()).length === 0 ? true : undefined), 'the final digest');
    const keys = await listKeys(s3, 'trail-bucket', `AWSLogs/${ACCOUNT}/CloudTrail-Digest/`);
    const last = await readJsonGz<Digest>(s3, 'trail-bucket', keys.at(-1)!);
    expect(last.json.logFiles.length).toBeGreaterThan(0);
    await east.send(new UpdateTrailCommand({ Name: 'main', EnableLogFileValidation: true }));
    await east.send(new StartLoggingCommand({ Name: 'main' }));
    const next = await eventually(async () => {
      const found = await listKeys(s3, 'trail-bucket', `AWSLogs/${ACCOUNT}/CloudTrail-Digest/`);
      return found.length > keys.length ? found : undefined;
    }, 'a new chain');
    expect((await readJsonGz<Digest>(s3, 'trail-bucket', next[keys.length]!)).json.previousDigestSignature).toBeNull();
  });

  it('reports a digest that cannot be delivered', async () => {
    const { east, s3 } = await start();
    await createTrailBucket(s3, 'trail-bucket');
    await east.send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'trail-bucket', EnableLogFileValidation: true }));
    for (const key of await listKeys(s3, 'trail-bucket')) await s3.send(new DeleteObjectCommand({ Bucket: 'trail-bucket', Key: key }));
    await s3.send(new DeleteBucketCommand({ Bucket: 'trail-bucket' }));
    await east.send(new StartLoggingCommand({ Name: 'main' }));
    const status = await eventually(async () => {
      const s = await east.send(new GetTrailStatusCommand({ Name: 'main' }));
      return s.LatestDigestDeliveryError ? s : undefined;
    }, 'the digest delivery error');
    expect(status.LatestDigestDeliveryError).toBe('NoSuchBucket');
  });
});
