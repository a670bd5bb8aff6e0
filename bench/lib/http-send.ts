/**
 * @module
 * One planned request over a keep-alive node:http agent: the lightest client the benchmarks have,
 * so that they measure the server rather than the client.
 */
import { request as httpRequest, type Agent } from 'node:http';
import type { PlannedRequest } from './load.js';

/** Sends `planned` to `url` through `agent` and resolves with the status and the body. */
export function send(agent: Agent, url: URL, planned: PlannedRequest): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const { host: _host, ...headers } = planned.headers;
    const outgoing = httpRequest({
      agent, host: url.hostname, port: url.port, method: planned.method, path: planned.path,
      headers: { ...headers, 'content-length': Buffer.byteLength(planned.body) },
    }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(planned.body);
  });
}
