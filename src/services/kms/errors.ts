/**
 * @module
 * KMS's errors, with AWS's codes and messages. KMS answers every client error with HTTP 400,
 * whatever status the model gives the error shape.
 */
import { ServiceError } from '../../core/errors.js';

class KmsError extends ServiceError {
  constructor(code: string, message: string) {
    super(code, message, { status: 400 });
  }
}

/** A key, alias or other entity that does not exist. */
export class NotFoundException extends KmsError {
  constructor(message: string) {
    super('NotFoundException', message);
  }

  /** A key id or key ARN that names no key. */
  static key(arn: string): NotFoundException {
    return new NotFoundException(`Key '${arn}' does not exist`);
  }

  /** A key identifier that is not a key id, ARN or alias. */
  static invalidKeyId(value: string): NotFoundException {
    return new NotFoundException(`Invalid keyId '${value}'`);
  }

  /** An alias that does not exist. */
  static alias(aliasArn: string): NotFoundException {
    return new NotFoundException(`Alias ${aliasArn} is not found.`);
  }
}


/** An operation on a disabled key that needs it enabled. */
export class DisabledException extends KmsError {
  constructor(keyArn: string) {
    super('DisabledException', `${keyArn} is disabled.`);
  }
}

/** An operation the key's state does not allow (pending deletion, not pending deletion...). */
export class KMSInvalidStateException extends KmsError {
  constructor(message: string) {
    super('KMSInvalidStateException', message);
  }
}

/** A ciphertext that is not one, was changed, or does not match its encryption context. */
export class InvalidCiphertextException extends KmsError {
  constructor() {
    super('InvalidCiphertextException', '');
  }
}

/** Decrypt with a KeyId that is not the key the ciphertext was made under. */
export class IncorrectKeyException extends KmsError {
  constructor() {
    super('IncorrectKeyException', 'The key ID in the request does not identify a CMK that can perform this operation.');
  }
}

/** A ciphertext whose key does not exist, or not in this region. */
export class CiphertextKeyAccessDenied extends KmsError {
  constructor() {
    super('AccessDeniedException', 'The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access.');
  }
}

/** An alias name that exists already. */
export class AlreadyExistsException extends KmsError {
  constructor(aliasArn: string) {
    super('AlreadyExistsException', `An alias with the name ${aliasArn} already exists`);
  }
}

/** An alias name in the reserved `alias/aws/` namespace. */
export class NotAuthorizedException extends KmsError {
  constructor() {
    super('NotAuthorizedException', '');
  }
}

/** Input that breaks KMS's rules. */
export class ValidationException extends KmsError {
  constructor(message: string) {
    super('ValidationException', message);
  }

  /** Coral's wording of one broken constraint. */
  static constraint(detail: string): ValidationException {
    return new ValidationException(`1 validation error detected: ${detail}`);
  }
}

/** A key policy that is not valid, or that would lock the caller out. */
export class MalformedPolicyDocumentException extends KmsError {
  constructor(message = '') {
    super('MalformedPolicyDocumentException', message);
  }
}

/** Tags that break KMS's tag rules. */
export class TagException extends KmsError {
  constructor(message: string) {
    super('TagException', message);
  }
}

/** A request KMS understands but does not (or Custos does not) support for this key. */
export class UnsupportedOperationException extends KmsError {
  constructor(message: string) {
    super('UnsupportedOperationException', message);
  }
}

/** A Marker this listing did not issue. */
export class InvalidMarkerException extends KmsError {
  constructor() {
    super('InvalidMarkerException', 'Invalid marker');
  }
}

/** A limit reached (too many aliases on a key, too many on-demand rotations...). */
export class LimitExceededException extends KmsError {
  constructor(message: string) {
    super('LimitExceededException', message);
  }
}

/** A request with DryRun that would have succeeded. */
export class DryRunOperationException extends ServiceError {
  constructor() {
    super('DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.', { status: 412 });
  }
}

/** A key used for an operation or algorithm its usage and spec do not allow. */
export class InvalidKeyUsageException extends KmsError {
  constructor(message: string) {
    super('InvalidKeyUsageException', message);
  }
}

/** Key material that does not open under the data directory's master key (a replaced or damaged `kms-master.key`). */
export class KMSInternalException extends ServiceError {
  constructor() {
    super('KMSInternalException', 'The key material of this key cannot be read with the master key of this data directory.', { status: 500 });
  }
}
