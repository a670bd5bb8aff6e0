/**
 * @module
 * The canonical request and the string to sign of Signature Version 4, rebuilt from a request as
 * it arrived. Pure functions.
 *
 * The path and the query can be written in more than one way on the wire, so each has a primary
 * form (what AWS SDKs and the AWS CLI sign) and an alternate form (what a client that signs some
 * other legitimate spelling of the same request signs). The verifier tries the alternate only
 * when the primary fails; both describe the bytes the handlers will read.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 */
import { hash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { normalizeEncoding, uriEncode, type DecodeOptions } from './uri-encoding.js';

/** The parts of a request that a signature covers, as the HTTP edge received them. */
export interface SignableRequest {
  readonly method: string;
  /** The path exactly as sent, still percent-encoded, without the query string. */
  readonly path: string;
  /** The raw query string without the leading `?`. */
  readonly query: string;
  /** Lower-cased header names; a repeated header may be given as an array of its values. */
  readonly headers: IncomingHttpHeaders;
}

/** What the canonical request needs to know about the signature being checked. */
export interface CanonicalScope {
  readonly service: string;
  readonly presigned: boolean;
  readonly signedHeaders: readonly string[];
}

/** A choice of canonical URI and canonical query, for verifying against an alternate form. */
export interface CanonicalForms {
  readonly uri: string;
  readonly query: string;
}

const PATH: DecodeOptions = { plusIsSpace: false, keepSlash: true };
const QUERY: DecodeOptions = { plusIsSpace: true, keepSlash: false };
const SIGNATURE_PARAM = 'x-amz-signature';

/**
 * Removes `.` and `..` segments and empty segments (`//`), keeping a trailing `/`, exactly as
 * botocore's `remove_dot_segments` and the JS SDK's `getCanonicalPath` do. Works on the raw path,
 * so an encoded dot (`%2E`) is not a dot segment.
 */
export function removeDotSegments(path: string): string {
  if (path === '' || path === '/') return '/';
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const lead = path.startsWith('/') ? '/' : '';
  const trail = segments.length > 0 && path.endsWith('/') ? '/' : '';
  return lead + segments.join('/') + trail;
}

/**
 * The canonical URI as AWS SDKs sign it. S3 signs the path once-encoded and not normalised (its
 * keys may contain `//` and `..`); we read it in AWS's strict encoding. Every other service signs
 * the path with dot segments removed and each segment encoded a second time: the wire path is
 * already encoded once, so encoding it again (`%` becomes `%25`) is the second time.
 */
export function canonicalUri(path: string, service: string): string {
  if (service === 's3') return path === '' ? '/' : normalizeEncoding(path, PATH);
  if (path === '/') return '/';
  return uriEncode(removeDotSegments(path), true);
}

/**
 * The other spelling of the canonical URI: for S3 the path byte for byte as sent; for other
 * services the path brought to strict encoding first, then encoded again.
 */
export function alternateCanonicalUri(path: string, service: string): string {
  if (service === 's3') return path === '' ? '/' : path;
  return uriEncode(normalizeEncoding(removeDotSegments(path), PATH), true);
}

/**
 * The canonical query string: each key and value brought to strict encoding (`+` read as a space,
 * as AWS reads it), sorted by key then value, a missing value written `key=`. A presigned
 * request's `X-Amz-Signature` is left out.
 */
export function canonicalQuery(query: string, presigned: boolean): string {
  if (query === '') return '';
  const pairs: Array<[string, string]> = [];
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = normalizeEncoding(eq === -1 ? part : part.slice(0, eq), QUERY);
    if (presigned && key.toLowerCase() === SIGNATURE_PARAM) continue;
    pairs.push([key, eq === -1 ? '' : normalizeEncoding(part.slice(eq + 1), QUERY)]);
  }
  return joinSorted(pairs);
}

/** The other spelling of the canonical query: the pairs as sent, sorted (botocore signs URLs so). */
export function rawCanonicalQuery(query: string, presigned: boolean): string {
  if (query === '') return '';
  const pairs: Array<[string, string]> = [];
  for (const part of query.split('&')) {
    const eq = part.indexOf('=');
    const key = eq === -1 ? part : part.slice(0, eq);
    if (presigned && key.toLowerCase() === SIGNATURE_PARAM) continue;
    pairs.push([key, eq === -1 ? '' : part.slice(eq + 1)]);
  }
  return joinSorted(pairs);
}

function joinSorted(pairs: Array<[string, string]>): string {
  if (pairs.length > 1) pairs.sort(comparePairs);
  let out = '';
  for (let i = 0; i < pairs.length; i++) out += (i === 0 ? '' : '&') + pairs[i]![0] + '=' + pairs[i]![1];
  return out;
}

function comparePairs(a: [string, string], b: [string, string]): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}

const NEEDS_TRIM = /^[ \t]|[ \t]$|[ \t]{2}|[\t\r\n]/;

/** A header value as SigV4 signs it: trimmed, runs of whitespace (folded lines included) made one space. */
export function trimHeaderValue(value: string): string {
  return NEEDS_TRIM.test(value) ? value.replace(/[ \t\r\n]+/g, ' ').replace(/^ | $/g, '') : value;
}

/**
 * The canonical headers block: `name:value\n` for each signed header, in the order signed. A
 * header sent several times (an array) has its values joined by `,`. A signed header that is
 * absent contributes an empty value, so the signature simply fails to match.
 */
export function canonicalHeaders(headers: IncomingHttpHeaders, signedHeaders: readonly string[]): string {
  let out = '';
  for (const name of signedHeaders) {
    const value = headers[name];
    const text = value === undefined ? '' : Array.isArray(value) ? value.map(trimHeaderValue).join(',') : trimHeaderValue(value);
    out += name + ':' + text + '\n';
  }
  return out;
}

/**
 * The canonical request: method, canonical URI, canonical query, canonical headers, signed
 * headers and the payload hash, one per line. `forms` overrides the URI and query (alternate forms).
 */
export function canonicalRequest(
  request: SignableRequest,
  scope: CanonicalScope,
  payloadHash: string,
  forms?: CanonicalForms,
): string {
  const uri = forms ? forms.uri : canonicalUri(request.path, scope.service);
  const query = forms ? forms.query : canonicalQuery(request.query, scope.presigned);
  return (
    request.method + '\n' + uri + '\n' + query + '\n' +
    canonicalHeaders(request.headers, scope.signedHeaders) + '\n' +
    scope.signedHeaders.join(';') + '\n' + payloadHash
  );
}

/** The string to sign: algorithm, request time, credential scope and the canonical request's SHA-256. */
export function stringToSign(amzDate: string, credentialScope: string, canonical: string): string {
  return 'AWS4-HMAC-SHA256\n' + amzDate + '\n' + credentialScope + '\n' + hash('sha256', canonical, 'hex');
}
