/**
 * The unmodified `aws cloudtrail validate-logs` (awscli 1.45) run against files Custos delivered,
 * through Custos itself (AWS_ENDPOINT_URL): valid, then invalid after a log file is changed or
 * deleted and after a digest is edited or deleted; and `custos validate-logs` on the same data.
 */
import { CloudTrailClient, CreateTrailCommand, DescribeTrailsCommand, ListTrailsCommand, StartLoggingCommand, StopLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Digest } from '../src/integrity/digest-file.js';
import { CUSTOS, run } from './helpers/cli.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { createTrailBucket, listKeys, readJsonGz } from './helpers/trail-destinations.js';
import { eventually } from './helpers/eventually.js';

const ACCOUNT = '123456789012';
const BUCKET = 'trail-bucket';
const TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main`;
let server: TestServer;
let s3: S3Client;
let startTime: string;

beforeAll(async () => {
  startTime = new Date(Date.now() - 60_000).toISOString();
  server = await startTestServer({ trailDeliveryIntervalSeconds: 1, digestIntervalSeconds: 2 });
  const east = new CloudTrailClient(server.clientConfig('us-east-1'));
  const west = new CloudTrailClient(server.clientConfig('eu-west-1'));
  s3 = new S3Client({ ...server.clientConfig('us-east-1'), forcePathStyle: true });
  await createTrailBucket(s3, BUCKET, { prefix: 'audit' });
  await east.send(new CreateTrailCommand({ Name: 'main', S3BucketName: BUCKET, S3KeyPrefix: 'audit', IsMultiRegionTrail: true, EnableLogFileValidation: true }));
  await east.send(new StartLoggingCommand({ Name: 'main' }));
  const digestsWithLogs = async (region: string) => {
    const keys = await listKeys(s3, BUCKET, `audit/AWSLogs/${ACCOUNT}/CloudTrail-Digest/${region}/`);
    const digests = await Promise.all(keys.map((k) => readJsonGz<Digest>(s3, BUCKET, k)));
    return digests.filter((d) => d.json.logFiles.length > 0).length;
  };
  await eventually(async () => {
    await east.send(new DescribeTrailsCommand({}));
    await west.send(new ListTrailsCommand({}));
    return (await digestsWithLogs('us-east-1')) >= 2 && (await digestsWithLogs('eu-west-1')) >= 2 ? true : undefined;
  }, 'digests listing log files in both regions', 60_000);
  await east.send(new StopLoggingCommand({ Name: 'main' }));
  await eventually(async () => {
    const open = await server.app.store.read((tx) => tx.documents.listInAccount('cloudtrail', 'cloudtrail.digest-chain'));
    return open.length === 0 ? true : undefined;
  }, 'the final digests', 60_000);
}, 120_000);
afterAll(() => server.stop());

/** Runs the real AWS CLI with every client pointed at Custos. */
function aws(args: string[]) {
  return run('aws', args, {
    AWS_ENDPOINT_URL: server.url,
    AWS_ACCESS_KEY_ID: server.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: server.credentials.secretAccessKey,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
  });
}

function awsValidate(region = 'us-east-1') {
  return aws(['cloudtrail', 'validate-logs', '--trail-arn', TRAIL_ARN, '--start-time', startTime, '--verbose', '--region', region]);
}

function custos(args: string[]) {
  return run(CUSTOS[0]!, [...CUSTOS.slice(1), 'validate-logs', ...args]);
}

function custosValidate(region = 'us-east-1') {
  return custos(['--data-dir', server.dataDir, '--trail-arn', TRAIL_ARN, '--start-time', startTime, '--verbose', '--region', region]);
}

/** The summary counts of a validate-logs report. */
function counts(stdout: string): { digests: string | undefined; logs: string | undefined } {
  return {
    digests: /^(\d+\/\d+ digest files valid(?:, \d+\/\d+ digest files INVALID)?)$/m.exec(stdout)?.[1],
    logs: /^(\d+\/\d+ log files valid(?:, \d+\/\d+ log files INVALID)?)$/m.exec(stdout)?.[1],
  };
}

async function someLogFile(): Promise<string> {
  const keys = await listKeys(s3, BUCKET, `audit/AWSLogs/${ACCOUNT}/CloudTrail-Digest/us-east-1/`);
  for (const key of keys.reverse()) {
    const { json } = await readJsonGz<Digest>(s3, BUCKET, key);
    if (json.logFiles.length) return json.logFiles[0]!.s3Object;
  }
  throw new Error('no digest lists a log file');
}

async function object(key: string): Promise<{ body: Buffer; metadata: Record<string, string> }> {
  const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return { body: Buffer.from(await got.Body!.transformToByteArray()), metadata: got.Metadata ?? {} };
}

async function restore(key: string, original: { body: Buffer; metadata: Record<string, string> }): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: original.body, Metadata: original.metadata }));
}

describe('aws cloudtrail validate-logs on files Custos delivered', () => {
  it.each(['us-east-1', 'eu-west-1'])('reports every digest and log file valid in %s', async (region) => {
    const result = await awsValidate(region);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Validating log files for trail ${TRAIL_ARN} between`);
    const { digests, logs } = counts(result.stdout);
    expect(digests).toMatch(/^(\d+)\/\1 digest files valid$/);
    expect(logs).toMatch(/^(\d+)\/\1 log files valid$/);
    expect(Number(logs!.split('/')[0])).toBeGreaterThanOrEqual(2);
    expect(result.stdout).toMatch(new RegExp(`^Digest file\\ts3://${BUCKET}/audit/AWSLogs/${ACCOUNT}/CloudTrail-Digest/${region}/.+\\tvalid$`, 'm'));
  });

  it('and custos validate-logs reports the same from the data directory', async () => {
    for (const region of ['us-east-1', 'eu-west-1']) {
      const [theirs, ours] = await Promise.all([awsValidate(region), custosValidate(region)]);
      expect(ours.code).toBe(0);
      expect(counts(ours.stdout)).toEqual(counts(theirs.stdout));
      expect(ours.stdout.split('\n').filter((l) => l.includes('\tvalid')).sort()).toEqual(theirs.stdout.split('\n').filter((l) => l.includes('\tvalid')).sort());
    }
  });

  it('reports a log file whose content changed', async () => {
    const key = await someLogFile();
    const original = await object(key);
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: gzipSync('{"Records":[]}') }));
    try {
      const line = `Log file\ts3://${BUCKET}/${key}\tINVALID: hash value doesn't match`;
      const [theirs, ours] = await Promise.all([awsValidate(), custosValidate()]);
      expect(theirs.code).toBe(1);
      expect(theirs.stderr).toContain(line);
      expect(counts(theirs.stdout).logs).toMatch(/, 1\/\d+ log files INVALID$/);
      expect(ours.code).toBe(1);
      expect(ours.stderr).toContain(line);
      expect(counts(ours.stdout)).toEqual(counts(theirs.stdout));
    } finally {
      await restore(key, original);
    }
    expect((await awsValidate()).code).toBe(0);
  });

  it('reports a deleted log file', async () => {
    const key = await someLogFile();
    const original = await object(key);
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
    try {
      const line = `Log file\ts3://${BUCKET}/${key}\tINVALID: not found`;
      const [theirs, ours] = await Promise.all([awsValidate(), custosValidate()]);
      expect(theirs.code).toBe(1);
      expect(theirs.stderr).toContain(line);
      expect(ours.code).toBe(1);
      expect(ours.stderr).toContain(line);
    } finally {
      await restore(key, original);
    }
  });

  it('reports an edited digest and a deleted one', async () => {
    const keys = await listKeys(s3, BUCKET, `audit/AWSLogs/${ACCOUNT}/CloudTrail-Digest/us-east-1/`);
    const key = keys[keys.length - 2]!;
    const original = await object(key);
    const { json } = await readJsonGz<Digest>(s3, BUCKET, key);
    await s3.send(new PutObjectCommand({
      Bucket: BUCKET, Key: key, Metadata: original.metadata, Body: gzipSync(JSON.stringify({ ...json, newestEventTime: '2000-01-01T00:00:00Z' })),
    }));
    try {
      const line = `Digest file\ts3://${BUCKET}/${key}\tINVALID: signature verification failed`;
      const [theirs, ours] = await Promise.all([awsValidate(), custosValidate()]);
      expect(theirs.code).toBe(1);
      expect(theirs.stderr).toContain(line);
      expect(counts(theirs.stdout).digests).toMatch(/, 1\/\d+ digest files INVALID$/);
      expect(ours.code).toBe(1);
      expect(ours.stderr).toContain(line);
      expect(counts(ours.stdout)).toEqual(counts(theirs.stdout));

      await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
      const missing = `Digest file\ts3://${BUCKET}/${key}\tINVALID: not found`;
      const [theirs2, ours2] = await Promise.all([awsValidate(), custosValidate()]);
      expect(theirs2.code).toBe(1);
      expect(theirs2.stderr).toContain(missing);
      expect(ours2.code).toBe(1);
      expect(ours2.stderr).toContain(missing);
    } finally {
      await restore(key, original);
    }
    expect((await awsValidate()).code).toBe(0);
  });

  it('and custos validate-logs checks the bucket exported to disk, with the keys of aws cloudtrail list-public-keys', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'custos-export-'));
    try {
      for (const key of await listKeys(s3, BUCKET)) {
        const { body, metadata } = await object(key);
        const path = join(dir, BUCKET, ...key.split('/'));
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, body);
        if (Object.keys(metadata).length) writeFileSync(`${path}.metadata.json`, JSON.stringify(metadata));
      }
      const keys = await aws(['cloudtrail', 'list-public-keys', '--start-time', startTime, '--region', 'us-east-1']);
      expect(keys.code).toBe(0);
      writeFileSync(join(dir, 'keys.json'), keys.stdout);
      const ours = await custos([
        '--export-dir', dir, '--s3-bucket', BUCKET, '--s3-prefix', 'audit', '--public-keys', join(dir, 'keys.json'), '--trail-arn', TRAIL_ARN, '--start-time', startTime,
      ]);
      expect(ours.stderr).toBe('');
      expect(ours.code).toBe(0);
      expect(counts(ours.stdout)).toEqual(counts((await awsValidate()).stdout));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('and custos validate-logs answers usage errors with exit code 2', async () => {
    const badArn = await custos(['--data-dir', server.dataDir, '--trail-arn', 'arn:aws:s3:::nope', '--start-time', startTime]);
    expect(badArn.code).toBe(2);
    expect(badArn.stderr).toContain('Invalid trail ARN provided: arn:aws:s3:::nope');
    const backwards = await custos(['--data-dir', server.dataDir, '--trail-arn', TRAIL_ARN, '--start-time', '2030-01-01T00:00:00Z', '--end-time', '2020-01-01T00:00:00Z']);
    expect(backwards.code).toBe(2);
    expect(backwards.stderr).toContain('Invalid time range specified: start-time must occur before end-time');
    const noKeys = await custos(['--export-dir', server.dataDir, '--trail-arn', TRAIL_ARN, '--start-time', startTime]);
    expect(noKeys.code).toBe(2);
  });
});
