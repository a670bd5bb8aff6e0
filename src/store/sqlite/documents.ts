/**
 * @module
 * Scoped JSON documents in SQLite.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { Scope } from '../../core/scope.js';
import type { DocumentEntry, Documents, ListOptions } from '../types.js';

/** The SQLite Documents repository over one connection. */
export class SqliteDocuments implements Documents {
  readonly #get: Statement;
  readonly #put: Statement;
  readonly #delete: Statement;
  readonly #list: Statement;
  readonly #count: Statement;
  readonly #inAccount: Statement;

  constructor(db: Database) {
    this.#get = db.prepare('SELECT body FROM documents WHERE account_id = ? AND region = ? AND kind = ? AND id = ?');
    this.#put = db.prepare(`INSERT INTO documents (account_id, region, kind, id, body) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (account_id, region, kind, id) DO UPDATE SET body = excluded.body`);
    this.#delete = db.prepare('DELETE FROM documents WHERE account_id = ? AND region = ? AND kind = ? AND id = ?');
    this.#list = db.prepare(`SELECT id, body FROM documents WHERE account_id = ? AND region = ? AND kind = ?
      AND id > ? AND substr(id, 1, ?) = ? ORDER BY id LIMIT ?`);
    this.#count = db.prepare('SELECT COUNT(*) AS n FROM documents WHERE account_id = ? AND region = ? AND kind = ?');
    this.#inAccount = db.prepare('SELECT region, id, body FROM documents WHERE account_id = ? AND kind = ? ORDER BY region, id');
  }

  async get<T>(scope: Scope, kind: string, id: string): Promise<T | undefined> {
    const row = this.#get.get(scope.accountId, scope.region, kind, id) as { body: string } | undefined;
    return row ? (JSON.parse(row.body) as T) : undefined;
  }

  async put<T>(scope: Scope, kind: string, id: string, doc: T): Promise<void> {
    this.#put.run(scope.accountId, scope.region, kind, id, JSON.stringify(doc));
  }

  async delete(scope: Scope, kind: string, id: string): Promise<boolean> {
    return this.#delete.run(scope.accountId, scope.region, kind, id).changes > 0;
  }

  async list<T>(scope: Scope, kind: string, options: ListOptions = {}): Promise<DocumentEntry<T>[]> {
    const prefix = options.prefix ?? '';
    const rows = this.#list.all(
      scope.accountId, scope.region, kind, options.after ?? '', prefix.length, prefix, options.limit ?? -1,
    ) as { id: string; body: string }[];
    return rows.map((row) => ({ id: row.id, doc: JSON.parse(row.body) as T }));
  }

  async count(scope: Scope, kind: string): Promise<number> {
    return (this.#count.get(scope.accountId, scope.region, kind) as { n: number }).n;
  }

  async listInAccount<T>(accountId: string, kind: string): Promise<(DocumentEntry<T> & { region: string })[]> {
    const rows = this.#inAccount.all(accountId, kind) as { region: string; id: string; body: string }[];
    return rows.map((row) => ({ region: row.region, id: row.id, doc: JSON.parse(row.body) as T }));
  }
}
