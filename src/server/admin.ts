/**
 * @module
 * Custos's own routes under `/_custos/`: health, reset (test mode only), and files that services
 * serve (SNS's signing certificate).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PublicFile } from '../services/service.js';

/** What the admin routes act on. */
export interface AdminActions {
  readonly testMode: boolean;
  readonly version: string;
  readonly startedAt: number;
  /** Wipes all state and re-creates the root credentials. */
  reset(): Promise<void>;
  /** A file background work serves at this path (SNS's signing certificate), if any. */
  file?(path: string): Promise<PublicFile | undefined>;
}

/** The prefix of admin routes. */
export const ADMIN_PREFIX = '/_custos/';

function json(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/** Handles a request under ADMIN_PREFIX. */
export async function handleAdmin(request: IncomingMessage, response: ServerResponse, actions: AdminActions): Promise<void> {
  const path = (request.url ?? '').split('?')[0];
  request.resume();
  if (path === '/_custos/health' && (request.method === 'GET' || request.method === 'HEAD')) {
    return json(response, 200, { status: 'ok', version: actions.version, uptimeSeconds: Math.round((Date.now() - actions.startedAt) / 1000) });
  }
  if (path === '/_custos/reset') {
    if (request.method !== 'POST') return json(response, 405, { __type: 'MethodNotAllowed', message: 'Use POST.' });
    if (!actions.testMode) {
      return json(response, 403, { __type: 'AccessDeniedException', message: 'Reset is refused: the server is not running in test mode (--test-mode or CUSTOS_TEST_MODE=1).' });
    }
    await actions.reset();
    return json(response, 200, { status: 'reset' });
  }
  const file = request.method === 'GET' || request.method === 'HEAD' ? await actions.file?.(path) : undefined;
  if (file) {
    response.writeHead(200, { 'content-type': file.contentType, 'content-length': Buffer.byteLength(file.body) });
    return void response.end(request.method === 'HEAD' ? undefined : file.body);
  }
  return json(response, 404, { __type: 'NotFound', message: `No admin route ${path}` });
}
