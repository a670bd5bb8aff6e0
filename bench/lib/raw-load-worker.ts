/**
 * @module
 * Replays pre-signed requests with Node's fetch (undici) from its own process: `concurrency`
 * callers in a closed loop for `seconds`, each sending the planned requests in turn. Unlike
 * autocannon it copes with servers that close connections after each response (moto's).
 * Prints `{requestsPerSecond, errors, non2xx}`. Input: JSON on argv[2].
 */
import type { PlannedRequest } from './load.js';

const plan = JSON.parse(process.argv[2]!) as { url: string; seconds: number; concurrency: number; requests: PlannedRequest[] };
let done = 0;
let errors = 0;
let non2xx = 0;
const end = Date.now() + plan.seconds * 1000;
await Promise.all(Array.from({ length: plan.concurrency }, async () => {
  let i = 0;
  while (Date.now() < end) {
    const request = plan.requests[i++ % plan.requests.length]!;
    const { host: _host, ...headers } = request.headers;
    try {
      const response = await fetch(`${plan.url}${request.path}`, { method: request.method, headers, body: request.body });
      await response.arrayBuffer();
      if (response.status >= 300) non2xx++;
      done++;
    } catch {
      errors++;
    }
  }
}));
process.stdout.write(JSON.stringify({ requestsPerSecond: done / plan.seconds, errors, non2xx }));
