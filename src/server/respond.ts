/**
 * @module
 * Writing encoded responses to the socket.
 */
import type { ServerResponse } from 'node:http';
import { pipeline, Readable } from 'node:stream';
import type { WireRequest, WireResponse } from '../protocol/codec.js';

/** Writes a response; HEAD responses keep their headers and drop the body. */
export function writeResponse(response: ServerResponse, wire: WireResponse, method: string): void {
  const { body } = wire;
  const headers = { ...wire.headers };
  if (body instanceof Readable) {
    response.writeHead(wire.status, headers);
    if (method === 'HEAD') {
      body.destroy();
      response.end();
      return;
    }
    pipeline(body, response, () => undefined);
    return;
  }
  const bytes = body === undefined ? undefined : typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  if (headers['content-length'] === undefined) headers['content-length'] = bytes?.length ?? 0;
  response.writeHead(wire.status, headers);
  response.end(method === 'HEAD' ? undefined : bytes);
}

/**
 * The answer to a request no service claims: an `X-Amz-Target` or Query `Version` Custos does
 * not serve. JSON callers get a JSON error, Query callers an XML one.
 */
export function unroutableResponse(request: WireRequest, requestId: string): WireResponse {
  if (typeof request.headers['x-amz-target'] === 'string') {
    return {
      status: 400,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId, 'x-amzn-errortype': 'UnknownOperationException' },
      body: JSON.stringify({ __type: 'UnknownOperationException', message: `Unknown operation ${request.headers['x-amz-target']}` }),
    };
  }
  const xml = `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>The action or version is not valid for any service this endpoint serves.</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  return { status: 400, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body: xml };
}
