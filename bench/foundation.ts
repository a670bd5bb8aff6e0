/**
 * @module
 * Foundation benchmarks (issue 2), each against a baseline measured in the same run:
 *  (a) audited calls/s through HTTP + SigV4 + audit vs a bare node:http server answering the same request
 *  (b) records/s appended to the chained log vs raw SQLite inserts of the same rows
 *  (c) p50/p99 from a call's response to its visibility in LookupEvents
 *  (d) GetCallerIdentity + DescribeTrails calls/s vs moto's server
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRecord } from '../src/audit/record.js';
import { rootPrincipal } from '../src/auth/principal.js';
import { migrate } from '../src/store/sqlite/schema.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { NewEvent } from '../src/store/types.js';
import { spawnServer } from '../test/helpers/cli.js';
import { foundationCalls, presign, runReplayLoad, runLoad } from './lib/load.js';
import { send } from './lib/http-send.js';
import type { BenchResult } from './lib/report.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

/** Runs `custos serve` in its own process (as it runs in production) with known root credentials. */
async function withCustos<T>(fn: (url: string, credentials: { accessKeyId: string; secretAccessKey: string }) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'custos-bench-'));
  const credentials = { accessKeyId: 'AKIABENCHROOT0000001', secretAccessKey: 'bench-root-secret-0000000000000000000000' };
  const server = await spawnServer(['--data-dir', dataDir], {
    CUSTOS_ROOT_ACCESS_KEY_ID: credentials.accessKeyId, CUSTOS_ROOT_SECRET_ACCESS_KEY: credentials.secretAccessKey,
  });
  try {
    return await fn(server.url, credentials);
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** (a) */
async function auditedThroughput(): Promise<BenchResult> {
  const body = '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:root</Arn><UserId>123456789012</UserId><Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ResponseMetadata></GetCallerIdentityResponse>';
  const bare = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/xml', 'x-amzn-requestid': '00000000-0000-0000-0000-000000000000' });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;
  try {
    const { getCallerIdentity } = await foundationCalls(bareUrl, { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'x' });
    await runLoad({ url: bareUrl, connections: 50, seconds: 1, requests: [getCallerIdentity] });
    const baseline = await runLoad({ url: bareUrl, connections: 50, seconds: SECONDS, requests: [getCallerIdentity] });
    const ours = await withCustos(async (url, credentials) => {
      const calls = await foundationCalls(url, credentials);
      await runLoad({ url, connections: 50, seconds: 1, requests: [calls.getCallerIdentity] });
      return runLoad({ url, connections: 50, seconds: SECONDS, requests: [calls.getCallerIdentity] });
    });
    if (ours.non2xx || ours.errors) throw new Error(`audited run had ${ours.non2xx} non-2xx and ${ours.errors} errors`);
    return {
      name: '(a) audited GetCallerIdentity calls/s (HTTP + SigV4 + audit, 50 connections)',
      value: ours.requestsPerSecond, unit: 'calls/s',
      baseline: baseline.requestsPerSecond, baselineName: 'bare node:http, same request',
      target: 0.4, detail: `p50 ${ours.p50} ms, p99 ${ours.p99} ms`,
    };
  } finally {
    bare.close();
  }
}

function events(count: number): NewEvent[] {
  const principal = rootPrincipal('123456789012', 'AKIAEXAMPLE');
  return Array.from({ length: count }, (_, i) => buildRecord({
    eventId: crypto.randomUUID(), requestId: crypto.randomUUID(), eventTime: 1_700_000_000_000 + i, eventSource: 'cloudtrail.amazonaws.com',
    eventName: i % 3 ? 'DescribeTrails' : 'CreateTrail', region: 'us-east-1', sourceIp: '10.0.0.1', userAgent: 'aws-cli/2.0 bench',
    principal, readOnly: i % 3 !== 0, category: 'Management', requestParameters: { name: `trail-${i}`, s3BucketName: 'audit-bucket' },
    responseElements: null, resources: [], recipientAccountId: '123456789012',
  }));
}

/** (b) */
async function appendThroughput(): Promise<BenchResult> {
  const count = 50_000;
  const rows = events(count);
  const dir = mkdtempSync(join(tmpdir(), 'custos-bench-append-'));
  try {
    const raw = new Database(join(dir, 'raw.db'));
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = FULL');
    migrate(raw);
    const insert = raw.prepare(`INSERT INTO events (account_id, region, chain_seq, event_id, event_time, event_name, event_source, username,
      access_key_id, read_only, category, management, body, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const zero = Buffer.alloc(32);
    const rawStart = performance.now();
    for (let i = 0; i < count; i += 1000) {
      raw.transaction(() => {
        for (const e of rows.slice(i, i + 1000)) {
          insert.run('123456789012', 'us-east-1', i, e.eventId, e.eventTime, e.eventName, e.eventSource, e.username ?? null,
            e.accessKeyId ?? null, e.readOnly ? 1 : 0, e.category, 1, e.body, zero, zero);
        }
      })();
    }
    const rawRate = count / ((performance.now() - rawStart) / 1000);
    raw.close();

    const store = new SqliteStore({ file: join(dir, 'chained.db') });
    const scope = { accountId: '123456789012', region: 'us-east-1' };
    const start = performance.now();
    for (let i = 0; i < count; i += 1000) {
      await store.transaction(async (tx) => {
        for (const e of rows.slice(i, i + 1000)) await tx.events.append(scope, e);
      });
    }
    const rate = count / ((performance.now() - start) / 1000);
    await store.close();
    return {
      name: '(b) records/s appended to the hash-chained log through the store API (1,000 per transaction, fsync)',
      value: rate, unit: 'records/s', baseline: rawRate, baselineName: 'raw SQLite INSERTs of the same rows, 1,000 per transaction',
      target: 0.6,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Milliseconds at the 50th and 99th percentile. */
function percentiles(samples: number[]): { p50: number; p99: number } {
  samples.sort((a, b) => a - b);
  return { p50: samples[Math.floor(samples.length * 0.5)]!, p99: samples[Math.floor(samples.length * 0.99)]! };
}

/** Round trips of one request to a bare node:http server, as this machine's floor for (c). */
async function bareRoundTrips(count: number): Promise<{ p50: number; p99: number }> {
  const bare = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end('{"Events":[]}'));
  });
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  const url = new URL(`http://127.0.0.1:${(bare.address() as AddressInfo).port}`);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const planned = { method: 'POST', path: '/', headers: {}, body: '{}' };
  try {
    const samples: number[] = [];
    for (let i = 0; i < count; i++) {
      const start = performance.now();
      await send(agent, url, planned);
      samples.push(performance.now() - start);
    }
    return percentiles(samples);
  } finally {
    agent.destroy();
    bare.close();
  }
}

/** (c) */
async function visibilityLatency(): Promise<BenchResult> {
  const count = 1000;
  const floor = await bareRoundTrips(count);
  return withCustos(async (endpoint, credentials) => {
    const url = new URL(endpoint);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const { getCallerIdentity } = await foundationCalls(endpoint, credentials);
    const lookup = await presign({
      url: endpoint, service: 'cloudtrail', credentials,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'CloudTrail_20131101.LookupEvents' },
      body: JSON.stringify({ MaxResults: 1, LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'GetCallerIdentity' }] }),
    });
    const samples: number[] = [];
    for (let i = 0; i < count; i++) {
      const identity = await send(agent, url, getCallerIdentity);
      const answered = performance.now();
      const requestId = /<RequestId>([^<]+)<\/RequestId>/.exec(identity.body)?.[1];
      for (;;) {
        const { body } = await send(agent, url, lookup);
        const { Events } = JSON.parse(body) as { Events: { CloudTrailEvent: string }[] };
        if (Events[0] && (JSON.parse(Events[0].CloudTrailEvent) as { requestID: string }).requestID === requestId) break;
      }
      samples.push(performance.now() - answered);
    }
    agent.destroy();
    const { p50, p99 } = percentiles(samples);
    return {
      name: '(c) from a call\'s response to its record in LookupEvents (one LookupEvents round trip, default fsync durability)',
      value: p99, unit: 'ms p99',
      detail: `p50 ${p50.toFixed(2)} ms; a bare node:http round trip on this machine: p50 ${floor.p50.toFixed(2)} ms, p99 ${floor.p99.toFixed(2)} ms; target p99 < 5 ms`,
      pass: p99 < 5,
    };
  });
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function startMoto(): Promise<{ url: string; stop: () => void }> {
  const port = await freePort();
  const child = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      await fetch(`${url}/moto-api/`);
      return { url, stop: () => child.kill() };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  child.kill();
  throw new Error('moto did not start within a minute');
}

/** (d) */
async function versusMoto(): Promise<BenchResult> {
  const moto = await startMoto();
  try {
    const plan = async (url: string, credentials: { accessKeyId: string; secretAccessKey: string }) => {
      const calls = await foundationCalls(url, credentials);
      return { url, seconds: SECONDS, concurrency: 50, requests: [calls.getCallerIdentity, calls.describeTrails] };
    };
    const baseline = await runReplayLoad(await plan(moto.url, { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'x' }));
    const ours = await withCustos(async (url, credentials) => runReplayLoad(await plan(url, credentials)));
    if (ours.errors || ours.non2xx || baseline.errors || baseline.non2xx) {
      throw new Error(`failed calls: custos ${ours.errors + ours.non2xx}, moto ${baseline.errors + baseline.non2xx}`);
    }
    return {
      name: '(d) GetCallerIdentity + DescribeTrails calls/s, 50 concurrent callers (signed requests replayed over keep-alive node:http)',
      value: ours.requestsPerSecond, unit: 'calls/s', baseline: baseline.requestsPerSecond, baselineName: 'moto 5.2.1 server, same requests',
      target: 10,
    };
  } finally {
    moto.stop();
  }
}

/** The foundation benchmarks, in order. */
export const foundationBenchmarks = [auditedThroughput, appendThroughput, visibilityLatency, versusMoto];
