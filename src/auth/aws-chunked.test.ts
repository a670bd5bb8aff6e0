import { createHash, createHmac } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  AwsChunkedDecoder,
  ChunkedBodyError,
  chunkStringToSign,
  isChunkedPayloadMode,
  type AwsChunkedOptions,
  type ChunkedBodyFailure,
} from './aws-chunked.js';
import { crc32c, crc64nvme, createChecksum } from './checksums.js';
import { AuthenticationError } from './errors.js';
import { deriveSigningKey } from './signing-key.js';

/** The S3 API reference's chunked-upload examples. */
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const AWS_DATE = '20130524T000000Z';
const AWS_SCOPE = '20130524/us-east-1/s3/aws4_request';
const AWS_KEY = deriveSigningKey(AWS_SECRET, '20130524', 'us-east-1', 's3');
const AWS_DATA = Buffer.alloc(66560, 'a');

/** "Example: PUT Object", sigv4-streaming.html: 64 KiB + 1 KiB of 'a'. */
const AWS_SIGNED = Buffer.concat([
  Buffer.from('10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n'),
  AWS_DATA.subarray(0, 65536),
  Buffer.from('\r\n400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n'),
  AWS_DATA.subarray(65536),
  Buffer.from('\r\n0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n'),
]);
const AWS_SIGNED_OPTIONS: AwsChunkedOptions = {
  mode: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
  signing: { signingKey: AWS_KEY, amzDate: AWS_DATE, scope: AWS_SCOPE, seedSignature: '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9' },
  decodedContentLength: 66560,
};

/** "Example: PUT Object", sigv4-streaming-trailers.html: the same data with a signed CRC32C trailer. */
const AWS_TRAILER = Buffer.concat([
  Buffer.from('10000;chunk-signature=b474d8862b1487a5145d686f57f013e54db672cee1c953b3010fb58501ef5aa2\r\n'),
  AWS_DATA.subarray(0, 65536),
  Buffer.from('\r\n400;chunk-signature=1c1344b170168f8e65b41376b44b20fe354e373826ccbbe2c1d40a8cae51e5c7\r\n'),
  AWS_DATA.subarray(65536),
  Buffer.from(
    '\r\n0;chunk-signature=2ca2aba2005185cf7159c6277faf83795951dd77a3a99e6e65d5c9f85863f992\r\n' +
      'x-amz-checksum-crc32c:sOO8/Q==\r\n' +
      'x-amz-trailer-signature:d81f82fc3505edab99d459891051a732e8730629a2e4a59689829ca17fe2e435\r\n\r\n',
  ),
]);
const AWS_TRAILER_OPTIONS: AwsChunkedOptions = {
  mode: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
  signing: { ...AWS_SIGNED_OPTIONS.signing!, seedSignature: '106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e' },
  decodedContentLength: 66560,
  trailer: 'x-amz-checksum-crc32c',
};

function hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function sign(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(text).digest('hex');
}

/** A signed aws-chunked body, built from the documented algorithm (not from the decoder's code). */
function signedBody(chunks: Buffer[], seed: string, trailers?: Array<[string, string]>): Buffer {
  const parts: Buffer[] = [];
  let previous = seed;
  for (const chunk of [...chunks, Buffer.alloc(0)]) {
    previous = sign(AWS_KEY, ['AWS4-HMAC-SHA256-PAYLOAD', AWS_DATE, AWS_SCOPE, previous, hex(''), hex(chunk)].join('\n'));
    parts.push(Buffer.from(`${chunk.length.toString(16)};chunk-signature=${previous}\r\n`), chunk);
    if (chunk.length > 0 || !trailers) parts.push(Buffer.from('\r\n'));
  }
  if (trailers) {
    const canonical = trailers.map(([name, value]) => `${name}:${value}\n`).join('');
    const signature = sign(AWS_KEY, ['AWS4-HMAC-SHA256-TRAILER', AWS_DATE, AWS_SCOPE, previous, hex(canonical)].join('\n'));
    parts.push(Buffer.from(trailers.map(([name, value]) => `${name}:${value}\r\n`).join('') + `x-amz-trailer-signature:${signature}\r\n\r\n`));
  }
  return Buffer.concat(parts);
}

/** An unsigned aws-chunked body with trailers, as the JS SDK writes one. */
function unsignedBody(chunks: Buffer[], trailers: Array<[string, string]>): Buffer {
  const parts = chunks.flatMap((chunk) => [Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
  parts.push(Buffer.from('0\r\n' + trailers.map(([name, value]) => `${name}:${value}\r\n`).join('') + '\r\n'));
  return Buffer.concat(parts);
}

function checksum(algorithm: 'crc32' | 'crc32c' | 'crc64nvme' | 'sha1' | 'sha256', data: Buffer): string {
  const running = createChecksum(algorithm);
  running.update(data);
  return running.digest().toString('base64');
}

/** Decodes `body` fed in writes of `step` bytes. */
async function decode(body: Buffer, options: AwsChunkedOptions, step = body.length): Promise<{ data: Buffer; decoder: AwsChunkedDecoder }> {
  const decoder = new AwsChunkedDecoder(options);
  const out: Buffer[] = [];
  function* slices() {
    for (let i = 0; i < body.length; i += step) yield body.subarray(i, i + step);
  }
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      out.push(chunk);
      callback();
    },
  });
  await pipeline(Readable.from(slices()), decoder, sink);
  return { data: Buffer.concat(out), decoder };
}

async function rejection(body: Buffer, options: AwsChunkedOptions, step?: number): Promise<Error> {
  try {
    await decode(body, options, step);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the body to be rejected');
}

async function expectFailure(body: Buffer, options: AwsChunkedOptions, failure: ChunkedBodyFailure | 'SignatureMismatch'): Promise<Error> {
  const error = await rejection(body, options);
  if (failure === 'SignatureMismatch') {
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).failure).toBe('SignatureMismatch');
  } else {
    expect(error, error.message).toBeInstanceOf(ChunkedBodyError);
    expect((error as ChunkedBodyError).failure).toBe(failure);
  }
  return error;
}

function flipByte(body: Buffer, at: number): Buffer {
  const copy = Buffer.from(body);
  copy[at] = copy[at]! ^ 0x01;
  return copy;
}

describe('checksums', () => {
  it('match the catalogue check values for "123456789"', () => {
    const data = Buffer.from('123456789');
    expect(crc32c(data).toString(16)).toBe('e3069283');
    expect(crc64nvme(data).toString(16)).toBe('ae8b14860a799888');
    expect(checksum('crc32', data)).toBe(Buffer.from('cbf43926', 'hex').toString('base64'));
  });

  it('continue across updates', () => {
    const data = Buffer.from('the quick brown fox jumps over the lazy dog');
    expect(crc32c(data.subarray(7), crc32c(data.subarray(0, 7)))).toBe(crc32c(data));
    expect(crc64nvme(data.subarray(7), crc64nvme(data.subarray(0, 7)))).toBe(crc64nvme(data));
    const running = createChecksum('crc64nvme');
    for (const byte of data) running.update(Buffer.from([byte]));
    expect(running.digest().toString('hex')).toBe(crc64nvme(data).toString(16).padStart(16, '0'));
  });
});

describe('aws-chunked: the S3 documentation examples', () => {
  it('decodes the signed example, however the bytes are split', async () => {
    for (const step of [AWS_SIGNED.length, 65536, 4096, 7, 1]) {
      const { data, decoder } = await decode(AWS_SIGNED, AWS_SIGNED_OPTIONS, step);
      expect(data.equals(AWS_DATA), `step ${step}`).toBe(true);
      expect(decoder.decodedLength).toBe(66560);
    }
  });

  it('computes the documented first chunk signature', () => {
    const first = sign(AWS_KEY, chunkStringToSign(AWS_DATE, AWS_SCOPE, AWS_SIGNED_OPTIONS.signing!.seedSignature, hex(AWS_DATA.subarray(0, 65536))));
    expect(first).toBe('ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648');
  });

  it('decodes the signed-trailer example and checks its CRC32C', async () => {
    const { data, decoder } = await decode(AWS_TRAILER, AWS_TRAILER_OPTIONS, 1);
    expect(data.equals(AWS_DATA)).toBe(true);
    expect([...decoder.trailers]).toEqual([['x-amz-checksum-crc32c', 'sOO8/Q==']]);
    expect(decoder.checksums).toEqual([
      { name: 'x-amz-checksum-crc32c', algorithm: 'crc32c', expected: 'sOO8/Q==', actual: 'sOO8/Q==', verified: true },
    ]);
  });

  it('rejects corrupted variants of the examples', async () => {
    const dataByte = AWS_SIGNED.indexOf('\r\n') + 2 + 100;
    await expectFailure(flipByte(AWS_SIGNED, dataByte), AWS_SIGNED_OPTIONS, 'SignatureMismatch');
    await expectFailure(flipByte(AWS_SIGNED, AWS_SIGNED.indexOf('chunk-signature=0055') + 20), AWS_SIGNED_OPTIONS, 'SignatureMismatch');
    await expectFailure(
      Buffer.from(AWS_SIGNED.toString('latin1').replace('b6c6ea8a', 'b6c6ea8b'), 'latin1'),
      AWS_SIGNED_OPTIONS,
      'SignatureMismatch',
    );
    await expectFailure(AWS_SIGNED, { ...AWS_SIGNED_OPTIONS, signing: { ...AWS_SIGNED_OPTIONS.signing!, seedSignature: '0'.repeat(64) } }, 'SignatureMismatch');
    await expectFailure(AWS_SIGNED.subarray(0, AWS_SIGNED.length - 2), AWS_SIGNED_OPTIONS, 'IncompleteBody');
    await expectFailure(AWS_SIGNED.subarray(0, 60000), AWS_SIGNED_OPTIONS, 'IncompleteBody');
    await expectFailure(AWS_SIGNED, { ...AWS_SIGNED_OPTIONS, decodedContentLength: 66561 }, 'IncompleteBody');
    await expectFailure(AWS_SIGNED, { ...AWS_SIGNED_OPTIONS, decodedContentLength: 66559 }, 'LengthMismatch');
    await expectFailure(Buffer.concat([AWS_SIGNED, Buffer.from('x')]), AWS_SIGNED_OPTIONS, 'MalformedChunk');
    await expectFailure(AWS_TRAILER, { ...AWS_TRAILER_OPTIONS, signing: AWS_SIGNED_OPTIONS.signing }, 'SignatureMismatch');
    const badChecksum = Buffer.from(AWS_TRAILER.toString('latin1').replace('sOO8/Q==', 'AAAAAA=='), 'latin1');
    await expectFailure(badChecksum, AWS_TRAILER_OPTIONS, 'SignatureMismatch');
    await expectFailure(AWS_TRAILER, { ...AWS_TRAILER_OPTIONS, trailer: 'x-amz-checksum-crc32' }, 'MalformedTrailer');
  });
});

describe('aws-chunked: signed streams built from the documented algorithm', () => {
  const seed = 'a'.repeat(64);
  const options = (decodedContentLength: number, trailer?: string): AwsChunkedOptions => ({
    mode: trailer ? 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER' : 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
    signing: { signingKey: AWS_KEY, amzDate: AWS_DATE, scope: AWS_SCOPE, seedSignature: seed },
    decodedContentLength,
    ...(trailer ? { trailer } : {}),
  });
  const chunks = [Buffer.alloc(8192, 1), Buffer.from('\r\n0;chunk-signature=looks like framing\r\n'), Buffer.alloc(3, 0xff)];
  const data = Buffer.concat(chunks);

  it('decodes data that looks like framing, in 1-byte and 3-byte writes', async () => {
    for (const step of [1, 3]) expect((await decode(signedBody(chunks, seed), options(data.length), step)).data.equals(data)).toBe(true);
  });

  it('decodes an empty body', async () => {
    expect((await decode(signedBody([], seed), options(0))).data.length).toBe(0);
  });

  it('checks every trailing checksum it can compute and reports one it cannot', async () => {
    const trailers: Array<[string, string]> = [
      ['x-amz-checksum-crc32', checksum('crc32', data)],
      ['x-amz-checksum-crc64nvme', checksum('crc64nvme', data)],
      ['x-amz-checksum-sha1', checksum('sha1', data)],
      ['x-amz-checksum-sha256', checksum('sha256', data)],
      ['x-amz-checksum-xxhash64', 'AAAAAAAAAAA='],
    ];
    const declared = trailers.map(([name]) => name).join(', ');
    const { decoder } = await decode(signedBody(chunks, seed, trailers), options(data.length, declared), 5);
    expect(decoder.checksums.map((c) => [c.name, c.verified])).toEqual([
      ['x-amz-checksum-crc32', true],
      ['x-amz-checksum-crc64nvme', true],
      ['x-amz-checksum-sha1', true],
      ['x-amz-checksum-sha256', true],
      ['x-amz-checksum-xxhash64', false],
    ]);
    expect(decoder.checksums[4]!.actual).toBeUndefined();
    expect(checksum('crc32', data)).toBe(Buffer.from((crc32(data) >>> 0).toString(16).padStart(8, '0'), 'hex').toString('base64'));
  });

  it('rejects reordered chunks, a bad checksum under a good signature, and a missing trailer signature', async () => {
    const a = signedBody(chunks, seed);
    const frame = (at: number, size: number) => a.indexOf('\r\n', at) + 2 + size + 2;
    const first = frame(0, chunks[0]!.length);
    const second = frame(first, chunks[1]!.length);
    const reordered = Buffer.concat([a.subarray(first, second), a.subarray(0, first), a.subarray(second)]);
    await expectFailure(reordered, options(data.length), 'SignatureMismatch');
    const wrong: Array<[string, string]> = [['x-amz-checksum-crc32', checksum('crc32', Buffer.from('other'))]];
    const error = await expectFailure(signedBody(chunks, seed, wrong), options(data.length, 'x-amz-checksum-crc32'), 'BadDigest');
    expect(error.message).toBe('The CRC32 you specified did not match the calculated checksum.');
    const unsignedTrailer = signedBody(chunks, seed, [['x-amz-checksum-crc32', checksum('crc32', data)]])
      .toString('latin1')
      .replace(/x-amz-trailer-signature:[0-9a-f]+\r\n/, '');
    await expectFailure(Buffer.from(unsignedTrailer, 'latin1'), options(data.length, 'x-amz-checksum-crc32'), 'SignatureMismatch');
  });

  it('rejects framing errors', async () => {
    const body = signedBody(chunks, seed);
    const text = body.toString('latin1');
    await expectFailure(Buffer.from(text.replace(/^2000;/, '2g00;'), 'latin1'), options(data.length), 'MalformedChunk');
    await expectFailure(Buffer.from(text.replace(/^2000;chunk-signature=/, '2000;chunk-sig='), 'latin1'), options(data.length), 'MalformedChunk');
    await expectFailure(Buffer.from(text.replace('\r\n', '\n'), 'latin1'), options(data.length), 'MalformedChunk');
    const noCrlfAfterData = Buffer.concat([body.subarray(0, text.indexOf('\r\n') + 2 + 8192), Buffer.from('XX'), body.subarray(text.indexOf('\r\n') + 2 + 8194)]);
    await expectFailure(noCrlfAfterData, options(data.length), 'MalformedChunk');
    await expectFailure(Buffer.concat([Buffer.alloc(5000, 0x31), body]), options(data.length), 'MalformedChunk');
  });
});

describe('aws-chunked: unsigned streams with trailers', () => {
  const data = Buffer.from('hello stream, split across chunks');
  const chunks = [data.subarray(0, 10), data.subarray(10)];
  const options = (trailer?: string): AwsChunkedOptions => ({
    mode: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
    decodedContentLength: data.length,
    ...(trailer ? { trailer } : {}),
  });

  it('decodes and checks the declared checksum', async () => {
    const body = unsignedBody(chunks, [['x-amz-checksum-crc32c', checksum('crc32c', data)]]);
    for (const step of [1, 2, body.length]) {
      const { data: out, decoder } = await decode(body, options('x-amz-checksum-crc32c'), step);
      expect(out.equals(data)).toBe(true);
      expect(decoder.checksums[0]).toMatchObject({ algorithm: 'crc32c', verified: true });
    }
  });

  it('rejects a bad checksum, an undeclared or missing trailer, a trailer signature, and truncation', async () => {
    await expectFailure(unsignedBody(chunks, [['x-amz-checksum-crc32c', checksum('crc32c', Buffer.from('x'))]]), options('x-amz-checksum-crc32c'), 'BadDigest');
    await expectFailure(unsignedBody(chunks, [['x-amz-checksum-sha256', checksum('sha256', data)]]), options('x-amz-checksum-crc32c'), 'MalformedTrailer');
    await expectFailure(unsignedBody(chunks, []), options('x-amz-checksum-crc32c'), 'MalformedTrailer');
    await expectFailure(
      unsignedBody(chunks, [['x-amz-checksum-crc32c', checksum('crc32c', data)], ['x-amz-trailer-signature', '0'.repeat(64)]]),
      options('x-amz-checksum-crc32c'),
      'MalformedTrailer',
    );
    await expectFailure(unsignedBody(chunks, [['bad line without colon', '']]).subarray(0, -3), options(), 'IncompleteBody');
    await expectFailure(Buffer.from('3\r\nabc\r\n0\r\nnot-a-trailer\r\n\r\n'), { mode: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' }, 'MalformedTrailer');
  });

  it('needs signing context for the signed modes and knows the payload modes', () => {
    expect(() => new AwsChunkedDecoder({ mode: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' })).toThrow(TypeError);
    expect(isChunkedPayloadMode('STREAMING-UNSIGNED-PAYLOAD-TRAILER')).toBe(true);
    expect(isChunkedPayloadMode('UNSIGNED-PAYLOAD')).toBe(false);
    expect(isChunkedPayloadMode('STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD')).toBe(false);
  });
});
