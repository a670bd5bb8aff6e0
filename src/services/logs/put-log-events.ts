/**
 * @module
 * PutLogEvents: validates a batch as CloudWatch Logs does, stores the events that are neither too
 * old, too new nor past the group's retention (reporting the others in `rejectedLogEventsInfo`),
 * updates the stream's statistics, and runs the group's metric filters over the stored events, in
 * the call's transaction. Sequence tokens are accepted and ignored, as AWS now does.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html
 */
import type { PutLogEventsCommandInput, PutLogEventsCommandOutput, RejectedLogEventsInfo } from '@aws-sdk/client-cloudwatch-logs';
import type { NewLogEvent } from '../../store/types.js';
import { recordMetricPoints } from '../monitoring/metric-points.js';
import type { Handler, Out } from '../service.js';
import { InvalidParameterException } from './errors.js';
import { getGroup, retainedSince, saveGroup } from './log-groups.js';
import { getStream, saveStream, sequenceToken } from './log-streams.js';
import { metricFilterPoints } from './metric-filter-points.js';
import { activeFilters, type PatternCache } from './metric-filters.js';
import { checkConstraints, groupNameConstraint, logStreamArn, streamNameConstraint } from './names.js';

const MAX_EVENTS = 10_000;
const MAX_BATCH_BYTES = 1_048_576;
const EVENT_OVERHEAD = 26;
const DAY = 86_400_000;
const MAX_SPAN = DAY;
const TOO_OLD = 14 * DAY;
const TOO_NEW = 2 * 3_600_000;

function checkBatch(events: readonly { timestamp?: number; message?: string }[]): NewLogEvent[] {
  checkConstraints(
    events.length < 1 ? "Value '[]' at 'logEvents' failed to satisfy constraint: Member must have length greater than or equal to 1" : undefined,
    events.length > MAX_EVENTS ? `Value at 'logEvents' failed to satisfy constraint: Member must have length less than or equal to ${MAX_EVENTS}` : undefined,
    ...events.map((e, i) => (e.message === '' ? `Value '' at 'logEvents.${i + 1}.member.message' failed to satisfy constraint: Member must have length greater than or equal to 1` : undefined)),
  );
  const batch = events.map((e) => ({ timestamp: Math.trunc(e.timestamp ?? 0), message: e.message ?? '' }));
  let bytes = 0;
  for (const event of batch) bytes += Buffer.byteLength(event.message, 'utf8') + EVENT_OVERHEAD;
  if (bytes > MAX_BATCH_BYTES) throw new InvalidParameterException(`Upload too large: ${bytes} bytes exceeds limit of ${MAX_BATCH_BYTES}`);
  for (let i = 1; i < batch.length; i++) {
    if (batch[i]!.timestamp < batch[i - 1]!.timestamp) {
      throw new InvalidParameterException('Log events in a single PutLogEvents request must be in chronological order.');
    }
  }
  if (batch[batch.length - 1]!.timestamp - batch[0]!.timestamp > MAX_SPAN) {
    throw new InvalidParameterException('The batch of log events in a single PutLogEvents request cannot span more than 24 hours.');
  }
  return batch;
}

/** PutLogEvents. */
export function putLogEvents(patterns: PatternCache): Handler<PutLogEventsCommandInput, Out<PutLogEventsCommandOutput>> {
  return async (input, ctx) => {
    const groupName = input.logGroupName ?? '';
    const streamName = input.logStreamName ?? '';
    checkConstraints(groupNameConstraint(groupName), streamNameConstraint(streamName));
    const batch = checkBatch(input.logEvents ?? []);
    const group = await getGroup(ctx.tx, ctx.scope, groupName);
    const stream = await getStream(ctx.tx, ctx.scope, groupName, streamName);
    ctx.audit.resources.push({ type: 'AWS::Logs::LogStream', arn: logStreamArn(ctx.scope, groupName, streamName) });

    const expiredBefore = retainedSince(group, ctx.now);
    const tooOldBefore = ctx.now - TOO_OLD;
    const tooNewAfter = ctx.now + TOO_NEW;
    const rejected: RejectedLogEventsInfo = {};
    const accepted: NewLogEvent[] = [];
    batch.forEach((event, i) => {
      if (event.timestamp > tooNewAfter) rejected.tooNewLogEventStartIndex ??= i;
      else if (event.timestamp < tooOldBefore) rejected.tooOldLogEventEndIndex = i + 1;
      else if (event.timestamp < expiredBefore) rejected.expiredLogEventEndIndex = i + 1;
      else accepted.push(event);
    });

    let storedBytes = 0;
    if (accepted.length > 0) {
      await ctx.tx.logEvents.append(ctx.scope, groupName, streamName, accepted, ctx.now);
      for (const event of accepted) storedBytes += Buffer.byteLength(event.message, 'utf8');
      const filters = await activeFilters(ctx.tx, ctx.scope, groupName, patterns);
      await recordMetricPoints(ctx.tx, ctx.scope, metricFilterPoints(filters, accepted));
    }
    const first = accepted[0]?.timestamp;
    const last = accepted[accepted.length - 1]?.timestamp;
    await saveStream(ctx.tx, ctx.scope, groupName, {
      ...stream,
      firstEventTimestamp: first === undefined ? stream.firstEventTimestamp : Math.min(stream.firstEventTimestamp ?? first, first),
      lastEventTimestamp: last === undefined ? stream.lastEventTimestamp : Math.max(stream.lastEventTimestamp ?? last, last),
      lastIngestionTime: accepted.length > 0 ? ctx.now : stream.lastIngestionTime,
      storedBytes: stream.storedBytes + storedBytes,
      uploads: stream.uploads + 1,
    });
    if (storedBytes > 0) await saveGroup(ctx.tx, ctx.scope, { ...group, storedBytes: group.storedBytes + storedBytes });
    return {
      nextSequenceToken: sequenceToken(stream.uploads + 1),
      rejectedLogEventsInfo: Object.keys(rejected).length > 0 ? rejected : undefined,
    };
  };
}
