/**
 * @module
 * The store repository of CloudWatch Logs events; part of the store contract (see ../types.ts).
 */
import type { Scope } from '../../core/scope.js';

/** A log event to store. */
export interface NewLogEvent {
  /** The event's own time, ms. */
  readonly timestamp: number;
  readonly message: string;
}

/** A stored log event; `id` orders events that share a timestamp. */
export interface StoredLogEvent {
  readonly id: number;
  readonly logStreamName: string;
  readonly timestamp: number;
  readonly ingestionTime: number;
  readonly message: string;
}

/** A read of one log group's events in timestamp order (then id). */
export interface LogEventQuery {
  readonly logGroupName: string;
  /** Only these streams; all streams when absent. */
  readonly logStreamNames?: readonly string[];
  readonly logStreamNamePrefix?: string;
  /** Inclusive lower bound, ms. */
  readonly startTime?: number;
  /** Exclusive upper bound, ms. */
  readonly endTime?: number;
  /** Newest first. */
  readonly descending?: boolean;
  /** Continue strictly past this position (in the query's direction). */
  readonly after?: { readonly timestamp: number; readonly id: number };
  readonly limit: number;
}

/** CloudWatch Logs events: append-only per stream, read by group or stream in time order. */
export interface LogEvents {
  append(scope: Scope, logGroupName: string, logStreamName: string, events: readonly NewLogEvent[], ingestionTime: number): Promise<void>;
  query(scope: Scope, query: LogEventQuery): Promise<StoredLogEvent[]>;
  /** Removes a stream's events; returns how many. */
  deleteStream(scope: Scope, logGroupName: string, logStreamName: string): Promise<number>;
  /** Removes a group's events; returns how many. */
  deleteGroup(scope: Scope, logGroupName: string): Promise<number>;
  /** Removes a group's events whose timestamp is before `before` (retention); returns how many. */
  expire(scope: Scope, logGroupName: string, before: number): Promise<number>;
}
