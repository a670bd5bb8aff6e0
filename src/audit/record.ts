/**
 * @module
 * Building a CloudTrail record (eventVersion 1.11) from the facts of one call. The record is
 * serialised exactly once, with AWS's field order; those bytes are what the log stores and hashes.
 */
import { isoSeconds } from '../core/clock.js';
import type { Principal } from '../auth/principal.js';
import { lookupUsername } from '../auth/principal.js';
import type { NewEvent } from '../store/types.js';

/** The CloudTrail record version Custos writes. */
export const EVENT_VERSION = '1.11';

const MAX_FIELD = 1024;
const MAX_PARAMETERS = 100 * 1024;

/** A resource a call touched, as CloudTrail lists it. */
export interface AuditResource {
  readonly type: string;
  readonly arn?: string;
  /** The name LookupEvents matches ResourceName against (defaults to the ARN). */
  readonly name?: string;
  readonly accountId?: string;
}

/** TLS facts of the connection a call came over. */
export interface TlsDetails {
  readonly tlsVersion: string;
  readonly cipherSuite: string;
  readonly clientProvidedHostHeader: string;
  readonly keyExchange?: string;
}

/** Everything a record says about one call. */
export interface CallFacts {
  readonly eventId: string;
  readonly requestId: string;
  readonly eventTime: number;
  readonly eventSource: string;
  readonly eventName: string;
  readonly region: string;
  readonly sourceIp: string;
  readonly userAgent?: string;
  readonly principal: Principal;
  readonly readOnly: boolean;
  readonly category: 'Management' | 'Data';
  readonly eventType?: 'AwsApiCall' | 'AwsServiceEvent';
  readonly requestParameters: unknown;
  readonly responseElements: unknown;
  readonly error?: { code: string; message: string };
  readonly resources: readonly AuditResource[];
  readonly recipientAccountId: string;
  readonly additionalEventData?: Record<string, unknown>;
  readonly tls?: TlsDetails;
  readonly apiVersion?: string;
}

function truncate(value: string | undefined): string | undefined {
  return value !== undefined && value.length > MAX_FIELD ? value.slice(0, MAX_FIELD) : value;
}

/** Leaves out parameters over 100 KB, as CloudTrail does. */
function bounded(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  return JSON.stringify(value).length > MAX_PARAMETERS ? undefined : value;
}

/** CloudTrail's userIdentity block for a principal. */
export function userIdentity(principal: Principal): Record<string, unknown> {
  if (principal.type === 'AWSService') return { type: 'AWSService', invokedBy: principal.invokedBy };
  const identity: Record<string, unknown> = {
    type: principal.type,
    principalId: principal.principalId,
    arn: principal.arn,
    accountId: principal.accountId,
  };
  if (principal.accessKeyId) identity.accessKeyId = principal.accessKeyId;
  if (principal.userName && principal.type !== 'AssumedRole') identity.userName = principal.userName;
  if (principal.session) {
    const context: Record<string, unknown> = {};
    if (principal.session.issuer) context.sessionIssuer = { ...principal.session.issuer };
    context.attributes = {
      creationDate: principal.session.creationDate,
      mfaAuthenticated: String(principal.session.mfaAuthenticated),
    };
    if (principal.session.sourceIdentity) context.sourceIdentity = principal.session.sourceIdentity;
    identity.sessionContext = context;
  }
  if (principal.invokedBy) identity.invokedBy = principal.invokedBy;
  return identity;
}

/** Builds the record of a call: the exact bytes to store and the attributes to index. */
export function buildRecord(facts: CallFacts): NewEvent {
  const record: Record<string, unknown> = {
    eventVersion: EVENT_VERSION,
    userIdentity: userIdentity(facts.principal),
    eventTime: isoSeconds(facts.eventTime),
    eventSource: facts.eventSource,
    eventName: facts.eventName,
    awsRegion: facts.region,
    sourceIPAddress: facts.principal.invokedBy ?? facts.sourceIp,
    userAgent: truncate(facts.principal.invokedBy ?? facts.userAgent),
    errorCode: truncate(facts.error?.code),
    errorMessage: truncate(facts.error?.message),
    requestParameters: bounded(facts.requestParameters),
    responseElements: facts.error ? null : bounded(facts.responseElements),
    additionalEventData: facts.additionalEventData,
    requestID: truncate(facts.requestId),
    eventID: facts.eventId,
    readOnly: facts.readOnly,
    resources: facts.resources.length
      ? facts.resources.map((r) => ({ accountId: r.accountId ?? facts.recipientAccountId, type: r.type, ARN: r.arn }))
      : undefined,
    eventType: facts.eventType ?? 'AwsApiCall',
    apiVersion: facts.apiVersion,
    managementEvent: facts.category === 'Management',
    recipientAccountId: facts.recipientAccountId,
    eventCategory: facts.category,
    tlsDetails: facts.tls,
  };
  return {
    body: JSON.stringify(record),
    eventId: facts.eventId,
    eventTime: facts.eventTime,
    eventName: facts.eventName,
    eventSource: facts.eventSource,
    username: lookupUsername(facts.principal),
    accessKeyId: facts.principal.accessKeyId,
    readOnly: facts.readOnly,
    category: facts.category,
    resources: facts.resources.map((r) => ({ type: r.type, name: r.name ?? r.arn })),
  };
}
