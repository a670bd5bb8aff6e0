/**
 * @module
 * The audit log in SQLite: one row per record, its lookup attributes as indexed columns, chained
 * by hash per scope through `chain_heads`.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { Scope } from '../../core/scope.js';
import { chainHash, GENESIS_HASH } from '../../integrity/hash-chain.js';
import type { EventLog, EventQuery, NewEvent, StoredEvent } from '../types.js';

interface EventRow {
  seq: number;
  account_id: string;
  region: string;
  chain_seq: number;
  event_id: string;
  event_time: number;
  event_name: string;
  event_source: string;
  username: string | null;
  access_key_id: string | null;
  read_only: number | null;
  category: string;
  body: string;
  prev_hash: Buffer;
  hash: Buffer;
}

const COLUMNS = `e.seq, e.account_id, e.region, e.chain_seq, e.event_id, e.event_time, e.event_name, e.event_source,
  e.username, e.access_key_id, e.read_only, e.category, e.body, e.prev_hash, e.hash`;

const ATTRIBUTE_COLUMNS: Record<string, string> = {
  EventName: 'event_name',
  EventSource: 'event_source',
  Username: 'username',
  AccessKeyId: 'access_key_id',
};

function toStored(row: EventRow): StoredEvent {
  return {
    seq: row.seq,
    accountId: row.account_id,
    region: row.region,
    chainSeq: row.chain_seq,
    eventId: row.event_id,
    eventTime: row.event_time,
    eventName: row.event_name,
    eventSource: row.event_source,
    username: row.username ?? undefined,
    accessKeyId: row.access_key_id ?? undefined,
    readOnly: row.read_only === null ? undefined : row.read_only === 1,
    category: row.category,
    body: row.body,
    prevHash: row.prev_hash.toString('hex'),
    hash: row.hash.toString('hex'),
  };
}

/** The SQLite EventLog over one connection. */
export class SqliteEventLog implements EventLog {
  readonly #db: Database;
  readonly #head: Statement;
  readonly #insert: Statement;
  readonly #insertResource: Statement;
  readonly #setHead: Statement;
  readonly #readAfter: Statement;
  readonly #lastSeq: Statement;
  readonly #lookups = new Map<string, Statement>();
  /** The head of each scope's chain as of the last append, so appends need not read it back. */
  readonly #heads = new Map<string, { chainSeq: number; hash: string }>();

  constructor(db: Database) {
    this.#db = db;
    this.#head = db.prepare('SELECT chain_seq, hash FROM chain_heads WHERE account_id = ? AND region = ?');
    this.#insert = db.prepare(`INSERT INTO events
      (account_id, region, chain_seq, event_id, event_time, event_name, event_source, username, access_key_id,
       read_only, category, management, body, prev_hash, hash)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.#insertResource = db.prepare(
      'INSERT INTO event_resources (seq, account_id, region, event_time, type, name) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.#setHead = db.prepare(`INSERT INTO chain_heads (account_id, region, chain_seq, hash) VALUES (?, ?, ?, ?)
      ON CONFLICT (account_id, region) DO UPDATE SET chain_seq = excluded.chain_seq, hash = excluded.hash`);
    this.#readAfter = db.prepare(`SELECT ${COLUMNS} FROM events e WHERE e.seq > ? ORDER BY e.seq LIMIT ?`);
    this.#lastSeq = db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM events');
  }

  /** Forgets the cached chain heads; the store calls this when it undoes writes. */
  forgetHeads(): void {
    this.#heads.clear();
  }

  async append(scope: Scope, event: NewEvent): Promise<StoredEvent> {
    const key = `${scope.accountId}/${scope.region}`;
    const head = this.#heads.get(key) ?? this.#readHead(scope);
    const chainSeq = head.chainSeq + 1;
    const prevHash = head.hash;
    const hash = chainHash(prevHash, event.body);
    this.#heads.set(key, { chainSeq, hash });
    const hashBytes = Buffer.from(hash, 'hex');
    const management = event.category === 'Management' ? 1 : 0;
    const readOnly = event.readOnly === undefined ? null : event.readOnly ? 1 : 0;
    const { lastInsertRowid } = this.#insert.run(
      scope.accountId, scope.region, chainSeq, event.eventId, event.eventTime, event.eventName, event.eventSource,
      event.username ?? null, event.accessKeyId ?? null, readOnly, event.category, management, event.body,
      Buffer.from(prevHash, 'hex'), hashBytes,
    );
    const seq = Number(lastInsertRowid);
    if (management) {
      for (const resource of event.resources) {
        this.#insertResource.run(seq, scope.accountId, scope.region, event.eventTime, resource.type ?? null, resource.name ?? null);
      }
    }
    this.#setHead.run(scope.accountId, scope.region, chainSeq, hashBytes);
    return {
      seq, accountId: scope.accountId, region: scope.region, chainSeq, eventId: event.eventId, eventTime: event.eventTime,
      eventName: event.eventName, eventSource: event.eventSource, username: event.username, accessKeyId: event.accessKeyId,
      readOnly: event.readOnly, category: event.category, body: event.body, prevHash, hash,
    };
  }

  #readHead(scope: Scope): { chainSeq: number; hash: string } {
    const row = this.#head.get(scope.accountId, scope.region) as { chain_seq: number; hash: Buffer } | undefined;
    return row ? { chainSeq: row.chain_seq, hash: row.hash.toString('hex') } : { chainSeq: 0, hash: GENESIS_HASH };
  }

  async lookup(scope: Scope, query: EventQuery): Promise<StoredEvent[]> {
    const key = query.attribute?.key ?? 'none';
    const statement = this.#lookupStatement(key);
    const before = query.before ?? { eventTime: Number.MAX_SAFE_INTEGER, seq: Number.MAX_SAFE_INTEGER };
    const params: unknown[] = [scope.accountId, scope.region];
    if (query.attribute) {
      params.push(key === 'ReadOnly' ? (query.attribute.value === 'true' ? 1 : query.attribute.value === 'false' ? 0 : -1) : query.attribute.value);
    }
    params.push(query.startTime, query.endTime, before.eventTime, before.eventTime, before.seq, query.limit);
    const events = (statement.all(...params) as EventRow[]).map(toStored);
    if (events.length === 0) return events;
    const rows = this.#db
      .prepare(`SELECT seq, type, name FROM event_resources WHERE seq IN (${events.map(() => '?').join(',')})`)
      .all(...events.map((e) => e.seq)) as { seq: number; type: string | null; name: string | null }[];
    const bySeq = new Map<number, { type?: string; name?: string }[]>();
    for (const row of rows) {
      const list = bySeq.get(row.seq) ?? [];
      list.push({ type: row.type ?? undefined, name: row.name ?? undefined });
      bySeq.set(row.seq, list);
    }
    return events.map((e) => ({ ...e, resources: bySeq.get(e.seq) ?? [] }));
  }

  #lookupStatement(key: string): Statement {
    let statement = this.#lookups.get(key);
    if (statement) return statement;
    const window = `AND t.event_time BETWEEN ? AND ?
      AND (t.event_time < ? OR (t.event_time = ? AND t.seq < ?))
      ORDER BY t.event_time DESC, t.seq DESC LIMIT ?`;
    let sql: string;
    if (key === 'ResourceType' || key === 'ResourceName') {
      const column = key === 'ResourceType' ? 'type' : 'name';
      sql = `SELECT ${COLUMNS} FROM event_resources t JOIN events e ON e.seq = t.seq
        WHERE t.account_id = ? AND t.region = ? AND t.${column} = ? ${window}`;
    } else {
      const filter = key === 'none' ? ''
        : key === 'EventId' ? 'AND e.event_id = ?'
        : key === 'ReadOnly' ? 'AND e.read_only = ?'
        : `AND e.${ATTRIBUTE_COLUMNS[key]} = ?`;
      sql = `SELECT ${COLUMNS} FROM events e WHERE e.account_id = ? AND e.region = ?
        AND e.management = 1 ${filter} ${window.replaceAll('t.', 'e.')}`;
    }
    statement = this.#db.prepare(sql);
    this.#lookups.set(key, statement);
    return statement;
  }

  async readAfter(position: number, limit: number): Promise<StoredEvent[]> {
    return (this.#readAfter.all(position, limit) as EventRow[]).map(toStored);
  }

  async head(): Promise<number> {
    return (this.#lastSeq.get() as { seq: number }).seq;
  }

  async chainHeads(): Promise<{ accountId: string; region: string; chainSeq: number; hash: string }[]> {
    const rows = this.#db.prepare('SELECT account_id, region, chain_seq, hash FROM chain_heads ORDER BY account_id, region').all() as
      { account_id: string; region: string; chain_seq: number; hash: Buffer }[];
    return rows.map((r) => ({ accountId: r.account_id, region: r.region, chainSeq: r.chain_seq, hash: r.hash.toString('hex') }));
  }
}
