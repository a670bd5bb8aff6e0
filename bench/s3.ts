/**
 * @module
 * S3 benchmarks (issue 4): PUT and GET throughput in MB/s for 1 MB and 64 MB objects, through the
 * whole pipeline (HTTP, SigV4, staging with MD5, the transaction, the CloudTrail record), against
 * writing and reading the same bytes with fs.writeFile / fs.readFile at the same concurrency, in the
 * same run. Each PUT stores a new object, so the baseline writes a new file each time (rewriting one
 * file in place only measures page-cache reuse); GETs and readFile read the same files over and over.
 * The server runs with `--durability process` so that neither side fsyncs; the client is a separate
 * process.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { createLogger } from '../src/core/logger.js';
import { DEFAULT_SETTINGS } from '../src/core/settings.js';
import { startServer } from '../src/server/http-server.js';
import type { BenchResult } from './lib/report.js';
import type { S3LoadPlan, S3LoadResult } from './lib/s3-plan.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const MB = 1024 * 1024;
const LOAD = fileURLToPath(new URL('./lib/s3-load.ts', import.meta.url));

async function load(plan: S3LoadPlan): Promise<S3LoadResult> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', LOAD, JSON.stringify(plan)], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout) as S3LoadResult;
}

/** MB/s of writing (or reading) `size`-byte files with `concurrency` loops for `seconds`. */
async function filesystem(operation: 'PUT' | 'GET', size: number, concurrency: number, dir: string): Promise<number> {
  const body = Buffer.alloc(size, 7);
  const files = Array.from({ length: concurrency }, (_, i) => join(dir, `file-${i}`));
  await Promise.all(files.map((file) => writeFile(file, body)));
  let bytes = 0;
  const start = performance.now();
  const deadline = start + SECONDS * 1000;
  await Promise.all(files.map(async (file) => {
    for (let n = 0; performance.now() < deadline; n++) {
      if (operation === 'PUT') await writeFile(`${file}-${n}`, body);
      else await readFile(file);
      bytes += size;
    }
  }));
  return bytes / MB / ((performance.now() - start) / 1000);
}

function throughput(operation: 'PUT' | 'GET', size: number, concurrency: number): () => Promise<BenchResult> {
  const label = `${size / MB} MB`;
  const bench = async (): Promise<BenchResult> => {
    const dir = mkdtempSync(join(tmpdir(), 'custos-bench-s3-'));
    const settings = { ...DEFAULT_SETTINGS, port: 0, dataDir: join(dir, 'data'), logLevel: 'silent', durability: 'process' as const };
    const server = await startServer({ settings, logger: createLogger('silent') });
    try {
      const credentials = server.app.rootCredentials;
      await new S3Client({ endpoint: server.url, region: 'us-east-1', credentials, forcePathStyle: true }).send(new CreateBucketCommand({ Bucket: 'bench' }));
      const plan: S3LoadPlan = { url: server.url, credentials, bucket: 'bench', operation, size, concurrency, seconds: SECONDS, prefix: `${operation}-${size}` };
      await load({ ...plan, seconds: 1 });
      const ours = await load(plan);
      if (ours.failures > 0) throw new Error(`${ours.failures} failed requests`);
      const baseline = await filesystem(operation, size, concurrency, dir);
      return {
        name: `S3 ${operation} throughput, ${label} objects (${concurrency} in flight)`,
        value: ours.bytes / MB / ours.seconds, unit: 'MB/s',
        baseline, baselineName: `fs.${operation === 'PUT' ? 'writeFile' : 'readFile'}, same bytes and concurrency`,
        target: 0.5, detail: `${Math.round(ours.requests / ours.seconds)} requests/s`,
      };
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  };
  Object.defineProperty(bench, 'name', { value: `s3${operation}${label.replace(' ', '')}` });
  return bench;
}

/** The S3 benchmarks. */
export const s3Benchmarks = [throughput('PUT', MB, 8), throughput('GET', MB, 8), throughput('PUT', 64 * MB, 2), throughput('GET', 64 * MB, 2)];
