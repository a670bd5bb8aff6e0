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

/**
 * Access keys by id, kept in memory because every request looks one up. Writes evict the key at
 * once and again after their commit, so that a read racing the commit cannot keep a stale copy.
 */
export class KeyCache {
  readonly #keys = new Map<string, AccessKey | null>();
  readonly #written = new Set<string>();

  get(accessKeyId: string): AccessKey | null | undefined {
    return this.#keys.get(accessKeyId);
  }

  remember(accessKeyId: string, key: AccessKey | null): void {
    if (this.#keys.size >= 10_000) this.#keys.clear();
    this.#keys.set(accessKeyId, key);
  }

  /** A write to this key is in flight. */
  written(accessKeyId: string): void {
    this.#keys.delete(accessKeyId);
    this.#written.add(accessKeyId);
  }

  /** The writes in flight have committed (or rolled back). */
  settle(): void {
    for (const id of this.#written) this.#keys.delete(id);
    this.#written.clear();
  }

  clear(): void {
    this.#keys.clear();
    this.#written.clear();
  }
}

/** The SQLite Credentials repository over one connection. */
export class SqliteCredentials implements Credentials {
  readonly #cache: KeyCache;
  readonly #fill: boolean;
  readonly #get: Statement;
  readonly #put: Statement;
  readonly #delete: Statement;
  readonly #forOwner: Statement;

  /** `fill`: whether reads may cache what they find (only committed state may be cached). */
  constructor(db: Database, cache: KeyCache, options: { fill: boolean }) {
    this.#cache = cache;
    this.#fill = options.fill;
    this.#get = db.prepare('SELECT * FROM access_keys WHERE access_key_id = ?');
    this.#put = db.prepare(`INSERT OR REPLACE INTO access_keys
      (access_key_id, account_id, secret, status, owner_arn, owner, session_token, expires_at, created_at, last_used)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.#delete = db.prepare('DELETE FROM access_keys WHERE account_id = ? AND access_key_id = ?');
    this.#forOwner = db.prepare('SELECT * FROM access_keys WHERE account_id = ? AND owner_arn = ? ORDER BY created_at');
  }

  async get(accessKeyId: string): Promise<AccessKey | undefined> {
    if (this.#fill) {
      const cached = this.#cache.get(accessKeyId);
      if (cached !== undefined) return cached ?? undefined;
    }
    const row = this.#get.get(accessKeyId) as KeyRow | undefined;
    const key = row ? toKey(row) : undefined;
    if (this.#fill) this.#cache.remember(accessKeyId, key ?? null);
    return key;
  }

  async put(key: AccessKey): Promise<void> {
    this.#cache.written(key.accessKeyId);
    this.#put.run(
      key.accessKeyId, key.accountId, key.secretAccessKey, key.status, key.owner.arn, JSON.stringify(key.owner),
      key.sessionToken ?? null, key.expiresAt ?? null, key.createdAt, key.lastUsed ? JSON.stringify(key.lastUsed) : null,
    );
  }

  async delete(accountId: string, accessKeyId: string): Promise<boolean> {
    this.#cache.written(accessKeyId);
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
