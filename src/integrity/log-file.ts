/**
 * @module
 * CloudTrail log files: `{"Records":[...]}` made from the exact record bytes the audit log stored
 * (never re-serialised), and the entry a digest keeps for each. Pure.
 */
import { isoSeconds } from '../core/clock.js';
import { HASH_ALGORITHM, type DigestLogFile } from './digest-file.js';
import { sha256Hex } from './signing.js';

/** A record to put in a log file: its stored JSON and its event time (ms). */
export interface LogRecord {
  readonly body: string;
  readonly eventTime: number;
}

/** An uncompressed log file and what its digest entry needs. */
export interface LogFile {
  readonly bytes: Buffer;
  /** Hex SHA-256 of `bytes`. */
  readonly hash: string;
  readonly newestEventTime: string;
  readonly oldestEventTime: string;
}

/** Builds a log file from records (at least one), in the order given. */
export function buildLogFile(records: readonly LogRecord[]): LogFile {
  if (records.length === 0) throw new Error('a log file needs at least one record');
  let newest = -Infinity;
  let oldest = Infinity;
  for (const record of records) {
    newest = Math.max(newest, record.eventTime);
    oldest = Math.min(oldest, record.eventTime);
  }
  const bytes = Buffer.from(`{"Records":[${records.map((r) => r.body).join(',')}]}`, 'utf8');
  return { bytes, hash: sha256Hex(bytes), newestEventTime: isoSeconds(newest), oldestEventTime: isoSeconds(oldest) };
}

/** The entry a digest lists for a delivered log file. */
export function digestEntry(file: Pick<LogFile, 'hash' | 'newestEventTime' | 'oldestEventTime'>, bucket: string, key: string): DigestLogFile {
  return {
    s3Bucket: bucket,
    s3Object: key,
    hashValue: file.hash,
    hashAlgorithm: HASH_ALGORITHM,
    newestEventTime: file.newestEventTime,
    oldestEventTime: file.oldestEventTime,
  };
}
