/**
 * @module
 * Test support: a real node:http server that runs one codec the way the pipeline will
 * (resolve → decode → handler → encode), so that tests can point an unmodified AWS SDK client at
 * it and check both what the SDK sent and what it made of the answer. Not used in production.
 */
import { Agent, createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { ServiceError } from '../../core/errors.js';
import type { Input, Output, ProtocolCodec, WireRequest, WireResponse } from '../codec.js';
import type { Operation, ServiceModel } from '../model.js';

/** One request the server saw: the operation it resolved to and the decoded input. */
export interface CodecCall {
  readonly operation: string;
  readonly input: Input;
  readonly request: WireRequest;
}

/** What the server needs: a model, its codec, and a handler standing in for the service. */
export interface CodecServerOptions {
  readonly model: ServiceModel;
  readonly codec: ProtocolCodec;
  readonly handler: (operation: Operation, input: Input) => Output | Promise<Output>;
  /** The error for requests no operation matches. */
  readonly unresolved?: (request: WireRequest) => ServiceError;
}

/** A running codec server. */
export interface CodecServer {
  readonly endpoint: string;
  readonly calls: CodecCall[];
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, response: WireResponse): void {
  res.writeHead(response.status, response.headers);
  if (response.body instanceof Readable) response.body.pipe(res);
  else res.end(response.body);
}

/** Starts a codec server on 127.0.0.1 and an ephemeral port. */
export async function startCodecServer(options: CodecServerOptions): Promise<CodecServer> {
  const calls: CodecCall[] = [];
  let sequence = 0;
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://placeholder');
      const rawPath = (req.url ?? '/').split('?')[0]!;
      const body = await readBody(req);
      let request: WireRequest = { method: req.method ?? 'GET', path: rawPath, query: url.search.slice(1), headers: req.headers, body };
      const meta = { requestId: `REQ${String(++sequence).padStart(13, '0')}`, method: request.method };
      try {
        const { operation, name } = options.codec.resolveOperation(options.model, request);
        if (!operation) throw options.unresolved?.(request) ?? new ServiceError('UnknownOperation', `no operation ${name ?? ''}`);
        const payload = operation.input?.payload;
        if (payload?.shape.type === 'blob' && payload.shape.streaming) {
          request = { ...request, body: Buffer.alloc(0), payload: Readable.from([body]) };
        }
        const input = options.codec.decodeInput(operation, request);
        calls.push({ operation: operation.name, input, request });
        send(res, options.codec.encodeOutput(operation, await options.handler(operation, input), meta));
      } catch (err) {
        const error = err instanceof ServiceError ? err : new ServiceError('InternalFailure', String(err), { status: 500 });
        send(res, options.codec.encodeError(options.model, error, meta));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

/** Collects a Readable (or passes a Buffer through) into one Buffer. */
export async function collect(value: unknown): Promise<Buffer> {
  if (Buffer.isBuffer(value)) return value;
  const chunks: Buffer[] = [];
  for await (const chunk of value as Readable) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/**
 * An HTTP agent that resolves every host name to 127.0.0.1, so that SDK clients which put names
 * in front of the endpoint host (S3 virtual-hosted buckets, S3 Control's `<account>.` prefix)
 * reach the local server with their Host header unchanged.
 */
export function loopbackAgent(): Agent {
  type Lookup = (host: string, options: { all?: boolean }, done: (...args: unknown[]) => void) => void;
  const lookup: Lookup = (_host, options, done) => {
    if (options.all) done(null, [{ address: '127.0.0.1', family: 4 }]);
    else done(null, '127.0.0.1', 4);
  };
  return new Agent({ lookup: lookup as never });
}
