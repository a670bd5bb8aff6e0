/**
 * @module
 * IAM benchmark (issue 3): the cost of authorisation. The same signed DescribeTrails call, made by
 * an IAM user whose permissions come from a group's managed policy and an inline policy, against
 * a strict server (SigV4 + policy evaluation on every call) and against an open-mode server (no
 * verification, no authorisation), one after the other in the same run. Target: ≥ 80%.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AddUserToGroupCommand, AttachGroupPolicyCommand, CreateAccessKeyCommand, CreateGroupCommand, CreatePolicyCommand, CreateUserCommand, IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { createLogger } from '../src/core/logger.js';
import { DEFAULT_SETTINGS, type AuthMode } from '../src/core/settings.js';
import { startServer } from '../src/server/http-server.js';
import { presign, runLoad, type LoadResult } from './lib/load.js';
import type { BenchResult } from './lib/report.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const doc = (Action: string[], Effect = 'Allow') => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect, Action, Resource: '*' }] });

/** Starts a server, gives it an IAM user with policies, and loads it with that user's DescribeTrails. */
async function load(auth: AuthMode): Promise<LoadResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'custos-bench-iam-'));
  const server = await startServer({ settings: { ...DEFAULT_SETTINGS, port: 0, dataDir, logLevel: 'silent', auth }, logger: createLogger('silent') });
  try {
    const iam = new IAMClient({ endpoint: server.url, region: 'us-east-1', credentials: server.app.rootCredentials });
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    await iam.send(new CreateGroupCommand({ GroupName: 'auditors' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'auditors', UserName: 'alice' }));
    const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: 'trails', PolicyDocument: doc(['cloudtrail:Describe*', 'cloudtrail:Get*', 'cloudtrail:LookupEvents']) }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'auditors', PolicyArn: Policy!.Arn }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'auditors', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'no-iam-writes', PolicyDocument: doc(['iam:Create*', 'iam:Delete*'], 'Deny') }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
    const request = await presign({
      url: server.url, service: 'cloudtrail',
      credentials: { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! },
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.DescribeTrails' },
      body: '{}',
    });
    await runLoad({ url: server.url, connections: 50, seconds: 1, requests: [request] });
    const result = await runLoad({ url: server.url, connections: 50, seconds: SECONDS, requests: [request] });
    if (result.non2xx || result.errors) throw new Error(`${auth} run had ${result.non2xx} non-2xx and ${result.errors} errors`);
    return result;
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Authorised calls/s against the same calls in open mode: two alternating rounds, the better of each. */
async function authorisationCost(): Promise<BenchResult> {
  const runs: Record<AuthMode, LoadResult[]> = { open: [], strict: [] };
  for (let round = 0; round < 2; round++) {
    for (const mode of ['open', 'strict'] as const) runs[mode].push(await load(mode));
  }
  const best = (mode: AuthMode) => runs[mode].reduce((a, b) => (b.requestsPerSecond > a.requestsPerSecond ? b : a));
  const open = best('open');
  const strict = best('strict');
  return {
    name: 'authorised DescribeTrails calls/s by an IAM user (group + managed + inline policies, 50 connections)',
    value: strict.requestsPerSecond, unit: 'calls/s',
    baseline: open.requestsPerSecond, baselineName: 'open mode (no signature check, no authorisation), same calls',
    target: 0.8, detail: `p50 ${strict.p50} ms, p99 ${strict.p99} ms`,
  };
}

/** The IAM benchmarks, in order. */
export const iamBenchmarks = [authorisationCost];
