/**
 * @module
 * STS's errors, with AWS's messages.
 */
import { ServiceError } from '../../core/errors.js';
import { accessDenied } from '../common-errors.js';

/** An AccessDenied that is not a policy decision (root assuming a role, a bad MFA code...). */
export function stsAccessDenied(message: string): ServiceError {
  return accessDenied('query', message);
}

/** Input STS does not accept. */
export class StsValidationError extends ServiceError {
  constructor(message: string) {
    super('ValidationError', message, { status: 400 });
  }
}

/** A session policy that breaks the grammar. */
export class MalformedPolicyDocumentException extends ServiceError {
  constructor(message: string) {
    super('MalformedPolicyDocumentException', message);
  }
}

/** Session policies and tags too large once packed. */
export class PackedPolicyTooLargeException extends ServiceError {
  constructor(message: string) {
    super('PackedPolicyTooLargeException', message);
  }
}
