/**
 * @module
 * Conformance cases for the S3 repositories (objects, versions, uploads, parts), run by
 * `runStoreConformance` against every backend.
 */
import { describe, expect, it } from 'vitest';
import type { Scope } from '../core/scope.js';
import type { S3ObjectVersion, Store, StoredS3ObjectVersion } from './types.js';

const A: Scope = { accountId: '111111111111', region: 'us-east-1' };
const B: Scope = { accountId: '222222222222', region: 'eu-west-1' };

function version(key: string, versionId = 'null', extra: Partial<S3ObjectVersion> = {}): S3ObjectVersion {
  return { bucket: 'b', key, versionId, deleteMarker: false, lastModified: 1000, size: 1, etag: '"e"', attributes: { blob: key }, ...extra };
}

const keys = (versions: StoredS3ObjectVersion[]) => versions.map((v) => v.key);

/** Registers the S3 cases; `withStore` runs a case against a fresh store. */
export function s3ConformanceCases(withStore: (fn: (store: Store) => Promise<void>) => Promise<void>): void {
  describe('S3 objects', () => {
    it('lists current objects by key in UTF-8 byte order, by prefix and from a position', () =>
      withStore(async (store) => {
        const all = ['a', 'a/1', 'a/2', 'a0', 'b', '\uffff', '\u{1F600}', 'é'];
        await store.transaction(async (tx) => {
          for (const key of all) await tx.s3Objects.put(A, version(key));
          await tx.s3Objects.put(B, version('a/other'));
        });
        await store.read(async (tx) => {
          expect(keys(await tx.s3Objects.list(A, 'b', { limit: 100 }))).toEqual(['a', 'a/1', 'a/2', 'a0', 'b', 'é', '\uffff', '\u{1F600}']);
          expect(keys(await tx.s3Objects.list(A, 'b', { prefix: 'a/', limit: 100 }))).toEqual(['a/1', 'a/2']);
          expect(keys(await tx.s3Objects.list(A, 'b', { prefix: 'a', after: 'a/1', limit: 2 }))).toEqual(['a/2', 'a0']);
          expect(keys(await tx.s3Objects.list(A, 'b', { from: 'a0', limit: 2 }))).toEqual(['a0', 'b']);
          expect(keys(await tx.s3Objects.list(A, 'b', { prefix: '\uffff', limit: 5 }))).toEqual(['\uffff']);
          expect(keys(await tx.s3Objects.list(A, 'other', { limit: 5 }))).toEqual([]);
          expect(await tx.s3Objects.hasAny(A, 'b')).toBe(true);
          expect(await tx.s3Objects.hasAny(A, 'other')).toBe(false);
        });
      }));

    it('keeps versions newest first, replaces a version with the same id and promotes on delete', () =>
      withStore(async (store) => {
        await store.transaction(async (tx) => {
          await tx.s3Objects.put(A, version('k', 'v1', { size: 1 }));
          await tx.s3Objects.put(A, version('k', 'v2', { size: 2 }));
          await tx.s3Objects.put(A, version('k', 'dm', { deleteMarker: true, size: 0 }));
          await tx.s3Objects.put(A, version('j', 'null'));
        });
        await store.read(async (tx) => {
          expect((await tx.s3Objects.get(A, 'b', 'k'))?.versionId).toBe('dm');
          expect((await tx.s3Objects.get(A, 'b', 'k', 'v1'))).toMatchObject({ size: 1, isLatest: false, attributes: { blob: 'k' } });
          expect(keys(await tx.s3Objects.list(A, 'b', { limit: 10 }))).toEqual(['j']);
          const versions = await tx.s3Objects.listVersions(A, 'b', { limit: 10 });
          expect(versions.map((v) => `${v.key}:${v.versionId}:${v.isLatest}`)).toEqual(['j:null:true', 'k:dm:true', 'k:v2:false', 'k:v1:false']);
          const v2 = versions[2]!;
          const after = await tx.s3Objects.listVersions(A, 'b', { after: 'k', afterVersion: v2.seq, limit: 10 });
          expect(after.map((v) => v.versionId)).toEqual(['v1']);
          expect((await tx.s3Objects.listVersions(A, 'b', { after: 'j', limit: 1 })).map((v) => v.versionId)).toEqual(['dm']);
        });
        await store.transaction(async (tx) => {
          expect((await tx.s3Objects.delete(A, 'b', 'k', 'dm'))?.deleteMarker).toBe(true);
          expect(await tx.s3Objects.delete(A, 'b', 'k', 'dm')).toBeUndefined();
          const replaced = await tx.s3Objects.put(A, version('j', 'null', { size: 9 }));
          expect(replaced?.size).toBe(1);
          expect(await tx.s3Objects.setAttributes(A, 'b', 'k', 'v1', { tagged: true })).toBe(true);
          expect(await tx.s3Objects.setAttributes(A, 'b', 'k', 'nope', {})).toBe(false);
        });
        await store.read(async (tx) => {
          expect(await tx.s3Objects.get(A, 'b', 'k')).toMatchObject({ versionId: 'v2', isLatest: true });
          expect(await tx.s3Objects.get(A, 'b', 'j')).toMatchObject({ size: 9 });
          expect(keys(await tx.s3Objects.list(A, 'b', { limit: 10 }))).toEqual(['j', 'k']);
          expect((await tx.s3Objects.listVersions(A, 'b', { limit: 10 })).length).toBe(3);
          expect(await tx.s3Objects.get(A, 'b', 'k', 'v1')).toMatchObject({ isLatest: false, attributes: { tagged: true } });
        });
      }));
  });

  describe('S3 multipart uploads', () => {
    it('keeps uploads by key and id, parts by number, and removes both together', () =>
      withStore(async (store) => {
        await store.transaction(async (tx) => {
          for (const [key, uploadId] of [['x', 'u2'], ['x', 'u1'], ['a/y', 'u3'], ['z', 'u4']] as const) {
            await tx.s3Uploads.put(A, { bucket: 'b', key, uploadId, initiated: 1, attributes: { key } });
          }
          await tx.s3Uploads.putPart(A, { uploadId: 'u1', partNumber: 2, lastModified: 1, size: 5, etag: '"p2"', attributes: {} });
          await tx.s3Uploads.putPart(A, { uploadId: 'u1', partNumber: 1, lastModified: 1, size: 5, etag: '"p1"', attributes: {} });
          const replaced = await tx.s3Uploads.putPart(A, { uploadId: 'u1', partNumber: 1, lastModified: 2, size: 6, etag: '"p1b"', attributes: {} });
          expect(replaced?.etag).toBe('"p1"');
        });
        await store.read(async (tx) => {
          const ids = async (range: Parameters<typeof tx.s3Uploads.list>[2]) => (await tx.s3Uploads.list(A, 'b', range)).map((u) => u.uploadId);
          expect(await ids({ limit: 10 })).toEqual(['u3', 'u1', 'u2', 'u4']);
          expect(await ids({ prefix: 'x', limit: 10 })).toEqual(['u1', 'u2']);
          expect(await ids({ after: 'x', afterUploadId: 'u1', limit: 10 })).toEqual(['u2', 'u4']);
          expect(await ids({ after: 'x', limit: 10 })).toEqual(['u4']);
          expect(await tx.s3Uploads.get(A, 'b', 'u1')).toMatchObject({ key: 'x', attributes: { key: 'x' } });
          expect(await tx.s3Uploads.get(B, 'b', 'u1')).toBeUndefined();
          expect((await tx.s3Uploads.listParts(A, 'u1')).map((p) => p.etag)).toEqual(['"p1b"', '"p2"']);
          expect((await tx.s3Uploads.listParts(A, 'u1', { after: 1, limit: 5 })).map((p) => p.partNumber)).toEqual([2]);
        });
        await store.transaction(async (tx) => {
          expect((await tx.s3Uploads.delete(A, 'b', 'u1')).map((p) => p.partNumber)).toEqual([1, 2]);
        });
        await store.read(async (tx) => {
          expect(await tx.s3Uploads.get(A, 'b', 'u1')).toBeUndefined();
          expect(await tx.s3Uploads.listParts(A, 'u1')).toEqual([]);
        });
      }));
  });
}
