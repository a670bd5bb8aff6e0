/**
 * @module
 * The contract between the HTTP edge and the protocol codecs. A codec turns a request into the
 * typed input of one operation of one service model, and that operation's output, or a
 * ServiceError, into the response AWS would send. Codecs never see the store or the handlers.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { ServiceError } from '../core/errors.js';
import type { Operation, ServiceModel } from './model.js';

/** An HTTP request as codecs see it: lower-cased headers and, for non-streaming calls, the whole body. */
export interface WireRequest {
  readonly method: string;
  /** The path exactly as sent, still percent-encoded, without the query string. */
  readonly path: string;
  /** The raw query string without the leading `?`. */
  readonly query: string;
  readonly headers: IncomingHttpHeaders;
  /** The body; empty for operations whose payload streams (see `payload`). */
  readonly body: Buffer;
  /** For operations with a streaming blob payload: the payload, already de-chunked and checked. */
  readonly payload?: Readable;
}

/** A response ready to be written. A Readable body is piped; anything else is sent as is. */
export interface WireResponse {
  status: number;
  headers: Record<string, string | number | string[]>;
  body?: Buffer | string | Readable;
}

/** Facts about the call that responses carry (request ids; S3's host id; HEAD has no body). */
export interface ResponseMeta {
  readonly requestId: string;
  readonly method?: string;
}

/** A decoded input: member names as in the model, timestamps as Date, blobs as Buffer. */
export type Input = Record<string, unknown>;

/** A handler's result, shaped like the operation's output structure. */
export type Output = Record<string, unknown>;

/** One AWS protocol: JSON 1.0/1.1, Query, EC2 Query, REST-XML, REST-JSON. */
export interface ProtocolCodec {
  /**
   * The operation a request names within a service, or undefined when it names none (the caller
   * answers with the protocol's unknown-operation error). `name` is what the request asked for,
   * when it could be read.
   */
  resolveOperation(model: ServiceModel, request: WireRequest): { operation?: Operation; name?: string };
  /** Decodes the input of `operation`; throws a ServiceError (e.g. SerializationException) on bad input. */
  decodeInput(operation: Operation, request: WireRequest): Input;
  /** Encodes a successful result. */
  encodeOutput(operation: Operation, output: Output, meta: ResponseMeta): WireResponse;
  /** Encodes an error as this protocol renders it, status and request id included. */
  encodeError(model: ServiceModel, error: ServiceError, meta: ResponseMeta): WireResponse;
}
