/**
 * The RPC v2 CBOR codec against botocore's own encoder (testdata/rpc-v2-cbor-vectors.json, written
 * by scripts/generate-cbor-vectors.py): requests the AWS CLI would send decode to their parameters,
 * and our responses decode to the same data as botocore's encoding of them. Errors and broken
 * bodies too.
 */
import { decode, encode, Tagged } from 'cborg';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ServiceError } from '../core/errors.js';
import type { WireRequest } from './codec.js';
import { loadModel } from './model.js';
import { rpcV2CborCodec, rpcV2Target } from './rpc-v2-cbor.js';

interface Vectors {
  requests: { operation: string; params: Record<string, unknown>; path: string; headers: Record<string, string>; body: string }[];
  responses: { operation: string; result: Record<string, unknown>; body: string }[];
}

const vectors = JSON.parse(readFileSync(new URL('./testdata/rpc-v2-cbor-vectors.json', import.meta.url), 'utf8')) as Vectors;
const model = loadModel('cloudwatch');
const TIMESTAMPS = new Set(['Timestamp', 'StartTime', 'EndTime', 'StateUpdatedTimestamp', 'Timestamps']);

function request(path: string, body: Buffer, headers: Record<string, string> = {}): WireRequest {
  return { method: 'POST', path, query: '', headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])), body };
}

/** Decoded input in the vectors' convention: timestamps as whole epoch seconds. */
function seconds(value: unknown): unknown {
  if (value instanceof Date) return Math.floor(value.getTime() / 1000);
  if (Array.isArray(value)) return value.map(seconds);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, seconds(v)]));
  return value;
}

function expectedSeconds(value: unknown, key = ''): unknown {
  if (TIMESTAMPS.has(key) && typeof value === 'number') return Math.floor(value);
  if (TIMESTAMPS.has(key) && Array.isArray(value)) return value.map((v) => Math.floor(v as number));
  if (Array.isArray(value)) return value.map((v) => expectedSeconds(v));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expectedSeconds(v, k)]));
  return value;
}

/** A decoded CBOR tree with tag-1 values floored to whole seconds. */
function tree(bytes: Uint8Array): unknown {
  const walk = (v: unknown): unknown => {
    if (v instanceof Tagged) return { tag: v.tag, value: Math.floor(Number(v.value)) };
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(decode(bytes, { tags: Tagged.preserve(1) }));
}

function withDates(value: unknown, key = ''): unknown {
  if (TIMESTAMPS.has(key) && typeof value === 'number') return new Date(value * 1000);
  if (TIMESTAMPS.has(key) && Array.isArray(value)) return value.map((v) => new Date((v as number) * 1000));
  if (Array.isArray(value)) return value.map((v) => withDates(v));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withDates(v, k)]));
  return value;
}

describe('RPC v2 CBOR requests encoded by botocore', () => {
  it.each(vectors.requests.map((v) => [v.operation, v] as const))('%s', (_, vector) => {
    expect(vector.headers['smithy-protocol']).toBe('rpc-v2-cbor');
    expect(rpcV2Target(vector.path)).toEqual({ service: 'GraniteServiceVersion20100801', operation: vector.operation });
    const wire = request(vector.path, Buffer.from(vector.body, 'hex'), vector.headers);
    const { operation, name } = rpcV2CborCodec.resolveOperation(model, wire);
    expect(name).toBe(vector.operation);
    expect(seconds(rpcV2CborCodec.decodeInput(operation!, wire))).toEqual(expectedSeconds(vector.params));
  });
});

describe('RPC v2 CBOR responses', () => {
  it.each(vectors.responses.map((v) => [v.operation, v] as const))('%s decodes like botocore’s encoding of it', (_, vector) => {
    const operation = model.operations.get(vector.operation)!;
    const wire = rpcV2CborCodec.encodeOutput(operation, withDates(vector.result) as Record<string, unknown>, { requestId: 'r-1' });
    expect(wire.status).toBe(200);
    expect(wire.headers).toMatchObject({ 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor', 'x-amzn-requestid': 'r-1' });
    expect(tree(wire.body as Buffer)).toEqual(tree(Buffer.from(vector.body, 'hex')));
  });

  it('renders errors with __type, message and the awsQueryCompatible header', () => {
    const wire = rpcV2CborCodec.encodeError(model, new ServiceError('InvalidParameterValueException', 'bad value'), { requestId: 'r-2' });
    expect(wire.status).toBe(400);
    expect(wire.headers).toMatchObject({ 'x-amzn-query-error': 'InvalidParameterValue;Sender', 'smithy-protocol': 'rpc-v2-cbor' });
    expect(decode(wire.body as Buffer)).toEqual({ __type: 'InvalidParameterValueException', message: 'bad value' });
    const notFound = rpcV2CborCodec.encodeError(model, new ServiceError('ResourceNotFound', 'Alarm x not found'), { requestId: 'r-3' });
    expect(notFound.status).toBe(404);
    expect(notFound.headers['x-amzn-query-error']).toBe('ResourceNotFound;Sender');
  });
});

describe('RPC v2 CBOR bad input', () => {
  const operation = model.operations.get('PutMetricAlarm')!;
  const path = '/service/GraniteServiceVersion20100801/operation/PutMetricAlarm';

  it.each([
    ['truncated CBOR', Buffer.from('a169416c61726d4e616d', 'hex')],
    ['an unknown tag', Buffer.from(encode(new Tagged(99, 'x')))],
    ['a non-map body', Buffer.from(encode(['AlarmName']))],
    ['a number where a string belongs', Buffer.from(encode({ AlarmName: 5 }))],
    ['a string where a list belongs', Buffer.from(encode({ AlarmActions: 'arn' }))],
    ['a text timestamp', Buffer.from(encode({ Metrics: [{ Id: 'm', MetricStat: { Period: 'x' } }] }))],
  ])('rejects %s with SerializationException', (_, body) => {
    let error: unknown;
    try {
      rpcV2CborCodec.decodeInput(operation, request(path, body));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as ServiceError).code).toBe('SerializationException');
  });

  it('reads an empty body as empty input and ignores paths that are not RPC v2', () => {
    expect(rpcV2CborCodec.decodeInput(operation, request(path, Buffer.alloc(0)))).toEqual({});
    expect(rpcV2Target('/service/x/operation/y/z')).toBeUndefined();
    expect(rpcV2CborCodec.resolveOperation(model, request('/bucket/key', Buffer.alloc(0)))).toEqual({});
  });
});
