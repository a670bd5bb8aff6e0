/**
 * @module
 * Decodes S3's `aws-chunked` content encoding as it streams: strips the chunk framing, checks
 * every chunk signature of a signed stream (each chained to the one before, the first to the
 * request's own signature), reads the trailing headers, checks the trailer signature and the
 * trailing checksums, and checks the decoded length against `x-amz-decoded-content-length`.
 *
 * ```
 * signed:   <hex size>;chunk-signature=<sig>\r\n<data>\r\n ... 0;chunk-signature=<sig>\r\n
 * unsigned: <hex size>\r\n<data>\r\n ... 0\r\n
 * then:     \r\n                                         (STREAMING-AWS4-HMAC-SHA256-PAYLOAD)
 *     or:   <name>:<value>\r\n ... [x-amz-trailer-signature:<sig>\r\n] \r\n     (*-TRAILER)
 * ```
 *
 * Decoded bytes are passed on as they arrive, before their chunk's signature can be checked; the
 * stream fails at the first bad chunk, so a consumer commits what it received only once the
 * stream has ended without error. Memory is bounded by one header line, whatever the body size.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming-trailers.html
 */
import { createHash, createHmac, timingSafeEqual, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { createChecksum, isChecksumAlgorithm, type ChecksumAlgorithm, type RunningChecksum } from './checksums.js';
import { AuthenticationError } from './errors.js';

/** The `x-amz-content-sha256` values that announce an aws-chunked body. */
export type ChunkedPayloadMode =
  | 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD'
  | 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER'
  | 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';

/** Whether an `x-amz-content-sha256` value announces an aws-chunked body this decoder reads. */
export function isChunkedPayloadMode(value: string | undefined): value is ChunkedPayloadMode {
  return (
    value === 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' ||
    value === 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER' ||
    value === 'STREAMING-UNSIGNED-PAYLOAD-TRAILER'
  );
}

/** What chunk signatures are checked against: the request's verified signature and its key. */
export interface ChunkSigning {
  /** The signing key of the request's credential scope (`SigningKeyCache.get`). */
  readonly signingKey: Buffer;
  /** The request's X-Amz-Date. */
  readonly amzDate: string;
  /** `date/region/service/aws4_request`. */
  readonly scope: string;
  /** The request's own (already verified) signature: the seed of the chain. */
  readonly seedSignature: string;
}

/** How to decode one body. */
export interface AwsChunkedOptions {
  /** The request's `x-amz-content-sha256`. */
  readonly mode: ChunkedPayloadMode;
  /** Required for the two signed modes. */
  readonly signing?: ChunkSigning;
  /** `x-amz-decoded-content-length`, when sent. */
  readonly decodedContentLength?: number;
  /** `x-amz-trailer`: the comma-separated trailing header names the client declared. */
  readonly trailer?: string;
}

/**
 * Why a body is not acceptable aws-chunked (bad signatures are `AuthenticationError`s instead).
 * For S3: `IncompleteBody` → IncompleteBody; `BadDigest` → BadDigest; the others → InvalidRequest.
 */
export type ChunkedBodyFailure = 'IncompleteBody' | 'MalformedChunk' | 'LengthMismatch' | 'MalformedTrailer' | 'BadDigest';

/** A body that is not valid aws-chunked, or whose decoded content fails a check. */
export class ChunkedBodyError extends Error {
  constructor(
    readonly failure: ChunkedBodyFailure,
    message: string,
  ) {
    super(message);
    this.name = 'ChunkedBodyError';
  }
}

/** A trailing checksum and whether the decoded data has it. */
export interface TrailerChecksum {
  /** The trailer name, e.g. `x-amz-checksum-crc32`. */
  readonly name: string;
  /** Undefined for an algorithm this decoder does not compute (reported, not failed). */
  readonly algorithm?: ChecksumAlgorithm;
  /** The base64 value the client sent. */
  readonly expected: string;
  /** The base64 value of the decoded data, when computed. */
  readonly actual?: string;
  readonly verified: boolean;
}

/** The string to sign of one chunk (`AWS4-HMAC-SHA256-PAYLOAD`). */
export function chunkStringToSign(amzDate: string, scope: string, previousSignature: string, chunkSha256Hex: string): string {
  return `AWS4-HMAC-SHA256-PAYLOAD\n${amzDate}\n${scope}\n${previousSignature}\n${EMPTY_SHA256}\n${chunkSha256Hex}`;
}

/** The string to sign of the trailer (`AWS4-HMAC-SHA256-TRAILER`); `canonicalTrailers` is `name:value\n` per trailer. */
export function trailerStringToSign(amzDate: string, scope: string, previousSignature: string, canonicalTrailers: string): string {
  const digest = createHash('sha256').update(canonicalTrailers).digest('hex');
  return `AWS4-HMAC-SHA256-TRAILER\n${amzDate}\n${scope}\n${previousSignature}\n${digest}`;
}

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const HEX_SIGNATURE = /^[0-9a-fA-F]{64}$/;
const CHUNK_SIZE = /^[0-9a-fA-F]{1,12}$/;
const MAX_LINE = 4096;
const MAX_TRAILERS = 16_384;
const SIGNATURE_EXTENSION = 'chunk-signature=';
const TRAILER_SIGNATURE = 'x-amz-trailer-signature';
const CHECKSUM_PREFIX = 'x-amz-checksum-';

const HEADER = 0;
const DATA = 1;
const DATA_END = 2;
const TRAILER = 3;
const DONE = 4;

/**
 * A Transform from an aws-chunked body to the decoded content. Errors with `AuthenticationError`
 * (`SignatureMismatch`) on a bad chunk or trailer signature, `ChunkedBodyError` otherwise. Once it
 * has ended, `trailers` and `checksums` describe the trailing headers.
 */
export class AwsChunkedDecoder extends Transform {
  readonly #signing: ChunkSigning | undefined;
  readonly #withTrailer: boolean;
  readonly #expectedLength: number | undefined;
  readonly #declared: readonly string[] | undefined;
  readonly #running = new Map<string, RunningChecksum>();
  readonly #trailers = new Map<string, string>();
  #checksums: TrailerChecksum[] = [];
  #state = HEADER;
  #line = '';
  #remaining = 0;
  #final = false;
  #crlf = 0;
  #decoded = 0;
  #trailerBytes = 0;
  #trailerSignature: string | undefined;
  #chunkSignature = '';
  #chunkHash: Hash | undefined;
  #previous: string;

  constructor(options: AwsChunkedOptions) {
    super();
    const signed = options.mode !== 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';
    if (signed && options.signing === undefined) throw new TypeError(`${options.mode} needs the request's signing context`);
    this.#signing = signed ? options.signing : undefined;
    this.#previous = options.signing?.seedSignature.toLowerCase() ?? '';
    this.#withTrailer = options.mode !== 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
    this.#expectedLength = options.decodedContentLength;
    if (this.#withTrailer && options.trailer !== undefined) {
      this.#declared = options.trailer.split(',').map((name) => name.trim().toLowerCase()).filter((name) => name !== '');
      for (const name of this.#declared) {
        const algorithm = name.startsWith(CHECKSUM_PREFIX) ? name.slice(CHECKSUM_PREFIX.length) : '';
        if (isChecksumAlgorithm(algorithm)) this.#running.set(name, createChecksum(algorithm));
      }
    }
  }

  /** The trailing headers received (lower-cased names), signature excepted. Complete once ended. */
  get trailers(): ReadonlyMap<string, string> {
    return this.#trailers;
  }

  /** The trailing checksums and their verdicts. Complete once ended. */
  get checksums(): readonly TrailerChecksum[] {
    return this.#checksums;
  }

  /** How many decoded bytes have passed. */
  get decodedLength(): number {
    return this.#decoded;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.#consume(chunk);
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    if (this.#state === DONE) callback();
    else callback(new ChunkedBodyError('IncompleteBody', 'The request body ended before its final chunk.'));
  }

  #consume(buf: Buffer): void {
    let i = 0;
    while (i < buf.length) {
      switch (this.#state) {
        case HEADER:
        case TRAILER: {
          const newline = buf.indexOf(0x0a, i);
          const end = newline === -1 ? buf.length : newline;
          this.#line += buf.toString('latin1', i, end);
          if (this.#line.length > MAX_LINE) throw this.#lineError('is too long');
          i = end + 1;
          if (newline === -1) break;
          const line = this.#line;
          this.#line = '';
          if (!line.endsWith('\r')) throw this.#lineError('does not end with CRLF');
          if (this.#state === HEADER) this.#chunkHeader(line.slice(0, -1));
          else this.#trailerLine(line.slice(0, -1));
          break;
        }
        case DATA: {
          const n = Math.min(this.#remaining, buf.length - i);
          const data = buf.subarray(i, i + n);
          i += n;
          this.#remaining -= n;
          this.#decoded += n;
          if (this.#expectedLength !== undefined && this.#decoded > this.#expectedLength) {
            throw new ChunkedBodyError('LengthMismatch', `The decoded body is longer than x-amz-decoded-content-length (${this.#expectedLength}).`);
          }
          this.#chunkHash?.update(data);
          for (const checksum of this.#running.values()) checksum.update(data);
          this.push(data);
          if (this.#remaining === 0) this.#state = DATA_END;
          break;
        }
        case DATA_END: {
          if (buf[i] !== (this.#crlf === 0 ? 0x0d : 0x0a)) throw new ChunkedBodyError('MalformedChunk', 'Chunk data is not followed by CRLF.');
          i++;
          if (++this.#crlf === 2) {
            this.#crlf = 0;
            if (this.#final) this.#finish();
            else {
              if (this.#signing) this.#verifyChunk();
              this.#state = HEADER;
            }
          }
          break;
        }
        default:
          throw new ChunkedBodyError('MalformedChunk', 'The body continues after its final chunk.');
      }
    }
  }

  #lineError(problem: string): ChunkedBodyError {
    return this.#state === HEADER
      ? new ChunkedBodyError('MalformedChunk', `A chunk header ${problem}.`)
      : new ChunkedBodyError('MalformedTrailer', `A trailing header line ${problem}.`);
  }

  #chunkHeader(line: string): void {
    const semicolon = line.indexOf(';');
    const size = semicolon === -1 ? line : line.slice(0, semicolon);
    if (!CHUNK_SIZE.test(size)) throw new ChunkedBodyError('MalformedChunk', `Invalid chunk size '${size.slice(0, 32)}'.`);
    if (this.#signing) {
      const extension = semicolon === -1 ? '' : line.slice(semicolon + 1);
      if (!extension.startsWith(SIGNATURE_EXTENSION)) throw new ChunkedBodyError('MalformedChunk', 'A chunk of a signed stream has no chunk-signature.');
      this.#chunkSignature = extension.slice(SIGNATURE_EXTENSION.length);
      this.#chunkHash = createHash('sha256');
    }
    this.#remaining = parseInt(size, 16);
    if (this.#remaining > 0) {
      this.#state = DATA;
      return;
    }
    this.#final = true;
    if (this.#signing) this.#verifyChunk();
    this.#state = this.#withTrailer ? TRAILER : DATA_END;
  }

  #verifyChunk(): void {
    const signing = this.#signing!;
    const digest = this.#chunkHash!.digest('hex');
    const mac = createHmac('sha256', signing.signingKey)
      .update(chunkStringToSign(signing.amzDate, signing.scope, this.#previous, digest))
      .digest();
    if (!sameSignature(mac, this.#chunkSignature)) {
      throw new AuthenticationError('SignatureMismatch', `The chunk signature does not match the chunk ending at decoded byte ${this.#decoded}.`);
    }
    this.#previous = mac.toString('hex');
  }

  #trailerLine(line: string): void {
    if (line === '') {
      this.#finish();
      return;
    }
    this.#trailerBytes += line.length;
    if (this.#trailerBytes > MAX_TRAILERS) throw new ChunkedBodyError('MalformedTrailer', 'The trailing headers are too large.');
    const colon = line.indexOf(':');
    if (colon <= 0) throw new ChunkedBodyError('MalformedTrailer', `Invalid trailing header line '${line.slice(0, 64)}'.`);
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (this.#trailers.has(name) || (name === TRAILER_SIGNATURE && this.#trailerSignature !== undefined)) {
      throw new ChunkedBodyError('MalformedTrailer', `The trailing header ${name} is repeated.`);
    }
    if (name === TRAILER_SIGNATURE) this.#trailerSignature = value;
    else this.#trailers.set(name, value);
  }

  #finish(): void {
    if (this.#withTrailer) this.#checkTrailers();
    if (this.#expectedLength !== undefined && this.#decoded < this.#expectedLength) {
      throw new ChunkedBodyError(
        'IncompleteBody',
        `You did not provide the number of bytes specified by x-amz-decoded-content-length (${this.#decoded} of ${this.#expectedLength}).`,
      );
    }
    this.#state = DONE;
  }

  #checkTrailers(): void {
    const signing = this.#signing;
    if (signing) {
      const canonical = [...this.#trailers.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, value]) => `${name}:${value}\n`)
        .join('');
      const mac = createHmac('sha256', signing.signingKey)
        .update(trailerStringToSign(signing.amzDate, signing.scope, this.#previous, canonical))
        .digest();
      if (this.#trailerSignature === undefined || !sameSignature(mac, this.#trailerSignature)) {
        throw new AuthenticationError('SignatureMismatch', 'The trailer signature does not match the trailing headers.');
      }
    } else if (this.#trailerSignature !== undefined) {
      throw new ChunkedBodyError('MalformedTrailer', 'An unsigned stream carries a trailer signature.');
    }
    if (this.#declared !== undefined) {
      for (const name of this.#declared) {
        if (!this.#trailers.has(name)) throw new ChunkedBodyError('MalformedTrailer', `The trailing header ${name} declared in x-amz-trailer was not sent.`);
      }
      for (const name of this.#trailers.keys()) {
        if (!this.#declared.includes(name)) throw new ChunkedBodyError('MalformedTrailer', `The trailing header ${name} was not declared in x-amz-trailer.`);
      }
    }
    this.#checksums = [...this.#trailers]
      .filter(([name]) => name.startsWith(CHECKSUM_PREFIX))
      .map(([name, expected]) => this.#judge(name, expected));
    const bad = this.#checksums.find((checksum) => checksum.actual !== undefined && !checksum.verified);
    if (bad) {
      throw new ChunkedBodyError('BadDigest', `The ${bad.algorithm!.toUpperCase()} you specified did not match the calculated checksum.`);
    }
  }

  #judge(name: string, expected: string): TrailerChecksum {
    const running = this.#running.get(name);
    const algorithm = name.slice(CHECKSUM_PREFIX.length);
    if (running === undefined || !isChecksumAlgorithm(algorithm)) return { name, expected, verified: false };
    const actual = running.digest().toString('base64');
    return { name, algorithm, expected, actual, verified: actual === expected };
  }
}

function sameSignature(mac: Buffer, hex: string): boolean {
  return HEX_SIGNATURE.test(hex) && timingSafeEqual(mac, Buffer.from(hex, 'hex'));
}
