/**
 * @module
 * The one error type that crosses the pipeline: an AWS error with its code, message and status.
 * Handlers throw it (usually through a service's own subclasses); the protocol codec of the
 * service renders it once, at the edge.
 */

/** Extra members some errors carry on the wire (e.g. S3's `BucketName`). */
export type ErrorFields = Record<string, string | number | boolean | undefined>;

/** An AWS error as the client must see it. `status` falls back to the model's httpError, else 400. */
export class ServiceError extends Error {
  readonly code: string;
  readonly status: number | undefined;
  readonly fields: ErrorFields | undefined;
  /** Response headers some errors carry (e.g. S3's `x-amz-bucket-region` on a redirect). */
  readonly headers: Readonly<Record<string, string>> | undefined;

  constructor(code: string, message: string, options: { status?: number; fields?: ErrorFields; headers?: Record<string, string> } = {}) {
    super(message);
    this.name = code;
    this.code = code;
    this.status = options.status;
    this.fields = options.fields;
    this.headers = options.headers;
  }

  /** Whether the caller is at fault (4xx) rather than the service (5xx). */
  get senderFault(): boolean {
    return (this.status ?? 400) < 500;
  }
}

/** An unexpected failure inside Custos; logged, and answered as AWS answers its own faults. */
export class InternalFailure extends ServiceError {
  constructor(message = 'An internal error occurred.') {
    super('InternalFailure', message, { status: 500 });
  }
}
