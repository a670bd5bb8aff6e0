import { InvokeWithResponseStreamCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ServiceError } from '../core/errors.js';
import {
  EVENT_STREAM_CONTENT_TYPE,
  decodeEventStreamMessages,
  encodeEventStreamMessage,
  encodeRpcEventStream,
  eventStreamMember,
} from './event-stream.js';
import { compileModel, loadModel } from './model.js';
import { restJsonCodec } from './rest-json.js';
import { startCodecServer } from './testing/codec-server.js';

describe('event-stream framing', () => {
  it('writes the prelude, both CRCs and string headers', () => {
    const frame = encodeEventStreamMessage({ headers: [[':message-type', 'event'], [':event-type', 'X']], payload: Buffer.from('abc') });
    const headersLength = (1 + 13 + 3 + 5) + (1 + 11 + 3 + 1);
    expect(frame.readUInt32BE(0)).toBe(12 + headersLength + 3 + 4);
    expect(frame.readUInt32BE(4)).toBe(headersLength);
    expect(frame.readUInt32BE(8)).toBe(crc32(frame.subarray(0, 8)));
    expect(frame.readUInt32BE(frame.length - 4)).toBe(crc32(frame.subarray(0, frame.length - 4)));
    expect(frame.subarray(12 + headersLength, frame.length - 4).toString()).toBe('abc');
  });

  it('decodes what it encodes and refuses corrupted frames', () => {
    const messages = [
      { headers: [[':message-type', 'event'], [':event-type', 'A']] as [string, string][], payload: Buffer.from('one') },
      { headers: [[':message-type', 'event']] as [string, string][], payload: Buffer.alloc(0) },
    ];
    const bytes = Buffer.concat(messages.map(encodeEventStreamMessage));
    expect(decodeEventStreamMessages(bytes)).toEqual(messages);
    const corrupt = Buffer.from(bytes);
    corrupt[14] = corrupt[14]! ^ 0xff;
    expect(() => decodeEventStreamMessages(corrupt)).toThrow(/CRC/);
  });

  it('encodes an RPC output as initial-response then one event per element', () => {
    const model = compileModel({
      metadata: { protocol: 'json' },
      shapes: {
        Out: { type: 'structure', members: { Note: { shape: 'S' }, Events: { shape: 'Stream' } } },
        Stream: { type: 'structure', eventstream: true, members: { Blob: { shape: 'BlobEvent' }, Info: { shape: 'InfoEvent' } } },
        BlobEvent: { type: 'structure', event: true, members: { Bytes: { shape: 'B', eventpayload: true } } },
        InfoEvent: { type: 'structure', event: true, members: { Text: { shape: 'S' } } },
        S: { type: 'string' },
        B: { type: 'blob' },
      },
    });
    const out = model.shapes.get('Out')!;
    expect(eventStreamMember(out)?.name).toBe('Events');
    const bytes = encodeRpcEventStream(out, { Note: 'n', Events: [{ Blob: { Bytes: Buffer.from([1, 2]) } }, { Info: { Text: 't' } }, { Unknown: {} }] });
    const messages = decodeEventStreamMessages(bytes);
    expect(messages.map((m) => m.headers.find(([n]) => n === ':event-type')?.[1])).toEqual(['initial-response', 'Blob', 'Info']);
    expect(messages[0]!.payload.toString()).toBe('{"Note":"n"}');
    expect(messages[1]!.headers).toContainEqual([':content-type', 'application/octet-stream']);
    expect([...messages[1]!.payload]).toEqual([1, 2]);
    expect(JSON.parse(messages[2]!.payload.toString())).toEqual({ Text: 't' });
  });
});

describe('event streams through the real @aws-sdk/client-lambda', () => {
  it('delivers InvokeWithResponseStream chunks the SDK decodes', async () => {
    const lambda = loadModel('lambda');
    const server = await startCodecServer({
      model: lambda,
      codec: restJsonCodec,
      handler: (op) => {
        if (op.name !== 'InvokeWithResponseStream') throw new ServiceError('ServiceException', op.name, { status: 500 });
        return {
          StatusCode: 200,
          ExecutedVersion: '$LATEST',
          EventStream: [
            { PayloadChunk: { Payload: Buffer.from('hello, ') } },
            { PayloadChunk: { Payload: Buffer.from('world') } },
            { InvokeComplete: { LogResult: 'bG9n' } },
          ],
        };
      },
    });
    const client = new LambdaClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }, maxAttempts: 1 });
    try {
      const result = await client.send(new InvokeWithResponseStreamCommand({ FunctionName: 'f', Payload: Buffer.from('{}') }));
      expect(result).toMatchObject({ StatusCode: 200, ExecutedVersion: '$LATEST' });
      const chunks: string[] = [];
      let complete: unknown;
      for await (const event of result.EventStream!) {
        if (event.PayloadChunk?.Payload) chunks.push(Buffer.from(event.PayloadChunk.Payload).toString());
        if (event.InvokeComplete) complete = event.InvokeComplete;
      }
      expect(chunks.join('')).toBe('hello, world');
      expect(complete).toMatchObject({ LogResult: 'bG9n' });
      expect(EVENT_STREAM_CONTENT_TYPE).toBe('application/vnd.amazon.eventstream');
    } finally {
      client.destroy();
      await server.close();
    }
  });
});
