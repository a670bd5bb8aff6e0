import { createHash, createPublicKey } from 'node:crypto';
import { CloudTrailClient, CreateTrailCommand, ListPublicKeysCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './helpers/assertions.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { s3Client } from './helpers/s3.js';
import { createTrailBucket } from './helpers/trail-destinations.js';
import { eventually } from './helpers/eventually.js';

let server: TestServer;
let east: CloudTrailClient;
let west: CloudTrailClient;

beforeAll(async () => {
  server = await startTestServer({ trailDeliveryIntervalSeconds: 1, digestIntervalSeconds: 1 });
  east = new CloudTrailClient(server.clientConfig('us-east-1'));
  west = new CloudTrailClient(server.clientConfig('eu-west-1'));
});
afterAll(() => server.stop());

describe('ListPublicKeys', () => {
  it('serves the region\'s signing key as DER PKCS#1 with its MD5 fingerprint, once digests are signed', async () => {
    expect((await east.send(new ListPublicKeysCommand({}))).PublicKeyList).toEqual([]);
    await createTrailBucket(s3Client(server, 'eu-west-1'), 'audit-bucket');
    await east.send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'audit-bucket', EnableLogFileValidation: true }));
    await east.send(new StartLoggingCommand({ Name: 'main' }));
    const [key] = await eventually(async () => {
      const list = (await east.send(new ListPublicKeysCommand({}))).PublicKeyList ?? [];
      return list.length > 0 ? list : undefined;
    }, 'a signing key');
    const der = Buffer.from(key!.Value!);
    expect(der.toString('base64')).toMatch(/^MIIBCgKCAQEA/);
    expect(createPublicKey({ key: der, format: 'der', type: 'pkcs1' }).asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(key!.Fingerprint).toBe(createHash('md5').update(der).digest('hex'));
    expect(key!.ValidityEndTime!.getTime() - key!.ValidityStartTime!.getTime()).toBe(30 * 86_400_000);

    const start = key!.ValidityStartTime!;
    expect((await east.send(new ListPublicKeysCommand({ StartTime: new Date(start.getTime() - 3_600_000), EndTime: new Date(start.getTime() - 1) }))).PublicKeyList).toEqual([]);
    expect((await east.send(new ListPublicKeysCommand({ StartTime: new Date(start.getTime() - 3_600_000), EndTime: start }))).PublicKeyList).toHaveLength(1);
    expect((await west.send(new ListPublicKeysCommand({}))).PublicKeyList).toEqual([]);
  });

  it('refuses a window that ends before it starts, and tokens it never issued', async () => {
    const error = await expectError(
      east.send(new ListPublicKeysCommand({ StartTime: new Date(2_000_000_000_000), EndTime: new Date(1_000_000_000_000) })), 'InvalidTimeRangeException',
    );
    expect(error.$metadata?.httpStatusCode).toBe(400);
    await expectError(east.send(new ListPublicKeysCommand({ NextToken: 'x' })), 'InvalidTokenException');
  });
});
