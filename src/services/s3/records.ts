/**
 * @module
 * How S3 calls look in CloudTrail: eventName as CloudTrail names it (PutBucketLifecycle, not
 * PutBucketLifecycleConfiguration), requestParameters with `bucketName`, `key`, `Host`, the query
 * parameters (sub-resource flags as `""`) and XML bodies as JSON, additionalEventData with the
 * signature version, bytes in and out and `x-amz-id-2`, and resources naming the object and the
 * bucket with its owner. The record goes to the caller's account (the bucket owner's for anonymous
 * calls), in the bucket's region.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging-understanding-s3-entries.html
 */
import type { AuditResource } from '../../audit/record.js';
import { hostIdFor } from '../../protocol/rest-xml.js';
import { parseUriTemplate } from '../../protocol/uri-template.js';
import type { Member, Operation } from '../../protocol/model.js';
import { xmlElement, type XmlElement } from '../../protocol/xml.js';
import { writeXmlMembers } from '../../protocol/xml-values.js';
import type { RecordDetails, RecordedCall } from '../service.js';
import { bucketArn, findBucket } from './buckets.js';

/** Operations CloudTrail records under another name. */
const EVENT_NAMES: Readonly<Record<string, string>> = {
  GetBucketLifecycleConfiguration: 'GetBucketLifecycle',
  PutBucketLifecycleConfiguration: 'PutBucketLifecycle',
  GetBucketNotificationConfiguration: 'GetBucketNotification',
  PutBucketNotificationConfiguration: 'PutBucketNotification',
  GetObjectLockConfiguration: 'GetBucketObjectLockConfiguration',
  PutObjectLockConfiguration: 'PutBucketObjectLockConfiguration',
  GetBucketAccelerateConfiguration: 'GetAccelerateConfiguration',
  PutBucketAccelerateConfiguration: 'PutAccelerateConfiguration',
  GetPublicAccessBlock: 'GetBucketPublicAccessBlock',
  PutPublicAccessBlock: 'PutBucketPublicAccessBlock',
  DeletePublicAccessBlock: 'DeleteBucketPublicAccessBlock',
};

/** Operations whose body CloudTrail leaves out of requestParameters (DeleteObjects logs no key names). */
const BODY_LEFT_OUT = new Set(['DeleteObjects']);

/** Operations that list no resources (they name no existing bucket). */
const NO_RESOURCES = new Set(['ListBuckets', 'CreateBucket']);

function typedText(text: string): unknown {
  if (text === 'true' || text === 'false') return text === 'true';
  if (/^-?\d{1,15}(\.\d+)?$/.test(text)) return Number(text);
  return text;
}

/** An XML element as CloudTrail shows an S3 body: repeated elements as arrays, numbers and booleans typed. */
export function xmlAsJson(el: XmlElement): unknown {
  if (el.children.length === 0 && Object.keys(el.attributes).length === 0) return typedText(el.text);
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(el.attributes)) out[name] = value;
  const groups = new Map<string, unknown[]>();
  for (const child of el.children) {
    const group = groups.get(child.name) ?? [];
    group.push(xmlAsJson(child));
    groups.set(child.name, group);
  }
  for (const [name, values] of groups) out[name] = values.length === 1 ? values[0] : values;
  return out;
}

function payloadParameters(operation: Operation, input: Record<string, unknown>): Record<string, unknown> {
  const payload: Member | undefined = operation.input?.payload;
  if (!payload || BODY_LEFT_OUT.has(operation.name)) return {};
  const value = input[payload.name];
  if (value === undefined || value === null) return {};
  if (operation.name === 'PutBucketPolicy') {
    try {
      return { bucketPolicy: JSON.parse(String(value)) };
    } catch {
      return {};
    }
  }
  if (payload.shape.type !== 'structure') return {};
  const name = payload.locationName ?? payload.shape.locationName ?? payload.shape.name;
  const root = xmlElement(name, '', operation.service.xmlNamespace ? { xmlns: operation.service.xmlNamespace } : {});
  writeXmlMembers(payload.shape, value as Record<string, unknown>, root, { isoMillis: true });
  return { [name]: xmlAsJson(root) };
}

/** requestParameters as S3 records them. */
export function requestParameters(operation: Operation, input: Record<string, unknown>, host: string | undefined): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [key, value] of parseUriTemplate(operation.http?.requestUri ?? '/').query) params[key] = value ?? '';
  for (const member of operation.input?.members ?? []) {
    const value = input[member.name];
    if (value === undefined || value === null || member.location !== 'querystring' || !member.locationName) continue;
    params[member.locationName] = value instanceof Date ? value.toISOString() : String(value);
  }
  if (typeof input.Bucket === 'string') params.bucketName = input.Bucket;
  if (typeof input.Key === 'string') params.key = input.Key;
  if (typeof input.ACL === 'string') params['x-amz-acl'] = input.ACL;
  if (host !== undefined) params.Host = host;
  return { ...params, ...payloadParameters(operation, input) };
}

function bytesIn(call: RecordedCall): number {
  const staged = (call.input as { staged?: { size: number } }).staged;
  return staged?.size ?? call.ctx.request.bodyLength ?? 0;
}

function bytesOut(call: RecordedCall): number {
  return call.operation.name === 'GetObject' && typeof call.output?.ContentLength === 'number' ? call.output.ContentLength : 0;
}

/** additionalEventData as S3 (and S3 Control) record it. */
export function additionalEventData(call: RecordedCall): Record<string, unknown> {
  const { signing, tls } = call.ctx.request;
  return {
    SignatureVersion: signing?.signatureVersion,
    CipherSuite: tls?.cipherSuite,
    bytesTransferredIn: bytesIn(call),
    AuthenticationMethod: signing?.authenticationMethod,
    'x-amz-id-2': hostIdFor(call.ctx.requestId),
    bytesTransferredOut: bytesOut(call),
  };
}

/** The record details of an S3 call (see the module comment). Runs in the call's transaction. */
export async function s3RecordDetails(call: RecordedCall): Promise<RecordDetails> {
  const { operation, input, ctx } = call;
  const name = typeof input.Bucket === 'string' ? input.Bucket : undefined;
  const bucket = name !== undefined ? await findBucket(ctx.tx, name) : undefined;
  const resources: AuditResource[] = [];
  if (name !== undefined && !NO_RESOURCES.has(operation.name)) {
    if (typeof input.Key === 'string') resources.push({ type: 'AWS::S3::Object', arn: bucketArn(name, input.Key) });
    resources.push({ type: 'AWS::S3::Bucket', arn: bucketArn(name), accountId: bucket?.owner ?? ctx.scope.accountId });
  }
  const anonymous = ctx.principal.type === 'Anonymous';
  return {
    eventName: EVENT_NAMES[operation.name],
    requestParameters: requestParameters(operation, input, ctx.request.host),
    responseElements: null,
    additionalEventData: additionalEventData(call),
    resources,
    scope: bucket ? { accountId: anonymous ? bucket.owner : ctx.scope.accountId, region: bucket.region } : undefined,
  };
}
