/**
 * @module
 * CloudWatch's errors, by the model's shape names (the codecs render the awsQuery codes,
 * `InvalidParameterValue`, `ResourceNotFound`..., where the protocol wants them), with AWS's messages.
 */
import { ServiceError } from '../../core/errors.js';
import { validationMessage } from '../common-errors.js';

/** A parameter value CloudWatch does not accept. */
export class InvalidParameterValueException extends ServiceError {
  constructor(message: string) {
    super('InvalidParameterValueException', message);
  }
}

/** Parameters that cannot go together, or a request that asks for too much. */
export class InvalidParameterCombinationException extends ServiceError {
  constructor(message: string) {
    super('InvalidParameterCombinationException', message);
  }
}

/** A required parameter that is missing in context. */
export class MissingRequiredParameterException extends ServiceError {
  constructor(message: string) {
    super('MissingRequiredParameterException', message);
  }
}

/** Constraint failures in Coral's wording (code `ValidationError`). */
export class ValidationException extends ServiceError {
  constructor(messages: string[]) {
    super('ValidationException', validationMessage(messages));
  }
}

/** Throws a ValidationException unless every message is undefined. */
export function checkConstraints(...messages: (string | undefined)[]): void {
  const failed = messages.filter((m): m is string => m !== undefined);
  if (failed.length > 0) throw new ValidationException(failed);
}

/** An alarm that does not exist (code `ResourceNotFound`). */
export class ResourceNotFound extends ServiceError {
  constructor(message: string) {
    super('ResourceNotFound', message);
  }
}

/** A tagged resource that does not exist. */
export class ResourceNotFoundException extends ServiceError {
  constructor(type: string, id: string) {
    super('ResourceNotFoundException', `${type} ${id} does not exist.`, { fields: { ResourceType: type, ResourceId: id } });
  }
}

/** A NextToken this query did not issue (code `InvalidNextToken`). */
export class InvalidNextToken extends ServiceError {
  constructor() {
    super('InvalidNextToken', 'The service cannot complete the request. The NextToken is invalid.');
  }
}

/** A quota reached (code `LimitExceeded`). */
export class LimitExceededFault extends ServiceError {
  constructor(message: string) {
    super('LimitExceededFault', message);
  }
}

/** The constraint message for a string member, or undefined. */
export function lengthConstraint(member: string, value: string, min: number, max: number): string | undefined {
  if (value.length < min) return `Value '${value}' at '${member}' failed to satisfy constraint: Member must have length greater than or equal to ${min}`;
  if (value.length > max) return `Value '${value}' at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${max}`;
  return undefined;
}

/** The constraint message for an enum member, or undefined. */
export function enumConstraint(member: string, value: string | undefined, allowed: readonly string[]): string | undefined {
  if (value === undefined || allowed.includes(value)) return undefined;
  return `Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`;
}

/**
 * A metric math expression that CloudWatch cannot evaluate (code `ValidationError`), worded as the
 * API words it: `Error in expression 'e1': Function 'ANOMALY_DETECTOR' not found`.
 */
export class MetricMathError extends ServiceError {
  constructor(
    readonly expressionId: string,
    readonly reason: string,
  ) {
    super('ValidationException', `Error in expression '${expressionId}': ${reason}`);
  }
}

/** A request CloudWatch rejects with code `ValidationError` and a message of its own (not Coral's list). */
export class InvalidRequestError extends ServiceError {
  constructor(message: string) {
    super('ValidationException', message);
  }
}
