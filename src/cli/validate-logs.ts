/**
 * @module
 * `custos validate-logs`: what `aws cloudtrail validate-logs` checks, offline, from a data
 * directory or from exported buckets on disk, with the same report and exit code, a progress bar,
 * and log files hashed in parallel.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { isoSeconds } from '../core/clock.js';
import type { DigestLogFile } from '../integrity/digest-file.js';
import { checkLogFile, describeLogVerdict, listDigestKeys, walkDigests, type ChainQuery, type ObjectSource } from '../integrity/validate-chain.js';
import { DirectorySource } from './object-sources.js';
import { openDataDir } from './data-dir-source.js';

const HELP = `Usage: custos validate-logs --trail-arn ARN --start-time TIME [options]
       (--data-dir DIR | --export-dir DIR --s3-bucket NAME --public-keys FILE)

Validates a trail's digest files and the log files they list, as "aws cloudtrail validate-logs"
does, without a server: from a Custos data directory, or from buckets exported to a directory
(one folder per bucket, each object a file at its key, each digest's metadata in
<key>.metadata.json).

Options:
  --trail-arn ARN        the trail (arn:aws:cloudtrail:REGION:ACCOUNT:trail/NAME)
  --start-time TIME      validate digests delivered from this time (ISO 8601)
  --end-time TIME        ... up to this time (default: now)
  --region REGION        the region whose files are checked (default: the trail's home region)
  --s3-bucket NAME       the bucket (default from the data directory: the trail's)
  --s3-prefix PREFIX     the key prefix (default from the data directory: the trail's)
  --data-dir DIR         a Custos data directory                CUSTOS_DATA_DIR
  --export-dir DIR       a directory of exported buckets
  --public-keys FILE     with --export-dir: the JSON output of "aws cloudtrail list-public-keys"
  --verbose              also list every valid file
Exit code: 0 when every file is valid, 1 when one is not, 2 on usage errors.`;

const ARN = /^arn:.+:cloudtrail:(.+):(\d{12}):trail\/(.+)$/;
const LOG_CONCURRENCY = 32;

/** What to validate and where from. */
export interface Validation {
  readonly source: ObjectSource;
  readonly query: ChainQuery;
  readonly trailArn: string;
  readonly verbose: boolean;
}

/** Counts of a validation run. */
export interface ValidationResult {
  readonly validDigests: number;
  readonly invalidDigests: number;
  readonly validLogs: number;
  readonly invalidLogs: number;
}

/** Writes status lines exactly as the AWS CLI spaces them. */
class Reporter {
  #doubleSpaced = true;
  constructor(private readonly verbose: boolean, private readonly err: (text: string) => void) {}

  ok(line: string): void {
    if (!this.verbose) return;
    this.#doubleSpaced = false;
    process.stdout.write(`${line}\n`);
  }

  error(line: string): void {
    this.err(this.#doubleSpaced ? `${line}\n\n` : `\n${line}\n\n`);
    this.#doubleSpaced = true;
  }

  get doubleSpaced(): boolean {
    return this.#doubleSpaced;
  }
}

/** Runs at most `limit` tasks at once. */
function limiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

/** Validates a trail's chain and logs; reports as the AWS CLI does; resolves with the counts. */
export async function validate(run: Validation): Promise<ValidationResult> {
  const { source, query } = run;
  const bar = process.stderr.isTTY
    ? new cliProgress.MultiBar({ format: 'validating {bar} {value}/{total} files', stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic)
    : undefined;
  const progress = bar?.create((await listDigestKeys(source, query)).length, 0);
  const reporter = new Reporter(run.verbose, (text) => (bar ? bar.log(text) : process.stderr.write(text)));
  const limit = limiter(LOG_CONCURRENCY);
  const counts = { validDigests: 0, invalidDigests: 0, validLogs: 0, invalidLogs: 0 };
  let foundStart: number | undefined;
  let foundEnd: number | undefined;
  const pending: Promise<() => void>[] = [];
  const checkLog = (log: DigestLogFile) => limit(async () => {
    const verdict = await checkLogFile(source, log);
    return () => {
      progress?.increment();
      const line = `Log file\ts3://${log.s3Bucket}/${log.s3Object}\t`;
      if (verdict === 'valid') {
        counts.validLogs++;
        reporter.ok(`${line}valid`);
      } else {
        counts.invalidLogs++;
        reporter.error(`${line}INVALID: ${describeLogVerdict(verdict)}`);
      }
    };
  });
  const flush = async (keep: number) => {
    while (pending.length > keep) (await pending.shift()!)();
  };
  for await (const finding of walkDigests(source, query)) {
    if (finding.type === 'digest') {
      const { digest } = finding;
      foundStart = Math.min(foundStart ?? Infinity, Math.max(Date.parse(digest.digestStartTime), query.startTime));
      foundEnd = Math.max(foundEnd ?? -Infinity, Math.min(Date.parse(digest.digestEndTime), query.endTime));
      progress?.setTotal(progress.getTotal() + digest.logFiles.length);
      pending.push(Promise.resolve(() => {
        progress?.increment();
        counts.validDigests++;
        reporter.ok(`Digest file\ts3://${digest.digestS3Bucket}/${digest.digestS3Object}\tvalid`);
      }));
      for (const log of digest.logFiles) pending.push(checkLog(log));
    } else if (finding.type === 'gap') {
      pending.push(Promise.resolve(() => reporter.error(`No log files were delivered by CloudTrail between ${isoSeconds(finding.from)} and ${isoSeconds(finding.to)}`)));
    } else {
      const reason = finding.type === 'digest-missing' ? 'not found' : finding.reason;
      pending.push(Promise.resolve(() => {
        progress?.increment();
        counts.invalidDigests++;
        reporter.error(`Digest file\ts3://${finding.bucket}/${finding.key}\tINVALID: ${reason}`);
      }));
    }
    await flush(LOG_CONCURRENCY * 4);
  }
  await flush(0);
  bar?.stop();
  writeSummary(run, counts, reporter, foundStart, foundEnd);
  return counts;
}

function writeSummary(run: Validation, counts: ValidationResult, reporter: Reporter, foundStart?: number, foundEnd?: number): void {
  const out = (text: string) => process.stdout.write(text);
  if (!reporter.doubleSpaced) out('\n');
  out(`Results requested for ${isoSeconds(run.query.startTime)} to ${isoSeconds(run.query.endTime)}\n`);
  if (counts.validDigests + counts.invalidDigests === 0) {
    out('No digests found\n');
    return;
  }
  if (foundStart === undefined || foundEnd === undefined) out('No valid digests found in range\n');
  else out(`Results found for ${isoSeconds(foundStart)} to ${isoSeconds(foundEnd)}:\n`);
  const ratio = (valid: number, invalid: number, name: string) => {
    const total = valid + invalid;
    if (total === 0) return;
    out(`\n${valid}/${total} ${name} files valid`);
    if (invalid > 0) out(`, ${invalid}/${total} ${name} files INVALID`);
  };
  ratio(counts.validDigests, counts.invalidDigests, 'digest');
  ratio(counts.validLogs, counts.invalidLogs, 'log');
  out('\n');
}

function parseTime(name: string, value: string | undefined, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  const ms = value === undefined ? Number.NaN : Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(value) || !/T|\s/.test(value) ? value : `${value}Z`);
  if (Number.isNaN(ms)) throw new UsageError(`invalid --${name}: ${value ?? '(missing)'}`);
  return ms;
}

class UsageError extends Error {}

/** Reads the JSON output of `aws cloudtrail list-public-keys` into DER keys by fingerprint. */
async function readPublicKeys(file: string): Promise<Map<string, Uint8Array>> {
  const parsed = JSON.parse(await readFile(file, 'utf8')) as { PublicKeyList?: { Fingerprint: string; Value: string }[] };
  return new Map((parsed.PublicKeyList ?? []).map((k) => [k.Fingerprint, Buffer.from(k.Value, 'base64')]));
}

/** Runs the command; resolves with the exit code. */
export async function validateLogsCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      'trail-arn': { type: 'string' }, 'start-time': { type: 'string' }, 'end-time': { type: 'string' }, region: { type: 'string' },
      's3-bucket': { type: 'string' }, 's3-prefix': { type: 'string' }, 'data-dir': { type: 'string' }, 'export-dir': { type: 'string' },
      'public-keys': { type: 'string' }, verbose: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  let close: (() => Promise<void>) | undefined;
  try {
    const arn = values['trail-arn'] ?? '';
    const match = ARN.exec(arn);
    if (!match) throw new UsageError(`Invalid trail ARN provided: ${arn}`);
    const [, homeRegion, accountId, trailName] = match as unknown as [string, string, string, string];
    const startTime = parseTime('start-time', values['start-time']);
    const endTime = parseTime('end-time', values['end-time'], Date.now());
    if (startTime > endTime) throw new UsageError('Invalid time range specified: start-time must occur before end-time');
    const region = values.region ?? homeRegion;
    let source: ObjectSource;
    let publicKeys: ReadonlyMap<string, Uint8Array>;
    let bucket = values['s3-bucket'];
    let prefix = values['s3-prefix'];
    if (values['export-dir']) {
      if (!bucket || !values['public-keys']) throw new UsageError('--export-dir needs --s3-bucket and --public-keys');
      source = new DirectorySource(resolve(values['export-dir']));
      publicKeys = await readPublicKeys(values['public-keys']);
    } else {
      const dataDir = resolve(values['data-dir'] ?? process.env.CUSTOS_DATA_DIR ?? '.custos');
      if (!existsSync(join(dataDir, 'custos.db'))) throw new UsageError(`no Custos data at ${dataDir}`);
      const opened = await openDataDir(dataDir, { trailArn: arn, region, startTime, endTime });
      close = opened.close;
      source = opened.source;
      publicKeys = opened.publicKeys;
      bucket ??= opened.trail?.bucket;
      prefix ??= opened.trail?.prefix;
      if (!bucket) throw new UsageError(`trail ${arn} is not in ${dataDir}; give --s3-bucket`);
    }
    process.stdout.write(`Validating log files for trail ${arn} between ${isoSeconds(startTime)} and ${isoSeconds(endTime)}\n\n`);
    if (publicKeys.size === 0) throw new Error(`No public keys found between ${isoSeconds(startTime)} and ${isoSeconds(endTime + 7_200_000)}`);
    const result = await validate({
      source, trailArn: arn, verbose: values.verbose ?? false,
      query: { bucket, location: { prefix, accountId }, trailName, homeRegion, region, startTime, endTime, publicKeys },
    });
    return result.invalidDigests + result.invalidLogs > 0 ? 1 : 0;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`custos validate-logs: ${error.message}\n\n${HELP}`);
    return 2;
  } finally {
    await close?.();
  }
}
