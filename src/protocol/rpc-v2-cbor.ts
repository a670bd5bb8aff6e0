/**
 * @module
 * Smithy RPC v2 CBOR (what botocore speaks to CloudWatch): `POST /service/<ServiceName>/operation/
 * <Operation>` with `smithy-protocol: rpc-v2-cbor` and a CBOR body; timestamps are tag 1 (epoch
 * seconds), blobs are byte strings. Errors are a CBOR map with `__type` and `message`; services
 * marked awsQueryCompatible also send `x-amzn-query-error: <query code>;Sender|Receiver`.
 * CBOR itself is cborg's: strict, small, no native code.
 *
 * @see https://smithy.io/2.0/additional-specs/protocols/smithy-rpc-v2.html
 */
import { decode, encode, Tagged } from 'cborg';
import { ServiceError } from '../core/errors.js';
import type { Input, Output, ProtocolCodec, ResponseMeta, WireRequest, WireResponse } from './codec.js';
import type { Operation, ServiceModel, Shape } from './model.js';
import { toDate } from './timestamps.js';

/** The content type of RPC v2 CBOR bodies. */
export const CBOR_CONTENT_TYPE = 'application/cbor';

const PATH = /^\/service\/([^/]+)\/operation\/([^/]+)$/;
const DECODE_OPTIONS = { tags: { 1: (value: () => unknown) => epochDate(value()) } };

function epochDate(value: unknown): Date {
  if (typeof value !== 'number' && typeof value !== 'bigint') throw new Error('tag 1 must wrap a number');
  return new Date(Number(value) * 1000);
}

function serializationError(message: string): ServiceError {
  return new ServiceError('SerializationException', message);
}

/** The service and operation names in an RPC v2 path, if it is one. */
export function rpcV2Target(path: string): { service: string; operation: string } | undefined {
  const m = PATH.exec(path);
  return m ? { service: decodeURIComponent(m[1]!), operation: decodeURIComponent(m[2]!) } : undefined;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array) && !(value instanceof Date);
}

/** Reads a decoded CBOR value as `shape`; throws SerializationException when the types disagree. */
export function readCborValue(shape: Shape, value: unknown, path: string): unknown {
  if (value === null || value === undefined) return undefined;
  switch (shape.type) {
    case 'structure': {
      if (!isMap(value)) throw serializationError(`Expected a map at '${path}'.`);
      const out: Record<string, unknown> = {};
      for (const member of shape.members) {
        const read = readCborValue(member.shape, value[member.name], `${path}.${member.name}`);
        if (read !== undefined) out[member.name] = read;
      }
      return out;
    }
    case 'list':
      if (!Array.isArray(value)) throw serializationError(`Expected an array at '${path}'.`);
      return value.map((item, i) => readCborValue(shape.member!.shape, item, `${path}[${i}]`) ?? null);
    case 'map': {
      if (!isMap(value)) throw serializationError(`Expected a map at '${path}'.`);
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, readCborValue(shape.value!.shape, v, `${path}.${k}`) ?? null]));
    }
    case 'string':
      if (typeof value !== 'string') throw serializationError(`Expected a text string at '${path}'.`);
      return value;
    case 'number':
      if (typeof value === 'number') return value;
      if (typeof value === 'bigint') return Number(value);
      throw serializationError(`Expected a number at '${path}'.`);
    case 'boolean':
      if (typeof value !== 'boolean') throw serializationError(`Expected a boolean at '${path}'.`);
      return value;
    case 'timestamp':
      if (value instanceof Date) return value;
      if (typeof value === 'number') return new Date(value * 1000);
      throw serializationError(`Expected a timestamp at '${path}'.`);
    case 'blob':
      if (!(value instanceof Uint8Array)) throw serializationError(`Expected a byte string at '${path}'.`);
      return Buffer.from(value);
    case 'document':
      return value;
  }
}

/** Writes `value` as `shape` for a CBOR body; members the shape does not declare are dropped. */
export function writeCborValue(shape: Shape, value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  switch (shape.type) {
    case 'structure': {
      const source = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const member of shape.members) {
        const written = writeCborValue(member.shape, source[member.name]);
        if (written !== undefined) out[member.name] = written;
      }
      return out;
    }
    case 'list':
      return (value as unknown[]).map((item) => writeCborValue(shape.member!.shape, item) ?? null);
    case 'map':
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, writeCborValue(shape.value!.shape, v) ?? null]));
    case 'timestamp': {
      const date = toDate(value);
      return date ? new Tagged(1, date.getTime() / 1000) : undefined;
    }
    case 'blob':
      return Buffer.isBuffer(value) || value instanceof Uint8Array ? new Uint8Array(value) : new Uint8Array(Buffer.from(String(value), 'utf8'));
    default:
      return value;
  }
}

function headers(meta: ResponseMeta): WireResponse['headers'] {
  return { 'content-type': CBOR_CONTENT_TYPE, 'smithy-protocol': 'rpc-v2-cbor', 'x-amzn-requestid': meta.requestId };
}

/** The codec for Smithy RPC v2 CBOR. */
export const rpcV2CborCodec: ProtocolCodec = {
  resolveOperation(model: ServiceModel, request: WireRequest) {
    const target = rpcV2Target(request.path);
    if (!target) return {};
    return { operation: model.operations.get(target.operation), name: target.operation };
  },

  decodeInput(operation: Operation, request: WireRequest): Input {
    if (!operation.input || request.body.length === 0) return {};
    let parsed: unknown;
    try {
      parsed = decode(new Uint8Array(request.body.buffer, request.body.byteOffset, request.body.length), DECODE_OPTIONS);
    } catch {
      throw serializationError('The request body is not valid CBOR.');
    }
    return readCborValue(operation.input, parsed, operation.input.name) as Input;
  },

  encodeOutput(operation: Operation, output: Output, meta: ResponseMeta): WireResponse {
    const body = operation.output ? writeCborValue(operation.output, output) : {};
    return { status: 200, headers: headers(meta), body: Buffer.from(encode(body ?? {})) };
  },

  encodeError(model: ServiceModel, error: ServiceError, meta: ResponseMeta): WireResponse {
    const shape = model.errorsByCode.get(error.code);
    const body: Record<string, unknown> = { __type: error.code };
    if (error.message) body[shape?.error?.messageMember ?? 'message'] = error.message;
    for (const [k, v] of Object.entries(error.fields ?? {})) if (v !== undefined) body[k] = v;
    const wire = headers(meta);
    if (model.metadata.awsQueryCompatible) {
      wire['x-amzn-query-error'] = `${shape?.error?.code ?? error.code};${error.senderFault ? 'Sender' : 'Receiver'}`;
    }
    return { status: error.status ?? shape?.error?.status ?? 400, headers: wire, body: Buffer.from(encode(body)) };
  },
};
