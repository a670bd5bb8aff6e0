/**
 * @module
 * Raw HTTP requests signed with the AWS SDK's own SigV4 signer, for tests that need to send
 * what no SDK client would (malformed bodies, unknown targets, odd content types).
 */
import { createHash, createHmac, type BinaryLike } from 'node:crypto';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

/** node:crypto's SHA-256 and HMAC in the shape @smithy/signature-v4 expects. */
export class Sha256 {
  readonly #hash: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;
  constructor(secret?: BinaryLike) {
    this.#hash = secret ? createHmac('sha256', secret) : createHash('sha256');
  }
  update(data: Uint8Array | string): void {
    this.#hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return this.#hash.digest();
  }
}

/** What to send. */
export interface RawRequest {
  readonly url: string;
  readonly service: string;
  readonly region?: string;
  readonly method?: string;
  readonly path?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  readonly credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Signs as if the clock were this many ms off. */
  readonly clockOffsetMs?: number;
}

/** Signs and sends a request; returns status, headers and body text. */
export async function signedFetch(request: RawRequest): Promise<{ status: number; headers: Headers; text: string }> {
  const url = new URL(request.url);
  const body = request.body ?? '';
  const http = new HttpRequest({
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    method: request.method ?? 'POST',
    path: request.path ?? '/',
    headers: { host: url.host, ...request.headers },
    body,
  });
  const signer = new SignatureV4({ credentials: request.credentials, region: request.region ?? 'us-east-1', service: request.service, sha256: Sha256 as never });
  const signed = await signer.sign(http, { signingDate: new Date(Date.now() + (request.clockOffsetMs ?? 0)) });
  const response = await fetch(`${url.origin}${signed.path}`, {
    method: signed.method,
    headers: signed.headers as Record<string, string>,
    body: signed.method === 'GET' || signed.method === 'HEAD' ? undefined : body,
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}
