import { CloudTrailClient, DescribeTrailsCommand, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChains } from '../src/audit/verify-chain.js';
import { expectError } from './helpers/assertions.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { signedFetch } from './helpers/signed-fetch.js';

let server: TestServer;
const LIMIT = 64 * 1024;

beforeAll(async () => {
  server = await startTestServer({ maxBodyBytes: LIMIT });
});
afterAll(() => server.stop());

function cloudtrail(overrides: Record<string, unknown> = {}) {
  return new CloudTrailClient({ ...server.clientConfig(), maxAttempts: 1, ...overrides });
}

function sts(overrides: Record<string, unknown> = {}) {
  return new STSClient({ ...server.clientConfig(), maxAttempts: 1, ...overrides });
}

const json = (target: string, body: string, contentType = 'application/x-amz-json-1.1') => ({
  url: server.url,
  service: 'cloudtrail',
  credentials: server.credentials,
  headers: { 'content-type': contentType, 'x-amz-target': target },
  body,
});

describe('authentication failures', () => {
  it('answers a wrong secret with each protocol family’s signature error', async () => {
    const wrong = { accessKeyId: server.credentials.accessKeyId, secretAccessKey: 'not-the-secret' };
    const q = await expectError(sts({ credentials: wrong }).send(new GetCallerIdentityCommand({})), 'SignatureDoesNotMatch', 'The request signature we calculated does not match');
    expect(q.$metadata?.httpStatusCode).toBe(403);
    const j = await expectError(cloudtrail({ credentials: wrong }).send(new DescribeTrailsCommand({})), 'InvalidSignatureException');
    expect(j.$metadata?.httpStatusCode).toBe(400);
  });

  it('answers an unknown access key', async () => {
    const unknown = { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'x' };
    const q = await expectError(sts({ credentials: unknown }).send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId', 'The security token included in the request is invalid.');
    expect(q.$metadata?.httpStatusCode).toBe(403);
    await expectError(cloudtrail({ credentials: unknown }).send(new DescribeTrailsCommand({})), 'UnrecognizedClientException', 'The security token included in the request is invalid.');
  });

  it('answers a clock skewed by more than 15 minutes', async () => {
    await expectError(sts({ systemClockOffset: -20 * 60 * 1000 }).send(new GetCallerIdentityCommand({})), 'SignatureDoesNotMatch', /^Signature expired: \d{8}T\d{6}Z is now earlier than/);
    await expectError(cloudtrail({ systemClockOffset: 20 * 60 * 1000 }).send(new DescribeTrailsCommand({})), 'InvalidSignatureException', /^Signature not yet current/);
    await sts({ systemClockOffset: -10 * 60 * 1000 }).send(new GetCallerIdentityCommand({}));
  });

  it('answers a session token the key does not have', async () => {
    const withToken = { ...server.credentials, sessionToken: 'forged-token' };
    await expectError(sts({ credentials: withToken }).send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId');
  });

  it('answers an unsigned request', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('<Code>MissingAuthenticationToken</Code>');
  });
});

describe('malformed requests', () => {
  it('answers malformed JSON with SerializationException and records it', async () => {
    const response = await signedFetch(json('CloudTrail_20131101.DescribeTrails', '{"trailNameList": ['));
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('SerializationException');
    expect(JSON.parse(response.text).__type).toBe('SerializationException');
    const requestId = response.headers.get('x-amzn-requestid');
    const { Events } = await cloudtrail().send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'DescribeTrails' }] }));
    const record = Events!.map((e) => JSON.parse(e.CloudTrailEvent!)).find((r) => r.requestID === requestId);
    expect(record).toMatchObject({ errorCode: 'SerializationException', requestParameters: null });
  });

  it('answers a member of the wrong type', async () => {
    const response = await signedFetch(json('CloudTrail_20131101.DescribeTrails', '{"trailNameList": "main"}'));
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text).__type).toBe('SerializationException');
  });

  it('answers an unknown operation and an unknown service target', async () => {
    const unknownOp = await signedFetch(json('CloudTrail_20131101.NoSuchOperation', '{}'));
    expect(unknownOp.status).toBe(400);
    expect(JSON.parse(unknownOp.text).__type).toBe('UnknownOperationException');
    const unknownService = await signedFetch(json('NoSuchService_20990101.DoIt', '{}'));
    expect(unknownService.status).toBe(400);
    expect(JSON.parse(unknownService.text).__type).toBe('UnknownOperationException');
  });

  it('answers a wrong content type', async () => {
    const response = await signedFetch(json('CloudTrail_20131101.DescribeTrails', '{}', 'text/plain'));
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text).__type).toBe('UnknownOperationException');
  });

  it('answers a body over the limit without reading it all', async () => {
    const big = JSON.stringify({ trailNameList: ['x'.repeat(LIMIT)] });
    const response = await signedFetch(json('CloudTrail_20131101.DescribeTrails', big));
    expect(response.status).toBe(413);
    expect(JSON.parse(response.text).__type).toBe('RequestEntityTooLargeException');
  });

  it('answers an unknown Query action', async () => {
    const response = await signedFetch({
      url: server.url, service: 'sts', credentials: server.credentials,
      headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=FlyToTheMoon&Version=2011-06-15',
    });
    expect(response.status).toBe(400);
    expect(response.text).toContain('<Code>InvalidAction</Code>');
  });
});

describe('after all of that', () => {
  it('keeps serving and every recorded event is intact and chained', async () => {
    const identity = await sts().send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe('123456789012');
    const reports = await verifyChains(server.app.store);
    expect(reports.every((r) => r.broken === undefined)).toBe(true);
    expect(reports.reduce((n, r) => n + r.links, 0)).toBe(await server.app.store.read((tx) => tx.events.head()));
  });
});

describe('admin routes', () => {
  it('reports health', async () => {
    const response = await fetch(`${server.url}/_custos/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
  });

  it('refuses reset outside test mode and keeps the data', async () => {
    const production = await startTestServer({ testMode: false });
    try {
      const client = new STSClient(production.clientConfig());
      await client.send(new GetCallerIdentityCommand({}));
      const response = await fetch(`${production.url}/_custos/reset`, { method: 'POST' });
      expect(response.status).toBe(403);
      expect(((await response.json()) as { __type: string }).__type).toBe('AccessDeniedException');
      expect(await production.app.store.read((tx) => tx.events.head())).toBe(1);
    } finally {
      await production.stop();
    }
  });
});
