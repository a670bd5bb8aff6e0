/**
 * @module
 * Access keys and accounts in SQLite.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { AccessKey, Account, Accounts, Credentials, KeyOwner } from '../types.js';

interface KeyRow {
  access_key_id: string;
  account_id: string;
  secret: string;
  status: 'Active' | 'Inactive';
  owner: string;
  session_token: string | null;
  expires_at: number | null;
  created_at: number;
  last_used: string | null;
}

function toKey(row: KeyRow): AccessKey {
  return {
    accessKeyId: row.access_key_id,
    secretAccessKey: row.secret,
    accountId: row.account_id,
    status: row.status,
    owner: JSON.parse(row.owner) as KeyOwner,
    sessionToken: row.session_token ?? undefined,
    expiresAt: row.expires_at ?? undefined,
    createdAt: row.created_at,
    lastUsed: row.last_used ? (JSON.parse(row.last_used) as AccessKey['lastUsed']) : undefined,
  };
}

/** The SQLite Credentials repository over one connection. */
export class SqliteCredentials implements Credentials {
  readonly #get: Statement;
  readonly #put: Statement;
  readonly #delete: Statement;
  readonly #forOwner: Statement;

  constructor(db: Database) {
    this.#get = db.prepare('SELECT * FROM access_keys WHERE access_key_id = ?');
    this.#put = db.prepare(`INSERT OR REPLACE INTO access_keys
      (access_key_id, account_id, secret, status, owner_arn, owner, session_token, expires_at, created_at, last_used)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.#delete = db.prepare('DELETE FROM access_keys WHERE account_id = ? AND access_key_id = ?');
    this.#forOwner = db.prepare('SELECT * FROM access_keys WHERE account_id = ? AND owner_arn = ? ORDER BY created_at');
  }

  async get(accessKeyId: string): Promise<AccessKey | undefined> {
    const row = this.#get.get(accessKeyId) as KeyRow | undefined;
    return row ? toKey(row) : undefined;
  }

  async put(key: AccessKey): Promise<void> {
    this.#put.run(
      key.accessKeyId, key.accountId, key.secretAccessKey, key.status, key.owner.arn, JSON.stringify(key.owner),
      key.sessionToken ?? null, key.expiresAt ?? null, key.createdAt, key.lastUsed ? JSON.stringify(key.lastUsed) : null,
    );
  }

  async delete(accountId: string, accessKeyId: string): Promise<boolean> {
    return this.#delete.run(accountId, accessKeyId).changes > 0;
  }

  async listForOwner(accountId: string, ownerArn: string): Promise<AccessKey[]> {
    return (this.#forOwner.all(accountId, ownerArn) as KeyRow[]).map(toKey);
  }
}

/** The SQLite Accounts repository over one connection. */
export class SqliteAccounts implements Accounts {
  readonly #get: Statement;
  readonly #put: Statement;
  readonly #list: Statement;

  constructor(db: Database) {
    this.#get = db.prepare('SELECT * FROM accounts WHERE account_id = ?');
    this.#put = db.prepare('INSERT OR REPLACE INTO accounts (account_id, alias, created_at) VALUES (?, ?, ?)');
    this.#list = db.prepare('SELECT * FROM accounts ORDER BY account_id');
  }

  async get(accountId: string): Promise<Account | undefined> {
    const row = this.#get.get(accountId) as { account_id: string; alias: string | null; created_at: number } | undefined;
    return row ? { accountId: row.account_id, alias: row.alias ?? undefined, createdAt: row.created_at } : undefined;
  }

  async put(account: Account): Promise<void> {
    this.#put.run(account.accountId, account.alias ?? null, account.createdAt);
  }

  async list(): Promise<Account[]> {
    return (this.#list.all() as { account_id: string; alias: string | null; created_at: number }[]).map((row) => ({
      accountId: row.account_id,
      alias: row.alias ?? undefined,
      createdAt: row.created_at,
    }));
  }
}
