/**
 * @module
 * EC2 benchmarks (issue 4): DescribeInstances calls/s with 10,000 instances, each against a
 * baseline measured in the same run:
 *  (a) a tag filter that matches one instance
 *  (b) the first page (MaxResults=100) of running instances
 *  (c) ten instances by id
 *  (d) every instance, paged by 1,000, in instances listed per second
 * The baseline of each is the same call against 100 instances: the ratio says whether Describe
 * stays as fast when the fleet is a hundred times larger. Absolute rates are in the details.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateSubnetCommand, CreateTagsCommand, CreateVpcCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { createLogger } from '../src/core/logger.js';
import { DEFAULT_SETTINGS } from '../src/core/settings.js';
import { startServer } from '../src/server/http-server.js';
import { presign, runLoad, type PlannedRequest } from './lib/load.js';
import type { BenchResult } from './lib/report.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const LARGE = 10_000;
const SMALL = 100;
const BATCH = 500;

/** A server holding `count` tagged instances (`bench-<n>`), with signed DescribeInstances requests against it. */
interface Fleet {
  readonly url: string;
  readonly ids: string[];
  describe(query: string): Promise<PlannedRequest>;
  close(): Promise<void>;
}

async function fleet(count: number): Promise<Fleet> {
  const dataDir = mkdtempSync(join(tmpdir(), 'custos-bench-ec2-'));
  const server = await startServer({ settings: { ...DEFAULT_SETTINGS, port: 0, dataDir, logLevel: 'silent' }, logger: createLogger('silent') });
  const credentials = server.app.rootCredentials;
  const client = new EC2Client({ endpoint: server.url, region: 'us-east-1', credentials });
  const vpcId = (await client.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc!.VpcId!;
  const subnetId = (await client.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.0.0/16' }))).Subnet!.SubnetId!;
  const ids: string[] = [];
  for (let launched = 0; launched < count; launched += BATCH) {
    const n = Math.min(BATCH, count - launched);
    const { Instances } = await client.send(new RunInstancesCommand({ ImageId: 'ami-0abcdef1234567890', InstanceType: 't3.micro', MinCount: n, MaxCount: n, SubnetId: subnetId }));
    ids.push(...Instances!.map((i) => i.InstanceId!));
  }
  for (let i = 0; i < ids.length; i += 100) {
    await Promise.all(ids.slice(i, i + 100).map((id, j) => client.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: 'Name', Value: `bench-${i + j}` }] }))));
  }
  return {
    url: server.url,
    ids,
    describe: (query) => presign({
      url: server.url, service: 'ec2', credentials,
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: `Action=DescribeInstances&Version=2016-11-15&${query}`,
    }),
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function callsPerSecond(url: string, request: PlannedRequest): Promise<{ rate: number; p50: number; p99: number }> {
  await runLoad({ url, connections: 10, seconds: 1, requests: [request] });
  const result = await runLoad({ url, connections: 10, seconds: SECONDS, requests: [request] });
  if (result.non2xx || result.errors) throw new Error(`load run had ${result.non2xx} non-2xx and ${result.errors} errors`);
  return { rate: result.requestsPerSecond, p50: result.p50, p99: result.p99 };
}

/** Instances listed per second when walking every page of 1,000 (raw HTTP, so the client's XML parsing is not measured). */
async function walk(f: Fleet, expected: number): Promise<number> {
  const start = performance.now();
  let seen = 0;
  let token: string | undefined;
  do {
    const request = await f.describe(`MaxResults=1000${token ? `&NextToken=${encodeURIComponent(token)}` : ''}`);
    const response = await fetch(`${f.url}${request.path}`, { method: 'POST', headers: request.headers, body: request.body });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`walk got HTTP ${response.status}: ${text.slice(0, 200)}`);
    seen += text.split('<instanceId>').length - 1;
    token = /<nextToken>([^<]+)<\/nextToken>/.exec(text)?.[1];
  } while (token);
  if (seen < expected) throw new Error(`walk saw ${seen} of ${expected} instances`);
  return seen / ((performance.now() - start) / 1000);
}

const byTag = (n: number) => `Filter.1.Name=tag%3AName&Filter.1.Value.1=bench-${n}`;
const firstPage = 'Filter.1.Name=instance-state-name&Filter.1.Value.1=running&MaxResults=100';
const tenIds = (ids: string[]) => ids.filter((_, i) => i % Math.floor(ids.length / 10) === 0).slice(0, 10).map((id, i) => `InstanceId.${i + 1}=${id}`).join('&');

/** The four measurements against one fleet. */
async function measureFleet(count: number): Promise<{ rate: number; p50?: number; p99?: number }[]> {
  const f = await fleet(count);
  try {
    return [
      await callsPerSecond(f.url, await f.describe(byTag(Math.floor(count / 2)))),
      await callsPerSecond(f.url, await f.describe(firstPage)),
      await callsPerSecond(f.url, await f.describe(tenIds(f.ids))),
      { rate: await walk(f, count) },
    ];
  } finally {
    await f.close();
  }
}

const NAMES = [
  '(a) DescribeInstances calls/s, tag:Name filter matching 1 of 10,000 instances',
  '(b) DescribeInstances calls/s, first page (MaxResults=100) of 10,000 running instances',
  '(c) DescribeInstances calls/s, 10 instance ids among 10,000',
  '(d) instances listed/s walking all 10,000 in pages of 1,000 (one client)',
];

/** Runs the measurements against 100, then 10,000 instances (one fleet at a time). */
async function measure(): Promise<BenchResult[]> {
  const small = await measureFleet(SMALL);
  const large = await measureFleet(LARGE);
  return large.map((r, i) => ({
    name: NAMES[i]!, value: r.rate, unit: i === 3 ? 'instances/s' : 'calls/s', baseline: small[i]!.rate, baselineName: 'same, 100 instances',
    target: 0.7, detail: r.p50 === undefined ? undefined : `p50 ${r.p50} ms, p99 ${r.p99} ms`,
  }));
}

/** Four benchmarks that share one measurement (building 10,000 instances once). */
function shared(): (() => Promise<BenchResult>)[] {
  let results: Promise<BenchResult[]> | undefined;
  return [0, 1, 2, 3].map((i) => async () => (await (results ??= measure()))[i]!);
}

/** The EC2 benchmarks, in order. */
export const ec2Benchmarks = shared();
