/**
 * @module
 * SNS's delivery queue in SQLite.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { Scope } from '../../core/scope.js';
import type { NewSnsDelivery, SnsDeliveries, SnsDelivery, SnsDeliveryOutcome, SnsDeliveryState } from '../types.js';

interface DeliveryRow {
  id: string;
  account_id: string;
  region: string;
  subscription_arn: string;
  state: SnsDeliveryState;
  attempts: number;
  due_at: number;
  created_at: number;
  updated_at: number;
  last_error: string | null;
  payload: string;
}

function toDelivery(row: DeliveryRow): SnsDelivery {
  return {
    id: row.id,
    accountId: row.account_id,
    region: row.region,
    subscriptionArn: row.subscription_arn,
    state: row.state,
    attempts: row.attempts,
    dueAt: row.due_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastError: row.last_error ?? undefined,
    payload: JSON.parse(row.payload) as unknown,
  };
}

/** The SQLite SnsDeliveries over one connection. */
export class SqliteSnsDeliveries implements SnsDeliveries {
  readonly #add: Statement;
  readonly #due: Statement;
  readonly #lease: Statement;
  readonly #settle: Statement;
  readonly #nextDue: Statement;
  readonly #list: Statement;

  constructor(db: Database) {
    this.#add = db.prepare(`INSERT INTO sns_deliveries
      (id, account_id, region, subscription_arn, state, attempts, due_at, created_at, updated_at, payload)
      VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`);
    this.#due = db.prepare(`SELECT * FROM sns_deliveries
      WHERE state = 'pending' AND due_at <= ? AND subscription_arn NOT IN (SELECT value FROM json_each(?))
      ORDER BY due_at LIMIT ?`);
    this.#lease = db.prepare('UPDATE sns_deliveries SET due_at = ? WHERE id = ?');
    this.#settle = db.prepare('UPDATE sns_deliveries SET state = ?, attempts = ?, due_at = ?, updated_at = ?, last_error = ? WHERE id = ?');
    this.#nextDue = db.prepare(`SELECT MIN(due_at) AS due FROM sns_deliveries
      WHERE state = 'pending' AND subscription_arn NOT IN (SELECT value FROM json_each(?))`);
    this.#list = db.prepare(`SELECT * FROM sns_deliveries WHERE account_id = ? AND region = ? AND subscription_arn = ?
      ORDER BY created_at, rowid LIMIT ?`);
  }

  async add(scope: Scope, delivery: NewSnsDelivery): Promise<boolean> {
    const info = this.#add.run(
      delivery.id, scope.accountId, scope.region, delivery.subscriptionArn, delivery.dueAt, delivery.createdAt, delivery.createdAt,
      JSON.stringify(delivery.payload),
    );
    return info.changes > 0;
  }

  async claim(now: number, limit: number, leaseUntil: number, skipSubscriptions: readonly string[] = []): Promise<SnsDelivery[]> {
    const rows = this.#due.all(now, JSON.stringify(skipSubscriptions), limit) as DeliveryRow[];
    for (const row of rows) this.#lease.run(leaseUntil, row.id);
    return rows.map((row) => toDelivery({ ...row, due_at: leaseUntil }));
  }

  async settle(id: string, outcome: SnsDeliveryOutcome): Promise<void> {
    this.#settle.run(outcome.state, outcome.attempts, outcome.dueAt, outcome.updatedAt, outcome.lastError ?? null, id);
  }

  async nextDue(skipSubscriptions: readonly string[] = []): Promise<number | undefined> {
    return (this.#nextDue.get(JSON.stringify(skipSubscriptions)) as { due: number | null }).due ?? undefined;
  }

  async list(scope: Scope, subscriptionArn: string, limit = 1000): Promise<SnsDelivery[]> {
    return (this.#list.all(scope.accountId, scope.region, subscriptionArn, limit) as DeliveryRow[]).map(toDelivery);
  }
}
