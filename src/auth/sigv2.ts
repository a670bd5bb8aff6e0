/**
 * @module
 * S3's Signature Version 2 in the query string (`AWSAccessKeyId`, `Expires`, `Signature`): the form
 * of the presigned URLs `aws s3 presign` makes. The signature is the base64 HMAC-SHA1 of
 * `VERB\nContent-MD5\nContent-Type\nExpires\n<x-amz-* headers><resource>`, where the resource is
 * `/<bucket>/<key>` (also for virtual-hosted-style URLs) plus the sub-resources of the query. Pure.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/RESTAuthentication.html#RESTAuthenticationQueryStringAuth
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { bucketFromHost } from '../protocol/s3-addressing.js';
import { percentDecode } from './uri-encoding.js';

/** What a SigV2 presigned URL claims. */
export interface SigV2Query {
  readonly accessKeyId: string;
  readonly signature: string;
  /** Seconds since the epoch after which the URL is no longer valid. */
  readonly expires: number;
  readonly securityToken?: string;
}

/** The parts of a request a SigV2 signature covers. */
export interface SigV2Request {
  readonly method: string;
  /** As sent, still percent-encoded. */
  readonly path: string;
  readonly query: string;
  readonly headers: IncomingHttpHeaders;
}

/** The query parameters that are sub-resources, and so part of the signed resource (as botocore lists them). */
const SUB_RESOURCES = new Set([
  'accelerate', 'acl', 'cors', 'defaultObjectAcl', 'location', 'logging', 'partNumber', 'policy', 'requestPayment', 'torrent',
  'versioning', 'versionId', 'versions', 'website', 'uploads', 'uploadId', 'response-content-type', 'response-content-language',
  'response-expires', 'response-cache-control', 'response-content-disposition', 'response-content-encoding', 'delete', 'lifecycle',
  'tagging', 'restore', 'storageClass', 'notification', 'replication', 'analytics', 'metrics', 'inventory', 'select', 'select-type',
  'object-lock',
]);

function pairs(query: string): [string, string | undefined][] {
  if (query === '') return [];
  return query.split('&').map((part) => {
    const eq = part.indexOf('=');
    return eq === -1 ? [part, undefined] : [part.slice(0, eq), part.slice(eq + 1)];
  });
}

/** The SigV2 parameters of a query string, or undefined when it has none. An Expires that is not a number is NaN. */
export function parseSigV2Query(query: string): SigV2Query | undefined {
  if (!/(?:^|&)AWSAccessKeyId=/.test(query)) return undefined;
  const params = new Map<string, string>();
  for (const [key, value] of pairs(query)) {
    if (value !== undefined && !params.has(key)) params.set(key, percentDecode(value, false));
  }
  const expires = params.get('Expires') ?? '';
  return {
    accessKeyId: params.get('AWSAccessKeyId') ?? '',
    signature: params.get('Signature') ?? '',
    expires: /^\d{1,12}$/.test(expires) ? Number(expires) : Number.NaN,
    securityToken: params.get('x-amz-security-token'),
  };
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** The string to sign of a SigV2 query-string request. */
export function sigV2StringToSign(request: SigV2Request, expires: number): string {
  const fromQuery = new Map<string, string>();
  for (const [key, value] of pairs(request.query)) {
    const name = percentDecode(key, true).toLowerCase();
    if ((name.startsWith('x-amz-') || name === 'content-md5' || name === 'content-type') && value !== undefined && !fromQuery.has(name)) {
      fromQuery.set(name, percentDecode(value, true));
    }
  }
  const amz = new Map(fromQuery);
  for (const [name, value] of Object.entries(request.headers)) {
    if (name.startsWith('x-amz-') && value !== undefined && !amz.has(name)) amz.set(name, headerValue(request.headers, name)!.trim());
  }
  const amzLines = [...amz.keys()].filter((name) => name.startsWith('x-amz-')).sort().map((name) => `${name}:${amz.get(name)}\n`).join('');
  const standard = ['content-md5', 'content-type'].map((name) => (fromQuery.get(name) ?? headerValue(request.headers, name) ?? '').trim());
  return `${request.method}\n${standard[0]}\n${standard[1]}\n${expires}\n${amzLines}${canonicalResource(request)}`;
}

function canonicalResource(request: SigV2Request): string {
  const host = headerValue(request.headers, 'host');
  const bucket = bucketFromHost(host);
  let resource = bucket === undefined ? request.path : `/${bucket}${request.path}`;
  const subResources = pairs(request.query)
    .filter(([key]) => SUB_RESOURCES.has(key))
    .map(([key, value]) => (value === undefined ? key : `${key}=${percentDecode(value, false)}`))
    .sort((a, b) => {
      const ka = a.split('=', 1)[0]!;
      const kb = b.split('=', 1)[0]!;
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
  if (subResources.length > 0) resource += `?${subResources.join('&')}`;
  return resource;
}

/** The base64 HMAC-SHA1 signature of a string to sign. */
export function sigV2Signature(secretAccessKey: string, stringToSign: string): string {
  return createHmac('sha1', secretAccessKey).update(stringToSign, 'utf8').digest('base64');
}

/** Whether `parsed.signature` signs `request` under `secretAccessKey`; compares in constant time. */
export function verifySigV2(request: SigV2Request, parsed: SigV2Query, secretAccessKey: string): boolean {
  const expected = Buffer.from(sigV2Signature(secretAccessKey, sigV2StringToSign(request, parsed.expires)), 'utf8');
  const provided = Buffer.from(parsed.signature, 'utf8');
  return expected.length === provided.length && timingSafeEqual(expected, provided);
}
