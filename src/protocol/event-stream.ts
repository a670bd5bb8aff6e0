/**
 * @module
 * AWS event-stream framing (`application/vnd.amazon.eventstream`): each message is a prelude
 * (total length, headers length, prelude CRC32), headers, a payload and a message CRC32, all
 * big-endian. Also the RPC JSON event-stream output: an `initial-response` event carrying the
 * non-stream members, then one event per stream element.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/RESTSelectObjectAppendix.html
 */
import { crc32 } from 'node:zlib';
import type { Member, Shape } from './model.js';
import { writeJsonValue, type JsonNaming } from './json-values.js';

/** The content type of an event-stream response body. */
export const EVENT_STREAM_CONTENT_TYPE = 'application/vnd.amazon.eventstream';

/** One event-stream message: string headers in order, and the payload bytes. */
export interface EventStreamMessage {
  readonly headers: ReadonlyArray<readonly [name: string, value: string]>;
  readonly payload: Buffer;
}

const STRING_HEADER = 7;

function encodeHeaders(headers: EventStreamMessage['headers']): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of headers) {
    const nameBytes = Buffer.from(name, 'utf8');
    const valueBytes = Buffer.from(value, 'utf8');
    if (nameBytes.length > 255 || valueBytes.length > 0xffff) throw new RangeError(`event-stream header ${name} is too long`);
    const head = Buffer.alloc(1 + nameBytes.length + 3);
    head.writeUInt8(nameBytes.length, 0);
    nameBytes.copy(head, 1);
    head.writeUInt8(STRING_HEADER, 1 + nameBytes.length);
    head.writeUInt16BE(valueBytes.length, 2 + nameBytes.length);
    parts.push(head, valueBytes);
  }
  return Buffer.concat(parts);
}

/** Frames one message: prelude, prelude CRC, headers, payload, message CRC. */
export function encodeEventStreamMessage(message: EventStreamMessage): Buffer {
  const headers = encodeHeaders(message.headers);
  const total = 12 + headers.length + message.payload.length + 4;
  const out = Buffer.alloc(total);
  out.writeUInt32BE(total, 0);
  out.writeUInt32BE(headers.length, 4);
  out.writeUInt32BE(crc32(out.subarray(0, 8)), 8);
  headers.copy(out, 12);
  message.payload.copy(out, 12 + headers.length);
  out.writeUInt32BE(crc32(out.subarray(0, total - 4)), total - 4);
  return out;
}

/** Splits a buffer of framed messages back into messages; throws on a bad length or CRC. */
export function decodeEventStreamMessages(bytes: Buffer): EventStreamMessage[] {
  const messages: EventStreamMessage[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const total = bytes.readUInt32BE(offset);
    const headersLength = bytes.readUInt32BE(offset + 4);
    const frame = bytes.subarray(offset, offset + total);
    if (frame.length !== total || crc32(frame.subarray(0, 8)) !== frame.readUInt32BE(8)) throw new Error('bad event-stream prelude');
    if (crc32(frame.subarray(0, total - 4)) !== frame.readUInt32BE(total - 4)) throw new Error('bad event-stream message CRC');
    const headers: [string, string][] = [];
    let at = 12;
    while (at < 12 + headersLength) {
      const nameLength = frame.readUInt8(at);
      const name = frame.toString('utf8', at + 1, at + 1 + nameLength);
      at += 1 + nameLength;
      if (frame.readUInt8(at) !== STRING_HEADER) throw new Error(`unsupported event-stream header type for ${name}`);
      const valueLength = frame.readUInt16BE(at + 1);
      headers.push([name, frame.toString('utf8', at + 3, at + 3 + valueLength)]);
      at += 3 + valueLength;
    }
    messages.push({ headers, payload: Buffer.from(frame.subarray(12 + headersLength, total - 4)) });
    offset += total;
  }
  return messages;
}

/** How JSON payloads are written; JSON.stringify unless a caller needs another spelling. */
export interface EventStreamJsonOptions {
  readonly naming?: JsonNaming;
  readonly stringify?: (value: unknown) => string;
}

function eventMessage(type: string, contentType: string, payload: Buffer): EventStreamMessage {
  return {
    headers: [[':message-type', 'event'], [':event-type', type], [':content-type', contentType]],
    payload,
  };
}

function eventPayload(event: Shape, value: Record<string, unknown>, options: Required<EventStreamJsonOptions>): [string, Buffer] {
  const member: Member | undefined = event.members.find((m) => m.eventpayload);
  if (!member) return ['text/json', Buffer.from(options.stringify(writeJsonValue(event, value, options.naming) ?? {}), 'utf8')];
  const item = value[member.name];
  if (member.shape.type === 'blob') {
    const bytes = Buffer.isBuffer(item) || item instanceof Uint8Array ? Buffer.from(item) : Buffer.from(String(item ?? ''), 'utf8');
    return ['application/octet-stream', bytes];
  }
  if (member.shape.type === 'string') return ['text/plain', Buffer.from(String(item ?? ''), 'utf8')];
  return ['text/json', Buffer.from(options.stringify(writeJsonValue(member.shape, item, options.naming) ?? {}), 'utf8')];
}

/** The member of an output shape that carries the event stream, if it has one. */
export function eventStreamMember(output: Shape | undefined): Member | undefined {
  return output?.members.find((m) => m.shape.eventstream);
}

function jsonSettings(options: EventStreamJsonOptions): Required<EventStreamJsonOptions> {
  return { naming: options.naming ?? { useJsonName: false }, stringify: options.stringify ?? JSON.stringify };
}

/**
 * Encodes the events of an event stream, each element being `{ EventName: eventValue }` with
 * EventName a member of the stream shape. Blob event payloads go as `application/octet-stream`,
 * string payloads as `text/plain`, structures as `text/json`. Unknown event names are skipped.
 */
export function encodeEventStreamEvents(stream: Shape, events: readonly Record<string, unknown>[], options: EventStreamJsonOptions = {}): Buffer {
  const settings = jsonSettings(options);
  const frames: Buffer[] = [];
  for (const element of events) {
    for (const [name, event] of Object.entries(element)) {
      const member = stream.membersByName.get(name);
      if (!member || event === undefined || event === null) continue;
      const [contentType, payload] = eventPayload(member.shape, event as Record<string, unknown>, settings);
      frames.push(encodeEventStreamMessage(eventMessage(name, contentType, payload)));
    }
  }
  return Buffer.concat(frames);
}

/**
 * Encodes an RPC JSON event-stream output: an `initial-response` event with the output's other
 * members as JSON, then one event per element of the stream member (see encodeEventStreamEvents).
 */
export function encodeRpcEventStream(output: Shape, value: Record<string, unknown>, options: EventStreamJsonOptions = {}): Buffer {
  const settings = jsonSettings(options);
  const stream = eventStreamMember(output);
  const initial: Record<string, unknown> = { ...value };
  if (stream) delete initial[stream.name];
  const json = settings.stringify(writeJsonValue(output, initial, settings.naming) ?? {});
  const first = encodeEventStreamMessage(eventMessage('initial-response', 'text/json', Buffer.from(json, 'utf8')));
  if (!stream) return first;
  const events = (value[stream.name] as Record<string, unknown>[] | undefined) ?? [];
  return Buffer.concat([first, encodeEventStreamEvents(stream.shape, events, settings)]);
}
