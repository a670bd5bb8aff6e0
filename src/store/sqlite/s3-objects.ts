/**
 * @module
 * S3 objects, versions, multipart uploads and parts in SQLite. Listings are index range scans:
 * a page costs the same in a bucket of ten keys or of ten million.
 */
import type { Database, Statement } from 'better-sqlite3';
import { maxUtf8, prefixEnd } from '../../core/key-order.js';
import type { Scope } from '../../core/scope.js';
import type {
  S3KeyRange, S3ObjectVersion, S3Objects, S3Part, S3Upload, S3Uploads, S3VersionRange, StoredS3ObjectVersion,
} from '../types.js';

interface VersionRow {
  seq: number;
  bucket: string;
  object_key: string;
  version_id: string;
  latest: number;
  delete_marker: number;
  last_modified: number;
  size: number;
  etag: string;
  attributes: string;
}

const VERSION_COLUMNS = 'seq, bucket, object_key, version_id, latest, delete_marker, last_modified, size, etag, attributes';
const SCOPE = 'account_id = @account AND region = @region AND bucket = @bucket';

function toVersion(row: VersionRow): StoredS3ObjectVersion {
  return {
    seq: row.seq,
    bucket: row.bucket,
    key: row.object_key,
    versionId: row.version_id,
    isLatest: row.latest === 1,
    deleteMarker: row.delete_marker === 1,
    lastModified: row.last_modified,
    size: row.size,
    etag: row.etag,
    attributes: JSON.parse(row.attributes) as object,
  };
}

/** The inclusive lower bound and exclusive upper bound of a key range. */
function bounds(range: S3KeyRange): { lower: string; upper: string | undefined } {
  let lower = range.prefix ?? '';
  if (range.from !== undefined) lower = maxUtf8(lower, range.from);
  if (range.after !== undefined) lower = maxUtf8(lower, `${range.after}\u0000`);
  return { lower, upper: range.prefix ? prefixEnd(range.prefix) : undefined };
}

/** The SQLite S3Objects repository over one connection. */
export class SqliteS3Objects implements S3Objects {
  readonly #get: Statement;
  readonly #getLatest: Statement;
  readonly #insert: Statement;
  readonly #deleteSeq: Statement;
  readonly #demote: Statement;
  readonly #promote: Statement;
  readonly #list: Statement;
  readonly #listBounded: Statement;
  readonly #versions: Statement;
  readonly #versionsBounded: Statement;
  readonly #any: Statement;
  readonly #setAttributes: Statement;

  constructor(db: Database) {
    const select = `SELECT ${VERSION_COLUMNS} FROM s3_object_versions`;
    this.#get = db.prepare(`${select} WHERE ${SCOPE} AND object_key = @key AND version_id = @versionId`);
    this.#getLatest = db.prepare(`${select} WHERE ${SCOPE} AND object_key = @key AND latest = 1`);
    this.#insert = db.prepare(`INSERT INTO s3_object_versions
      (account_id, region, bucket, object_key, version_id, latest, delete_marker, last_modified, size, etag, attributes)
      VALUES (@account, @region, @bucket, @key, @versionId, 1, @deleteMarker, @lastModified, @size, @etag, @attributes)`);
    this.#deleteSeq = db.prepare('DELETE FROM s3_object_versions WHERE seq = ?');
    this.#demote = db.prepare(`UPDATE s3_object_versions SET latest = 0 WHERE ${SCOPE} AND object_key = @key AND latest = 1`);
    this.#promote = db.prepare(`UPDATE s3_object_versions SET latest = 1 WHERE seq =
      (SELECT MAX(seq) FROM s3_object_versions WHERE ${SCOPE} AND object_key = @key)`);
    const current = `${select} WHERE ${SCOPE} AND latest = 1 AND delete_marker = 0 AND object_key >= @lower`;
    this.#list = db.prepare(`${current} ORDER BY object_key LIMIT @limit`);
    this.#listBounded = db.prepare(`${current} AND object_key < @upper ORDER BY object_key LIMIT @limit`);
    const all = `${select} WHERE ${SCOPE} AND object_key >= @lower AND (object_key > @key OR seq < @seq)`;
    this.#versions = db.prepare(`${all} ORDER BY object_key, seq DESC LIMIT @limit`);
    this.#versionsBounded = db.prepare(`${all} AND object_key < @upper ORDER BY object_key, seq DESC LIMIT @limit`);
    this.#any = db.prepare(`SELECT 1 FROM s3_object_versions WHERE ${SCOPE} LIMIT 1`);
    this.#setAttributes = db.prepare(`UPDATE s3_object_versions SET attributes = @attributes
      WHERE ${SCOPE} AND object_key = @key AND version_id = @versionId`);
  }

  async get(scope: Scope, bucket: string, key: string, versionId?: string): Promise<StoredS3ObjectVersion | undefined> {
    const params = { account: scope.accountId, region: scope.region, bucket, key, versionId };
    const row = (versionId === undefined ? this.#getLatest.get(params) : this.#get.get(params)) as VersionRow | undefined;
    return row && toVersion(row);
  }

  async put(scope: Scope, version: S3ObjectVersion): Promise<StoredS3ObjectVersion | undefined> {
    const params = {
      account: scope.accountId, region: scope.region, bucket: version.bucket, key: version.key, versionId: version.versionId,
      deleteMarker: version.deleteMarker ? 1 : 0, lastModified: version.lastModified, size: version.size, etag: version.etag,
      attributes: JSON.stringify(version.attributes),
    };
    const replaced = this.#get.get(params) as VersionRow | undefined;
    if (replaced) this.#deleteSeq.run(replaced.seq);
    this.#demote.run(params);
    this.#insert.run(params);
    return replaced && toVersion(replaced);
  }

  async setAttributes(scope: Scope, bucket: string, key: string, versionId: string, attributes: object): Promise<boolean> {
    const params = { account: scope.accountId, region: scope.region, bucket, key, versionId, attributes: JSON.stringify(attributes) };
    return this.#setAttributes.run(params).changes > 0;
  }

  async delete(scope: Scope, bucket: string, key: string, versionId: string): Promise<StoredS3ObjectVersion | undefined> {
    const params = { account: scope.accountId, region: scope.region, bucket, key, versionId };
    const row = this.#get.get(params) as VersionRow | undefined;
    if (!row) return undefined;
    this.#deleteSeq.run(row.seq);
    if (row.latest === 1) this.#promote.run(params);
    return toVersion(row);
  }

  async list(scope: Scope, bucket: string, range: S3KeyRange): Promise<StoredS3ObjectVersion[]> {
    const { lower, upper } = bounds(range);
    const params = { account: scope.accountId, region: scope.region, bucket, lower, upper, limit: range.limit };
    const rows = (upper === undefined ? this.#list.all(params) : this.#listBounded.all(params)) as VersionRow[];
    return rows.map(toVersion);
  }

  async listVersions(scope: Scope, bucket: string, range: S3VersionRange): Promise<StoredS3ObjectVersion[]> {
    const within = range.after !== undefined && range.afterVersion !== undefined;
    const { lower, upper } = bounds(within ? { ...range, after: undefined, from: maxUtf8(range.from ?? '', range.after!) } : range);
    const params = {
      account: scope.accountId, region: scope.region, bucket, lower, upper, limit: range.limit,
      key: within ? range.after : '', seq: within ? range.afterVersion : Number.MAX_SAFE_INTEGER,
    };
    const rows = (upper === undefined ? this.#versions.all(params) : this.#versionsBounded.all(params)) as VersionRow[];
    return rows.map(toVersion);
  }

  async hasAny(scope: Scope, bucket: string): Promise<boolean> {
    return this.#any.get({ account: scope.accountId, region: scope.region, bucket }) !== undefined;
  }
}

interface UploadRow {
  bucket: string;
  upload_id: string;
  object_key: string;
  initiated: number;
  attributes: string;
}

interface PartRow {
  upload_id: string;
  part_number: number;
  last_modified: number;
  size: number;
  etag: string;
  attributes: string;
}

function toUpload(row: UploadRow): S3Upload {
  return { bucket: row.bucket, key: row.object_key, uploadId: row.upload_id, initiated: row.initiated, attributes: JSON.parse(row.attributes) as object };
}

function toPart(row: PartRow): S3Part {
  return {
    uploadId: row.upload_id, partNumber: row.part_number, lastModified: row.last_modified, size: row.size, etag: row.etag,
    attributes: JSON.parse(row.attributes) as object,
  };
}

/** The SQLite S3Uploads repository over one connection. */
export class SqliteS3Uploads implements S3Uploads {
  readonly #put: Statement;
  readonly #get: Statement;
  readonly #delete: Statement;
  readonly #deleteParts: Statement;
  readonly #list: Statement;
  readonly #listBounded: Statement;
  readonly #getPart: Statement;
  readonly #putPart: Statement;
  readonly #listParts: Statement;

  constructor(db: Database) {
    this.#put = db.prepare(`INSERT OR REPLACE INTO s3_uploads (account_id, region, bucket, upload_id, object_key, initiated, attributes)
      VALUES (@account, @region, @bucket, @uploadId, @key, @initiated, @attributes)`);
    this.#get = db.prepare(`SELECT * FROM s3_uploads WHERE ${SCOPE} AND upload_id = @uploadId`);
    this.#delete = db.prepare(`DELETE FROM s3_uploads WHERE ${SCOPE} AND upload_id = @uploadId`);
    this.#deleteParts = db.prepare('DELETE FROM s3_parts WHERE account_id = @account AND region = @region AND upload_id = @uploadId RETURNING *');
    const listed = `SELECT * FROM s3_uploads WHERE ${SCOPE} AND object_key >= @lower AND (object_key > @key OR upload_id > @uploadId)`;
    this.#list = db.prepare(`${listed} ORDER BY object_key, upload_id LIMIT @limit`);
    this.#listBounded = db.prepare(`${listed} AND object_key < @upper ORDER BY object_key, upload_id LIMIT @limit`);
    const part = 'account_id = @account AND region = @region AND upload_id = @uploadId';
    this.#getPart = db.prepare(`SELECT * FROM s3_parts WHERE ${part} AND part_number = @partNumber`);
    this.#putPart = db.prepare(`INSERT OR REPLACE INTO s3_parts (account_id, region, upload_id, part_number, last_modified, size, etag, attributes)
      VALUES (@account, @region, @uploadId, @partNumber, @lastModified, @size, @etag, @attributes)`);
    this.#listParts = db.prepare(`SELECT * FROM s3_parts WHERE ${part} AND part_number > @after ORDER BY part_number LIMIT @limit`);
  }

  async put(scope: Scope, upload: S3Upload): Promise<void> {
    this.#put.run({ account: scope.accountId, region: scope.region, ...upload, attributes: JSON.stringify(upload.attributes) });
  }

  async get(scope: Scope, bucket: string, uploadId: string): Promise<S3Upload | undefined> {
    const row = this.#get.get({ account: scope.accountId, region: scope.region, bucket, uploadId }) as UploadRow | undefined;
    return row && toUpload(row);
  }

  async delete(scope: Scope, bucket: string, uploadId: string): Promise<S3Part[]> {
    const params = { account: scope.accountId, region: scope.region, bucket, uploadId };
    this.#delete.run(params);
    return (this.#deleteParts.all(params) as PartRow[]).map(toPart).sort((a, b) => a.partNumber - b.partNumber);
  }

  async list(scope: Scope, bucket: string, range: { prefix?: string; after?: string; afterUploadId?: string; limit: number }): Promise<S3Upload[]> {
    const within = range.after !== undefined && range.afterUploadId !== undefined;
    const { lower, upper } = bounds({ prefix: range.prefix, limit: range.limit, ...(within ? { from: range.after } : { after: range.after }) });
    const params = {
      account: scope.accountId, region: scope.region, bucket, lower, upper, limit: range.limit,
      key: within ? range.after : '', uploadId: within ? range.afterUploadId : '',
    };
    return ((upper === undefined ? this.#list.all(params) : this.#listBounded.all(params)) as UploadRow[]).map(toUpload);
  }

  async putPart(scope: Scope, part: S3Part): Promise<S3Part | undefined> {
    const params = { account: scope.accountId, region: scope.region, ...part, attributes: JSON.stringify(part.attributes) };
    const replaced = this.#getPart.get(params) as PartRow | undefined;
    this.#putPart.run(params);
    return replaced && toPart(replaced);
  }

  async listParts(scope: Scope, uploadId: string, range: { after?: number; limit?: number } = {}): Promise<S3Part[]> {
    const rows = this.#listParts.all({ account: scope.accountId, region: scope.region, uploadId, after: range.after ?? 0, limit: range.limit ?? -1 });
    return (rows as PartRow[]).map(toPart);
  }
}
