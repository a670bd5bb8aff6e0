/**
 * @module
 * What an S3 load run does (shared by bench/s3.ts and its load process).
 */

/** One S3 load run. */
export interface S3LoadPlan {
  readonly url: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly bucket: string;
  readonly operation: 'PUT' | 'GET';
  /** Object size in bytes. */
  readonly size: number;
  /** Requests in flight (each loop has its own key). */
  readonly concurrency: number;
  readonly seconds: number;
  readonly prefix: string;
}

/** What a load run measured. */
export interface S3LoadResult {
  readonly bytes: number;
  readonly seconds: number;
  readonly requests: number;
  readonly failures: number;
}
