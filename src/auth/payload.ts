/**
 * @module
 * Request bytes checked against what the request says about them. A streaming payload is decoded
 * (aws-chunked, with its chunk signatures and trailing checksums) and checked while it streams:
 * a hex `x-amz-content-sha256`, `Content-MD5` and `x-amz-checksum-*` headers; a failed check fails
 * the stream at its end, so its consumer keeps nothing. A buffered body is checked at once.
 * These headers are S3's, and so are the errors.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
 */
import { createHash, type Hash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { pipeline, Transform, type Readable, type TransformCallback } from 'node:stream';
import { ServiceError } from '../core/errors.js';
import type { WireRequest } from '../protocol/codec.js';
import type { Authenticated } from './authenticate.js';
import { AwsChunkedDecoder, isChunkedPayloadMode, type ChunkSigning } from './aws-chunked.js';
import { createChecksum, isChecksumAlgorithm, type ChecksumAlgorithm, type RunningChecksum } from './checksums.js';
import { AuthenticationError } from './errors.js';
import { deriveSigningKey } from './signing-key.js';

const HEX_SHA256 = /^[0-9a-f]{64}$/;
const CHECKSUM_PREFIX = 'x-amz-checksum-';
const DIGEST_LENGTH: Record<ChecksumAlgorithm, number> = { crc32: 4, crc32c: 4, crc64nvme: 8, sha1: 20, sha256: 32 };

/** A claim about the bytes: the digest a header names and the value it expects (base64, or hex for SHA-256). */
interface Claim {
  readonly header: string;
  readonly expected: string;
  readonly running: RunningChecksum | Hash;
  readonly encoding: 'base64' | 'hex';
  readonly mismatch: (actual: string) => Error;
}

function first(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function isBase64Of(value: string, bytes: number): boolean {
  return /^[A-Za-z0-9+/]*={0,2}$/.test(value) && value.length % 4 === 0 && Buffer.from(value, 'base64').length === bytes;
}

/** The digests a request's headers claim for its (decoded) bytes; throws S3's error for a malformed one. */
function claims(headers: IncomingHttpHeaders, payloadHash: boolean): Claim[] {
  const out: Claim[] = [];
  const md5 = first(headers, 'content-md5');
  if (md5 !== undefined) {
    if (!isBase64Of(md5.trim(), 16)) throw new ServiceError('InvalidDigest', 'The Content-MD5 you specified was invalid.', { status: 400, fields: { 'Content-MD5': md5 } });
    out.push({
      header: 'content-md5', expected: md5.trim(), running: createHash('md5'), encoding: 'base64',
      mismatch: (actual) => new ServiceError('BadDigest', 'The Content-MD5 you specified did not match what we received.', {
        status: 400, fields: { ExpectedDigest: md5.trim(), CalculatedDigest: actual },
      }),
    });
  }
  const named = Object.keys(headers).filter((name) => name.startsWith(CHECKSUM_PREFIX) && isChecksumAlgorithm(name.slice(CHECKSUM_PREFIX.length)));
  if (named.length > 1) throw new ServiceError('InvalidRequest', 'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.', { status: 400 });
  for (const header of named) {
    const algorithm = header.slice(CHECKSUM_PREFIX.length) as ChecksumAlgorithm;
    const expected = (first(headers, header) ?? '').trim();
    if (!isBase64Of(expected, DIGEST_LENGTH[algorithm])) throw new ServiceError('InvalidRequest', `Value for ${header} header is invalid.`, { status: 400 });
    out.push({
      header, expected, running: createChecksum(algorithm), encoding: 'base64',
      mismatch: () => new ServiceError('BadDigest', `The ${algorithm.toUpperCase()} you specified did not match the calculated checksum.`, { status: 400 }),
    });
  }
  const sha256 = first(headers, 'x-amz-content-sha256');
  if (payloadHash && sha256 !== undefined && HEX_SHA256.test(sha256)) {
    out.push({
      header: 'x-amz-content-sha256', expected: sha256, running: createHash('sha256'), encoding: 'hex',
      mismatch: (actual) => new AuthenticationError('PayloadHashMismatch', undefined, { ClientComputedContentSHA256: sha256, S3ComputedContentSHA256: actual }),
    });
  }
  return out;
}

function digestOf(claim: Claim): string {
  const digest = claim.running.digest();
  return typeof digest === 'string' ? digest : digest.toString(claim.encoding);
}

/** Passes bytes through and fails at the end when a claimed digest does not match them. */
class DigestCheck extends Transform {
  constructor(private readonly claims: readonly Claim[]) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    for (const claim of this.claims) claim.running.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    for (const claim of this.claims) {
      const actual = digestOf(claim);
      if (actual !== claim.expected) return callback(claim.mismatch(actual));
    }
    callback();
  }
}

/**
 * Checks a buffered body against its Content-MD5 and `x-amz-checksum-*` headers (the payload hash
 * was checked with the signature). Throws InvalidDigest, BadDigest or InvalidRequest.
 */
export function checkBufferedBody(request: WireRequest): void {
  for (const claim of claims(request.headers, false)) {
    claim.running.update(request.body);
    const actual = digestOf(claim);
    if (actual !== claim.expected) throw claim.mismatch(actual);
  }
}

function chunkSigning(authenticated: Authenticated | undefined): ChunkSigning | undefined {
  const signature = authenticated?.signature;
  const secret = authenticated?.key?.secretAccessKey;
  if (!signature || secret === undefined) return undefined;
  return {
    signingKey: deriveSigningKey(secret, signature.date, signature.region, signature.service),
    amzDate: signature.amzDate,
    scope: signature.scope,
    seedSignature: signature.signature,
  };
}

/**
 * The decoded, checked payload of a streaming request. `authenticated` is the request's verified
 * signature (chunk signatures chain from it); without one (anonymous, or open mode with an unknown
 * key) a signed aws-chunked body is read for its framing only. Throws at once for malformed headers.
 */
export function verifiedPayload(request: WireRequest & { readonly payload: Readable }, authenticated: Authenticated | undefined): Readable {
  const mode = first(request.headers, 'x-amz-content-sha256');
  let stream: Readable = request.payload;
  const chunked = isChunkedPayloadMode(mode);
  if (chunked) {
    const signing = chunkSigning(authenticated);
    const length = first(request.headers, 'x-amz-decoded-content-length');
    const decoder = new AwsChunkedDecoder({
      mode: signing ? mode : 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      signing,
      decodedContentLength: length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined,
      trailer: first(request.headers, 'x-amz-trailer'),
    });
    stream = pipeline(request.payload, decoder, () => undefined);
  }
  const checks = claims(request.headers, !chunked);
  return checks.length === 0 ? stream : pipeline(stream, new DigestCheck(checks), () => undefined);
}
