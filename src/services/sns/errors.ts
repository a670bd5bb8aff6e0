/**
 * @module
 * SNS's errors, with AWS's codes (awsQuery names) and messages.
 */
import { ServiceError } from '../../core/errors.js';

/** A parameter SNS does not accept: `Invalid parameter: <what>` (400). */
export class InvalidParameterException extends ServiceError {
  constructor(what: string) {
    super('InvalidParameter', `Invalid parameter: ${what}`, { status: 400 });
  }
}

/** A parameter value SNS does not accept, worded by SNS (400 ParameterValueInvalid). */
export class InvalidParameterValueException extends ServiceError {
  constructor(message: string) {
    super('ParameterValueInvalid', message, { status: 400 });
  }
}

/** A topic or subscription that does not exist (404). */
export class NotFoundException extends ServiceError {
  constructor(message: string) {
    super('NotFound', message, { status: 404 });
  }

  /** The topic named does not exist. */
  static topic(): NotFoundException {
    return new NotFoundException('Topic does not exist');
  }

  /** The subscription named does not exist. */
  static subscription(): NotFoundException {
    return new NotFoundException('Subscription does not exist');
  }
}

/** A caller without the permission, or a request that needs a signature (403). */
export class AuthorizationErrorException extends ServiceError {
  constructor(message: string) {
    super('AuthorizationError', message, { status: 403 });
  }
}

/** A resource ARN the tagging operations cannot find (404). */
export class ResourceNotFoundException extends ServiceError {
  constructor(message = 'Resource does not exist') {
    super('ResourceNotFound', message, { status: 404 });
  }
}

/** More than 50 tags on a topic. */
export class TagLimitExceededException extends ServiceError {
  constructor() {
    super('TagLimitExceeded', 'Could not complete request: tag quota of per resource exceeded', { status: 400 });
  }
}

/** PublishBatch with more than 10 entries. */
export class TooManyEntriesInBatchRequestException extends ServiceError {
  constructor() {
    super('TooManyEntriesInBatchRequest', 'The batch request contains more entries than permissible.', { status: 400 });
  }
}

/** PublishBatch without entries. */
export class EmptyBatchRequestException extends ServiceError {
  constructor() {
    super('EmptyBatchRequest', 'The batch request doesn\'t contain any entries.', { status: 400 });
  }
}

/** PublishBatch with two entries of the same Id. */
export class BatchEntryIdsNotDistinctException extends ServiceError {
  constructor() {
    super('BatchEntryIdsNotDistinct', 'Two or more batch entries in the request have the same Id.', { status: 400 });
  }
}

/** PublishBatch with an entry Id that breaks the rules. */
export class InvalidBatchEntryIdException extends ServiceError {
  constructor(message: string) {
    super('InvalidBatchEntryId', message, { status: 400 });
  }
}

/** PublishBatch whose messages together exceed 256 KB. */
export class BatchRequestTooLongException extends ServiceError {
  constructor() {
    super('BatchRequestTooLong', 'The length of all the messages put together is more than the limit.', { status: 400 });
  }
}
