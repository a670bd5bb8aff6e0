/**
 * @module
 * CloudWatch Logs' errors, with AWS's messages. Constraint failures are InvalidParameterException
 * in Coral's wording (`1 validation error detected: Value ... at 'logGroupName' failed to satisfy
 * constraint: ...`), as CloudWatch Logs reports them.
 */
import { ServiceError } from '../../core/errors.js';
import { validationMessage } from '../common-errors.js';

/** A parameter CloudWatch Logs does not accept. */
export class InvalidParameterException extends ServiceError {
  constructor(message: string) {
    super('InvalidParameterException', message);
  }
}

/** Constraint failures, one message per failed member. */
export function constraintFailure(...messages: string[]): InvalidParameterException {
  return new InvalidParameterException(validationMessage(messages));
}

/** A log group, stream or metric filter that does not exist. */
export class ResourceNotFoundException extends ServiceError {
  constructor(message: string) {
    super('ResourceNotFoundException', message);
  }
}

/** The log group a call names does not exist. */
export function logGroupNotFound(): ResourceNotFoundException {
  return new ResourceNotFoundException('The specified log group does not exist.');
}

/** The log stream a call names does not exist. */
export function logStreamNotFound(): ResourceNotFoundException {
  return new ResourceNotFoundException('The specified log stream does not exist.');
}

/** A log group or stream that already exists. */
export class ResourceAlreadyExistsException extends ServiceError {
  constructor(message: string) {
    super('ResourceAlreadyExistsException', message);
  }
}

/** A quota reached (metric filters per log group, tags per resource). */
export class LimitExceededException extends ServiceError {
  constructor(message: string) {
    super('LimitExceededException', message);
  }
}

/** A change refused because of the resource's state (deletion protection). */
export class OperationAbortedException extends ServiceError {
  constructor(message: string) {
    super('OperationAbortedException', message);
  }
}

/** More than 50 tags on one resource. */
export class TooManyTagsException extends ServiceError {
  constructor(resourceName: string) {
    super('TooManyTagsException', 'A resource can have no more than 50 tags.', { fields: { resourceName } });
  }
}
