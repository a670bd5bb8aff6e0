/**
 * @module
 * restJson1 (Lambda): operations routed by method and request-URI template, input members bound
 * to labels, query parameters and headers, the rest in a JSON body (members by jsonName) or a raw
 * payload. Errors are `{"Type": "User", "message": …}` with the `x-amzn-ErrorType` header.
 */
import { Readable } from 'node:stream';
import { ServiceError } from '../core/errors.js';
import type { Input, Output, ProtocolCodec, ResponseMeta, WireRequest, WireResponse } from './codec.js';
import { EVENT_STREAM_CONTENT_TYPE, encodeEventStreamEvents } from './event-stream.js';
import { headerValue, readBindings, writeBindings } from './http-bindings.js';
import { readJsonValue, writeJsonValue, type JsonNaming } from './json-values.js';
import type { Member, Operation, ServiceModel, Shape } from './model.js';
import { matchPath, parseUriTemplate, resolveRoute, routeCache } from './uri-template.js';

const NAMING: JsonNaming = { useJsonName: true };
const JSON_CONTENT_TYPE = 'application/json';

/** The answer to a request no operation matches (404 `UnknownOperationException`). */
export function unknownOperation(): ServiceError {
  return new ServiceError('UnknownOperationException', 'Unknown operation', { status: 404 });
}

function serializationError(): ServiceError {
  return new ServiceError('SerializationException', 'Could not parse request body into json.', { status: 400 });
}

function parseJsonBody(body: Buffer): Record<string, unknown> | undefined {
  const text = body.toString('utf8').trim();
  if (text === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw serializationError();
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw serializationError();
  return parsed as Record<string, unknown>;
}

function readBodyMembers(shape: Shape, doc: Record<string, unknown>, input: Input): void {
  for (const member of shape.members) {
    if (member.location) continue;
    const raw = doc[member.jsonName ?? member.name];
    if (raw === undefined) continue;
    const value = readJsonValue(member.shape, raw, NAMING, `${shape.name}.${member.name}`);
    if (value !== undefined) input[member.name] = value;
  }
}

function readPayload(member: Member, request: WireRequest): unknown {
  const shape = member.shape;
  if (shape.type === 'structure' || shape.type === 'document') {
    const doc = parseJsonBody(request.body);
    return doc && readJsonValue(shape, doc, NAMING, member.name);
  }
  if (shape.type === 'blob') {
    if (shape.streaming) return request.payload ?? request.body;
    return request.body.length > 0 ? request.body : undefined;
  }
  return request.body.length > 0 ? request.body.toString('utf8') : undefined;
}

function payloadBody(member: Member, value: unknown): WireResponse['body'] {
  const type = member.shape.type;
  if (member.shape.eventstream) return encodeEventStreamEvents(member.shape, value as Record<string, unknown>[], { naming: NAMING });
  if (type === 'structure' || type === 'document') return JSON.stringify(writeJsonValue(member.shape, value, NAMING) ?? {});
  if (value instanceof Readable || Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value);
  return String(value);
}

function hasBodyMembers(shape: Shape): boolean {
  return shape.members.some((m) => !m.location);
}

/** The parts of restJson1 that do not route: decoding inputs, encoding outputs and errors. */
const ENCODING: Omit<ProtocolCodec, 'resolveOperation'> = {
  decodeInput(operation: Operation, request: WireRequest): Input {
    const shape = operation.input;
    if (!shape) return {};
    const template = parseUriTemplate(operation.http?.requestUri ?? '/');
    const input: Input = readBindings(shape, {
      labels: matchPath(template.segments, request.path) ?? {},
      query: new URLSearchParams(request.query),
      headers: request.headers,
      routeKeys: new Set(template.query.keys()),
    });
    if (shape.payload) {
      const value = readPayload(shape.payload, request);
      if (value !== undefined) input[shape.payload.name] = value;
    } else if (hasBodyMembers(shape)) {
      const doc = parseJsonBody(request.body);
      if (doc) readBodyMembers(shape, doc, input);
    }
    return input;
  },

  encodeOutput(operation: Operation, output: Output, meta: ResponseMeta): WireResponse {
    const bindings = writeBindings(operation.output, output);
    const headers: WireResponse['headers'] = { ...bindings.headers, 'x-amzn-requestid': meta.requestId };
    const response: WireResponse = { status: bindings.status ?? operation.http?.responseCode ?? 200, headers };
    const shape = operation.output;
    if (shape?.payload) {
      const value = output[shape.payload.name];
      if (value === undefined || value === null) return response;
      response.body = payloadBody(shape.payload, value);
      if (shape.payload.shape.eventstream) headers['content-type'] = EVENT_STREAM_CONTENT_TYPE;
      const structured = ['structure', 'document'].includes(shape.payload.shape.type);
      if (!headers['content-type']) headers['content-type'] = structured ? JSON_CONTENT_TYPE : 'application/octet-stream';
    } else if (shape && hasBodyMembers(shape)) {
      response.body = JSON.stringify(writeJsonValue(shape, output, NAMING) ?? {});
      headers['content-type'] = JSON_CONTENT_TYPE;
    }
    return response;
  },

  encodeError(model: ServiceModel, error: ServiceError, meta: ResponseMeta): WireResponse {
    const shape = model.errorsByCode.get(error.code);
    const status = error.status ?? shape?.error?.status ?? 400;
    const headers: WireResponse['headers'] = {
      'content-type': JSON_CONTENT_TYPE,
      'x-amzn-requestid': meta.requestId,
      'x-amzn-errortype': error.code,
    };
    const body: Record<string, unknown> = { Type: status >= 500 ? 'Service' : 'User' };
    body[shape?.error?.messageMember ?? 'message'] = error.message;
    for (const [name, value] of Object.entries(error.fields ?? {})) {
      if (value === undefined) continue;
      const member = shape?.membersByName.get(name);
      if (member?.location === 'header') {
        const text = headerValue(member, member.shape, value);
        if (text !== undefined) headers[(member.locationName ?? name).toLowerCase()] = text;
      } else {
        body[member?.jsonName ?? name] = value;
      }
    }
    return { status, headers, body: JSON.stringify(body) };
  },
};

/** Builds a restJson1 codec (each instance memoises the compiled routes of the models it sees). */
export function createRestJsonCodec(): ProtocolCodec {
  const routesOf = routeCache();
  return {
    resolveOperation(model: ServiceModel, request: WireRequest) {
      const query = new URLSearchParams(request.query);
      const match = resolveRoute(routesOf(model), { method: request.method, path: request.path, query, headers: request.headers });
      return match ? { operation: match.operation, name: match.operation.name } : {};
    },
    ...ENCODING,
  };
}

/** The restJson1 codec. */
export const restJsonCodec: ProtocolCodec = createRestJsonCodec();
