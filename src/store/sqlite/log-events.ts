/**
 * @module
 * CloudWatch Logs events in SQLite: one row per event, indexed by stream and by group in time
 * order, so GetLogEvents and FilterLogEvents read ranges instead of scanning.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { Scope } from '../../core/scope.js';
import type { LogEventQuery, LogEvents, NewLogEvent, StoredLogEvent } from '../types.js';

interface Row {
  id: number;
  stream_name: string;
  timestamp: number;
  ingestion_time: number;
  message: string;
}

/** The SQLite LogEvents repository over one connection. */
export class SqliteLogEvents implements LogEvents {
  readonly #db: Database;
  readonly #insert: Statement;
  readonly #deleteStream: Statement;
  readonly #deleteGroup: Statement;
  readonly #expire: Statement;
  readonly #queries = new Map<string, Statement>();

  constructor(db: Database) {
    this.#db = db;
    this.#insert = db.prepare(`INSERT INTO log_events (account_id, region, group_name, stream_name, timestamp, ingestion_time, message)
      VALUES (?, ?, ?, ?, ?, ?, ?)`);
    this.#deleteStream = db.prepare('DELETE FROM log_events WHERE account_id = ? AND region = ? AND group_name = ? AND stream_name = ?');
    this.#deleteGroup = db.prepare('DELETE FROM log_events WHERE account_id = ? AND region = ? AND group_name = ?');
    this.#expire = db.prepare('DELETE FROM log_events WHERE account_id = ? AND region = ? AND group_name = ? AND timestamp < ?');
  }

  async append(scope: Scope, logGroupName: string, logStreamName: string, events: readonly NewLogEvent[], ingestionTime: number): Promise<void> {
    for (const event of events) {
      this.#insert.run(scope.accountId, scope.region, logGroupName, logStreamName, event.timestamp, ingestionTime, event.message);
    }
  }

  async query(scope: Scope, query: LogEventQuery): Promise<StoredLogEvent[]> {
    const where = ['account_id = ?', 'region = ?', 'group_name = ?'];
    const params: unknown[] = [scope.accountId, scope.region, query.logGroupName];
    const streams = query.logStreamNames;
    if (streams?.length === 1) {
      where.push('stream_name = ?');
      params.push(streams[0]);
    } else if (streams) {
      where.push(`stream_name IN (SELECT value FROM json_each(?))`);
      params.push(JSON.stringify(streams));
    }
    if (query.logStreamNamePrefix !== undefined) {
      where.push('substr(stream_name, 1, ?) = ?');
      params.push(query.logStreamNamePrefix.length, query.logStreamNamePrefix);
    }
    if (query.startTime !== undefined) {
      where.push('timestamp >= ?');
      params.push(query.startTime);
    }
    if (query.endTime !== undefined) {
      where.push('timestamp < ?');
      params.push(query.endTime);
    }
    const dir = query.descending ? 'DESC' : 'ASC';
    if (query.after) {
      where.push(query.descending ? '(timestamp, id) < (?, ?)' : '(timestamp, id) > (?, ?)');
      params.push(query.after.timestamp, query.after.id);
    }
    const sql = `SELECT id, stream_name, timestamp, ingestion_time, message FROM log_events WHERE ${where.join(' AND ')}
      ORDER BY timestamp ${dir}, id ${dir} LIMIT ?`;
    let statement = this.#queries.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#queries.set(sql, statement);
    }
    const rows = statement.all(...params, query.limit) as Row[];
    return rows.map((row) => ({
      id: row.id,
      logStreamName: row.stream_name,
      timestamp: row.timestamp,
      ingestionTime: row.ingestion_time,
      message: row.message,
    }));
  }

  async deleteStream(scope: Scope, logGroupName: string, logStreamName: string): Promise<number> {
    return this.#deleteStream.run(scope.accountId, scope.region, logGroupName, logStreamName).changes;
  }

  async deleteGroup(scope: Scope, logGroupName: string): Promise<number> {
    return this.#deleteGroup.run(scope.accountId, scope.region, logGroupName).changes;
  }

  async expire(scope: Scope, logGroupName: string, before: number): Promise<number> {
    return this.#expire.run(scope.accountId, scope.region, logGroupName, before).changes;
  }
}
