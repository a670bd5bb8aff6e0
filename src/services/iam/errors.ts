/**
 * @module
 * IAM's errors, with AWS's messages. The codes are the model's shape names (CloudTrail records
 * them so); the awsQuery codec writes their wire codes (`NoSuchEntity`, `DeleteConflict`...).
 */
import { ServiceError } from '../../core/errors.js';

/** A named entity that does not exist. */
export class NoSuchEntityException extends ServiceError {
  constructor(message: string) {
    super('NoSuchEntityException', message);
  }
}

/** A create with a name that is taken. */
export class EntityAlreadyExistsException extends ServiceError {
  constructor(message: string) {
    super('EntityAlreadyExistsException', message);
  }
}

/** A delete of an entity that still has subordinate entities. */
export class DeleteConflictException extends ServiceError {
  constructor(message: string) {
    super('DeleteConflictException', message);
  }
}

/** A quota reached. */
export class LimitExceededException extends ServiceError {
  constructor(message: string) {
    super('LimitExceededException', message);
  }
}

/** A policy document that breaks the grammar. */
export class MalformedPolicyDocumentException extends ServiceError {
  constructor(message: string) {
    super('MalformedPolicyDocumentException', message);
  }
}

/** A parameter value IAM does not accept. */
export class InvalidInputException extends ServiceError {
  constructor(message: string) {
    super('InvalidInputException', message);
  }
}

/** Input that breaks the model's constraints (names, lengths, patterns). */
export class IamValidationError extends ServiceError {
  constructor(message: string) {
    super('ValidationError', message, { status: 400 });
  }
}

/** A wrong or replayed MFA code. */
export class InvalidAuthenticationCodeException extends ServiceError {
  constructor(message: string) {
    super('InvalidAuthenticationCodeException', message);
  }
}

/** A change to a service-linked role or other protected entity. */
export class UnmodifiableEntityException extends ServiceError {
  constructor(message: string) {
    super('UnmodifiableEntityException', message);
  }
}

/** Attaching a policy that cannot be attached (a service-linked role policy). */
export class PolicyNotAttachableException extends ServiceError {
  constructor(message: string) {
    super('PolicyNotAttachableException', message);
  }
}

/** GetCredentialReport before any GenerateCredentialReport. */
export class CredentialReportNotPresentException extends ServiceError {
  constructor() {
    super('CredentialReportNotPresentException', 'Credential report not present');
  }
}

/** A password that breaks the account's password policy. */
export class PasswordPolicyViolationException extends ServiceError {
  constructor(message: string) {
    super('PasswordPolicyViolationException', message);
  }
}
