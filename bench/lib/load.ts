/**
 * @module
 * HTTP load from a separate process, and pre-signed requests to replay.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '../../test/helpers/signed-fetch.js';

/** One request of a load plan. */
export interface PlannedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** What to send, how hard, for how long. */
export interface LoadPlan {
  url: string;
  connections: number;
  seconds: number;
  /** Sent in turn on each connection. */
  requests: PlannedRequest[];
}

/** What the load generator measured. */
export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  total: number;
}

const WORKER = fileURLToPath(new URL('./load-worker.ts', import.meta.url));
const REPLAY_WORKER = fileURLToPath(new URL('./replay-load-worker.ts', import.meta.url));

/** Runs a load plan from a child process. */
export async function runLoad(plan: LoadPlan): Promise<LoadResult> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', WORKER, JSON.stringify(plan)], { maxBuffer: 1 << 24 });
  return JSON.parse(stdout) as LoadResult;
}


/** Replays pre-signed requests with node:http from a child process; copes with servers that close connections. */
export async function runReplayLoad(plan: { url: string; seconds: number; concurrency: number; requests: PlannedRequest[] }): Promise<{
  requestsPerSecond: number;
  errors: number;
  non2xx: number;
}> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', REPLAY_WORKER, JSON.stringify(plan)], { maxBuffer: 1 << 24 });
  return JSON.parse(stdout) as { requestsPerSecond: number; errors: number; non2xx: number };
}

/** Signs a request once, to be replayed (valid for 15 minutes); POST / unless a method, path or query is given. */
export async function presign(options: {
  url: string;
  service: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  headers: Record<string, string>;
  body: string;
  method?: string;
  path?: string;
  query?: Record<string, string>;
}): Promise<PlannedRequest> {
  const url = new URL(options.url);
  const method = options.method ?? 'POST';
  const path = options.path ?? '/';
  const signer = new SignatureV4({ credentials: options.credentials, region: 'us-east-1', service: options.service, sha256: Sha256 as never });
  const signed = await signer.sign(new HttpRequest({
    protocol: url.protocol, hostname: url.hostname, port: Number(url.port), method, path, query: options.query,
    headers: { host: url.host, ...options.headers }, body: options.body,
  }));
  const search = options.query ? `?${new URLSearchParams(options.query).toString()}` : '';
  return { method, path: `${path}${search}`, headers: signed.headers as Record<string, string>, body: options.body };
}

/** The two calls of the foundation benchmarks, signed for a server. */
export async function foundationCalls(url: string, credentials: { accessKeyId: string; secretAccessKey: string }): Promise<{
  getCallerIdentity: PlannedRequest;
  describeTrails: PlannedRequest;
}> {
  return {
    getCallerIdentity: await presign({
      url, service: 'sts', credentials,
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    }),
    describeTrails: await presign({
      url, service: 'cloudtrail', credentials,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.DescribeTrails' },
      body: '{}',
    }),
  };
}
