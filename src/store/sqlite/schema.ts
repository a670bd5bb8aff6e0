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
  { name: '0100-s3-objects', sql: `
  -- Every version of every S3 object; seq orders the versions of a key (newer is larger).
  CREATE TABLE s3_object_versions (
    seq INTEGER PRIMARY KEY,
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    bucket TEXT NOT NULL,
    object_key TEXT NOT NULL,
    version_id TEXT NOT NULL,
    latest INTEGER NOT NULL,
    delete_marker INTEGER NOT NULL,
    last_modified INTEGER NOT NULL,
    size INTEGER NOT NULL,
    etag TEXT NOT NULL,
    attributes TEXT NOT NULL
  );
  CREATE UNIQUE INDEX s3_versions_by_key ON s3_object_versions (account_id, region, bucket, object_key, seq DESC);
  CREATE UNIQUE INDEX s3_versions_by_id ON s3_object_versions (account_id, region, bucket, object_key, version_id);
  -- ListObjects reads only the current, visible objects.
  CREATE INDEX s3_current_objects ON s3_object_versions (account_id, region, bucket, object_key) WHERE latest = 1 AND delete_marker = 0;

  CREATE TABLE s3_uploads (
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    bucket TEXT NOT NULL,
    upload_id TEXT NOT NULL,
    object_key TEXT NOT NULL,
    initiated INTEGER NOT NULL,
    attributes TEXT NOT NULL,
    PRIMARY KEY (account_id, region, bucket, upload_id)
  ) WITHOUT ROWID;
  CREATE INDEX s3_uploads_by_key ON s3_uploads (account_id, region, bucket, object_key, upload_id);

  CREATE TABLE s3_parts (
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    upload_id TEXT NOT NULL,
    part_number INTEGER NOT NULL,
    last_modified INTEGER NOT NULL,
    size INTEGER NOT NULL,
    etag TEXT NOT NULL,
    attributes TEXT NOT NULL,
    PRIMARY KEY (account_id, region, upload_id, part_number)
  ) WITHOUT ROWID;
  ` },
  { name: '0200-logs-events', sql: `
  CREATE TABLE log_events (
    id INTEGER PRIMARY KEY,
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    group_name TEXT NOT NULL,
    stream_name TEXT NOT NULL,
    timestamp INTEGER NOT NULL,
    ingestion_time INTEGER NOT NULL,
    message TEXT NOT NULL
  );
  CREATE INDEX log_events_stream ON log_events (account_id, region, group_name, stream_name, timestamp);
  CREATE INDEX log_events_group ON log_events (account_id, region, group_name, timestamp);
  ` },
  { name: '0201-monitoring-metrics', sql: `
  CREATE TABLE metric_series (
    id INTEGER PRIMARY KEY,
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    namespace TEXT NOT NULL,
    metric_name TEXT NOT NULL,
    dimensions TEXT NOT NULL,
    last_timestamp INTEGER NOT NULL,
    UNIQUE (account_id, region, namespace, metric_name, dimensions)
  );
  CREATE TABLE metric_points (
    series_id INTEGER NOT NULL,
    timestamp INTEGER NOT NULL,
    sample_count REAL NOT NULL,
    sum REAL NOT NULL,
    min REAL NOT NULL,
    max REAL NOT NULL,
    unit TEXT NOT NULL,
    distribution TEXT
  );
  CREATE INDEX metric_points_series ON metric_points (series_id, timestamp);
  ` },
  { name: '0500-sns-deliveries', sql: `
  CREATE TABLE sns_deliveries (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    subscription_arn TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    due_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    last_error TEXT,
    payload TEXT NOT NULL
  );
  CREATE INDEX sns_deliveries_due ON sns_deliveries (due_at) WHERE state = 'pending';
  CREATE INDEX sns_deliveries_subscription ON sns_deliveries (account_id, region, subscription_arn, created_at);
  ` },
  { name: '0600-cloudtrail-trail-buffers', sql: `
  -- Audit records a trail selected and has not yet delivered, by trail and the records' scope.
  CREATE TABLE trail_buffers (
    account_id TEXT NOT NULL,
    region TEXT NOT NULL,
    trail_arn TEXT NOT NULL,
    seq INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    added_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, region, trail_arn, seq)
  ) WITHOUT ROWID;
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
