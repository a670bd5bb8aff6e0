/**
 * @module
 * `npm run bench`: runs every benchmark (one after another, never in parallel), prints a table
 * and writes it to bench/RESULTS.md. `npm run bench -- <filter>` runs the benchmarks whose
 * group name contains the filter. BENCH_SECONDS sets the length of each load run (default 5).
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { ec2Benchmarks } from './ec2.js';
import { foundationBenchmarks } from './foundation.js';
import { cwlBenchmarks } from './cwl.js';
import { deliveryBenchmarks } from './delivery.js';
import { iamBenchmarks } from './iam.js';
import { s3Benchmarks } from './s3.js';
import { table, type BenchResult } from './lib/report.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const groups: Record<string, readonly (() => Promise<BenchResult>)[]> = {
  foundation: foundationBenchmarks,
  iam: iamBenchmarks,
  s3: s3Benchmarks,
  cwl: cwlBenchmarks,
  delivery: deliveryBenchmarks,
  ec2: ec2Benchmarks,
};

const filter = process.argv[2] ?? '';
const results: BenchResult[] = [];
for (const [group, benchmarks] of Object.entries(groups)) {
  if (!group.includes(filter)) continue;
  for (const benchmark of benchmarks) {
    process.stderr.write(`running ${group}: ${benchmark.name}...\n`);
    results.push(await benchmark());
  }
}
const header = `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}.`;
const report = `${header}\n\n${table(results)}\n`;
console.log(report);
if (!filter) writeFileSync(new URL('./RESULTS.md', import.meta.url), `# Benchmark results\n\n${report}`);
