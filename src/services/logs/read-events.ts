/**
 * @module
 * Reading events: GetLogEvents (one stream, forward and backward tokens) and FilterLogEvents (a
 * group, interleaved across streams, through a filter pattern). FilterLogEvents scans in its
 * `prepare` step on the store's read connection, so a long scan never holds the write
 * transaction; the outcome, errors included, is only disclosed by the handler, after authorisation.
 * Events past the group's retention are never returned, swept or not.
 */
import type {
  FilterLogEventsCommandInput, FilterLogEventsCommandOutput, FilteredLogEvent, GetLogEventsCommandInput, GetLogEventsCommandOutput,
  OutputLogEvent,
} from '@aws-sdk/client-cloudwatch-logs';
import { ServiceError } from '../../core/errors.js';
import { decodeToken, encodeToken } from '../../core/pagination.js';
import type { LogEventQuery, StoredLogEvent, Tx } from '../../store/types.js';
import type { Handler, Out, PrepareContext } from '../service.js';
import { InvalidParameterException } from './errors.js';
import { getGroup, retainedSince } from './log-groups.js';
import { getStream } from './log-streams.js';
import type { PatternCache } from './metric-filters.js';
import { checkConstraints, groupNameOf, stringConstraint, streamNameConstraint } from './names.js';

const MAX_LIMIT = 10_000;
const MAX_RESPONSE_BYTES = 1_048_576;
const SCAN_PAGE = 1000;
const SCAN_BUDGET = 50_000;
const TOKEN = /^([fb])\/(\d{20})(\d{20})\/s$/;

type Position = { timestamp: number; id: number };

function limitConstraint(limit: number): string | undefined {
  if (limit >= 1 && limit <= MAX_LIMIT) return undefined;
  return `Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value ${limit < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_LIMIT}`}`;
}

function token(direction: 'f' | 'b', at: Position): string {
  return `${direction}/${String(at.timestamp).padStart(20, '0')}${String(at.id).padStart(20, '0')}/s`;
}

function parseToken(value: string): { direction: 'f' | 'b'; at: Position } {
  const m = TOKEN.exec(value);
  if (!m) throw new InvalidParameterException('The specified nextToken is invalid.');
  return { direction: m[1] as 'f' | 'b', at: { timestamp: Number(m[2]), id: Number(m[3]) } };
}

/** Keeps events up to the response size limit. */
function withinResponseLimit<T extends { message: string }>(events: T[]): T[] {
  let bytes = 0;
  const out: T[] = [];
  for (const event of events) {
    bytes += Buffer.byteLength(event.message, 'utf8') + 26;
    if (bytes > MAX_RESPONSE_BYTES && out.length > 0) break;
    out.push(event);
  }
  return out;
}

/** GetLogEvents: the newest events of a stream, or the oldest with startFromHead; tokens page either way. */
export const getLogEvents: Handler<GetLogEventsCommandInput, Out<GetLogEventsCommandOutput>> = async (input, ctx) => {
  const groupName = groupNameOf(ctx.scope, input);
  const streamName = input.logStreamName ?? '';
  const limit = input.limit ?? MAX_LIMIT;
  checkConstraints(streamNameConstraint(streamName), limitConstraint(limit));
  const paging = input.nextToken !== undefined ? parseToken(input.nextToken) : undefined;
  const group = await getGroup(ctx.tx, ctx.scope, groupName);
  await getStream(ctx.tx, ctx.scope, groupName, streamName);
  const forward = paging ? paging.direction === 'f' : input.startFromHead ?? false;
  const query: LogEventQuery = {
    logGroupName: groupName,
    logStreamNames: [streamName],
    startTime: Math.max(input.startTime ?? 0, retainedSince(group, ctx.now)),
    endTime: input.endTime,
    descending: !forward,
    after: paging?.at,
    limit,
  };
  const read = await ctx.tx.logEvents.query(ctx.scope, query);
  const kept = forward ? withinResponseLimit(read) : withinResponseLimit(read).reverse();
  const first = kept[0];
  const last = kept[kept.length - 1];
  const start = paging?.at ?? { timestamp: 0, id: 0 };
  return {
    events: kept.map((e): OutputLogEvent => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })),
    nextForwardToken: token('f', last ?? start),
    nextBackwardToken: token('b', first ?? start),
  };
};

const SCANNED = Symbol('scanned');

/** What the scan found, or the error to answer with once the call is authorised. */
type Scan = { ok: true; output: Out<FilterLogEventsCommandOutput> } | { ok: false; error: unknown };

type ScannedInput = FilterLogEventsCommandInput & { [SCANNED]?: Scan };

async function scan(input: FilterLogEventsCommandInput, tx: Tx, ctx: PrepareContext, patterns: PatternCache): Promise<Out<FilterLogEventsCommandOutput>> {
  const groupName = groupNameOf(ctx.scope, input);
  const limit = input.limit ?? MAX_LIMIT;
  const streams = input.logStreamNames;
  checkConstraints(
    limitConstraint(limit),
    streams !== undefined && (streams.length < 1 || streams.length > 100)
      ? `Value '${JSON.stringify(streams)}' at 'logStreamNames' failed to satisfy constraint: Member must have length ${streams.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 100'}` : undefined,
    input.logStreamNamePrefix !== undefined ? stringConstraint('logStreamNamePrefix', input.logStreamNamePrefix, 1, 512) : undefined,
    stringConstraint('filterPattern', input.filterPattern ?? '', 0, 1024),
  );
  if (streams !== undefined && input.logStreamNamePrefix !== undefined) {
    throw new InvalidParameterException('logStreamNames and logStreamNamePrefix are mutually exclusive parameters.');
  }
  const pattern = patterns.require(input.filterPattern ?? '', 'Invalid filter pattern');
  const params = { groupName, streams, prefix: input.logStreamNamePrefix, pattern: input.filterPattern, start: input.startTime, end: input.endTime };
  let after: Position | undefined;
  if (input.nextToken !== undefined) {
    after = decodeToken<Position>(input.nextToken, params);
    if (!after) throw new InvalidParameterException('The specified nextToken is invalid.');
  }
  const now = ctx.env.clock.now();
  const group = await getGroup(tx, ctx.scope, groupName);
  const base: LogEventQuery = {
    logGroupName: groupName,
    logStreamNames: streams,
    logStreamNamePrefix: input.logStreamNamePrefix,
    startTime: Math.max(input.startTime ?? 0, retainedSince(group, now)),
    endTime: input.endTime === undefined ? undefined : input.endTime + 1,
    limit: SCAN_PAGE,
  };
  const found: StoredLogEvent[] = [];
  let scanned = 0;
  let position = after;
  let done = false;
  while (found.length < limit && scanned < SCAN_BUDGET) {
    const page = await tx.logEvents.query(ctx.scope, { ...base, after: position });
    let i = 0;
    while (i < page.length && found.length < limit) {
      const event = page[i++]!;
      position = { timestamp: event.timestamp, id: event.id };
      scanned++;
      if (pattern.match(event.message)) found.push(event);
    }
    if (page.length < SCAN_PAGE && i === page.length) {
      done = true;
      break;
    }
  }
  const events = withinResponseLimit(found);
  const lastReturned = events[events.length - 1];
  const resumeAt = events.length < found.length ? lastReturned : position;
  return {
    events: events.map((e): FilteredLogEvent => ({
      logStreamName: e.logStreamName, timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime, eventId: String(e.id).padStart(56, '0'),
    })),
    searchedLogStreams: [],
    nextToken: (!done || events.length < found.length) && resumeAt ? encodeToken({ timestamp: resumeAt.timestamp, id: resumeAt.id } satisfies Position, params) : undefined,
  };
}

/** FilterLogEvents' prepare step: the scan, on committed state. */
export function scanLogEvents(patterns: PatternCache): (input: FilterLogEventsCommandInput, ctx: PrepareContext) => Promise<FilterLogEventsCommandInput> {
  return async (input, ctx) => {
    let outcome: Scan;
    try {
      outcome = { ok: true, output: await ctx.env.store.read((tx) => scan(input, tx, ctx, patterns)) };
    } catch (error) {
      outcome = { ok: false, error };
    }
    return { ...input, [SCANNED]: outcome } satisfies ScannedInput;
  };
}

/** FilterLogEvents: answers with what the prepare step found. */
export const filterLogEvents: Handler<FilterLogEventsCommandInput, Out<FilterLogEventsCommandOutput>> = async (input) => {
  const outcome = (input as ScannedInput)[SCANNED];
  if (!outcome) throw new ServiceError('InternalFailure', 'FilterLogEvents ran without its scan.', { status: 500 });
  if (!outcome.ok) throw outcome.error;
  return outcome.output;
};
