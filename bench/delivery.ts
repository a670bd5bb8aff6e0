/**
 * @module
 * Trail delivery benchmarks (issue 5), each against a baseline measured in the same run:
 *  (a) audit records/s turned into delivered, gzipped log files (selection, buffering, S3 PutObject
 *      through the pipeline) with their digest, vs gzip alone over the same record bytes
 *  (b) `custos validate-logs` on a data directory vs `aws cloudtrail validate-logs` through Custos,
 *      on the same digests and log files (target: at least 5× faster), both as the commands users
 *      run (custos built with `npm run build`), process start-up included
 * The server runs without its own delivery loop; the benchmark drives one, so that it measures
 * the work and not the cadence.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildRecord } from '../src/audit/record.js';
import { rootPrincipal } from '../src/auth/principal.js';
import type { Clock } from '../src/core/clock.js';
import { newEventId } from '../src/core/ids.js';
import { createLogger } from '../src/core/logger.js';
import { DEFAULT_SETTINGS, type Settings } from '../src/core/settings.js';
import { startServer, type RunningServer } from '../src/server/http-server.js';
import { TrailDelivery } from '../src/services/cloudtrail/delivery-loop.js';
import { LARGE_FILE_BYTES } from '../src/services/cloudtrail/log-delivery.js';
import { trailSelectionSubscriber } from '../src/services/cloudtrail/trail-selection.js';
import { allServices } from '../src/services/registry.js';
import type { NewEvent } from '../src/store/types.js';
import type { BenchResult } from './lib/report.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const BUCKET = 'bench-trail-bucket';
const TRAIL_ARN = `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/bench`;
const HOUR = 3_600_000;
const run = promisify(execFile);
const gzipAsync = promisify(gzip);

/** The wall clock moved by `offset` ms, so that hours of deliveries can happen in seconds. */
class ShiftedClock implements Clock {
  offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
}

/** A Custos whose trail delivery the benchmark drives (its own loop and subscribers are left out). */
interface Bench {
  readonly server: RunningServer;
  readonly dataDir: string;
  readonly delivery: TrailDelivery;
  /** Buffers whatever the audit log holds beyond what was selected, as the dispatcher would. */
  select(): Promise<void>;
  close(): Promise<void>;
}

async function benchServer(clock: Clock, delivery: Pick<Settings, 'trailDeliveryIntervalSeconds' | 'digestIntervalSeconds'>): Promise<Bench> {
  const dataDir = mkdtempSync(join(tmpdir(), 'custos-bench-delivery-'));
  const settings: Settings = { ...DEFAULT_SETTINGS, port: 0, dataDir, logLevel: 'silent', durability: 'process' };
  const services = allServices().map((s) => (s.model.id === 'cloudtrail' ? { ...s, background: undefined } : s));
  const server = await startServer({ settings, logger: createLogger('silent'), clock, services });
  const env = server.app.env;
  const subscriber = trailSelectionSubscriber(env.store, clock);
  let position = 0;
  const call = (service: string, operation: string, input: Record<string, unknown>) =>
    env.invoke({ service, operation, input, principal: rootPrincipal(ACCOUNT), region: REGION });
  await call('s3', 'CreateBucket', { Bucket: BUCKET });
  await call('s3', 'PutBucketPolicy', {
    Bucket: BUCKET,
    Policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:GetBucketAcl', Resource: `arn:aws:s3:::${BUCKET}` },
        { Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: `arn:aws:s3:::${BUCKET}/AWSLogs/${ACCOUNT}/*` },
      ],
    }),
  });
  await call('cloudtrail', 'CreateTrail', { Name: 'bench', S3BucketName: BUCKET, EnableLogFileValidation: true });
  await call('cloudtrail', 'StartLogging', { Name: 'bench' });
  return {
    server,
    dataDir,
    delivery: new TrailDelivery({ ...env, settings: { ...settings, ...delivery } }),
    async select() {
      for (;;) {
        const batch = await env.store.read((tx) => tx.events.readAfter(position, 500));
        if (batch.length === 0) return;
        await subscriber.handle(batch);
        position = batch[batch.length - 1]!.seq;
      }
    },
    async close() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Audit records of API calls, about 1 KB each, at `time`. */
function records(count: number, time: number): NewEvent[] {
  const principal = rootPrincipal(ACCOUNT, 'AKIAEXAMPLEBENCH0000');
  return Array.from({ length: count }, (_, i) => buildRecord({
    eventId: newEventId(time), requestId: crypto.randomUUID(), eventTime: time, eventSource: 'ec2.amazonaws.com',
    eventName: i % 4 ? 'DescribeInstances' : 'RunInstances', region: REGION, sourceIp: '203.0.113.7', userAgent: 'aws-cli/2.15.0 Python/3.11.6',
    principal, readOnly: i % 4 !== 0, category: 'Management',
    requestParameters: { instancesSet: { items: [{ imageId: 'ami-0abcdef1234567890', minCount: 1, maxCount: 1 }] }, instanceType: 't3.micro', tag: `bench-${i}` },
    responseElements: null, resources: [], recipientAccountId: ACCOUNT,
  }));
}

async function append(bench: Bench, events: readonly NewEvent[]): Promise<void> {
  for (let i = 0; i < events.length; i += 1000) {
    await bench.server.app.store.transaction(async (tx) => {
      for (const event of events.slice(i, i + 1000)) await tx.events.append({ accountId: ACCOUNT, region: REGION }, event);
    });
  }
}

async function trailStatus(bench: Bench): Promise<Record<string, unknown>> {
  return bench.server.app.env.invoke({ service: 'cloudtrail', operation: 'GetTrailStatus', input: { Name: 'bench' }, principal: rootPrincipal(ACCOUNT), region: REGION });
}

/** (a) */
async function deliveryThroughput(): Promise<BenchResult> {
  const count = 20_000 * SECONDS;
  const bench = await benchServer(new ShiftedClock(), { trailDeliveryIntervalSeconds: 0.001, digestIntervalSeconds: 1 });
  try {
    const events = records(count, Date.now());
    await append(bench, events);
    const gzipStart = performance.now();
    let file: string[] = [];
    let size = 0;
    for (const event of events) {
      if (size + event.body.length > LARGE_FILE_BYTES && file.length > 0) {
        await gzipAsync(`{"Records":[${file.join(',')}]}`);
        file = [];
        size = 0;
      }
      file.push(event.body);
      size += event.body.length;
    }
    await gzipAsync(`{"Records":[${file.join(',')}]}`);
    const gzipSeconds = (performance.now() - gzipStart) / 1000;

    const start = performance.now();
    await bench.select();
    const before = Date.now();
    while ((await bench.server.app.store.read((tx) => tx.trailBuffers.pending())).length > 0) await bench.delivery.tick();
    for (;;) {
      await bench.delivery.tick();
      const status = await trailStatus(bench);
      if (status.LatestDeliveryError || status.LatestDigestDeliveryError) throw new Error(`delivery failed: ${JSON.stringify(status)}`);
      if (status.LatestDigestDeliveryTime instanceof Date && status.LatestDigestDeliveryTime.getTime() >= before) break;
    }
    const seconds = (performance.now() - start) / 1000;
    return {
      name: '(a) audit records/s delivered as gzipped log files to S3, with their digest',
      value: count / seconds, unit: 'records/s', baseline: count / gzipSeconds, baselineName: 'gzip alone over the same bytes, same file sizes',
      target: 0.25, detail: `${count.toLocaleString('en-US')} records of ~${Math.round(events[0]!.body.length)} B`,
    };
  } finally {
    await bench.close();
  }
}

/** (b) */
async function validateLogsSpeed(): Promise<BenchResult> {
  const hours = 24;
  const filesPerHour = 40;
  const clock = new ShiftedClock();
  clock.offset = -(hours + 1) * HOUR;
  const bench = await benchServer(clock, { trailDeliveryIntervalSeconds: 60, digestIntervalSeconds: 3600 });
  try {
    const startTime = new Date(clock.now() - 60_000).toISOString();
    for (let h = 0; h < hours; h++) {
      for (let f = 0; f < filesPerHour; f++) {
        await append(bench, records(50, clock.now()));
        await bench.select();
        clock.offset += HOUR / filesPerHour;
        await bench.delivery.tick();
      }
      await bench.delivery.tick();
    }
    clock.offset = 0;
    const { accessKeyId, secretAccessKey } = bench.server.app.rootCredentials;
    const args = ['--trail-arn', TRAIL_ARN, '--start-time', startTime];
    const timed = async (file: string, argv: string[], env: NodeJS.ProcessEnv = {}) => {
      const began = performance.now();
      const { stdout } = await run(file, argv, { env: { ...process.env, ...env }, maxBuffer: 64 << 20 });
      return { seconds: (performance.now() - began) / 1000, summary: stdout.split('\n').filter((l) => / files valid/.test(l)).join('; ') };
    };
    const aws = await timed('aws', ['cloudtrail', 'validate-logs', ...args], {
      AWS_ENDPOINT_URL: bench.server.url, AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_DEFAULT_REGION: REGION,
      AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    });
    await run('npm', ['run', 'build'], { cwd: fileURLToPath(new URL('..', import.meta.url)) });
    const main = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
    const custos = await timed(process.execPath, [main, 'validate-logs', '--data-dir', bench.dataDir, ...args]);
    if (aws.summary !== custos.summary || !/digest files valid; \d+\/\d+ log files valid/.test(aws.summary)) {
      throw new Error(`the two disagree: aws "${aws.summary}", custos "${custos.summary}"`);
    }
    const files = hours * (filesPerHour + 1);
    return {
      name: '(b) custos validate-logs (data directory) vs aws cloudtrail validate-logs (through Custos), same files',
      value: files / custos.seconds, unit: 'files/s', baseline: files / aws.seconds, baselineName: 'aws cloudtrail validate-logs',
      target: 5, detail: `${aws.summary}; ${custos.seconds.toFixed(2)} s vs ${aws.seconds.toFixed(2)} s, process start-up included`,
    };
  } finally {
    await bench.close();
  }
}

/** The trail delivery benchmarks, in order. */
export const deliveryBenchmarks = [deliveryThroughput, validateLogsSpeed];
