/**
 * @module
 * Reads the Signature Version 4 a request carries, from its Authorization header or from its
 * presigned query parameters, and rejects malformed ones with AWS's wording. No cryptography here.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
 */
import type { IncomingHttpHeaders } from 'node:http';
import { AuthenticationError } from './errors.js';
import { amzDateToMs, formatAmzDate, MAX_PRESIGNED_EXPIRES_SECONDS } from './request-time.js';
import { percentDecode } from './uri-encoding.js';

/** The one signing algorithm Custos accepts. */
export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';

/** What a SigV4 signature claims, read from the request. */
export interface ParsedSignature {
  readonly accessKeyId: string;
  /** The credential scope's date, `yyyymmdd`. */
  readonly date: string;
  readonly region: string;
  readonly service: string;
  /** The credential scope as signed: `date/region/service/aws4_request`. */
  readonly scope: string;
  /** Lower-cased, in the order the client listed them. */
  readonly signedHeaders: readonly string[];
  /** As sent; hex. */
  readonly signature: string;
  /** The request time in ISO 8601 basic format (`20240101T000000Z`). */
  readonly amzDate: string;
  /** True for query-string (presigned URL) authentication. */
  readonly presigned: boolean;
  /** Presigned only: `X-Amz-Expires`, when given (S3 requires it). */
  readonly expiresSeconds?: number;
  /** From `X-Amz-Security-Token` (header or query). */
  readonly securityToken?: string;
  /**
   * The payload mode or hash the client declared in `x-amz-content-sha256` (header, or query when
   * presigned): a hex SHA-256, `UNSIGNED-PAYLOAD` or one of the `STREAMING-*` modes. Presigned S3
   * requests default to `UNSIGNED-PAYLOAD`; otherwise undefined when not declared.
   */
  readonly contentSha256?: string;
}

/** The parts of a request that carry a signature. */
export interface SignatureCarrier {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly headers: IncomingHttpHeaders;
}

const PRESIGN_PARAM = /(?:^|&)X-Amz-(?:Algorithm|Credential|Signature)=/i;
const SIGV2_PARAM = /(?:^|&)AWSAccessKeyId=/;
const NOT_SUPPORTED = 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.';
const TWO_MECHANISMS = 'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified';
const NO_HOST = "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.";
const S3_QUERY_PARAMS = 'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.';

/**
 * The SigV4 signature a request carries, or undefined when it carries none (an anonymous request).
 * Throws `AuthenticationError('IncompleteSignature')` when it carries a malformed one, another
 * algorithm (SigV2, SigV4a, a bearer token) or both the header and the query forms.
 */
export function parseSignature(request: SignatureCarrier): ParsedSignature | undefined {
  const authorization = first(request.headers.authorization);
  const presigned = request.query !== '' && PRESIGN_PARAM.test(request.query);
  if (authorization !== undefined && presigned) throw incomplete(TWO_MECHANISMS);
  if (authorization !== undefined) return fromHeader(authorization, request.headers);
  if (presigned) return fromQuery(request.query, request.headers);
  if (request.query !== '' && SIGV2_PARAM.test(request.query)) throw incomplete(NOT_SUPPORTED);
  return undefined;
}

function fromHeader(authorization: string, headers: IncomingHttpHeaders): ParsedSignature {
  const space = authorization.indexOf(' ');
  const algorithm = space === -1 ? authorization : authorization.slice(0, space);
  const noDate = headers['x-amz-date'] === undefined && headers.date === undefined;
  if (algorithm !== SIGV4_ALGORITHM) {
    if (algorithm.startsWith('AWS4-')) throw incomplete(NOT_SUPPORTED);
    throw incomplete(missingHeaderParts(['Credential', 'Signature', 'SignedHeaders'], noDate, authorization));
  }
  let credential = '';
  let signedHeaders = '';
  let signature = '';
  for (let start = space + 1; start < authorization.length; ) {
    const comma = authorization.indexOf(',', start);
    const end = comma === -1 ? authorization.length : comma;
    const pair = authorization.slice(start, end).trim();
    start = end + 1;
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    if (eq === -1) {
      throw incomplete(`'${pair}' not a valid key=value pair (missing equal-sign) in Authorization header: '${authorization}'.`);
    }
    const name = pair.slice(0, eq);
    if (name === 'Credential') credential = pair.slice(eq + 1);
    else if (name === 'SignedHeaders') signedHeaders = pair.slice(eq + 1);
    else if (name === 'Signature') signature = pair.slice(eq + 1);
  }
  if (credential === '' || signature === '' || signedHeaders === '' || noDate) {
    const missing = Object.entries({ Credential: credential, Signature: signature, SignedHeaders: signedHeaders })
      .filter(([, value]) => value === '')
      .map(([name]) => name);
    throw incomplete(missingHeaderParts(missing, noDate, authorization));
  }
  const [accessKeyId, date, region, service] = parseCredential(credential);
  return {
    accessKeyId,
    date,
    region,
    service,
    scope: date + '/' + region + '/' + service + '/aws4_request',
    signedHeaders: parseSignedHeaders(signedHeaders),
    signature,
    amzDate: requestDate(headers),
    presigned: false,
    expiresSeconds: undefined,
    securityToken: first(headers['x-amz-security-token']),
    contentSha256: first(headers['x-amz-content-sha256']),
  };
}

function fromQuery(query: string, headers: IncomingHttpHeaders): ParsedSignature {
  const params = new Map<string, string>();
  for (const part of query.split('&')) {
    const eq = part.indexOf('=');
    const key = percentDecode(eq === -1 ? part : part.slice(0, eq), true).toLowerCase();
    if (key.startsWith('x-amz-') && !params.has(key)) params.set(key, eq === -1 ? '' : percentDecode(part.slice(eq + 1), true));
  }
  const missing = ['Algorithm', 'Credential', 'Signature', 'SignedHeaders', 'Date'].filter((name) => !params.get('x-amz-' + name.toLowerCase()));
  if (missing.length > 0) {
    throw incomplete(missing.map((name) => `AWS query-string parameters must include 'X-Amz-${name}'.`).join(' ') + ' Re-examine the query-string parameters.');
  }
  if (params.get('x-amz-algorithm') !== SIGV4_ALGORITHM) throw incomplete('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
  const amzDate = params.get('x-amz-date')!;
  if (Number.isNaN(amzDateToMs(amzDate))) throw incomplete(`X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`);
  const [accessKeyId, date, region, service] = parseCredential(params.get('x-amz-credential')!);
  const expires = params.get('x-amz-expires');
  if (expires === undefined && service === 's3') throw incomplete(S3_QUERY_PARAMS);
  return {
    accessKeyId,
    date,
    region,
    service,
    scope: date + '/' + region + '/' + service + '/aws4_request',
    signedHeaders: parseSignedHeaders(params.get('x-amz-signedheaders')!),
    signature: params.get('x-amz-signature')!,
    amzDate,
    presigned: true,
    expiresSeconds: expires === undefined ? undefined : parseExpires(expires),
    securityToken: params.get('x-amz-security-token') ?? first(headers['x-amz-security-token']),
    contentSha256:
      params.get('x-amz-content-sha256') ??
      first(headers['x-amz-content-sha256']) ??
      (service === 's3' ? 'UNSIGNED-PAYLOAD' : undefined),
  };
}

/** `[accessKeyId, date, region, service]` of a credential `AKID/yyyymmdd/region/service/aws4_request`. */
function parseCredential(credential: string): [string, string, string, string] {
  const parts = credential.split('/');
  if (parts.length !== 5 || parts.slice(0, 4).some((part) => part === '') || !/^\d{8}$/.test(parts[1]!)) {
    throw incomplete(`Credential '${credential}' is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`);
  }
  if (parts[4] !== 'aws4_request') {
    throw incomplete(`Credential should be scoped with a valid terminator: 'aws4_request', not '${parts[4]}'.`);
  }
  return [parts[0]!, parts[1]!, parts[2]!, parts[3]!];
}

function parseSignedHeaders(value: string): string[] {
  const names = /[A-Z\s]/.test(value) ? value.split(';').map((name) => name.trim().toLowerCase()) : value.split(';');
  if (!names.includes('host')) throw incomplete(NO_HOST);
  return names;
}

function parseExpires(value: string): number {
  if (!/^-?\d{1,15}$/.test(value)) throw incomplete('X-Amz-Expires should be a number');
  const seconds = Number(value);
  if (seconds < 0) throw incomplete('X-Amz-Expires must be non-negative');
  if (seconds > MAX_PRESIGNED_EXPIRES_SECONDS) {
    throw incomplete(`X-Amz-Expires must be less than a week (in seconds) that is ${MAX_PRESIGNED_EXPIRES_SECONDS}`);
  }
  return seconds;
}

/** X-Amz-Date, else the Date header in basic format. Precondition: one of them is present. */
function requestDate(headers: IncomingHttpHeaders): string {
  const amzDate = first(headers['x-amz-date']);
  if (amzDate !== undefined) {
    if (Number.isNaN(amzDateToMs(amzDate))) {
      throw incomplete(`Date must be in ISO-8601 'basic format'. Got '${amzDate}'. See http://en.wikipedia.org/wiki/ISO_8601`);
    }
    return amzDate;
  }
  const date = first(headers.date) ?? '';
  const ms = Date.parse(date);
  if (Number.isNaN(ms)) throw incomplete(`Date must be in ISO-8601 'basic format'. Got '${date}'. See http://en.wikipedia.org/wiki/ISO_8601`);
  return formatAmzDate(ms);
}

function missingHeaderParts(missing: readonly string[], noDate: boolean, authorization: string): string {
  const clauses = missing.map((name) => `Authorization header requires '${name}' parameter.`);
  if (noDate) clauses.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  return clauses.join(' ') + ' Authorization=' + authorization;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function incomplete(message: string): AuthenticationError {
  return new AuthenticationError('IncompleteSignature', message);
}
