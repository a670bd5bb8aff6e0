import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { WireRequest } from '../protocol/codec.js';
import { checkBufferedBody, verifiedPayload } from './payload.js';

const md5 = (data: string) => createHash('md5').update(data).digest('base64');
const crc = (data: string) => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(Buffer.from(data)));
  return out.toString('base64');
};

function request(headers: Record<string, string>, body = 'hello'): WireRequest {
  return { method: 'PUT', path: '/b/k', query: '', headers, body: Buffer.from(body) };
}

async function drain(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

function streaming(headers: Record<string, string>, body: string | Buffer) {
  return verifiedPayload({ ...request(headers, ''), payload: Readable.from([Buffer.from(body)]) }, undefined);
}

describe('checkBufferedBody', () => {
  it('accepts bodies that match their Content-MD5 and checksum headers', () => {
    expect(() => checkBufferedBody(request({ 'content-md5': md5('hello'), 'x-amz-checksum-crc32': crc('hello') }))).not.toThrow();
    expect(() => checkBufferedBody(request({}))).not.toThrow();
  });

  it.each([
    [{ 'content-md5': md5('other') }, 'BadDigest', 'The Content-MD5 you specified did not match what we received.'],
    [{ 'content-md5': 'abc' }, 'InvalidDigest', 'The Content-MD5 you specified was invalid.'],
    [{ 'content-md5': Buffer.alloc(15).toString('base64') }, 'InvalidDigest', 'The Content-MD5 you specified was invalid.'],
    [{ 'x-amz-checksum-crc32': crc('other') }, 'BadDigest', 'The CRC32 you specified did not match the calculated checksum.'],
    [{ 'x-amz-checksum-sha256': 'short' }, 'InvalidRequest', 'Value for x-amz-checksum-sha256 header is invalid.'],
    [{ 'x-amz-checksum-crc32': crc('hello'), 'x-amz-checksum-crc32c': 'AAAAAA==' }, 'InvalidRequest', 'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.'],
  ])('refuses %j with %s', (headers, code, message) => {
    expect(() => checkBufferedBody(request(headers))).toThrow(expect.objectContaining({ code, message, status: 400 }));
  });
});

describe('verifiedPayload', () => {
  it('passes streamed bytes through and fails at the end on a digest mismatch', async () => {
    expect(await drain(streaming({ 'content-md5': md5('hello') }, 'hello'))).toBe('hello');
    await expect(drain(streaming({ 'content-md5': md5('hellx') }, 'hello'))).rejects.toMatchObject({ code: 'BadDigest' });
    await expect(drain(streaming({ 'x-amz-content-sha256': createHash('sha256').update('x').digest('hex') }, 'hello'))).rejects.toMatchObject({ failure: 'PayloadHashMismatch' });
    expect(() => streaming({ 'content-md5': '!!' }, 'hello')).toThrow(expect.objectContaining({ code: 'InvalidDigest' }));
  });

  it('decodes an unsigned aws-chunked body and checks its trailing checksum', async () => {
    const body = (checksum: string) => `5\r\nhello\r\n0\r\nx-amz-checksum-crc32:${checksum}\r\n\r\n`;
    const headers = { 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'x-amz-trailer': 'x-amz-checksum-crc32', 'x-amz-decoded-content-length': '5' };
    expect(await drain(streaming(headers, body(crc('hello'))))).toBe('hello');
    await expect(drain(streaming(headers, body(crc('other'))))).rejects.toMatchObject({ failure: 'BadDigest' });
    await expect(drain(streaming(headers, '5\r\nhel'))).rejects.toMatchObject({ failure: 'IncompleteBody' });
  });
});
