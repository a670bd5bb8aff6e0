/**
 * @module
 * Trail buffers in SQLite: feed positions per trail and scope, joined to the audit log for bodies.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { Scope } from '../../core/scope.js';
import type { BufferedRecord, TrailBufferSummary, TrailBuffers } from '../types.js';

/** The SQLite TrailBuffers repository over one connection. */
export class SqliteTrailBuffers implements TrailBuffers {
  readonly #add: Statement;
  readonly #sizes: Statement;
  readonly #read: Statement;
  readonly #remove: Statement;
  readonly #pending: Statement;

  constructor(db: Database) {
    this.#add = db.prepare(`INSERT INTO trail_buffers (account_id, region, trail_arn, seq, bytes, added_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT DO NOTHING`);
    this.#sizes = db.prepare('SELECT seq, bytes FROM trail_buffers WHERE account_id = ? AND region = ? AND trail_arn = ? ORDER BY seq');
    this.#read = db.prepare(`SELECT e.seq, e.event_time AS eventTime, e.body FROM trail_buffers b JOIN events e ON e.seq = b.seq
      WHERE b.account_id = ? AND b.region = ? AND b.trail_arn = ? AND b.seq <= ? ORDER BY b.seq`);
    this.#remove = db.prepare('DELETE FROM trail_buffers WHERE account_id = ? AND region = ? AND trail_arn = ? AND seq <= ?');
    this.#pending = db.prepare(`SELECT account_id AS accountId, region, trail_arn AS trailArn, COUNT(*) AS count, SUM(bytes) AS bytes,
      MIN(added_at) AS oldestAddedAt FROM trail_buffers GROUP BY account_id, region, trail_arn ORDER BY account_id, region, trail_arn`);
  }

  async add(scope: Scope, trailArn: string, entries: readonly { seq: number; bytes: number }[], addedAt: number): Promise<void> {
    for (const entry of entries) this.#add.run(scope.accountId, scope.region, trailArn, entry.seq, entry.bytes, addedAt);
  }

  async cut(scope: Scope, trailArn: string, maxBytes: number): Promise<number | undefined> {
    let through: number | undefined;
    let total = 0;
    for (const row of this.#sizes.iterate(scope.accountId, scope.region, trailArn) as IterableIterator<{ seq: number; bytes: number }>) {
      total += row.bytes;
      if (through !== undefined && total > maxBytes) break;
      through = row.seq;
    }
    return through;
  }

  async read(scope: Scope, trailArn: string, throughSeq: number): Promise<BufferedRecord[]> {
    return this.#read.all(scope.accountId, scope.region, trailArn, throughSeq) as BufferedRecord[];
  }

  async remove(scope: Scope, trailArn: string, throughSeq: number): Promise<void> {
    this.#remove.run(scope.accountId, scope.region, trailArn, throughSeq);
  }

  async pending(): Promise<TrailBufferSummary[]> {
    return this.#pending.all() as TrailBufferSummary[];
  }
}
