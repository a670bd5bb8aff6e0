import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestServer } from './helpers/server.js';

const scratch = mkdtempSync(join(tmpdir(), 'custos-tls-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('open mode', () => {
  it('accepts any credentials: a 12-digit key names the account, the scope names the region', async () => {
    const server = await startTestServer({ auth: 'open' });
    try {
      const config = (accessKeyId: string, region: string) => ({ endpoint: server.url, region, credentials: { accessKeyId, secretAccessKey: 'anything' } });
      const other = await new STSClient(config('210987654321', 'eu-central-1')).send(new GetCallerIdentityCommand({}));
      expect(other).toMatchObject({ Account: '210987654321', Arn: 'arn:aws:iam::210987654321:root' });
      const fallback = await new STSClient(config('test', 'us-east-1')).send(new GetCallerIdentityCommand({}));
      expect(fallback.Account).toBe('123456789012');
      const history = await new CloudTrailClient(config('210987654321', 'eu-central-1')).send(new LookupEventsCommand({}));
      const record = JSON.parse(history.Events![0]!.CloudTrailEvent!);
      expect(record).toMatchObject({ awsRegion: 'eu-central-1', recipientAccountId: '210987654321', userIdentity: { accessKeyId: '210987654321' } });
      const unsigned = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=GetCallerIdentity&Version=2011-06-15' });
      expect(unsigned.status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});

describe('HTTPS', () => {
  it('serves TLS and records tlsDetails', async () => {
    const cert = join(scratch, 'cert.pem');
    const key = join(scratch, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore' });
    const server = await startTestServer({ tls: { certFile: cert, keyFile: key } });
    try {
      expect(server.url.startsWith('https://')).toBe(true);
      const requestHandler = new NodeHttpHandler({ httpsAgent: new Agent({ ca: readFileSync(cert) }) });
      const client = new STSClient({ ...server.clientConfig(), requestHandler });
      const identity = await client.send(new GetCallerIdentityCommand({}));
      const history = await new CloudTrailClient({ ...server.clientConfig(), requestHandler }).send(new LookupEventsCommand({}));
      const record = JSON.parse(history.Events!.find((e) => e.EventName === 'GetCallerIdentity')!.CloudTrailEvent!);
      expect(record.requestID).toBe(identity.$metadata.requestId);
      expect(record.tlsDetails).toMatchObject({ tlsVersion: 'TLSv1.3', clientProvidedHostHeader: new URL(server.url).host });
      expect(record.tlsDetails.cipherSuite).toMatch(/^TLS_/);
    } finally {
      await server.stop();
    }
  });
});
