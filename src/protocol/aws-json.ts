/**
 * @module
 * awsJson1_0 and awsJson1_1: `POST /` with `X-Amz-Target: <prefix>.<Operation>` and a JSON body.
 * Errors are `{"__type": code, "message": ...}` with the `x-amzn-ErrorType` header; services
 * marked awsQueryCompatible also send `x-amzn-query-error`.
 */
import { ServiceError } from '../core/errors.js';
import type { Input, Output, ProtocolCodec, ResponseMeta, WireRequest, WireResponse } from './codec.js';
import { EVENT_STREAM_CONTENT_TYPE, encodeRpcEventStream, eventStreamMember } from './event-stream.js';
import { readJsonValue, writeJsonValue, type JsonNaming } from './json-values.js';
import type { Operation, ServiceModel } from './model.js';

const NAMING: JsonNaming = { useJsonName: false };
const JSON_CONTENT_TYPE = /^application\/(x-amz-json-1\.[01]|json)\s*(;|$)/i;

/** The operation name in an `X-Amz-Target` header (the text after the last dot). */
export function targetOperation(target: string): string {
  return target.slice(target.lastIndexOf('.') + 1);
}

/** The service part of an `X-Amz-Target` header: its prefix without dotted namespaces. */
export function targetService(target: string): string {
  const prefix = target.slice(0, Math.max(0, target.lastIndexOf('.')));
  return prefix.slice(prefix.lastIndexOf('.') + 1);
}

function contentType(model: ServiceModel): string {
  return `application/x-amz-json-${model.metadata.jsonVersion ?? '1.1'}`;
}

/** The codec for awsJson1_0 and awsJson1_1. */
export const awsJsonCodec: ProtocolCodec = {
  resolveOperation(model: ServiceModel, request: WireRequest) {
    const target = request.headers['x-amz-target'];
    if (typeof target !== 'string') return {};
    const name = targetOperation(target);
    const type = request.headers['content-type'];
    if (type !== undefined && !JSON_CONTENT_TYPE.test(type)) return { name };
    return { operation: model.operations.get(name), name };
  },

  decodeInput(operation: Operation, request: WireRequest): Input {
    const text = request.body.toString('utf8').trim();
    if (!operation.input) return {};
    if (text === '') return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ServiceError('SerializationException', 'Start of structure or map found where not expected.');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new ServiceError('SerializationException', 'Start of structure or map found where not expected.');
    }
    return readJsonValue(operation.input, parsed, NAMING, operation.input.name) as Input;
  },

  encodeOutput(operation: Operation, output: Output, meta: ResponseMeta): WireResponse {
    if (operation.output && eventStreamMember(operation.output)) {
      return {
        status: 200,
        headers: { 'content-type': EVENT_STREAM_CONTENT_TYPE, 'x-amzn-requestid': meta.requestId },
        body: encodeRpcEventStream(operation.output, output, { naming: NAMING }),
      };
    }
    const body = operation.output ? writeJsonValue(operation.output, output, NAMING) : {};
    return {
      status: 200,
      headers: { 'content-type': contentType(operation.service), 'x-amzn-requestid': meta.requestId },
      body: JSON.stringify(body ?? {}),
    };
  },

  encodeError(model: ServiceModel, error: ServiceError, meta: ResponseMeta): WireResponse {
    const shape = model.errorsByCode.get(error.code);
    const body: Record<string, unknown> = { __type: error.code };
    if (error.message) body[shape?.error?.messageMember ?? 'message'] = error.message;
    if (error.fields) Object.assign(body, error.fields);
    const headers: WireResponse['headers'] = {
      'content-type': contentType(model),
      'x-amzn-requestid': meta.requestId,
      'x-amzn-errortype': error.code,
    };
    if (model.metadata.awsQueryCompatible) {
      headers['x-amzn-query-error'] = `${shape?.error?.code ?? error.code};${error.senderFault ? 'Sender' : 'Receiver'}`;
    }
    return { status: error.status ?? shape?.error?.status ?? 400, headers, body: JSON.stringify(body) };
  },
};
