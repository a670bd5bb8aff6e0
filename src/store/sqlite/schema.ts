/**
 * @module
 * The SQLite schema, as named migrations applied in list order and recorded in
 * `schema_migrations`. Append new migrations (a repository's tables get their own); never edit
 * one that has shipped.
 */
import type { Database } from 'better-sqlite3';

/** One step of the schema. */
export interface Migration {
  readonly name: string;
  readonly sql: string;
}

const MIGRATIONS: readonly Migration[] = [
  { name: '0001-core', sql: `
  CREATE TABLE accounts (
    account_id TEXT PRIMARY KEY,
    alias TEXT,
    created_at INTEGER NOT NULL
  );

  CREATE TABLE access_keys (
    access_key_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    secret TEXT NOT NULL,
    status TEXT NOT NULL,
    owner_arn TEXT NOT NULL,
    owner TEXT NOT NULL,
    session_token TEXT,
    expires_at INTEGER,
    created_at INTEGER NOT NULL,
    last_used TEXT
  );
  CREATE INDEX access_keys_owner ON access_keys (account_id, owner_arn);

  -- The audit log. seq is the global feed position; chain_seq the position in the scope's chain.
  CREATE TABLE events (
    seq INTEGER PRIMARY KEY,
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    chain_seq INTEGER NOT NULL,
    event_id TEXT NOT NULL,
    event_time INTEGER NOT NULL,
    event_name TEXT NOT NULL,
    event_source TEXT NOT NULL,
    username TEXT,
    access_key_id TEXT,
    read_only INTEGER,
    category TEXT NOT NULL,
    management INTEGER NOT NULL,
    body TEXT NOT NULL,
    prev_hash BLOB NOT NULL,
    hash BLOB NOT NULL
  );
  -- LookupEvents reads management events only; partial indexes keep data events out of them.
  CREATE INDEX events_time ON events (account_id, region, event_time) WHERE management = 1;
  CREATE INDEX events_name ON events (account_id, region, event_name, event_time) WHERE management = 1;
  CREATE INDEX events_source ON events (account_id, region, event_source, event_time) WHERE management = 1;
  CREATE INDEX events_user ON events (account_id, region, username, event_time) WHERE management = 1;
  CREATE INDEX events_key ON events (account_id, region, access_key_id, event_time) WHERE management = 1;
  CREATE INDEX events_event_id ON events (account_id, region, event_id);

  CREATE TABLE event_resources (
    seq INTEGER NOT NULL,
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    event_time INTEGER NOT NULL,
    type TEXT,
    name TEXT
  );
  CREATE INDEX event_resources_type ON event_resources (account_id, region, type, event_time);
  CREATE INDEX event_resources_name ON event_resources (account_id, region, name, event_time);

  CREATE TABLE chain_heads (
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    chain_seq INTEGER NOT NULL,
    hash BLOB NOT NULL,
    PRIMARY KEY (account_id, region)
  ) WITHOUT ROWID;

  CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY,
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );

  CREATE TABLE positions (
    subscriber TEXT PRIMARY KEY,
    position INTEGER NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE documents (
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (account_id, region, kind, id)
  ) WITHOUT ROWID;
  CREATE INDEX documents_account ON documents (account_id, kind);
  ` },
  { name: '0300-ec2-indexed-documents', sql: `
  CREATE TABLE indexed_documents (
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (account_id, region, kind, id)
  ) WITHOUT ROWID;

  -- One row per attribute value; queries look documents up by (name, value).
  CREATE TABLE indexed_attributes (
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    id TEXT NOT NULL,
    PRIMARY KEY (account_id, region, kind, name, value, id)
  ) WITHOUT ROWID;
  CREATE INDEX indexed_attributes_document ON indexed_attributes (account_id, region, kind, id, name);
  ` },
];

/** Brings a database up to the newest schema. */
export function migrate(db: Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const applied = new Set((db.prepare('SELECT name FROM schema_migrations').all() as { name: string }[]).map((r) => r.name));
  const record = db.prepare('INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)');
  for (const migration of MIGRATIONS) {
    if (applied.has(migration.name)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.name, Date.now());
    })();
  }
}

/** The tables that hold state (all but the migration record), for reset in test mode. */
export function stateTables(db: Database): string[] {
  return (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'schema_migrations'`).all() as { name: string }[])
    .map((row) => row.name);
}
