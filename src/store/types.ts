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

/**
 * The attributes a document is found by: each name holds one or more string values
 * (e.g. `instance-state-name: running`, `group-id: [sg-1, sg-2]`, `tag:Name: web`).
 */
export type IndexAttributes = Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * One filter of a query: the document must have attribute `name` with one of `values`. A value may
 * hold the wildcards `*` (any run of characters) and `?` (any one character); `\` makes the next
 * character literal. Matching is case-sensitive.
 */
export interface AttributeFilter {
  readonly name: string;
  readonly values: readonly string[];
}

/** A query over indexed documents of one kind. */
export interface IndexedQuery {
  /** Only documents with these ids. */
  readonly ids?: readonly string[];
  /** Every filter must match. */
  readonly filters?: readonly AttributeFilter[];
  /** Only ids strictly greater than this. */
  readonly after?: string;
  readonly limit?: number;
}

/**
 * Scoped documents found by their attributes, with the filtering done by the backend: resources
 * that are listed in large numbers with many filters (EC2's instances, volumes, groups...).
 */
export interface IndexedDocuments {
  get<T>(scope: Scope, kind: string, id: string): Promise<T | undefined>;
  /** Stores a document and replaces its attributes. */
  put<T>(scope: Scope, kind: string, id: string, doc: T, attributes: IndexAttributes): Promise<void>;
  /** Whether a document was deleted (its attributes go with it). */
  delete(scope: Scope, kind: string, id: string): Promise<boolean>;
  /** The documents that match a query, in id order. */
  query<T>(scope: Scope, kind: string, query?: IndexedQuery): Promise<DocumentEntry<T>[]>;
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

/** One version of an S3 object, or a delete marker, as the S3 service stores it. */
export interface S3ObjectVersion {
  readonly bucket: string;
  readonly key: string;
  /** `null` names the null version (objects written while versioning was never on, or suspended). */
  readonly versionId: string;
  readonly deleteMarker: boolean;
  /** ms */
  readonly lastModified: number;
  readonly size: number;
  readonly etag: string;
  /** What the service keeps beside (content headers, metadata, checksums, encryption, blobs); opaque here. */
  readonly attributes: object;
}

/** A stored version and its place in its key's history. */
export interface StoredS3ObjectVersion extends S3ObjectVersion {
  /** Grows with every version written: a newer version of a key has a larger seq. */
  readonly seq: number;
  readonly isLatest: boolean;
}

/** A page of keys: those starting with `prefix`, after `after` (exclusive) and from `from` (inclusive). */
export interface S3KeyRange {
  readonly prefix?: string;
  readonly after?: string;
  readonly from?: string;
  readonly limit: number;
}

/** A page of versions; `afterVersion` continues within the key `after` with versions older than that seq. */
export interface S3VersionRange extends S3KeyRange {
  readonly afterVersion?: number;
}

/**
 * S3 objects with their versions, per bucket, ordered by key in UTF-8 byte order (as S3 lists
 * them), newest version first within a key. Bucket names are global, so the scope is the bucket's.
 */
export interface S3Objects {
  /** A version by id, or the latest version (which may be a delete marker). */
  get(scope: Scope, bucket: string, key: string, versionId?: string): Promise<StoredS3ObjectVersion | undefined>;
  /** Adds a version as the latest of its key; an existing version with the same id is replaced and returned. */
  put(scope: Scope, version: S3ObjectVersion): Promise<StoredS3ObjectVersion | undefined>;
  /** Replaces the attributes of one version in place (tags, ACL, retention); false when there is no such version. */
  setAttributes(scope: Scope, bucket: string, key: string, versionId: string, attributes: object): Promise<boolean>;
  /** Removes one version; when it was the latest, the next newest becomes latest. Returns what was removed. */
  delete(scope: Scope, bucket: string, key: string, versionId: string): Promise<StoredS3ObjectVersion | undefined>;
  /** Latest versions that are not delete markers, by key. */
  list(scope: Scope, bucket: string, range: S3KeyRange): Promise<StoredS3ObjectVersion[]>;
  /** Every version and delete marker, by key, newest first within a key. */
  listVersions(scope: Scope, bucket: string, range: S3VersionRange): Promise<StoredS3ObjectVersion[]>;
  /** Whether the bucket holds any version or delete marker. */
  hasAny(scope: Scope, bucket: string): Promise<boolean>;
}

/** An in-progress multipart upload. */
export interface S3Upload {
  readonly bucket: string;
  readonly key: string;
  readonly uploadId: string;
  /** ms */
  readonly initiated: number;
  readonly attributes: object;
}

/** A part of a multipart upload. */
export interface S3Part {
  readonly uploadId: string;
  readonly partNumber: number;
  /** ms */
  readonly lastModified: number;
  readonly size: number;
  readonly etag: string;
  readonly attributes: object;
}

/** Multipart uploads and their parts, in the scope of the bucket's owner. */
export interface S3Uploads {
  put(scope: Scope, upload: S3Upload): Promise<void>;
  get(scope: Scope, bucket: string, uploadId: string): Promise<S3Upload | undefined>;
  /** Removes an upload and its parts; returns the parts it had. */
  delete(scope: Scope, bucket: string, uploadId: string): Promise<S3Part[]>;
  /** Uploads by key then upload id; `after` continues after that key (and, given `afterUploadId`, that upload). */
  list(scope: Scope, bucket: string, range: { prefix?: string; after?: string; afterUploadId?: string; limit: number }): Promise<S3Upload[]>;
  /** Stores a part; returns the part with the same number it replaced. */
  putPart(scope: Scope, part: S3Part): Promise<S3Part | undefined>;
  /** Parts by number, after `after`. */
  listParts(scope: Scope, uploadId: string, range?: { after?: number; limit?: number }): Promise<S3Part[]>;
}

/** The state of an SNS delivery: waiting for its next attempt, done, or given up. */
export type SnsDeliveryState = 'pending' | 'delivered' | 'failed';

/** An SNS message to deliver to one subscription's endpoint, with its attempts and schedule. */
export interface SnsDelivery {
  readonly id: string;
  readonly accountId: string;
  readonly region: string;
  readonly subscriptionArn: string;
  readonly state: SnsDeliveryState;
  /** Attempts made so far. */
  readonly attempts: number;
  /** When a pending delivery is next due, ms; a claimed delivery is leased until then. */
  readonly dueAt: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  /** Why the last attempt failed. */
  readonly lastError?: string;
  /** The message and how to send it, as SNS defines them. */
  readonly payload: unknown;
}

/** A delivery to queue. */
export interface NewSnsDelivery {
  readonly id: string;
  readonly subscriptionArn: string;
  readonly dueAt: number;
  readonly createdAt: number;
  readonly payload: unknown;
}

/** What an attempt at a delivery came to. */
export interface SnsDeliveryOutcome {
  readonly state: SnsDeliveryState;
  readonly attempts: number;
  /** The next attempt's due time, for a delivery still pending. */
  readonly dueAt: number;
  readonly updatedAt: number;
  readonly lastError?: string;
}

/**
 * SNS's delivery queue: one row per message and subscription, kept after it is settled as the
 * record of what was delivered or given up. Claims span all scopes (one delivery loop serves all).
 */
export interface SnsDeliveries {
  /** Queues a delivery; false, changing nothing, when one with its id exists (a re-read outbox entry). */
  add(scope: Scope, delivery: NewSnsDelivery): Promise<boolean>;
  /**
   * Claims up to `limit` pending deliveries due at `now`, earliest first, except those of the
   * subscriptions named: each is leased, its due time set to `leaseUntil`, so that one a stopped
   * process had claimed is tried again when its lease ends.
   */
  claim(now: number, limit: number, leaseUntil: number, skipSubscriptions?: readonly string[]): Promise<SnsDelivery[]>;
  /** Records the outcome of an attempt. */
  settle(id: string, outcome: SnsDeliveryOutcome): Promise<void>;
  /** The earliest due time of the pending deliveries, except those of the subscriptions named; undefined when there is none. */
  nextDue(skipSubscriptions?: readonly string[]): Promise<number | undefined>;
  /** A subscription's deliveries, oldest first. */
  list(scope: Scope, subscriptionArn: string, limit?: number): Promise<SnsDelivery[]>;
}

/** What a read-write transaction can reach. */
export interface Tx {
  readonly events: EventLog;
  readonly outbox: Outbox;
  readonly documents: Documents;
  readonly indexed: IndexedDocuments;
  readonly credentials: Credentials;
  readonly accounts: Accounts;
  readonly trailBuffers: TrailBuffers;
  readonly logEvents: LogEvents;
  readonly metrics: MetricData;
  readonly s3Objects: S3Objects;
  readonly s3Uploads: S3Uploads;
  readonly snsDeliveries: SnsDeliveries;
  /** Runs `fn` so that, if it throws, its changes are undone and the rest of the transaction stays. */
  atomic<T>(fn: () => Promise<T>): Promise<T>;
}

/** The store. */
export interface Store {
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Runs `fn` against committed state; it must not write. */
  read<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Calls `listener` after every commit, once its transactions are durable (the dispatcher's wake-up). */
  onCommit(listener: () => void): void;
  /** Erases all state (test mode only). */
  reset(): Promise<void>;
  close(): Promise<void>;
}
