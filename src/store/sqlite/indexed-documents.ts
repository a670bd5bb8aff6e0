/**
 * @module
 * Indexed documents in SQLite: bodies in `indexed_documents`, one row per attribute value in
 * `indexed_attributes`, so that a query's filters become index lookups. Wildcard values become
 * GLOB patterns.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { Scope } from '../../core/scope.js';
import type { AttributeFilter, DocumentEntry, IndexAttributes, IndexedDocuments, IndexedQuery } from '../types.js';

/**
 * Queries start from their most selective filter (its matches, in id order, probing the others)
 * when it matches fewer documents than this; otherwise they walk documents in id order.
 */
const ESTIMATE_BOUND = 5000;
const MAX_STATEMENTS = 256;

/** A filter value split into what can be looked up exactly and what needs pattern matching. */
interface SplitValues {
  readonly exact: string[];
  readonly globs: string[];
}

/**
 * Reads a filter value with `*`/`?` wildcards and `\` escapes: its literal text when it has no
 * wildcard, else the equivalent GLOB pattern.
 */
export function toGlob(value: string): { literal: string } | { glob: string } {
  let literal = '';
  let glob = '';
  let wild = false;
  for (let i = 0; i < value.length; i++) {
    let c = value[i]!;
    if (c === '\\' && i + 1 < value.length) {
      c = value[++i]!;
      literal += c;
      glob += c === '*' || c === '?' || c === '[' ? `[${c}]` : c;
    } else if (c === '*' || c === '?') {
      wild = true;
      glob += c;
    } else {
      literal += c;
      glob += c === '[' ? '[[]' : c;
    }
  }
  return wild ? { glob } : { literal };
}

function split(values: readonly string[]): SplitValues {
  const exact: string[] = [];
  const globs: string[] = [];
  for (const value of values) {
    const parsed = toGlob(value);
    if ('glob' in parsed) globs.push(parsed.glob);
    else exact.push(parsed.literal);
  }
  return { exact, globs };
}

function attributeRows(attributes: IndexAttributes): [string, string][] {
  const rows = new Map<string, [string, string]>();
  for (const [name, raw] of Object.entries(attributes)) {
    if (raw === undefined) continue;
    for (const value of typeof raw === 'string' ? [raw] : raw) rows.set(`${name}\u0000${value}`, [name, value]);
  }
  return [...rows.values()];
}

/** The SQLite IndexedDocuments repository over one connection. */
export class SqliteIndexedDocuments implements IndexedDocuments {
  readonly #db: Database;
  readonly #get: Statement;
  readonly #put: Statement;
  readonly #delete: Statement;
  readonly #clear: Statement;
  readonly #attribute: Statement;
  readonly #queries = new Map<string, Statement>();

  constructor(db: Database) {
    this.#db = db;
    this.#get = db.prepare('SELECT body FROM indexed_documents WHERE account_id = ? AND region = ? AND kind = ? AND id = ?');
    this.#put = db.prepare(`INSERT INTO indexed_documents (account_id, region, kind, id, body) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (account_id, region, kind, id) DO UPDATE SET body = excluded.body`);
    this.#delete = db.prepare('DELETE FROM indexed_documents WHERE account_id = ? AND region = ? AND kind = ? AND id = ?');
    this.#clear = db.prepare('DELETE FROM indexed_attributes WHERE account_id = ? AND region = ? AND kind = ? AND id = ?');
    this.#attribute = db.prepare('INSERT INTO indexed_attributes (account_id, region, kind, name, value, id) VALUES (?, ?, ?, ?, ?, ?)');
  }

  async get<T>(scope: Scope, kind: string, id: string): Promise<T | undefined> {
    const row = this.#get.get(scope.accountId, scope.region, kind, id) as { body: string } | undefined;
    return row ? (JSON.parse(row.body) as T) : undefined;
  }

  async put<T>(scope: Scope, kind: string, id: string, doc: T, attributes: IndexAttributes): Promise<void> {
    const { accountId, region } = scope;
    this.#put.run(accountId, region, kind, id, JSON.stringify(doc));
    this.#clear.run(accountId, region, kind, id);
    for (const [name, value] of attributeRows(attributes)) this.#attribute.run(accountId, region, kind, name, value, id);
  }

  async delete(scope: Scope, kind: string, id: string): Promise<boolean> {
    this.#clear.run(scope.accountId, scope.region, kind, id);
    return this.#delete.run(scope.accountId, scope.region, kind, id).changes > 0;
  }

  async query<T>(scope: Scope, kind: string, query: IndexedQuery = {}): Promise<DocumentEntry<T>[]> {
    const base = { account: scope.accountId, region: scope.region, kind, after: query.after ?? '' };
    const filters = query.filters ?? [];
    let driver = -1;
    if (!query.ids && filters.length > 0) {
      const sizes = filters.map((filter) => this.#estimate(base, filter));
      const smallest = Math.min(...sizes);
      if (smallest < ESTIMATE_BOUND) driver = sizes.indexOf(smallest);
    }
    const sql = new QueryText(base);
    sql.add('SELECT id, body FROM indexed_documents d WHERE account_id = @account AND region = @region AND kind = @kind AND id > @after');
    if (query.ids) sql.add(`AND id IN (SELECT value FROM json_each(${sql.param(JSON.stringify(query.ids))}))`);
    filters.forEach((filter, i) => {
      if (i === driver) sql.add(`AND id IN (SELECT a.id FROM indexed_attributes a WHERE ${sql.match(filter)} AND +a.id > @after)`);
      else sql.add(`AND EXISTS (SELECT 1 FROM indexed_attributes a WHERE ${sql.match(filter)} AND a.id = d.id)`);
    });
    sql.add(`ORDER BY id LIMIT ${sql.param(query.limit ?? -1)}`);
    const rows = this.#prepare(sql.text()).all(sql.params) as { id: string; body: string }[];
    return rows.map((row) => ({ id: row.id, doc: JSON.parse(row.body) as T }));
  }

  /** How many documents a filter matches, counted up to a bound: enough to pick the filter to start from. */
  #estimate(base: Record<string, unknown>, filter: AttributeFilter): number {
    const sql = new QueryText(base);
    sql.add(`SELECT count(*) AS n FROM (SELECT 1 FROM indexed_attributes a WHERE ${sql.match(filter)} AND +a.id > @after LIMIT ${ESTIMATE_BOUND})`);
    return (this.#prepare(sql.text()).get(sql.params) as { n: number }).n;
  }

  #prepare(text: string): Statement {
    let statement = this.#queries.get(text);
    if (!statement) {
      if (this.#queries.size >= MAX_STATEMENTS) this.#queries.clear();
      statement = this.#db.prepare(text);
      this.#queries.set(text, statement);
    }
    return statement;
  }
}

/** A query's SQL built piece by piece, with its named parameters. */
class QueryText {
  readonly params: Record<string, unknown>;
  readonly #parts: string[] = [];
  #n = 0;

  constructor(base: Record<string, unknown>) {
    this.params = { ...base };
  }

  add(part: string): void {
    this.#parts.push(part);
  }

  param(value: unknown): string {
    const name = `p${++this.#n}`;
    this.params[name] = value;
    return `@${name}`;
  }

  /** The condition on attribute row `a` for one filter. */
  match(filter: AttributeFilter): string {
    const { exact, globs } = split(filter.values);
    const matches: string[] = [];
    if (exact.length) matches.push(`a.value IN (SELECT value FROM json_each(${this.param(JSON.stringify(exact))}))`);
    if (globs.length) matches.push(`EXISTS (SELECT 1 FROM json_each(${this.param(JSON.stringify(globs))}) p WHERE a.value GLOB p.value)`);
    return `a.account_id = @account AND a.region = @region AND a.kind = @kind AND a.name = ${this.param(filter.name)}
      AND (${matches.join(' OR ') || '0'})`;
  }

  text(): string {
    return this.#parts.join(' ');
  }
}
