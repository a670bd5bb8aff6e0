/**
 * @module
 * Runs autocannon in its own process (so the load generator does not share the server's event
 * loop) and prints its result as JSON. Input: a LoadPlan as JSON on argv[2].
 */
import autocannon from 'autocannon';
import type { LoadPlan } from './load.js';

const plan = JSON.parse(process.argv[2]!) as LoadPlan;
const result = await autocannon({
  url: plan.url,
  connections: plan.connections,
  duration: plan.seconds,
  requests: plan.requests.map((r) => ({ method: r.method as 'POST', path: r.path, headers: r.headers, body: r.body })),
});
process.stdout.write(JSON.stringify({
  requestsPerSecond: result.requests.average,
  p50: result.latency.p50,
  p99: result.latency.p99,
  errors: result.errors + result.timeouts,
  non2xx: result.non2xx,
  total: result.requests.total,
}));
