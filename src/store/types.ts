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
import type { LogEvents } from './repositories/log-events.js';
import type { MetricData } from './repositories/metric-data.js';
import type { S3Objects, S3Uploads } from './repositories/s3-objects.js';
import type { SnsDeliveries } from './repositories/sns-deliveries.js';
import type { TrailBuffers } from './repositories/trail-buffers.js';

export type * from './repositories/trail-buffers.js';
export type * from './repositories/log-events.js';
export type * from './repositories/metric-data.js';
export type * from './repositories/s3-objects.js';
export type * from './repositories/sns-deliveries.js';

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

/** How a transaction commits. */
export interface TransactionOptions {
  /**
   * `false` for bookkeeping that can be redone (a subscriber's position): the promise settles at
   * commit without waiting for the disk, a crash may lose it until the next durable commit, and
   * commit listeners are not woken for it (PostgreSQL's `synchronous_commit = off`). Default true.
   */
  readonly durable?: boolean;
}

/** The store. */
export interface Store {
  transaction<T>(fn: (tx: Tx) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Runs `fn` against committed state; it must not write. */
  read<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Calls `listener` after every durable commit, once it is on disk (the dispatcher's wake-up). */
  onCommit(listener: () => void): void;
  /** Erases all state (test mode only). */
  reset(): Promise<void>;
  close(): Promise<void>;
}
