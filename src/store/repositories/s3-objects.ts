/**
 * @module
 * The store repository of S3 object versions, multipart uploads and parts; part of the store contract (see ../types.ts).
 */
import type { Scope } from '../../core/scope.js';

/** One version of an S3 object, or a delete marker, as the S3 service stores it. */
export interface S3ObjectVersion {
  readonly bucket: string;
  readonly key: string;
  /** `null` names the null version (objects written while versioning was never on, or suspended). */
  readonly versionId: string;
  readonly deleteMarker: boolean;
  /** ms */
  readonly lastModified: number;
  readonly size: number;
  readonly etag: string;
  /** What the service keeps beside (content headers, metadata, checksums, encryption, blobs); opaque here. */
  readonly attributes: object;
}

/** A stored version and its place in its key's history. */
export interface StoredS3ObjectVersion extends S3ObjectVersion {
  /** Grows with every version written: a newer version of a key has a larger seq. */
  readonly seq: number;
  readonly isLatest: boolean;
}

/** A page of keys: those starting with `prefix`, after `after` (exclusive) and from `from` (inclusive). */
export interface S3KeyRange {
  readonly prefix?: string;
  readonly after?: string;
  readonly from?: string;
  readonly limit: number;
}

/** A page of versions; `afterVersion` continues within the key `after` with versions older than that seq. */
export interface S3VersionRange extends S3KeyRange {
  readonly afterVersion?: number;
}

/**
 * S3 objects with their versions, per bucket, ordered by key in UTF-8 byte order (as S3 lists
 * them), newest version first within a key. Bucket names are global, so the scope is the bucket's.
 */
export interface S3Objects {
  /** A version by id, or the latest version (which may be a delete marker). */
  get(scope: Scope, bucket: string, key: string, versionId?: string): Promise<StoredS3ObjectVersion | undefined>;
  /** Adds a version as the latest of its key; an existing version with the same id is replaced and returned. */
  put(scope: Scope, version: S3ObjectVersion): Promise<StoredS3ObjectVersion | undefined>;
  /** Replaces the attributes of one version in place (tags, ACL, retention); false when there is no such version. */
  setAttributes(scope: Scope, bucket: string, key: string, versionId: string, attributes: object): Promise<boolean>;
  /** Removes one version; when it was the latest, the next newest becomes latest. Returns what was removed. */
  delete(scope: Scope, bucket: string, key: string, versionId: string): Promise<StoredS3ObjectVersion | undefined>;
  /** Latest versions that are not delete markers, by key. */
  list(scope: Scope, bucket: string, range: S3KeyRange): Promise<StoredS3ObjectVersion[]>;
  /** Every version and delete marker, by key, newest first within a key. */
  listVersions(scope: Scope, bucket: string, range: S3VersionRange): Promise<StoredS3ObjectVersion[]>;
  /** Whether the bucket holds any version or delete marker. */
  hasAny(scope: Scope, bucket: string): Promise<boolean>;
}

/** An in-progress multipart upload. */
export interface S3Upload {
  readonly bucket: string;
  readonly key: string;
  readonly uploadId: string;
  /** ms */
  readonly initiated: number;
  readonly attributes: object;
}

/** A part of a multipart upload. */
export interface S3Part {
  readonly uploadId: string;
  readonly partNumber: number;
  /** ms */
  readonly lastModified: number;
  readonly size: number;
  readonly etag: string;
  readonly attributes: object;
}

/** Multipart uploads and their parts, in the scope of the bucket's owner. */
export interface S3Uploads {
  put(scope: Scope, upload: S3Upload): Promise<void>;
  get(scope: Scope, bucket: string, uploadId: string): Promise<S3Upload | undefined>;
  /** Removes an upload and its parts; returns the parts it had. */
  delete(scope: Scope, bucket: string, uploadId: string): Promise<S3Part[]>;
  /** Uploads by key then upload id; `after` continues after that key (and, given `afterUploadId`, that upload). */
  list(scope: Scope, bucket: string, range: { prefix?: string; after?: string; afterUploadId?: string; limit: number }): Promise<S3Upload[]>;
  /** Stores a part; returns the part with the same number it replaced. */
  putPart(scope: Scope, part: S3Part): Promise<S3Part | undefined>;
  /** Parts by number, after `after`. */
  listParts(scope: Scope, uploadId: string, range?: { after?: number; limit?: number }): Promise<S3Part[]>;
}
