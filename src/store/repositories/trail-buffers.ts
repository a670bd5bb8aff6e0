/**
 * @module
 * The store repository of records trails have selected and not yet delivered; part of the store contract (see ../types.ts).
 */
import type { Scope } from '../../core/scope.js';

/** A record a trail has selected from the audit log and not yet written to a log file. */
export interface BufferedRecord {
  /** Its feed position in the audit log. */
  readonly seq: number;
  readonly eventTime: number;
  /** The record's exact stored bytes. */
  readonly body: string;
}

/** One trail's buffer for one account and region, as the delivery loop sees it. */
export interface TrailBufferSummary {
  readonly accountId: string;
  readonly region: string;
  readonly trailArn: string;
  readonly count: number;
  readonly bytes: number;
  /** When its oldest record was buffered (ms). */
  readonly oldestAddedAt: number;
}

/**
 * What trails have selected from the audit log and not yet delivered, by trail and by the scope
 * (account and region) of the records. Entries refer to audit records by feed position; reads
 * return the records' stored bytes.
 */
export interface TrailBuffers {
  /** Buffers records (feed position and body size) for a trail; a position already buffered is kept once. */
  add(scope: Scope, trailArn: string, entries: readonly { seq: number; bytes: number }[], addedAt: number): Promise<void>;
  /**
   * The last feed position of the oldest records whose sizes add up to at most `maxBytes` (always
   * at least one record), or undefined when the buffer is empty.
   */
  cut(scope: Scope, trailArn: string, maxBytes: number): Promise<number | undefined>;
  /** The buffered records through a feed position, oldest first. */
  read(scope: Scope, trailArn: string, throughSeq: number): Promise<BufferedRecord[]>;
  /** Drops the records through a feed position. */
  remove(scope: Scope, trailArn: string, throughSeq: number): Promise<void>;
  /** Every buffer that holds records, across scopes (the delivery loop's work list). */
  pending(): Promise<TrailBufferSummary[]>;
}
