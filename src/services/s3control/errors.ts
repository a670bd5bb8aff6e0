/**
 * @module
 * S3 Control's errors, with AWS's codes, statuses and messages.
 */
import { ServiceError } from '../../core/errors.js';

/** GetPublicAccessBlock for an account without account-level settings. */
export class NoSuchPublicAccessBlockConfiguration extends ServiceError {
  constructor() {
    super('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found', { status: 404 });
  }
}

/** A call naming another account than the caller's in `x-amz-account-id`. */
export class AccessDenied extends ServiceError {
  constructor() {
    super('AccessDenied', 'Access Denied', { status: 403 });
  }
}

/** PutPublicAccessBlock without its configuration. */
export class MissingRequestBodyError extends ServiceError {
  constructor() {
    super('MissingRequestBodyError', 'Request Body is empty', { status: 400 });
  }
}
