/**
 * @module
 * The embedded SQLite backend. One writer connection runs transactions one after another, each
 * inside a savepoint, and commits them in groups: whatever queued while a group ran joins the next
 * COMMIT. A separate read-only connection serves `read`.
 *
 * Durability: WAL with `synchronous=NORMAL`, plus an fdatasync of the WAL file after every group
 * commit, done on libuv's thread pool. A transaction's promise settles only once that sync is done,
 * so an answered call survives a crash of the process or of the machine, while the event loop goes
 * on running the next group during the sync. When nothing else is queued or syncing and syncs have
 * been fast (under a millisecond, as on SSDs), the sync runs inline instead: the thread-pool round
 * trip would cost more than the sync. `durability: 'process'` skips the sync (answered calls then
 * survive a killed process, not a power loss).
 */
import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import { closeSync, fdatasync, fdatasyncSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { systemClock, type Clock } from '../../core/clock.js';
import type { Store, TransactionOptions, Tx } from '../types.js';
import { KeyCache, SqliteAccounts, SqliteCredentials } from './credentials.js';
import { SqliteDocuments } from './documents.js';
import { SqliteEventLog } from './event-log.js';
import { SqliteLogEvents } from './log-events.js';
import { SqliteMetricData } from './metric-data.js';
import { SqliteIndexedDocuments } from './indexed-documents.js';
import { SqliteOutbox } from './outbox.js';
import { SqliteS3Objects, SqliteS3Uploads } from './s3-objects.js';
import { SqliteSnsDeliveries } from './sns-deliveries.js';
import { migrate, stateTables } from './schema.js';
import { SqliteTrailBuffers } from './trail-buffers.js';

const syncFile = promisify(fdatasync);

/** Syncs at least this slow on average always go to the thread pool. */
const INLINE_SYNC_MS = 1;

/** When a committed transaction counts as durable. */
export type Durability = 'fsync' | 'process';

/** Settings of the SQLite backend. */
export interface SqliteStoreOptions {
  /** The database file (a second connection opens it, so not `:memory:`). */
  readonly file: string;
  readonly clock?: Clock;
  /** `fsync` (default): on disk before a transaction settles; `process`: survives a killed process only. */
  readonly durability?: Durability;
  /** Most transactions in one group commit. */
  readonly maxBatch?: number;
}

interface Job {
  fn: (tx: Tx) => Promise<unknown>;
  durable: boolean;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

function openTx(db: Db, clock: Clock, keys: KeyCache, atomic: Tx['atomic'], readOnly: boolean): Tx & { events: SqliteEventLog } {
  return {
    events: new SqliteEventLog(db),
    outbox: new SqliteOutbox(db, clock),
    documents: new SqliteDocuments(db),
    indexed: new SqliteIndexedDocuments(db),
    credentials: new SqliteCredentials(db, keys, { fill: readOnly }),
    accounts: new SqliteAccounts(db),
    trailBuffers: new SqliteTrailBuffers(db),
    logEvents: new SqliteLogEvents(db),
    metrics: new SqliteMetricData(db),
    s3Objects: new SqliteS3Objects(db),
    s3Uploads: new SqliteS3Uploads(db),
    snsDeliveries: new SqliteSnsDeliveries(db),
    atomic,
  };
}

/** Prepared transaction-control statements; preparing once is much cheaper than exec per call. */
class Control {
  readonly begin: Statement;
  readonly commit: Statement;
  readonly rollback: Statement;
  readonly #savepoints: { open: Statement; release: Statement; undo: Statement }[] = [];

  constructor(private readonly db: Db) {
    this.begin = db.prepare('BEGIN IMMEDIATE');
    this.commit = db.prepare('COMMIT');
    this.rollback = db.prepare('ROLLBACK');
  }

  savepoint(depth: number): { open: Statement; release: Statement; undo: Statement } {
    let statements = this.#savepoints[depth];
    if (!statements) {
      statements = {
        open: this.db.prepare(`SAVEPOINT sp${depth}`),
        release: this.db.prepare(`RELEASE sp${depth}`),
        undo: this.db.prepare(`ROLLBACK TO sp${depth}`),
      };
      this.#savepoints[depth] = statements;
    }
    return statements;
  }
}

/** The SQLite Store. */
export class SqliteStore implements Store {
  readonly #writer: Db;
  readonly #reader: Db;
  readonly #control: Control;
  readonly #keys = new KeyCache();
  readonly #tx: Tx & { events: SqliteEventLog };
  readonly #readTx: Tx;
  readonly #maxBatch: number;
  readonly #walFd: number | undefined;
  readonly #queue: Job[] = [];
  readonly #syncing = new Set<Promise<void>>();
  readonly #commitListeners: (() => void)[] = [];
  #draining: Promise<void> | undefined;
  /** Recent fdatasync time (moving average), which decides whether an idle store syncs inline. */
  #syncMs = INLINE_SYNC_MS;
  #savepointDepth = 0;
  #closed = false;

  constructor(options: SqliteStoreOptions) {
    mkdirSync(dirname(options.file), { recursive: true });
    const clock = options.clock ?? systemClock;
    this.#writer = new Database(options.file);
    this.#writer.pragma('journal_mode = WAL');
    this.#writer.pragma('synchronous = NORMAL');
    this.#writer.pragma('busy_timeout = 5000');
    this.#writer.pragma('cache_size = -65536');
    migrate(this.#writer);
    this.#walFd = (options.durability ?? 'fsync') === 'fsync' ? openSync(`${options.file}-wal`, 'r') : undefined;
    this.#reader = new Database(options.file, { readonly: true });
    this.#reader.pragma('busy_timeout = 5000');
    this.#reader.pragma('cache_size = -65536');
    this.#control = new Control(this.#writer);
    this.#maxBatch = options.maxBatch ?? 1000;
    this.#tx = openTx(this.#writer, clock, this.#keys, (fn) => this.#atomic(fn), false);
    this.#readTx = openTx(this.#reader, clock, this.#keys, () => Promise.reject(new Error('read transactions cannot write')), true);
  }

  transaction<T>(fn: (tx: Tx) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('store is closed'));
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ fn, durable: options.durable ?? true, resolve: resolve as (value: unknown) => void, reject });
      this.#draining ??= new Promise<void>((done) => setImmediate(() => void this.#drain().finally(done)));
    });
  }

  onCommit(listener: () => void): void {
    this.#commitListeners.push(listener);
  }

  async read<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return fn(this.#readTx);
  }

  async reset(): Promise<void> {
    await this.transaction(async () => {
      for (const table of stateTables(this.#writer)) this.#writer.exec(`DELETE FROM "${table}"`);
      this.#keys.clear();
      this.#tx.events.forgetHeads();
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#draining;
    await Promise.allSettled([...this.#syncing]);
    if (this.#walFd !== undefined) closeSync(this.#walFd);
    this.#reader.close();
    this.#writer.close();
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch: Job[] = [];
      const results: Settled[] = [];
      this.#control.begin.run();
      while (this.#queue.length > 0 && batch.length < this.#maxBatch) {
        const job = this.#queue.shift()!;
        batch.push(job);
        results.push(await this.#runJob(job));
      }
      try {
        this.#control.commit.run();
      } catch (error) {
        if (this.#writer.inTransaction) this.#control.rollback.run();
        this.#keys.clear();
        this.#tx.events.forgetHeads();
        for (const job of batch) job.reject(error);
        continue;
      }
      this.#keys.settle();
      this.#settleWhenDurable(batch, results);
    }
    this.#draining = undefined;
  }

  #settleWhenDurable(batch: Job[], results: Settled[]): void {
    const durable = batch.some((job) => job.durable);
    const settle = () => {
      batch.forEach((job, i) => {
        const result = results[i]!;
        if (result.ok) job.resolve(result.value);
        else job.reject(result.error);
      });
      if (durable) for (const listener of this.#commitListeners) listener();
    };
    if (this.#walFd === undefined || !durable) return settle();
    const started = performance.now();
    const timed = () => {
      this.#syncMs = 0.8 * this.#syncMs + 0.2 * (performance.now() - started);
      settle();
    };
    if (this.#queue.length === 0 && this.#syncing.size === 0 && this.#syncMs < INLINE_SYNC_MS) {
      try {
        fdatasyncSync(this.#walFd);
      } catch (error) {
        batch.forEach((job) => job.reject(error));
        return;
      }
      return timed();
    }
    const sync = syncFile(this.#walFd).then(timed, (error: unknown) => batch.forEach((job) => job.reject(error)));
    this.#syncing.add(sync);
    void sync.finally(() => this.#syncing.delete(sync));
  }

  async #runJob(job: Job): Promise<Settled> {
    try {
      return { ok: true, value: await this.#atomic(() => job.fn(this.#tx)) };
    } catch (error) {
      return { ok: false, error };
    }
  }

  async #atomic<T>(fn: () => Promise<T>): Promise<T> {
    const savepoint = this.#control.savepoint(this.#savepointDepth++);
    savepoint.open.run();
    try {
      const value = await fn();
      savepoint.release.run();
      return value;
    } catch (error) {
      savepoint.undo.run();
      savepoint.release.run();
      this.#tx.events.forgetHeads();
      throw error;
    } finally {
      this.#savepointDepth--;
    }
  }
}
