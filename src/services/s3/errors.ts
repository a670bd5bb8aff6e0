/**
 * @module
 * S3's errors, with AWS's codes, statuses and messages, and the extra elements S3 puts in its
 * error documents (BucketName, Key, ...).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
 */
import { ServiceError, type ErrorFields } from '../../core/errors.js';

/** The base of S3's errors: a code, a message, a status and the document's extra elements. */
export class S3Error extends ServiceError {
  constructor(code: string, message: string, status: number, fields?: ErrorFields, headers?: Record<string, string>) {
    super(code, message, { status, fields, headers });
  }
}

/** A bucket that does not exist. */
export class NoSuchBucket extends S3Error {
  constructor(bucket: string) {
    super('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: bucket });
  }
}

/** A key with no current object (or whose current version is a delete marker). */
export class NoSuchKey extends S3Error {
  constructor(key: string, headers?: Record<string, string>) {
    super('NoSuchKey', 'The specified key does not exist.', 404, { Key: key }, headers);
  }
}

/** A version id the key does not have. */
export class NoSuchVersion extends S3Error {
  constructor(key: string, versionId: string) {
    super('NoSuchVersion', 'The specified version does not exist.', 404, { Key: key, VersionId: versionId });
  }
}

/** An upload id that names no upload in progress. */
export class NoSuchUpload extends S3Error {
  constructor(uploadId: string) {
    super('NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', 404, { UploadId: uploadId });
  }
}

/** A bucket sub-resource configuration that is not set (NoSuchBucketPolicy, NoSuchTagSet, ...). */
export class NoSuchConfiguration extends S3Error {
  constructor(code: string, message: string, bucket: string) {
    super(code, message, 404, { BucketName: bucket });
  }
}

/** CreateBucket with a name another account owns. */
export class BucketAlreadyExists extends S3Error {
  constructor(bucket: string) {
    super('BucketAlreadyExists', 'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.', 409, { BucketName: bucket });
  }
}

/** CreateBucket with the name of a bucket the caller owns (outside us-east-1). */
export class BucketAlreadyOwnedByYou extends S3Error {
  constructor(bucket: string) {
    super('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', 409, { BucketName: bucket });
  }
}

/** DeleteBucket on a bucket that holds objects, versions or delete markers. */
export class BucketNotEmpty extends S3Error {
  constructor(bucket: string) {
    super('BucketNotEmpty', 'The bucket you tried to delete is not empty', 409, { BucketName: bucket });
  }
}

/** A bucket name that breaks S3's naming rules. */
export class InvalidBucketName extends S3Error {
  constructor(bucket: string) {
    super('InvalidBucketName', 'The specified bucket is not valid.', 400, { BucketName: bucket });
  }
}

/** A LocationConstraint that is not a region S3 accepts. */
export class InvalidLocationConstraint extends S3Error {
  constructor(constraint: string) {
    super('InvalidLocationConstraint', 'The specified location-constraint is not valid', 400, { LocationConstraint: constraint });
  }
}

/** A LocationConstraint that differs from the region the request was signed for (outside us-east-1). */
export class IllegalLocationConstraintException extends S3Error {
  constructor(constraint: string | undefined) {
    super('IllegalLocationConstraintException', `The ${constraint ?? 'unspecified'} location constraint is incompatible for the region specific endpoint this request was sent to.`, 400);
  }
}

/**
 * A request signed for another region than the bucket's: S3 answers as its endpoint for the wrong
 * region does, with a redirect naming the bucket's region (the SDKs and the CLI retry there). A
 * presigned URL cannot be re-signed, so it gets AuthorizationQueryParametersError.
 */
export class WrongRegion extends S3Error {
  constructor(bucket: string, region: string, expected: string, presigned: boolean) {
    if (presigned) {
      super('AuthorizationQueryParametersError', `Error parsing the X-Amz-Credential parameter; the region '${region}' is wrong; expecting '${expected}'`, 400, { Region: expected });
    } else {
      super('PermanentRedirect', 'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.', 301,
        { Bucket: bucket, Endpoint: `${bucket}.s3.${expected}.amazonaws.com` }, { 'x-amz-bucket-region': expected });
    }
  }
}

/** S3's bare denial (a public ACL or policy under Block Public Access, a locked object). */
export class AccessDenied extends S3Error {
  constructor(message = 'Access Denied') {
    super('AccessDenied', message, 403);
  }
}

/** An argument S3 does not accept. */
export class InvalidArgument extends S3Error {
  constructor(message: string, name?: string, value?: string) {
    super('InvalidArgument', message, 400, name === undefined ? undefined : { ArgumentName: name, ArgumentValue: value });
  }
}

/** A request S3 does not accept as a whole. */
export class InvalidRequest extends S3Error {
  constructor(message: string) {
    super('InvalidRequest', message, 400);
  }
}

/** An XML body that does not parse or does not fit the schema. */
export class MalformedXML extends S3Error {
  constructor() {
    super('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
  }
}

/** A configuration call without its body. */
export class MissingRequestBodyError extends S3Error {
  constructor() {
    super('MissingRequestBodyError', 'Request Body is empty', 400);
  }
}

/** A key longer than 1,024 bytes. */
export class KeyTooLongError extends S3Error {
  constructor() {
    super('KeyTooLongError', 'Your key is too long', 400);
  }
}

/** User metadata over 2 KB. */
export class MetadataTooLarge extends S3Error {
  constructor() {
    super('MetadataTooLarge', 'Your metadata headers exceed the maximum allowed metadata size.', 400);
  }
}

/** A single PUT over 5 GB. */
export class EntityTooLarge extends S3Error {
  constructor() {
    super('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', 400);
  }
}

/** A part other than the last smaller than 5 MiB. */
export class EntityTooSmall extends S3Error {
  constructor() {
    super('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', 400);
  }
}

/** A body that ended before its declared length. */
export class IncompleteBody extends S3Error {
  constructor(message = 'You did not provide the number of bytes specified by the Content-Length HTTP header') {
    super('IncompleteBody', message, 400);
  }
}

/** Bytes that do not match the digest the request declared. */
export class BadDigest extends S3Error {
  constructor(message: string) {
    super('BadDigest', message, 400);
  }
}

/** A part in CompleteMultipartUpload that was not uploaded, or whose ETag differs. */
export class InvalidPart extends S3Error {
  constructor() {
    super('InvalidPart', "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.", 400);
  }
}

/** Parts in CompleteMultipartUpload out of ascending order. */
export class InvalidPartOrder extends S3Error {
  constructor() {
    super('InvalidPartOrder', 'The list of parts was not in ascending order. Parts must be ordered by part number.', 400);
  }
}

/** A conditional request whose If-Match / If-Unmodified-Since (or If-None-Match on writes) failed. */
export class PreconditionFailed extends S3Error {
  constructor(condition: string) {
    super('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, { Condition: condition });
  }
}

/** A conditional read whose If-None-Match / If-Modified-Since says the client's copy is current. */
export class NotModified extends S3Error {
  constructor() {
    super('NotModified', 'Not Modified', 304);
  }
}

/** A Range header that selects no bytes of the object. */
export class InvalidRange extends S3Error {
  constructor(size: number, range: string) {
    super('InvalidRange', 'The requested range is not satisfiable', 416, { RangeRequested: range, ActualObjectSize: size });
  }
}

/** An operation on a resource it does not apply to (e.g. GetObject on a delete marker version). */
export class MethodNotAllowed extends S3Error {
  constructor(method: string, resourceType: string, headers?: Record<string, string>) {
    super('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405, { Method: method, ResourceType: resourceType }, headers);
  }
}

/** Tags that break S3's tag rules. */
export class InvalidTag extends S3Error {
  constructor(message: string) {
    super('InvalidTag', message, 400);
  }
}

/** A bucket policy that is not valid JSON or not a policy. */
export class MalformedPolicy extends S3Error {
  constructor(message: string) {
    super('MalformedPolicy', message, 400);
  }
}

/** An ACL on a bucket whose object ownership is BucketOwnerEnforced. */
export class AccessControlListNotSupported extends S3Error {
  constructor() {
    super('AccessControlListNotSupported', 'The bucket does not allow ACLs', 400);
  }
}

/** CreateBucket with an ACL and ObjectOwnership BucketOwnerEnforced. */
export class InvalidBucketAclWithObjectOwnership extends S3Error {
  constructor() {
    super('InvalidBucketAclWithObjectOwnership', "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting", 400);
  }
}

/** A configuration the bucket's state does not allow (e.g. object lock without versioning). */
export class InvalidBucketState extends S3Error {
  constructor(message: string) {
    super('InvalidBucketState', message, 409);
  }
}

/** A logging target bucket that does not exist or belongs to another account. */
export class InvalidTargetBucketForLogging extends S3Error {
  constructor(bucket: string, message = 'The target bucket for logging does not exist') {
    super('InvalidTargetBucketForLogging', message, 400, { TargetBucket: bucket });
  }
}

/** A storage class S3 does not have. */
export class InvalidStorageClass extends S3Error {
  constructor() {
    super('InvalidStorageClass', 'The storage class you specified is not valid', 400);
  }
}

/** Request headers that ask for what Custos does not do (SSE-C). */
export class HeaderNotImplemented extends S3Error {
  constructor(header: string) {
    super('NotImplemented', 'A header you provided implies functionality that is not implemented', 501, { Header: header });
  }
}

/** A KMS error met while encrypting or decrypting an SSE-KMS object, as S3 passes it on (`KMS.DisabledException`...). */
export class KmsFailure extends S3Error {
  constructor(kmsCode: string, message: string) {
    super(`KMS.${kmsCode}`, message, 400);
  }
}
