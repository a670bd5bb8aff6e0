/**
 * @module
 * The outbox and subscriber positions in SQLite.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { Scope } from '../../core/scope.js';
import type { Clock } from '../../core/clock.js';
import type { Outbox, OutboxEntry } from '../types.js';

interface OutboxRow {
  seq: number;
  account_id: string;
  region: string;
  kind: string;
  payload: string;
  created_at: number;
}

/** The SQLite Outbox over one connection. */
export class SqliteOutbox implements Outbox {
  readonly #clock: Clock;
  readonly #append: Statement;
  readonly #readAfter: Statement;
  readonly #head: Statement;
  readonly #position: Statement;
  readonly #setPosition: Statement;

  constructor(db: Database, clock: Clock) {
    this.#clock = clock;
    this.#append = db.prepare('INSERT INTO outbox (account_id, region, kind, payload, created_at) VALUES (?, ?, ?, ?, ?)');
    this.#readAfter = db.prepare('SELECT * FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?');
    this.#head = db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM outbox');
    this.#position = db.prepare('SELECT position FROM positions WHERE subscriber = ?');
    this.#setPosition = db.prepare(`INSERT INTO positions (subscriber, position) VALUES (?, ?)
      ON CONFLICT (subscriber) DO UPDATE SET position = excluded.position`);
  }

  async append(scope: Scope, kind: string, payload: unknown): Promise<number> {
    const info = this.#append.run(scope.accountId, scope.region, kind, JSON.stringify(payload), this.#clock.now());
    return Number(info.lastInsertRowid);
  }

  async readAfter(position: number, limit: number): Promise<OutboxEntry[]> {
    return (this.#readAfter.all(position, limit) as OutboxRow[]).map((row) => ({
      seq: row.seq,
      accountId: row.account_id,
      region: row.region,
      kind: row.kind,
      payload: JSON.parse(row.payload) as unknown,
      createdAt: row.created_at,
    }));
  }

  async head(): Promise<number> {
    return (this.#head.get() as { seq: number }).seq;
  }

  async position(subscriber: string): Promise<number> {
    return (this.#position.get(subscriber) as { position: number } | undefined)?.position ?? 0;
  }

  async setPosition(subscriber: string, position: number): Promise<void> {
    this.#setPosition.run(subscriber, position);
  }
}
