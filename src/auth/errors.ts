/**
 * @module
 * Authentication failures, and how each protocol family reports them. The verifier raises an
 * AuthenticationError naming what went wrong; the pipeline turns it into the error code, status
 * and message that the called service's protocol uses.
 */
import { ServiceError, type ErrorFields } from '../core/errors.js';

/** What went wrong while authenticating a request. */
export type AuthFailure =
  | 'MissingAuthenticationToken'
  | 'IncompleteSignature'
  | 'UnknownAccessKey'
  | 'SignatureMismatch'
  | 'RequestTimeTooSkewed'
  | 'PresignedUrlExpired'
  | 'ExpiredToken'
  | 'InvalidToken'
  | 'PayloadHashMismatch';

/** A failed authentication; `detail` completes the message where AWS gives one (e.g. the skew times). */
export class AuthenticationError extends Error {
  constructor(
    readonly failure: AuthFailure,
    readonly detail?: string,
    readonly fields?: ErrorFields,
  ) {
    super(detail ?? failure);
    this.name = 'AuthenticationError';
  }
}

/** The protocol families that word common errors (authentication, denial, validation) differently. */
export type ErrorStyle = 'json' | 'rest-json' | 'query' | 'ec2' | 's3';

const MISMATCH = 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const INVALID_TOKEN = 'The security token included in the request is invalid.';
const EXPIRED_TOKEN = 'The security token included in the request is expired';

type Rendering = [code: string, status: number, message: string];

const STYLES: Record<ErrorStyle, Record<AuthFailure, Rendering>> = {
  json: {
    MissingAuthenticationToken: ['MissingAuthenticationTokenException', 403, 'Missing Authentication Token'],
    IncompleteSignature: ['IncompleteSignatureException', 400, 'The request signature does not conform to AWS standards.'],
    UnknownAccessKey: ['UnrecognizedClientException', 400, INVALID_TOKEN],
    SignatureMismatch: ['InvalidSignatureException', 400, MISMATCH],
    RequestTimeTooSkewed: ['InvalidSignatureException', 400, 'Signature expired.'],
    PresignedUrlExpired: ['InvalidSignatureException', 400, 'Signature expired.'],
    ExpiredToken: ['ExpiredTokenException', 400, EXPIRED_TOKEN],
    InvalidToken: ['UnrecognizedClientException', 400, INVALID_TOKEN],
    PayloadHashMismatch: ['InvalidSignatureException', 400, MISMATCH],
  },
  'rest-json': {
    MissingAuthenticationToken: ['MissingAuthenticationTokenException', 403, 'Missing Authentication Token'],
    IncompleteSignature: ['IncompleteSignatureException', 403, 'The request signature does not conform to AWS standards.'],
    UnknownAccessKey: ['UnrecognizedClientException', 403, INVALID_TOKEN],
    SignatureMismatch: ['InvalidSignatureException', 403, MISMATCH],
    RequestTimeTooSkewed: ['InvalidSignatureException', 403, 'Signature expired.'],
    PresignedUrlExpired: ['InvalidSignatureException', 403, 'Signature expired.'],
    ExpiredToken: ['ExpiredTokenException', 403, EXPIRED_TOKEN],
    InvalidToken: ['UnrecognizedClientException', 403, INVALID_TOKEN],
    PayloadHashMismatch: ['InvalidSignatureException', 403, MISMATCH],
  },
  query: {
    MissingAuthenticationToken: ['MissingAuthenticationToken', 403, 'Request is missing Authentication Token'],
    IncompleteSignature: ['IncompleteSignature', 400, 'The request signature does not conform to AWS standards.'],
    UnknownAccessKey: ['InvalidClientTokenId', 403, INVALID_TOKEN],
    SignatureMismatch: ['SignatureDoesNotMatch', 403, MISMATCH],
    RequestTimeTooSkewed: ['SignatureDoesNotMatch', 403, 'Signature expired.'],
    PresignedUrlExpired: ['SignatureDoesNotMatch', 403, 'Signature expired.'],
    ExpiredToken: ['ExpiredToken', 400, EXPIRED_TOKEN],
    InvalidToken: ['InvalidClientTokenId', 403, INVALID_TOKEN],
    PayloadHashMismatch: ['SignatureDoesNotMatch', 403, MISMATCH],
  },
  ec2: {
    MissingAuthenticationToken: ['MissingAuthenticationToken', 401, 'The request must contain either a valid (registered) AWS access key ID or X.509 certificate.'],
    IncompleteSignature: ['IncompleteSignature', 400, 'The request signature does not conform to AWS standards.'],
    UnknownAccessKey: ['AuthFailure', 401, 'AWS was not able to validate the provided access credentials'],
    SignatureMismatch: ['AuthFailure', 401, 'AWS was not able to validate the provided access credentials'],
    RequestTimeTooSkewed: ['RequestExpired', 400, 'Request has expired.'],
    PresignedUrlExpired: ['RequestExpired', 400, 'Request has expired.'],
    ExpiredToken: ['RequestExpired', 400, 'Request has expired.'],
    InvalidToken: ['AuthFailure', 401, 'AWS was not able to validate the provided access credentials'],
    PayloadHashMismatch: ['AuthFailure', 401, 'AWS was not able to validate the provided access credentials'],
  },
  s3: {
    MissingAuthenticationToken: ['AccessDenied', 403, 'Access Denied'],
    IncompleteSignature: ['AuthorizationHeaderMalformed', 400, 'The authorization header is malformed.'],
    UnknownAccessKey: ['InvalidAccessKeyId', 403, 'The AWS Access Key Id you provided does not exist in our records.'],
    SignatureMismatch: ['SignatureDoesNotMatch', 403, 'The request signature we calculated does not match the signature you provided. Check your key and signing method.'],
    RequestTimeTooSkewed: ['RequestTimeTooSkewed', 403, 'The difference between the request time and the current time is too large.'],
    PresignedUrlExpired: ['AccessDenied', 403, 'Request has expired'],
    ExpiredToken: ['ExpiredToken', 400, 'The provided token has expired.'],
    InvalidToken: ['InvalidToken', 400, 'The provided token is malformed or otherwise invalid.'],
    PayloadHashMismatch: ['XAmzContentSHA256Mismatch', 400, "The provided 'x-amz-content-sha256' header does not match what was computed."],
  },
};

/**
 * The ServiceError a service of the given style answers an authentication failure with.
 * S3 keeps its fixed messages and adds fields; the other styles append the detail where AWS does.
 */
export function authErrorFor(style: ErrorStyle, error: AuthenticationError): ServiceError {
  const [code, status, message] = STYLES[style][error.failure];
  const withDetail = style !== 's3' && error.detail ? detailed(error.failure, message, error.detail) : message;
  return new ServiceError(code, withDetail, { status, fields: style === 's3' ? error.fields : undefined });
}

function detailed(failure: AuthFailure, message: string, detail: string): string {
  switch (failure) {
    case 'RequestTimeTooSkewed':
    case 'PresignedUrlExpired':
    case 'IncompleteSignature':
      return detail;
    default:
      return message;
  }
}
