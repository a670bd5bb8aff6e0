/**
 * @module
 * The store: the only place state lives. This file is the contract every backend (SQLite now,
 * PostgreSQL next) implements and `conformance.ts` checks.
 *
 * Transactions: `Store.transaction` runs a function against a read-write `Tx`. A backend may group
 * several transactions into one physical commit (group commit), but each transaction's effects
 * become visible and durable together, and its promise settles only after that commit. Inside a
 * transaction, await only `Tx` calls: awaiting other I/O stalls every writer.
 *
 * Scopes: every call on scoped state takes a Scope (account and region). Feeds (`readAfter`) span
 * all scopes, because one dispatcher drains them for every account and region.
 */
import type { Scope } from '../core/scope.js';

/** The facts about an audit record that LookupEvents and trails filter on. */
export interface EventFacts {
  readonly eventId: string;
  readonly eventTime: number;
  readonly eventName: string;
  readonly eventSource: string;
  readonly username?: string;
  readonly accessKeyId?: string;
  readonly readOnly?: boolean;
  /** CloudTrail eventCategory: Management, Data, ... */
  readonly category: string;
}

/** A resource indexed for LookupEvents' ResourceType and ResourceName. */
export interface EventResource {
  readonly type?: string;
  readonly name?: string;
}

/** An audit record to append: its facts, its resources and its exact serialised bytes. */
export interface NewEvent extends EventFacts {
  readonly resources: readonly EventResource[];
  /** The record as JSON, serialised once; these exact bytes are stored and hashed. */
  readonly body: string;
}

/** An appended audit record with its place in the global feed and in its scope's hash chain. */
export interface StoredEvent extends EventFacts {
  readonly seq: number;
  readonly accountId: string;
  readonly region: string;
  readonly chainSeq: number;
  /** Filled by `lookup`: the resources indexed for the record. */
  readonly resources?: readonly EventResource[];
  readonly body: string;
  /** Hex SHA-256 of the previous record's hash and this body; see integrity/hash-chain.ts. */
  readonly hash: string;
  readonly prevHash: string;
}

/** The attributes LookupEvents can filter by (one at a time). */
export type LookupAttributeKey =
  | 'EventId' | 'EventName' | 'ReadOnly' | 'Username' | 'ResourceType' | 'ResourceName' | 'EventSource' | 'AccessKeyId';

/** A LookupEvents query: management events of one scope, newest first. */
export interface EventQuery {
  readonly attribute?: { key: LookupAttributeKey; value: string };
  /** Inclusive bounds in ms. */
  readonly startTime: number;
  readonly endTime: number;
  readonly limit: number;
  /** Continue strictly after (older than) this position. */
  readonly before?: { eventTime: number; seq: number };
}

/** The audit log: append-only, hash-chained per scope. */
export interface EventLog {
  append(scope: Scope, event: NewEvent): Promise<StoredEvent>;
  lookup(scope: Scope, query: EventQuery): Promise<StoredEvent[]>;
  /** The feed: records after a global position, oldest first, across all scopes. */
  readAfter(position: number, limit: number): Promise<StoredEvent[]>;
  /** The newest global position (0 when empty). */
  head(): Promise<number>;
  /** The last link of every scope's chain, as recorded at append (detects records cut off the end). */
  chainHeads(): Promise<{ accountId: string; region: string; chainSeq: number; hash: string }[]>;
}

/** An entry written in a call's transaction for subscribers to act on after commit. */
export interface OutboxEntry<T = unknown> {
  readonly seq: number;
  readonly accountId: string;
  readonly region: string;
  readonly kind: string;
  readonly payload: T;
  readonly createdAt: number;
}

/** The outbox and the positions of the subscribers that drain it. */
export interface Outbox {
  append(scope: Scope, kind: string, payload: unknown): Promise<number>;
  readAfter(position: number, limit: number): Promise<OutboxEntry[]>;
  head(): Promise<number>;
  /** A subscriber's position in a feed (0 when it has none yet). */
  position(subscriber: string): Promise<number>;
  setPosition(subscriber: string, position: number): Promise<void>;
}

/** A stored document with its id. */
export interface DocumentEntry<T> {
  readonly id: string;
  readonly doc: T;
}

/** Options for listing documents, ordered by id. */
export interface ListOptions {
  readonly prefix?: string;
  /** Only ids strictly greater than this. */
  readonly after?: string;
  readonly limit?: number;
}

/**
 * Scoped JSON documents by kind and id: the state of most resources (trails, users, topics...).
 * High-volume data (objects, log events, metrics) gets its own repository instead.
 */
export interface Documents {
  get<T>(scope: Scope, kind: string, id: string): Promise<T | undefined>;
  put<T>(scope: Scope, kind: string, id: string, doc: T): Promise<void>;
  /** Whether a document was deleted. */
  delete(scope: Scope, kind: string, id: string): Promise<boolean>;
  list<T>(scope: Scope, kind: string, options?: ListOptions): Promise<DocumentEntry<T>[]>;
  count(scope: Scope, kind: string): Promise<number>;
  /** Documents of a kind in every region of an account (multi-region trails, global views). */
  listInAccount<T>(accountId: string, kind: string): Promise<(DocumentEntry<T> & { region: string })[]>;
}

/** The principal an access key belongs to, as stored. */
export interface KeyOwner {
  readonly type: 'Root' | 'IAMUser' | 'AssumedRole' | 'FederatedUser';
  /** IAM user name, or the role name for role sessions. */
  readonly name?: string;
  /** The IAM unique id (AIDA..., AROA...) or the account id for root. */
  readonly id: string;
  readonly arn: string;
  /** Session facts for temporary credentials (session name, issuer, policies, MFA...). */
  readonly session?: Record<string, unknown>;
}

/** An access key and its secret. */
export interface AccessKey {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly accountId: string;
  readonly status: 'Active' | 'Inactive';
  readonly owner: KeyOwner;
  readonly sessionToken?: string;
  /** Expiry of temporary credentials, ms. */
  readonly expiresAt?: number;
  readonly createdAt: number;
  readonly lastUsed?: { at: number; region: string; service: string };
}

/**
 * Access keys. Lookup by key id precedes knowing the scope (the key names the account), so
 * `get` takes none; everything else is scoped to the owning account.
 */
export interface Credentials {
  get(accessKeyId: string): Promise<AccessKey | undefined>;
  put(key: AccessKey): Promise<void>;
  delete(accountId: string, accessKeyId: string): Promise<boolean>;
  listForOwner(accountId: string, ownerArn: string): Promise<AccessKey[]>;
}

/** An account known to this installation. */
export interface Account {
  readonly accountId: string;
  readonly alias?: string;
  readonly createdAt: number;
}

/** Accounts. */
export interface Accounts {
  get(accountId: string): Promise<Account | undefined>;
  put(account: Account): Promise<void>;
  list(): Promise<Account[]>;
}

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

/** A CloudWatch metric: namespace, name and dimensions (sorted by name, as the store keeps them). */
export interface MetricIdentity {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: readonly { readonly name: string; readonly value: string }[];
}

/** A data point to store: one value, a statistic set, or a distribution of values. */
export interface NewMetricPoint extends MetricIdentity {
  readonly timestamp: number;
  readonly sampleCount: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
  /** `None` when the caller gave no unit. */
  readonly unit: string;
  /** [value, count] pairs, for percentiles; absent for statistic sets, which have none. */
  readonly distribution?: readonly (readonly [number, number])[];
}

/** A read of one metric over [startTime, endTime) in buckets of `period` ms aligned to startTime. */
export interface MetricQuery {
  readonly metric: MetricIdentity;
  readonly startTime: number;
  readonly endTime: number;
  readonly period: number;
  /** Only points of this unit. */
  readonly unit?: string;
}

/** The aggregate of one bucket (buckets without points are absent). */
export interface MetricBucket {
  readonly start: number;
  readonly sampleCount: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
  /** The units of the bucket's points. */
  readonly units: readonly string[];
}

/** A ListMetrics filter; results come in a stable order, resumable after a key. */
export interface MetricListQuery {
  readonly namespace?: string;
  readonly metricName?: string;
  /** Metrics that have these dimensions (any value when `value` is absent). */
  readonly dimensions?: readonly { readonly name: string; readonly value?: string }[];
  /** Only metrics with a point at or after this time, ms. */
  readonly activeSince?: number;
  readonly after?: number;
  readonly limit: number;
}

/** CloudWatch metric data points, aggregated on read. */
export interface MetricData {
  put(scope: Scope, points: readonly NewMetricPoint[]): Promise<void>;
  aggregate(scope: Scope, query: MetricQuery): Promise<MetricBucket[]>;
  /** The merged [value, count] distribution of each bucket that has one, for percentiles. */
  distributions(scope: Scope, query: MetricQuery): Promise<{ start: number; values: [number, number][] }[]>;
  /** Metrics matching a filter, each with the key to resume after. */
  list(scope: Scope, query: MetricListQuery): Promise<(MetricIdentity & { readonly key: number })[]>;
}

/** What a read-write transaction can reach. */
export interface Tx {
  readonly events: EventLog;
  readonly outbox: Outbox;
  readonly documents: Documents;
  readonly credentials: Credentials;
  readonly accounts: Accounts;
  readonly logEvents: LogEvents;
  readonly metrics: MetricData;
  /** Runs `fn` so that, if it throws, its changes are undone and the rest of the transaction stays. */
  atomic<T>(fn: () => Promise<T>): Promise<T>;
}

/** The store. */
export interface Store {
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Runs `fn` against committed state; it must not write. */
  read<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Erases all state (test mode only). */
  reset(): Promise<void>;
  close(): Promise<void>;
}
