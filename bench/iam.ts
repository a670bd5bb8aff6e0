/**
 * @module
 * IAM benchmark (issue 3): the cost of authorisation. Two `custos serve` processes of the same
 * build, one strict (SigV4 verification + policy evaluation on every call) and one open (neither),
 * hold the same state: an IAM user with two attached managed policies (one of them AWS's large
 * ReadOnlyAccess), an inline policy with a policy variable, a group with a managed and an inline
 * policy, a permissions boundary, and a bucket with a bucket policy. Both answer the same mix of
 * that user's signed calls (CloudTrail, IAM, S3, EC2), replayed alternately in short runs after a
 * warm-up (the order flips each round); the medians decide, so a run disturbed by other work on the
 * machine does not. The paired ratios of each round are shown too, and the server's CPU time per
 * call in each mode, which other work on the machine disturbs far less. Target: strict ≥ 80% of open.
 * BENCH_SECONDS (default 2 here) and BENCH_ROUNDS (default 9) set the runs; BENCH_DURABILITY=fsync
 * measures with the default durability.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout } from 'node:timers/promises';
import {
  AddUserToGroupCommand, AttachGroupPolicyCommand, AttachUserPolicyCommand, CreateAccessKeyCommand, CreateGroupCommand, CreatePolicyCommand,
  CreateUserCommand, IAMClient, PutGroupPolicyCommand, PutUserPermissionsBoundaryCommand, PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { CreateBucketCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { spawnServer, type ServerProcess } from '../test/helpers/cli.js';
import { presign, runLoad, type LoadResult, type PlannedRequest } from './lib/load.js';
import type { BenchResult } from './lib/report.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const CONNECTIONS = 50;
/** A pause before each run, so that the last run's background work (outbox, event log readers) is not measured in the next. */
const SETTLE_MS = 1000;
/** fsync (the default) makes every run wait on this disk's flushes, whose latency varies far more than authorisation costs. */
const DURABILITY = process.env.BENCH_DURABILITY ?? 'process';
const ROOT = { accessKeyId: 'AKIABENCHROOT0000001', secretAccessKey: 'bench-root-secret-0000000000000000000000' };
const ACCOUNT = '123456789012';
const BUCKET = 'custos-bench-audit';
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

type Mode = 'strict' | 'open';
type Credentials = { accessKeyId: string; secretAccessKey: string };

const policy = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });

/** Gives a fresh server the user, its policies and the bucket; returns the user's access key. */
async function seed(url: string): Promise<Credentials> {
  const iam = new IAMClient({ endpoint: url, region: 'us-east-1', credentials: ROOT });
  const created = async (name: string, document: string) =>
    (await iam.send(new CreatePolicyCommand({ PolicyName: name, PolicyDocument: document }))).Policy!.Arn!;
  await iam.send(new CreateUserCommand({ UserName: 'alice' }));
  await iam.send(new CreateGroupCommand({ GroupName: 'auditors' }));
  await iam.send(new AddUserToGroupCommand({ GroupName: 'auditors', UserName: 'alice' }));
  const trails = await created('trail-readers', policy(
    { Effect: 'Allow', Action: ['cloudtrail:Describe*', 'cloudtrail:Get*', 'cloudtrail:LookupEvents', 'cloudtrail:List*'], Resource: '*' },
  ));
  const network = await created('network-readers', policy(
    { Effect: 'Allow', Action: ['ec2:Describe*', 'ec2:Get*'], Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] } } },
  ));
  const boundary = await created('auditor-boundary', policy(
    { Effect: 'Allow', Action: ['cloudtrail:*', 'iam:Get*', 'iam:List*', 's3:Get*', 's3:List*', 'ec2:Describe*'], Resource: '*' },
    { Effect: 'Deny', Action: 's3:DeleteBucket', Resource: '*' },
  ));
  await iam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: trails }));
  await iam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
  await iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'self', PolicyDocument: policy(
    { Effect: 'Allow', Action: ['iam:GetUser', 'iam:ListAccessKeys'], Resource: 'arn:aws:iam::*:user/${aws:username}' },
    { Effect: 'Deny', Action: ['iam:Create*', 'iam:Delete*', 'iam:Put*'], Resource: '*' },
  ) }));
  await iam.send(new AttachGroupPolicyCommand({ GroupName: 'auditors', PolicyArn: network }));
  await iam.send(new PutGroupPolicyCommand({ GroupName: 'auditors', PolicyName: 'audit-bucket', PolicyDocument: policy(
    { Effect: 'Allow', Action: ['s3:GetBucketLocation', 's3:ListBucket', 's3:GetObject'], Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`] },
  ) }));
  await iam.send(new PutUserPermissionsBoundaryCommand({ UserName: 'alice', PermissionsBoundary: boundary }));
  const s3 = new S3Client({ endpoint: url, region: 'us-east-1', credentials: ROOT, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: policy(
    { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/alice` }, Action: 's3:GetBucketLocation', Resource: `arn:aws:s3:::${BUCKET}` },
    { Effect: 'Deny', Principal: '*', Action: 's3:DeleteBucket', Resource: `arn:aws:s3:::${BUCKET}` },
  ) }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
  return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
}

/** The user's calls, signed once for a server: four services, four protocols, resource-level and resource-policy checks. */
async function calls(url: string, credentials: Credentials): Promise<PlannedRequest[]> {
  const json = (target: string) => ({ 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target });
  const form = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
  return Promise.all([
    presign({ url, service: 'cloudtrail', credentials, headers: json('com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.DescribeTrails'), body: '{}' }),
    presign({ url, service: 'iam', credentials, headers: form, body: 'Action=GetUser&Version=2010-05-08&UserName=alice' }),
    presign({ url, service: 's3', credentials, headers: { 'x-amz-content-sha256': EMPTY_SHA256 }, body: '', method: 'GET', path: `/${BUCKET}`, query: { location: '' } }),
    presign({ url, service: 'ec2', credentials, headers: form, body: 'Action=DescribeVpcs&Version=2016-11-15' }),
  ]);
}

/** A seeded server of a mode, and its user's signed calls. */
interface Target {
  readonly mode: Mode;
  readonly server: ServerProcess;
  readonly dataDir: string;
  readonly requests: PlannedRequest[];
}

async function start(mode: Mode): Promise<Target> {
  const dataDir = mkdtempSync(join(tmpdir(), `custos-bench-iam-${mode}-`));
  const server = await spawnServer(['--data-dir', dataDir, '--auth', mode, '--durability', DURABILITY], {
    CUSTOS_ROOT_ACCESS_KEY_ID: ROOT.accessKeyId, CUSTOS_ROOT_SECRET_ACCESS_KEY: ROOT.secretAccessKey,
  });
  const credentials = await seed(server.url);
  return { mode, server, dataDir, requests: await calls(server.url, credentials) };
}

/** A load run's result, with the server process's CPU time per call (µs; NaN where /proc is missing). */
type Run = LoadResult & { cpuPerCall: number };

/** The CPU time a process has used, in µs, from /proc (Linux counts it in 1/100 s ticks). */
function cpuMicros(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return NaN;
  }
}

async function measure(target: Target, seconds: number, label = ''): Promise<Run> {
  await setTimeout(SETTLE_MS);
  const before = cpuMicros(target.server.child.pid);
  const result = await runLoad({ url: target.server.url, connections: CONNECTIONS, seconds, requests: target.requests });
  const cpuPerCall = (cpuMicros(target.server.child.pid) - before) / result.total;
  if (result.non2xx || result.errors) throw new Error(`${target.mode} run had ${result.non2xx} non-2xx and ${result.errors} errors`);
  process.stderr.write(`  ${target.mode}${label && ` (${label})`}: ${Math.round(result.requestsPerSecond)} calls/s, ${Math.round(cpuPerCall)} µs server CPU per call\n`);
  return { ...result, cpuPerCall };
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Authorised calls/s against the same calls in open mode: alternating short runs, medians compared. */
async function authorisationCost(): Promise<BenchResult> {
  const started: Target[] = [];
  try {
    for (const mode of ['strict', 'open'] as const) started.push(await start(mode));
    const targets = { strict: started[0]!, open: started[1]! };
    for (const target of [targets.open, targets.strict, targets.open, targets.strict]) await measure(target, 2, 'warm-up');
    const runs: Record<Mode, Run[]> = { open: [], strict: [] };
    for (let round = 0; round < ROUNDS; round++) {
      const order: Mode[] = round % 2 === 0 ? ['open', 'strict'] : ['strict', 'open'];
      for (const mode of order) runs[mode].push(await measure(targets[mode], SECONDS));
    }
    const rate = (mode: Mode) => median(runs[mode].map((r) => r.requestsPerSecond));
    const ratios = runs.strict.map((r, i) => r.requestsPerSecond / runs.open[i]!.requestsPerSecond).sort((a, b) => a - b);
    const strict = runs.strict.find((r) => r.requestsPerSecond === rate('strict'))!;
    const cpu = (mode: Mode) => median(runs[mode].map((r) => r.cpuPerCall));
    return {
      name: `authorised calls/s by an IAM user (2 managed + inline + group managed + group inline + boundary; DescribeTrails, GetUser, GetBucketLocation with a bucket policy, DescribeVpcs; ${CONNECTIONS} connections, median of ${ROUNDS} alternating ${SECONDS} s runs, durability ${DURABILITY})`,
      value: rate('strict'), unit: 'calls/s',
      baseline: rate('open'), baselineName: 'open mode (no signature check, no authorisation), same calls, same build',
      target: 0.8,
      detail: `p50 ${strict.p50} ms, p99 ${strict.p99} ms; paired ratios: median ${median(ratios).toFixed(2)}, range ${ratios[0]!.toFixed(2)}–${ratios.at(-1)!.toFixed(2)}; `
        + `server CPU per call (median): ${Math.round(cpu('strict'))} µs strict, ${Math.round(cpu('open'))} µs open, ratio ${(cpu('open') / cpu('strict')).toFixed(2)}`,
    };
  } finally {
    for (const target of started) {
      await target.server.stop();
      rmSync(target.dataDir, { recursive: true, force: true });
    }
  }
}

/** The IAM benchmarks, in order. */
export const iamBenchmarks = [authorisationCost];
