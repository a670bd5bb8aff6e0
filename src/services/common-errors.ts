/**
 * @module
 * The errors every service has, worded per protocol family as AWS words them: access denied,
 * validation failures, unknown operations, bodies that do not parse or are too large.
 */
import { ServiceError } from '../core/errors.js';
import type { ErrorStyle } from '../auth/errors.js';

/** AWS's denial message: `User: <arn> is not authorized to perform: <action> on resource: <resource>`. */
export function denialMessage(principalArn: string, action: string, resource: string, reason?: string): string {
  const base = `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resource}`;
  return reason ? `${base} ${reason}` : base;
}

/** The AccessDenied error of a protocol family. */
export function accessDenied(style: ErrorStyle, message: string): ServiceError {
  switch (style) {
    case 'json':
      return new ServiceError('AccessDeniedException', message, { status: 400 });
    case 'rest-json':
      return new ServiceError('AccessDeniedException', message, { status: 403 });
    case 'query':
      return new ServiceError('AccessDenied', message, { status: 403 });
    case 'ec2':
      return new ServiceError('UnauthorizedOperation', `You are not authorized to perform this operation. ${message}`, { status: 403 });
    case 's3':
      return new ServiceError('AccessDenied', message, { status: 403 });
  }
}

/** Coral's wording of constraint failures: `1 validation error detected: ...; ...`. */
export function validationMessage(messages: readonly string[]): string {
  const n = messages.length;
  return `${n} validation error${n === 1 ? '' : 's'} detected: ${messages.join('; ')}`;
}

/** The validation error of a protocol family for input that breaks the model's constraints. */
export function validationError(style: ErrorStyle, messages: readonly string[]): ServiceError {
  switch (style) {
    case 'json':
    case 'rest-json':
      return new ServiceError('ValidationException', validationMessage(messages), { status: 400 });
    case 'query':
      return new ServiceError('ValidationError', validationMessage(messages), { status: 400 });
    case 'ec2':
      return new ServiceError('InvalidParameterValue', validationMessage(messages), { status: 400 });
    case 's3':
      return new ServiceError('InvalidRequest', validationMessage(messages), { status: 400 });
  }
}

/** The error for an operation the service does not have (or Custos has not implemented). */
export function unknownOperation(style: ErrorStyle, name: string | undefined, version?: string): ServiceError {
  switch (style) {
    case 'json':
      return new ServiceError('UnknownOperationException', name ? `Unknown operation ${name}` : 'Unknown operation', { status: 400 });
    case 'rest-json':
      return new ServiceError('UnknownOperationException', 'Unknown operation', { status: 404 });
    case 'query':
    case 'ec2':
      return name
        ? new ServiceError('InvalidAction', `Could not find operation ${name} for version ${version ?? 'NO_VERSION_SPECIFIED'}`, { status: 400 })
        : new ServiceError('MissingAction', 'Missing Action', { status: 400 });
    case 's3':
      return new ServiceError('MethodNotAllowed', 'The specified method is not allowed against this resource.', { status: 405 });
  }
}

/** The error for an operation the model has but Custos does not implement yet. */
export function notImplemented(style: ErrorStyle, name: string): ServiceError {
  const message = `${name} is not implemented by Custos yet; see docs/coverage.md`;
  return style === 's3'
    ? new ServiceError('NotImplemented', message, { status: 501 })
    : new ServiceError(style === 'query' || style === 'ec2' ? 'NotImplemented' : 'NotImplementedException', message, { status: 501 });
}

/** The error for a request body above the accepted size. */
export function entityTooLarge(style: ErrorStyle, limit: number): ServiceError {
  const message = `Request body must be at most ${limit} bytes.`;
  if (style === 's3') return new ServiceError('MaxMessageLengthExceeded', 'Your request was too big.', { status: 400 });
  return new ServiceError(style === 'json' || style === 'rest-json' ? 'RequestEntityTooLargeException' : 'RequestEntityTooLarge', message, { status: 413 });
}
