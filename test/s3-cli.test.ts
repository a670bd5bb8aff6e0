import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, spawnServer, type ServerProcess, awsCliEnv } from './helpers/cli.js';

const work = mkdtempSync(join(tmpdir(), 'custos-s3-cli-'));
const dataDir = join(work, 'data');
let server: ServerProcess;
let env: NodeJS.ProcessEnv;
const aws = (args: string[], extra: NodeJS.ProcessEnv = {}) => run('aws', args, { ...env, ...extra });
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

beforeAll(async () => {
  server = await spawnServer(['--data-dir', dataDir]);
  env = awsCliEnv(server.url, join(dataDir, 'credentials'));
});
afterAll(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('the aws CLI against S3', () => {
  it('makes a bucket and copies a 50 MB file up (multipart, 8 MB parts) and back with identical bytes', async () => {
    const made = await aws(['s3', 'mb', 's3://cli-bucket']);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toContain('make_bucket: cli-bucket');
    const original = join(work, 'big.bin');
    writeFileSync(original, randomBytes(50 * 1024 * 1024));
    const up = await aws(['s3', 'cp', original, 's3://cli-bucket/data/big.bin', '--only-show-errors']);
    expect(up.code, up.stderr).toBe(0);
    const head = await aws(['s3api', 'head-object', '--bucket', 'cli-bucket', '--key', 'data/big.bin']);
    expect(JSON.parse(head.stdout)).toMatchObject({ ContentLength: 50 * 1024 * 1024 });
    expect(JSON.parse(head.stdout).ETag).toMatch(/^"[0-9a-f]{32}-7"$/);
    const back = join(work, 'back.bin');
    const down = await aws(['s3', 'cp', 's3://cli-bucket/data/big.bin', back, '--only-show-errors']);
    expect(down.code, down.stderr).toBe(0);
    expect(sha256(back)).toBe(sha256(original));
  });

  it('syncs a folder, and a second sync finds nothing to do', async () => {
    const folder = join(work, 'site');
    mkdirSync(join(folder, 'assets'), { recursive: true });
    writeFileSync(join(folder, 'index.html'), '<h1>hi</h1>');
    writeFileSync(join(folder, 'assets', 'app one.js'), 'console.log(1)');
    writeFileSync(join(folder, 'assets', 'ünï.css'), 'body{}');
    const first = await aws(['s3', 'sync', folder, 's3://cli-bucket/site']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.match(/upload:/g)).toHaveLength(3);
    const again = await aws(['s3', 'sync', folder, 's3://cli-bucket/site']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe('');
    const listed = await aws(['s3', 'ls', 's3://cli-bucket/site/', '--recursive']);
    expect(listed.stdout).toContain('site/assets/app one.js');
    expect(listed.stdout).toContain('site/assets/ünï.css');
    const down = join(work, 'site-copy');
    expect((await aws(['s3', 'sync', 's3://cli-bucket/site', down, '--only-show-errors'])).code).toBe(0);
    expect(readFileSync(join(down, 'assets', 'ünï.css'), 'utf8')).toBe('body{}');
  });

  it('configures default encryption and Block Public Access, for the bucket and (through S3 Control) the account', async () => {
    const put = await aws(['s3api', 'put-bucket-encryption', '--bucket', 'cli-bucket', '--server-side-encryption-configuration',
      '{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"alias/audit"}}]}']);
    expect(put.code, put.stderr).toBe(0);
    const got = JSON.parse((await aws(['s3api', 'get-bucket-encryption', '--bucket', 'cli-bucket'])).stdout);
    expect(got.ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault).toEqual({ SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/audit' });
    const bucketBlock = await aws(['s3api', 'put-public-access-block', '--bucket', 'cli-bucket', '--public-access-block-configuration',
      'BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=false,RestrictPublicBuckets=false']);
    expect(bucketBlock.code, bucketBlock.stderr).toBe(0);
    // The CLI sends S3 Control calls to <account>.<endpoint host>, which no resolver knows for an IP
    // endpoint; as an HTTP proxy, Custos takes the request whatever the host name says.
    const proxy = { HTTP_PROXY: server.url, NO_PROXY: '' };
    const account = await aws(['s3control', 'put-public-access-block', '--account-id', '123456789012', '--public-access-block-configuration',
      'BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true'], proxy);
    expect(account.code, account.stderr).toBe(0);
    const read = await aws(['s3control', 'get-public-access-block', '--account-id', '123456789012'], proxy);
    expect(JSON.parse(read.stdout).PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true });
    const events = JSON.parse((await aws(['cloudtrail', 'lookup-events', '--lookup-attributes', 'AttributeKey=EventSource,AttributeValue=s3.amazonaws.com'])).stdout);
    const names = (events.Events as { EventName: string }[]).map((e) => e.EventName);
    expect(names).toEqual(expect.arrayContaining(['CreateBucket', 'PutBucketEncryption', 'PutBucketPublicAccessBlock', 'PutAccountPublicAccessBlock']));
    expect(names).not.toContain('PutObject');
  });

  it('presigns URLs (SigV2, the CLI default) that plain HTTP clients can use', async () => {
    const url = (await aws(['s3', 'presign', 's3://cli-bucket/site/index.html'])).stdout.trim();
    expect(url).toMatch(/AWSAccessKeyId=.*Signature=.*Expires=/);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('<h1>hi</h1>');
    const tampered = await fetch(url.replace('index.html', 'other.html'));
    expect(tampered.status).toBe(403);
  });

  it('reports S3 errors by code', async () => {
    const badName = await aws(['s3', 'mb', 's3://Bad_Bucket']);
    expect(badName.code).not.toBe(0);
    expect(badName.stderr).toContain('InvalidBucketName');
    const missing = await aws(['s3api', 'get-object', '--bucket', 'cli-bucket', '--key', 'nope', join(work, 'nope')]);
    expect(missing.stderr).toContain('NoSuchKey');
    const notEmpty = await aws(['s3', 'rb', 's3://cli-bucket']);
    expect(notEmpty.stderr).toContain('BucketNotEmpty');
    const removed = await aws(['s3', 'rb', 's3://cli-bucket', '--force']);
    expect(removed.code, removed.stderr).toBe(0);
    expect((await aws(['s3', 'ls'])).stdout).not.toContain('cli-bucket');
  });
});
