/**
 * @module
 * Log streams as stored (one document each, by `<group>:<stream>`; group names cannot contain a
 * colon) with the statistics DescribeLogStreams reports, and the stream handlers.
 */
import type {
  CreateLogStreamCommandInput, CreateLogStreamCommandOutput, DeleteLogStreamCommandInput, DeleteLogStreamCommandOutput,
  DescribeLogStreamsCommandInput, DescribeLogStreamsCommandOutput, LogStream,
} from '@aws-sdk/client-cloudwatch-logs';
import { decodeToken, encodeToken } from '../../core/pagination.js';
import type { Scope } from '../../core/scope.js';
import type { Tx } from '../../store/types.js';
import type { Handler, Out } from '../service.js';
import { InvalidParameterException, logStreamNotFound, ResourceAlreadyExistsException } from './errors.js';
import { getGroup } from './log-groups.js';
import { checkConstraints, groupNameConstraint, groupNameOf, logStreamArn, stringConstraint, streamNameConstraint } from './names.js';

/** The document kind of log streams. */
export const STREAM_KIND = 'logs.stream';

/** A log stream as stored. */
export interface LogStreamDocument {
  readonly name: string;
  readonly createdAt: number;
  readonly firstEventTimestamp?: number;
  readonly lastEventTimestamp?: number;
  readonly lastIngestionTime?: number;
  readonly storedBytes: number;
  /** Counts PutLogEvents calls, for the (deprecated) sequence tokens. */
  readonly uploads: number;
}

/** The document id of a stream. */
export function streamId(group: string, stream: string): string {
  return `${group}:${stream}`;
}

/** A stream, or ResourceNotFoundException. */
export async function getStream(tx: Tx, scope: Scope, group: string, stream: string): Promise<LogStreamDocument> {
  const found = await tx.documents.get<LogStreamDocument>(scope, STREAM_KIND, streamId(group, stream));
  if (!found) throw logStreamNotFound();
  return found;
}

/** Stores a stream. */
export async function saveStream(tx: Tx, scope: Scope, group: string, stream: LogStreamDocument): Promise<void> {
  await tx.documents.put(scope, STREAM_KIND, streamId(group, stream.name), stream);
}

/** A sequence token in AWS's shape (56 digits); PutLogEvents ignores the tokens it is sent. */
export function sequenceToken(uploads: number): string {
  return String(uploads).padStart(56, '0');
}

function toLogStream(scope: Scope, group: string, stream: LogStreamDocument): LogStream {
  return {
    logStreamName: stream.name,
    creationTime: stream.createdAt,
    firstEventTimestamp: stream.firstEventTimestamp,
    lastEventTimestamp: stream.lastEventTimestamp,
    lastIngestionTime: stream.lastIngestionTime,
    uploadSequenceToken: sequenceToken(stream.uploads),
    arn: logStreamArn(scope, group, stream.name),
    storedBytes: 0,
  };
}

/** CreateLogStream. */
export const createLogStream: Handler<CreateLogStreamCommandInput, Out<CreateLogStreamCommandOutput>> = async (input, ctx) => {
  const group = input.logGroupName ?? '';
  const name = input.logStreamName ?? '';
  checkConstraints(groupNameConstraint(group), streamNameConstraint(name));
  await getGroup(ctx.tx, ctx.scope, group);
  if (await ctx.tx.documents.get(ctx.scope, STREAM_KIND, streamId(group, name))) {
    throw new ResourceAlreadyExistsException('The specified log stream already exists');
  }
  await saveStream(ctx.tx, ctx.scope, group, { name, createdAt: ctx.now, storedBytes: 0, uploads: 0 });
  ctx.audit.resources.push({ type: 'AWS::Logs::LogStream', arn: logStreamArn(ctx.scope, group, name) });
  return {};
};

/** DeleteLogStream: the stream and its events. */
export const deleteLogStream: Handler<DeleteLogStreamCommandInput, Out<DeleteLogStreamCommandOutput>> = async (input, ctx) => {
  const group = input.logGroupName ?? '';
  const name = input.logStreamName ?? '';
  checkConstraints(groupNameConstraint(group), streamNameConstraint(name));
  await getGroup(ctx.tx, ctx.scope, group);
  if (!(await ctx.tx.documents.delete(ctx.scope, STREAM_KIND, streamId(group, name)))) throw logStreamNotFound();
  await ctx.tx.logEvents.deleteStream(ctx.scope, group, name);
  ctx.audit.resources.push({ type: 'AWS::Logs::LogStream', arn: logStreamArn(ctx.scope, group, name) });
  return {};
};

type StreamCursor = { n: string; t: number };

/** DescribeLogStreams: by name (prefix allowed) or by last event time. */
export const describeLogStreams: Handler<DescribeLogStreamsCommandInput, Out<DescribeLogStreamsCommandOutput>> = async (input, ctx) => {
  const group = groupNameOf(ctx.scope, input);
  const orderBy = input.orderBy ?? 'LogStreamName';
  const limit = input.limit ?? 50;
  checkConstraints(
    input.logStreamNamePrefix !== undefined ? stringConstraint('logStreamNamePrefix', input.logStreamNamePrefix, 1, 512) : undefined,
    limit < 1 || limit > 50 ? `Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value ${limit < 1 ? 'greater than or equal to 1' : 'less than or equal to 50'}` : undefined,
    orderBy !== 'LogStreamName' && orderBy !== 'LastEventTime'
      ? `Value '${orderBy}' at 'orderBy' failed to satisfy constraint: Member must satisfy enum value set: [LogStreamName, LastEventTime]` : undefined,
  );
  if (orderBy === 'LastEventTime' && input.logStreamNamePrefix !== undefined) {
    throw new InvalidParameterException('Cannot order by LastEventTime with a logStreamNamePrefix.');
  }
  await getGroup(ctx.tx, ctx.scope, group);
  const params = { group, orderBy, prefix: input.logStreamNamePrefix, descending: input.descending ?? false };
  let cursor: StreamCursor | undefined;
  if (input.nextToken !== undefined) {
    cursor = decodeToken<StreamCursor>(input.nextToken, params);
    if (!cursor) throw new InvalidParameterException(`The specified nextToken is invalid.`);
  }
  const entries = await ctx.tx.documents.list<LogStreamDocument>(ctx.scope, STREAM_KIND, { prefix: `${group}:${input.logStreamNamePrefix ?? ''}` });
  const compare = (a: StreamCursor, b: StreamCursor) => {
    const byKey = (orderBy === 'LastEventTime' ? a.t - b.t : 0) || (a.n < b.n ? -1 : a.n > b.n ? 1 : 0);
    return params.descending ? -byKey : byKey;
  };
  const keyOf = (s: LogStreamDocument): StreamCursor => ({ n: s.name, t: s.lastEventTimestamp ?? 0 });
  const ordered = entries.map((e) => e.doc).sort((a, b) => compare(keyOf(a), keyOf(b)));
  const found = cursor ? ordered.findIndex((s) => compare(keyOf(s), cursor!) > 0) : 0;
  const start = found < 0 ? ordered.length : found;
  const page = ordered.slice(start, start + limit);
  const last = page[page.length - 1];
  return {
    logStreams: page.map((s) => toLogStream(ctx.scope, group, s)),
    nextToken: start + limit < ordered.length && last ? encodeToken(keyOf(last), params) : undefined,
  };
};
