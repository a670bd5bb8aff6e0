/**
 * @module
 * Helpers for the S3 end-to-end tests: clients, a second account, reading streams and records.
 */
import { S3Client } from '@aws-sdk/client-s3';
import type { TestServer } from './server.js';

/** An S3 client for the server (path-style, as the SDK uses against an IP endpoint). */
export function s3Client(server: TestServer, region = 'us-east-1', credentials = server.credentials): S3Client {
  return new S3Client({ endpoint: server.url, region, credentials, forcePathStyle: true });
}

/** Root credentials of another account, stored as the IAM service would store them. */
export async function otherAccount(server: TestServer, accountId: string): Promise<{ accessKeyId: string; secretAccessKey: string }> {
  const credentials = { accessKeyId: `AKIAOTHER${accountId.slice(-8)}`, secretAccessKey: `secret-of-${accountId}` };
  await server.app.store.transaction((tx) => tx.credentials.put({
    ...credentials, accountId, status: 'Active', createdAt: Date.now(),
    owner: { type: 'Root', id: accountId, arn: `arn:aws:iam::${accountId}:root` },
  }));
  return credentials;
}

/** The CloudTrail records of a scope, oldest first, parsed. */
export async function records(server: TestServer, filter: { eventName?: string; accountId?: string; region?: string } = {}): Promise<Record<string, any>[]> {
  const stored = await server.app.store.read((tx) => tx.events.readAfter(0, 100_000));
  return stored
    .filter((e) => (filter.eventName === undefined || e.eventName === filter.eventName)
      && (filter.accountId === undefined || e.accountId === filter.accountId)
      && (filter.region === undefined || e.region === filter.region))
    .map((e) => JSON.parse(e.body) as Record<string, any>);
}

/** The payloads of outbox entries of a kind. */
export async function outbox(server: TestServer, kind = 'ResourceChanged'): Promise<Record<string, any>[]> {
  const entries = await server.app.store.read((tx) => tx.outbox.readAfter(0, 100_000));
  return entries.filter((e) => e.kind === kind).map((e) => ({ ...(e.payload as object), accountId: e.accountId, region: e.region }));
}
