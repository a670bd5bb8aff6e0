/**
 * @module
 * The embedded SQLite backend. One writer connection runs transactions one after another, each
 * inside a savepoint, and commits them in groups: whatever queued while a group ran joins the next
 * COMMIT, so one fsync covers many calls. A separate read-only connection serves `read`.
 *
 * Durability: WAL with `synchronous=FULL`; a transaction's promise settles only after its group's
 * COMMIT has been fsynced, so an answered call survives a crash of the process or the machine.
 */
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { systemClock, type Clock } from '../../core/clock.js';
import type { Store, Tx } from '../types.js';
import { SqliteAccounts, SqliteCredentials } from './credentials.js';
import { SqliteDocuments } from './documents.js';
import { SqliteEventLog } from './event-log.js';
import { SqliteOutbox } from './outbox.js';
import { migrate, stateTables } from './schema.js';

/** Settings of the SQLite backend. */
export interface SqliteStoreOptions {
  /** The database file; `:memory:` is not supported (the reader needs a second connection). */
  readonly file: string;
  readonly clock?: Clock;
  /** `FULL` (default) fsyncs every group commit; `NORMAL` survives process crashes only. */
  readonly synchronous?: 'FULL' | 'NORMAL';
  /** Most transactions in one group commit. */
  readonly maxBatch?: number;
}

interface Job {
  fn: (tx: Tx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

function openTx(db: Db, clock: Clock, atomic: Tx['atomic']): Tx {
  return {
    events: new SqliteEventLog(db),
    outbox: new SqliteOutbox(db, clock),
    documents: new SqliteDocuments(db),
    credentials: new SqliteCredentials(db),
    accounts: new SqliteAccounts(db),
    atomic,
  };
}

/** The SQLite Store. */
export class SqliteStore implements Store {
  readonly #writer: Db;
  readonly #reader: Db;
  readonly #tx: Tx;
  readonly #readTx: Tx;
  readonly #maxBatch: number;
  readonly #queue: Job[] = [];
  #draining = false;
  #savepointDepth = 0;
  #closed = false;

  constructor(options: SqliteStoreOptions) {
    mkdirSync(dirname(options.file), { recursive: true });
    const clock = options.clock ?? systemClock;
    this.#writer = new Database(options.file);
    this.#writer.pragma('journal_mode = WAL');
    this.#writer.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    this.#writer.pragma('busy_timeout = 5000');
    this.#writer.pragma('cache_size = -65536');
    migrate(this.#writer);
    this.#reader = new Database(options.file, { readonly: true });
    this.#reader.pragma('busy_timeout = 5000');
    this.#reader.pragma('cache_size = -65536');
    this.#maxBatch = options.maxBatch ?? 1000;
    this.#tx = openTx(this.#writer, clock, (fn) => this.#atomic(fn));
    this.#readTx = openTx(this.#reader, clock, () => Promise.reject(new Error('read transactions cannot write')));
  }

  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('store is closed'));
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      if (!this.#draining) {
        this.#draining = true;
        setImmediate(() => void this.#drain());
      }
    });
  }

  async read<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return fn(this.#readTx);
  }

  async reset(): Promise<void> {
    await this.transaction(async () => {
      for (const table of stateTables(this.#writer)) this.#writer.exec(`DELETE FROM "${table}"`);
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    while (this.#draining) await new Promise((resolve) => setImmediate(resolve));
    this.#reader.close();
    this.#writer.close();
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch: Job[] = [];
      const results: Settled[] = [];
      this.#writer.exec('BEGIN IMMEDIATE');
      while (this.#queue.length > 0 && batch.length < this.#maxBatch) {
        const job = this.#queue.shift()!;
        batch.push(job);
        results.push(await this.#runJob(job));
      }
      try {
        this.#writer.exec('COMMIT');
      } catch (error) {
        if (this.#writer.inTransaction) this.#writer.exec('ROLLBACK');
        for (const job of batch) job.reject(error);
        continue;
      }
      batch.forEach((job, i) => {
        const result = results[i]!;
        if (result.ok) job.resolve(result.value);
        else job.reject(result.error);
      });
    }
    this.#draining = false;
  }

  async #runJob(job: Job): Promise<Settled> {
    try {
      return { ok: true, value: await this.#atomic(() => job.fn(this.#tx)) };
    } catch (error) {
      return { ok: false, error };
    }
  }

  async #atomic<T>(fn: () => Promise<T>): Promise<T> {
    const name = `sp${this.#savepointDepth++}`;
    this.#writer.exec(`SAVEPOINT ${name}`);
    try {
      const value = await fn();
      this.#writer.exec(`RELEASE ${name}`);
      return value;
    } catch (error) {
      this.#writer.exec(`ROLLBACK TO ${name}`);
      this.#writer.exec(`RELEASE ${name}`);
      throw error;
    } finally {
      this.#savepointDepth--;
    }
  }
}
