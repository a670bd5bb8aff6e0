/**
 * @module
 * S3 PUT or GET load from its own process (the client does not share the server's event loop):
 * `concurrency` loops of signed requests (UNSIGNED-PAYLOAD, keep-alive) for `seconds`, then prints
 * `{ bytes, seconds, requests, failures }` as JSON. PUTs write a new key each time; GETs read one
 * key per loop, written first. Input: an S3LoadPlan as JSON on argv[2].
 */
import { Sha256 } from '../../test/helpers/signed-fetch.js';
import { Agent, request } from 'node:http';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { S3LoadPlan } from './s3-plan.js';

const plan = JSON.parse(process.argv[2]!) as S3LoadPlan;
const url = new URL(plan.url);
const agent = new Agent({ keepAlive: true, maxSockets: plan.concurrency, noDelay: true } as ConstructorParameters<typeof Agent>[0]);
const signer = new SignatureV4({ credentials: plan.credentials, region: 'us-east-1', service: 's3', sha256: Sha256 as never, uriEscapePath: false });
const body = Buffer.alloc(plan.size, 7);

async function send(method: 'PUT' | 'GET', key: string): Promise<number> {
  const signed = await signer.sign(new HttpRequest({
    protocol: 'http:', hostname: url.hostname, port: Number(url.port), method, path: `/${plan.bucket}/${key}`,
    headers: { host: url.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', ...(method === 'PUT' ? { 'content-length': String(plan.size) } : {}) },
  }));
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method, path: signed.path, headers: signed.headers, agent }, (res) => {
      let received = 0;
      res.on('data', (chunk: Buffer) => (received += chunk.length));
      res.on('end', () => (res.statusCode === 200 ? resolve(method === 'GET' ? received : plan.size) : reject(new Error(`HTTP ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(method === 'PUT' ? body : undefined);
  });
}

const keys = Array.from({ length: plan.concurrency }, (_, i) => `${plan.prefix}-${i}`);
if (plan.operation === 'GET') await Promise.all(keys.map((key) => send('PUT', key)));
let bytes = 0;
let requests = 0;
let failures = 0;
const start = performance.now();
const deadline = start + plan.seconds * 1000;
await Promise.all(keys.map(async (key) => {
  for (let n = 0; performance.now() < deadline; n++) {
    try {
      const sent = await send(plan.operation, plan.operation === 'PUT' ? `${key}-${n}` : key);
      bytes += sent;
      requests++;
    } catch {
      failures++;
    }
  }
}));
process.stdout.write(JSON.stringify({ bytes, seconds: (performance.now() - start) / 1000, requests, failures }));
agent.destroy();
