/**
 * @module
 * LookupEvents: the event history of a region, newest first. Management events of the last 90
 * days, filtered by at most one attribute; visible as soon as the call that made them returned.
 */
import type { LookupEventsCommandInput, LookupEventsCommandOutput } from '@aws-sdk/client-cloudtrail';
import { decodeToken, encodeToken } from '../../core/pagination.js';
import type { EventQuery, LookupAttributeKey } from '../../store/types.js';
import type { Handler, Out } from '../service.js';
import {
  InvalidEventCategoryException, InvalidLookupAttributesException, InvalidMaxResultsException, InvalidNextTokenException,
  InvalidTimeRangeException,
} from './errors.js';

const KEYS: readonly LookupAttributeKey[] = ['EventId', 'EventName', 'ReadOnly', 'Username', 'ResourceType', 'ResourceName', 'EventSource', 'AccessKeyId'];
const INSIGHT_KEYS: readonly LookupAttributeKey[] = ['EventId', 'EventName', 'EventSource'];
const HISTORY_MS = 90 * 24 * 3600 * 1000;

type Cursor = { t: number; s: number };

function attributeOf(input: LookupEventsCommandInput, insight: boolean): EventQuery['attribute'] {
  const attributes = input.LookupAttributes ?? [];
  if (attributes.length === 0) return undefined;
  if (attributes.length > 1) throw new InvalidLookupAttributesException('You can specify only one lookup attribute.');
  const [{ AttributeKey: key, AttributeValue: value }] = attributes as [{ AttributeKey?: string; AttributeValue?: string }];
  const allowed = insight ? INSIGHT_KEYS : KEYS;
  if (!key || !allowed.includes(key as LookupAttributeKey)) {
    throw new InvalidLookupAttributesException(`Lookup attribute key ${key ?? 'null'} is not valid. Valid keys are: ${allowed.join(', ')}.`);
  }
  if (value === undefined || value.length < 1 || value.length > 2000) {
    throw new InvalidLookupAttributesException('Lookup attribute value must be between 1 and 2000 characters long.');
  }
  return { key: key as LookupAttributeKey, value };
}

/** LookupEvents. */
export const lookupEvents: Handler<LookupEventsCommandInput, Out<LookupEventsCommandOutput>> = async (input, ctx) => {
  if (input.EventCategory !== undefined && input.EventCategory !== 'insight') throw new InvalidEventCategoryException(input.EventCategory);
  const insight = input.EventCategory === 'insight';
  const attribute = attributeOf(input, insight);
  const maxResults = input.MaxResults ?? 50;
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > 50) throw new InvalidMaxResultsException();
  const endTime = input.EndTime ? input.EndTime.getTime() : ctx.now;
  const startTime = Math.max(input.StartTime ? input.StartTime.getTime() : 0, ctx.now - HISTORY_MS);
  if (input.StartTime && input.EndTime && input.StartTime.getTime() > input.EndTime.getTime()) throw new InvalidTimeRangeException();
  const params = { attribute, start: input.StartTime?.getTime(), end: input.EndTime?.getTime(), insight };
  let before: EventQuery['before'];
  if (input.NextToken) {
    const cursor = decodeToken<Cursor>(input.NextToken, params);
    if (!cursor) throw new InvalidNextTokenException();
    before = { eventTime: cursor.t, seq: cursor.s };
  }
  if (insight) return { Events: [] };
  const events = await ctx.tx.events.lookup(ctx.scope, { attribute, startTime, endTime, limit: maxResults + 1, before });
  const page = events.slice(0, maxResults);
  const last = page[page.length - 1];
  return {
    Events: page.map((event) => ({
      EventId: event.eventId,
      EventName: event.eventName,
      ReadOnly: event.readOnly === undefined ? undefined : String(event.readOnly),
      AccessKeyId: event.accessKeyId,
      EventTime: new Date(Math.floor(event.eventTime / 1000) * 1000),
      EventSource: event.eventSource,
      Username: event.username,
      Resources: (event.resources ?? []).map((r) => ({ ResourceType: r.type, ResourceName: r.name })),
      CloudTrailEvent: event.body,
    })),
    NextToken: events.length > maxResults && last ? encodeToken({ t: last.eventTime, s: last.seq } satisfies Cursor, params) : undefined,
  };
};
