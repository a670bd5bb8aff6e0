/**
 * @module
 * S3 addressing. The S3 model's request URIs leave the bucket out (`/{Key+}`, `/?list-type=2`):
 * clients put it in the host (virtual-hosted style, `<bucket>.s3.<region>.amazonaws.com`) or as
 * the first path segment (path style, `/<bucket>/<key>`). These pure functions find it.
 */
import { decodePathPart } from './uri-template.js';

/** The host names Custos answers virtual-hosted-style requests under by default. */
export const DEFAULT_S3_BASE_HOSTS: readonly string[] = ['localhost', 's3.amazonaws.com'];

/**
 * The bucket a Host header names, or undefined for a path-style request. A host names a bucket
 * when it is `<bucket>.s3.<anything>` or `<bucket>.<base>` for one of `baseHosts` (ports
 * ignored, case-insensitive). IP addresses never name a bucket.
 */
export function bucketFromHost(host: string | undefined, baseHosts: readonly string[] = DEFAULT_S3_BASE_HOSTS): string | undefined {
  if (!host) return undefined;
  const name = host.replace(/:\d+$/, '').toLowerCase();
  if (/^[0-9.]+$/.test(name) || name.startsWith('[')) return undefined;
  const s3 = name.lastIndexOf('.s3.');
  if (s3 > 0) return name.slice(0, s3);
  for (const base of baseHosts) {
    const suffix = `.${base.toLowerCase()}`;
    if (name.endsWith(suffix) && name.length > suffix.length) return name.slice(0, -suffix.length);
  }
  return undefined;
}

/** Where an S3 request points: its bucket, if any, and the path within the bucket (still encoded). */
export interface S3Target {
  readonly bucket?: string;
  readonly path: string;
}

/** Splits an S3 request into bucket and in-bucket path, virtual-hosted style first. */
export function s3Target(host: string | undefined, rawPath: string, baseHosts: readonly string[] = DEFAULT_S3_BASE_HOSTS): S3Target {
  const fromHost = bucketFromHost(host, baseHosts);
  if (fromHost !== undefined) return { bucket: fromHost, path: rawPath };
  const rest = rawPath.startsWith('/') ? rawPath.slice(1) : rawPath;
  const slash = rest.indexOf('/');
  const first = slash < 0 ? rest : rest.slice(0, slash);
  if (first === '') return { path: '/' };
  return { bucket: decodePathPart(first), path: slash < 0 ? '/' : rest.slice(slash) };
}
