/**
 * @module
 * Replays pre-signed requests with node:http from its own process: `concurrency` callers in a
 * closed loop for `seconds`, each sending the planned requests in turn over a keep-alive agent.
 * Unlike autocannon it copes with servers that close connections after each response (moto's):
 * the agent opens a new connection when the server closed the last one.
 * Prints `{requestsPerSecond, errors, non2xx}`. Input: JSON on argv[2].
 */
import { Agent } from 'node:http';
import { send } from './http-send.js';
import type { PlannedRequest } from './load.js';

const plan = JSON.parse(process.argv[2]!) as { url: string; seconds: number; concurrency: number; requests: PlannedRequest[] };
const agent = new Agent({ keepAlive: true, maxSockets: plan.concurrency });
const target = new URL(plan.url);

let done = 0;
let errors = 0;
let non2xx = 0;
const end = Date.now() + plan.seconds * 1000;
await Promise.all(Array.from({ length: plan.concurrency }, async () => {
  let i = 0;
  while (Date.now() < end) {
    try {
      const { status } = await send(agent, target, plan.requests[i++ % plan.requests.length]!);
      if (status >= 300) non2xx++;
      done++;
    } catch {
      errors++;
    }
  }
}));
agent.destroy();
process.stdout.write(JSON.stringify({ requestsPerSecond: done / plan.seconds, errors, non2xx }));
