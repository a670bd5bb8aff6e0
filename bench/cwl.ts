/**
 * @module
 * CloudWatch Logs benchmarks (issue 5), each against a baseline measured in the same run:
 *  (a) filter-pattern matches/s of the CIS unauthorized-API-calls pattern over real CloudTrail
 *      records vs JSON.parse of the same records (a matcher that had to parse every event could
 *      not beat it; the substring pre-filter lets most events skip parsing)
 *  (b) the same for the CIS console-sign-in-without-MFA pattern (an AND of two tests)
 *  (c) a space-delimited pattern over access-log lines vs String.split of the same lines
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileFilterPattern } from '../src/services/logs/filter-pattern/filter-pattern.js';
import type { BenchResult } from './lib/report.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const DATA = fileURLToPath(new URL('../../shared/data/cloudtrail-logs/', import.meta.url));

function cloudTrailMessages(): string[] {
  if (!existsSync(DATA)) throw new Error(`real CloudTrail records missing: ${DATA}`);
  return readdirSync(DATA).filter((f) => f.endsWith('.json')).sort()
    .flatMap((f) => (JSON.parse(readFileSync(DATA + f, 'utf8')) as { Records: unknown[] }).Records.map((r) => JSON.stringify(r)));
}

/** Runs `fn` over every message repeatedly for `seconds`; returns messages per second. */
function rate(messages: readonly string[], seconds: number, fn: (message: string) => unknown): number {
  let sink = 0;
  let count = 0;
  const start = process.hrtime.bigint();
  const limit = BigInt(Math.round(seconds * 1e9));
  while (process.hrtime.bigint() - start < limit) {
    for (const message of messages) if (fn(message)) sink++;
    count += messages.length;
  }
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  if (sink < 0) console.log(sink);
  return count / elapsed;
}

function patternVersusParse(name: string, pattern: string, messages: string[], baseline: (m: string) => unknown, baselineName: string): BenchResult {
  const compiled = compileFilterPattern(pattern);
  const matches = messages.filter((m) => compiled.match(m)).length;
  rate(messages, Math.min(1, SECONDS / 5), baseline);
  rate(messages, Math.min(1, SECONDS / 5), (m) => compiled.match(m));
  const base = rate(messages, SECONDS / 2, baseline);
  const ours = rate(messages, SECONDS / 2, (m) => compiled.match(m));
  return {
    name, value: ours, unit: 'events/s', baseline: base, baselineName, target: 1,
    detail: `${matches} of ${messages.length} events match`,
  };
}

/** (a) */
async function unauthorizedCalls(): Promise<BenchResult> {
  return patternVersusParse('filter pattern, CIS 3.1 (unauthorized API calls) over real CloudTrail records',
    '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }', cloudTrailMessages(), (m) => JSON.parse(m), 'JSON.parse');
}

/** (b) */
async function consoleWithoutMfa(): Promise<BenchResult> {
  return patternVersusParse('filter pattern, CIS 3.2 (console sign-in without MFA) over real CloudTrail records',
    '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }', cloudTrailMessages(), (m) => JSON.parse(m), 'JSON.parse');
}

/** (c) */
async function accessLog(): Promise<BenchResult> {
  const lines = Array.from({ length: 5000 }, (_, i) =>
    `10.0.${i % 256}.${(i * 7) % 256} - user${i % 50} [10/Oct/2026:13:${String(i % 60).padStart(2, '0')}:36 -0700] "GET /item/${i}.html HTTP/1.1" ${i % 10 === 0 ? 404 : 200} ${1000 + i}`);
  const compiled = compileFilterPattern('[ip, id, user, time, request = *.html*, status = 4*, bytes > 1000]');
  const matches = lines.filter((l) => compiled.match(l)).length;
  rate(lines, Math.min(1, SECONDS / 5), (l) => l.split(' '));
  const base = rate(lines, SECONDS / 2, (l) => l.split(' '));
  const ours = rate(lines, SECONDS / 2, (l) => compiled.match(l));
  return {
    name: 'filter pattern, space-delimited over access-log lines', value: ours, unit: 'events/s', baseline: base,
    baselineName: "String.split(' ')", target: 0.2, detail: `${matches} of ${lines.length} lines match`,
  };
}

/** The CloudWatch Logs benchmarks. */
export const cwlBenchmarks: readonly (() => Promise<BenchResult>)[] = [unauthorizedCalls, consoleWithoutMfa, accessLog];
