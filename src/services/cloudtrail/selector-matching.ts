/**
 * @module
 * Which records a trail takes: its region rules, global-service events, its logging window and
 * its event selectors (an event is logged when it matches any selector). Pure.
 *
 * Advanced field selectors AND their fields; within a field, each operator is a condition that
 * must hold; a positive operator (Equals, StartsWith, EndsWith) holds when any of its values
 * matches, a negative one when none does. A missing field fails positive operators and passes
 * negative ones. `resources.type` and `resources.ARN` are read from the record's `resources`:
 * the selector holds when one resource of the selected type satisfies every resources condition.
 */
import type { AdvancedEventSelector, AdvancedFieldSelector, EventSelector } from '@aws-sdk/client-cloudtrail';
import { DEFAULT_EVENT_SELECTORS, selectsAllResources, type TrailSelectors } from './event-selectors.js';

/** The facts about one audit record that selection reads; `record()` parses the body on demand. */
export interface SelectableEvent {
  readonly region: string;
  readonly eventTime: number;
  readonly eventId: string;
  readonly eventName: string;
  readonly eventSource: string;
  readonly category: string;
  readonly readOnly?: boolean;
  record(): Readonly<Record<string, unknown>>;
}

/** The parts of a trail that decide what it takes. */
export interface SelectingTrail extends TrailSelectors {
  readonly homeRegion: string;
  readonly isMultiRegionTrail: boolean;
  readonly includeGlobalServiceEvents: boolean;
  readonly isLogging: boolean;
  readonly startLoggingTime?: number;
  readonly stopLoggingTime?: number;
  /** The eventID of the StopLogging call that ended the last logging window (its record is still taken). */
  readonly stopLoggingEventId?: string;
}

/** Services whose events CloudTrail records in us-east-1 as global-service events. */
const GLOBAL_SERVICE_SOURCES = new Set([
  'iam.amazonaws.com', 'cloudfront.amazonaws.com', 'route53.amazonaws.com', 'organizations.amazonaws.com',
  'signin.amazonaws.com', 'account.amazonaws.com',
]);

/** Whether a record is a global-service event (IAM, CloudFront, Route 53, Organizations, sign-in). */
export function isGlobalServiceEvent(eventSource: string): boolean {
  return GLOBAL_SERVICE_SOURCES.has(eventSource);
}

function inLoggingWindow(trail: SelectingTrail, event: SelectableEvent): boolean {
  if (trail.startLoggingTime === undefined || event.eventTime < trail.startLoggingTime) return false;
  if (trail.isLogging) return true;
  return event.eventId === trail.stopLoggingEventId || (trail.stopLoggingTime !== undefined && event.eventTime < trail.stopLoggingTime);
}

/** Whether a trail takes a record: region, global events, logging window, then its selectors. */
export function trailSelects(trail: SelectingTrail, event: SelectableEvent): boolean {
  if (event.region !== trail.homeRegion && !trail.isMultiRegionTrail) return false;
  if (!trail.includeGlobalServiceEvents && isGlobalServiceEvent(event.eventSource)) return false;
  if (!inLoggingWindow(trail, event)) return false;
  if (trail.advancedEventSelectors) return trail.advancedEventSelectors.some((s) => advancedSelects(s, event));
  return (trail.eventSelectors ?? DEFAULT_EVENT_SELECTORS).some((s) => basicSelects(s, event));
}

function readWriteMatches(type: string | undefined, readOnly: boolean | undefined): boolean {
  if (type === 'ReadOnly') return readOnly === true;
  if (type === 'WriteOnly') return readOnly === false;
  return true;
}

interface RecordResource {
  readonly type?: string;
  readonly ARN?: string;
}

function resourcesOf(event: SelectableEvent): RecordResource[] {
  const resources = event.record().resources;
  return Array.isArray(resources) ? (resources as RecordResource[]) : [];
}

/** Whether a basic event selector selects a record. */
export function basicSelects(selector: EventSelector, event: SelectableEvent): boolean {
  if (!readWriteMatches(selector.ReadWriteType, event.readOnly)) return false;
  if (event.category === 'Management') {
    return selector.IncludeManagementEvents !== false && !(selector.ExcludeManagementEventSources ?? []).includes(event.eventSource);
  }
  if (event.category !== 'Data') return false;
  const dataResources = selector.DataResources ?? [];
  if (dataResources.length === 0) return false;
  const resources = resourcesOf(event);
  return dataResources.some((data) => (data.Values ?? []).some((value) => resources.some((r) => {
    if (r.type !== data.Type || r.ARN === undefined) return false;
    if (selectsAllResources(data.Type!, value)) return true;
    return data.Type === 'AWS::S3::Object' ? r.ARN.startsWith(value) : r.ARN === value;
  })));
}

function holds(field: AdvancedFieldSelector, value: string | undefined): boolean {
  const anyOf = (values: string[] | undefined, test: (v: string) => boolean) => value !== undefined && values!.some(test);
  if (field.Equals && !anyOf(field.Equals, (v) => value === v)) return false;
  if (field.StartsWith && !anyOf(field.StartsWith, (v) => value!.startsWith(v))) return false;
  if (field.EndsWith && !anyOf(field.EndsWith, (v) => value!.endsWith(v))) return false;
  if (field.NotEquals && anyOf(field.NotEquals, (v) => value === v)) return false;
  if (field.NotStartsWith && anyOf(field.NotStartsWith, (v) => value!.startsWith(v))) return false;
  if (field.NotEndsWith && anyOf(field.NotEndsWith, (v) => value!.endsWith(v))) return false;
  return true;
}

function scalarField(event: SelectableEvent, field: string): string | undefined {
  switch (field) {
    case 'eventCategory':
      return event.category;
    case 'eventName':
      return event.eventName;
    case 'eventSource':
      return event.eventSource;
    case 'readOnly':
      return event.readOnly === undefined ? undefined : String(event.readOnly);
    case 'sessionCredentialFromConsole':
      return event.record().sessionCredentialFromConsole === 'true' ? 'true' : 'false';
    case 'userIdentity.arn': {
      const identity = event.record().userIdentity as { arn?: unknown } | undefined;
      return typeof identity?.arn === 'string' ? identity.arn : undefined;
    }
    default: {
      const value = event.record()[field];
      return value === undefined || value === null ? undefined : String(value);
    }
  }
}

/** Whether an advanced event selector selects a record. */
export function advancedSelects(selector: AdvancedEventSelector, event: SelectableEvent): boolean {
  const fields = selector.FieldSelectors ?? [];
  const resourceFields = fields.filter((f) => f.Field === 'resources.type' || f.Field === 'resources.ARN');
  for (const field of fields) {
    if (resourceFields.includes(field)) continue;
    if (!holds(field, scalarField(event, field.Field!))) return false;
  }
  if (resourceFields.length === 0) return true;
  return resourcesOf(event).some((r) => resourceFields.every((f) => holds(f, f.Field === 'resources.type' ? r.type : r.ARN)));
}
