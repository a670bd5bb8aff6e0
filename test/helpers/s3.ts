/**
 * @module
 * Helpers for the S3 end-to-end tests: clients, a second account, reading streams and records.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { createHash } from 'node:crypto';
import { Sha256 } from './signed-fetch.js';
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

/** A raw S3 request, signed as the SDK signs S3 requests (or presigned, or not signed at all). */
export interface S3Request {
  readonly method?: string;
  /** The path, already percent-encoded as it goes on the wire. */
  readonly path: string;
  readonly query?: Record<string, string>;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  readonly region?: string;
  /** How to authenticate: a header signature (default), a presigned URL, or none. */
  readonly auth?: 'header' | 'presign' | 'anonymous';
  /** Sign this x-amz-content-sha256 instead of the body's hash. */
  readonly contentSha256?: string;
}

const signerFor = (credentials: { accessKeyId: string; secretAccessKey: string }, region: string) =>
  new SignatureV4({ credentials, region, service: 's3', sha256: Sha256 as never, uriEscapePath: false });

/** The URL a request goes to once signed (presigned URLs carry their signature). */
export async function s3Url(server: TestServer, request: S3Request): Promise<string> {
  const url = new URL(server.url);
  const unsigned: Record<string, string> = request.auth === 'presign' ? { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } : {};
  const http = new HttpRequest({
    protocol: url.protocol, hostname: url.hostname, port: Number(url.port), method: request.method ?? 'GET', path: request.path,
    query: request.query ?? {}, headers: { host: url.host, ...unsigned, ...request.headers },
  });
  const signed = request.auth === 'presign' ? await signerFor(server.credentials, request.region ?? 'us-east-1').presign(http, { expiresIn: 300 }) : http;
  const query = new URLSearchParams(signed.query as Record<string, string>).toString();
  return `${url.origin}${signed.path}${query ? `?${query}` : ''}`;
}

/** Sends a raw S3 request; returns status, headers and body text. */
export async function s3Fetch(server: TestServer, request: S3Request): Promise<{ status: number; headers: Headers; text: string }> {
  const url = new URL(server.url);
  const body = request.body ?? '';
  const method = request.method ?? 'GET';
  if (request.auth === 'presign' || request.auth === 'anonymous') {
    const response = await fetch(await s3Url(server, request), { method, headers: request.headers, body: method === 'GET' || method === 'HEAD' ? undefined : body });
    return { status: response.status, headers: response.headers, text: await response.text() };
  }
  const contentSha256 = request.contentSha256 ?? createHash('sha256').update(body).digest('hex');
  const http = new HttpRequest({
    protocol: url.protocol, hostname: url.hostname, port: Number(url.port), method: request.method ?? 'GET', path: request.path,
    query: request.query ?? {}, headers: { host: url.host, 'x-amz-content-sha256': contentSha256, ...request.headers }, body,
  });
  const signed = await signerFor(server.credentials, request.region ?? 'us-east-1').sign(http);
  const query = new URLSearchParams(signed.query as Record<string, string>).toString();
  const response = await fetch(`${url.origin}${signed.path}${query ? `?${query}` : ''}`, {
    method: signed.method, headers: signed.headers as Record<string, string>,
    body: signed.method === 'GET' || signed.method === 'HEAD' ? undefined : body,
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}
