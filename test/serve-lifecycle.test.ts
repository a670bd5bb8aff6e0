import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { HttpRequest } from '@smithy/protocol-http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from './helpers/signed-fetch.js';
import { readCredentialsFile } from '../src/auth/root-credentials.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { run, CUSTOS, spawnServer } from './helpers/cli.js';
import { eventually } from './helpers/eventually.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'custos-serve-'));
  dirs.push(dir);
  return dir;
}

describe('custos serve', () => {
  it('takes its root credentials from the environment on first start', async () => {
    const dir = dataDir();
    const env = { CUSTOS_ROOT_ACCESS_KEY_ID: 'AKIACUSTOSTESTROOT01', CUSTOS_ROOT_SECRET_ACCESS_KEY: 'scripted-secret-for-tests' };
    const server = await spawnServer(['--data-dir', dir], env);
    try {
      expect(readFileSync(join(dir, 'credentials'), 'utf8')).toContain('aws_access_key_id = AKIACUSTOSTESTROOT01');
      const client = new STSClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: env.CUSTOS_ROOT_ACCESS_KEY_ID, secretAccessKey: env.CUSTOS_ROOT_SECRET_ACCESS_KEY } });
      expect((await client.send(new GetCallerIdentityCommand({}))).Arn).toBe('arn:aws:iam::123456789012:root');
    } finally {
      await server.stop();
    }
  });

  it('logs each call at debug level: request id, operation, status and time', async () => {
    const env = { CUSTOS_LOG_LEVEL: 'debug', CUSTOS_ROOT_ACCESS_KEY_ID: 'AKIACUSTOSTESTROOT02', CUSTOS_ROOT_SECRET_ACCESS_KEY: 'scripted-secret-for-tests' };
    const server = await spawnServer(['--data-dir', dataDir()], env);
    try {
      const client = new STSClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: env.CUSTOS_ROOT_ACCESS_KEY_ID, secretAccessKey: 'wrong' } });
      const failed = await client.send(new GetCallerIdentityCommand({})).catch((error: { $metadata: { requestId: string } }) => error);
      const line = await eventually(
        async () => server.logs.find((entry) => entry.msg === 'call' && entry.requestId === failed.$metadata.requestId),
        'the call logged',
      );
      expect(line).toMatchObject({ service: 'sts', operation: 'GetCallerIdentity', status: 403, method: 'POST' });
      expect(typeof line.ms).toBe('number');
    } finally {
      await server.stop();
    }
  });

  it('refuses settings it cannot use, saying which', async () => {
    const result = await run(CUSTOS[0]!, [...CUSTOS.slice(1), 'serve', '--auth', 'lenient', '--data-dir', dataDir()]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('invalid --auth: lenient');
  });

  it('accepts presigned query authentication', async () => {
    const dir = dataDir();
    const server = await spawnServer(['--data-dir', dir]);
    try {
      const credentials = readCredentialsFile(join(dir, 'credentials'))!;
      const url = new URL(server.url);
      const signer = new SignatureV4({ credentials, region: 'us-east-1', service: 'sts', sha256: Sha256 as never });
      const presigned = await signer.presign(new HttpRequest({
        protocol: 'http:', hostname: url.hostname, port: Number(url.port), method: 'GET', path: '/',
        query: { Action: 'GetCallerIdentity', Version: '2011-06-15' }, headers: { host: url.host },
      }), { expiresIn: 60 });
      const query = new URLSearchParams(presigned.query as Record<string, string>).toString();
      const response = await fetch(`${server.url}/?${query}`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<Arn>arn:aws:iam::123456789012:root</Arn>');
      const tampered = await fetch(`${server.url}/?${query.replace('GetCallerIdentity', 'GetSessionToken')}`);
      expect(tampered.status).toBe(403);
    } finally {
      await server.stop();
    }
  });

  it('finishes the calls in flight on SIGTERM, then exits cleanly', async () => {
    const dir = dataDir();
    const server = await spawnServer(['--data-dir', dir]);
    const credentials = readCredentialsFile(join(dir, 'credentials'))!;
    const client = new STSClient({ endpoint: server.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    const answered: string[] = [];
    const failures: number[] = [];
    let stopping = false;
    const workers = Array.from({ length: 8 }, async () => {
      while (!stopping) {
        try {
          answered.push((await client.send(new GetCallerIdentityCommand({}))).$metadata.requestId!);
        } catch (error) {
          const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
          if (status) failures.push(status);
          return;
        }
      }
    });
    while (answered.length < 100) await new Promise((resolve) => setTimeout(resolve, 5));
    const exit = server.stop();
    stopping = true;
    expect(await exit).toBe(0);
    await Promise.all(workers);
    client.destroy();
    expect(failures).toEqual([]);
    expect(server.logs.some((l) => l.msg === 'stopped')).toBe(true);
    const store = new SqliteStore({ file: join(dir, 'custos.db') });
    try {
      const recorded = new Set((await store.read((tx) => tx.events.readAfter(0, 100_000))).map((e) => JSON.parse(e.body).requestID));
      expect(answered.filter((id) => !recorded.has(id))).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
