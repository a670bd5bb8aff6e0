/**
 * @module
 * Amazon CloudWatch Logs (awsJson1_1): log groups and streams, events, retention, tags, and metric
 * filters that turn events into CloudWatch metric data. Reading and writing events are CloudTrail
 * data events, as on AWS; so a trail streaming into a log group never records its own delivery.
 */
import { loadModel } from '../../protocol/model.js';
import { validationMessage } from '../common-errors.js';
import type { CallContext, OperationSpec, ServiceDefinition } from '../service.js';
import { InvalidParameterException } from './errors.js';
import { createLogGroup, deleteLogGroup, deleteRetentionPolicy, describeLogGroups, putRetentionPolicy } from './group-handlers.js';
import { createLogStream, deleteLogStream, describeLogStreams } from './log-streams.js';
import { deleteMetricFilter, describeMetricFilters, PatternCache, putMetricFilter, testMetricFilter } from './metric-filters.js';
import { groupNameFromIdentifier, logGroupArn, logStreamArn } from './names.js';
import { putLogEvents } from './put-log-events.js';
import { filterLogEvents, getLogEvents, scanLogEvents } from './read-events.js';
import { retentionSweep } from './retention.js';
import {
  listTagsForResource, listTagsLogGroup, tagLogGroup, tagResource, untagLogGroup, untagResource,
} from './tags.js';

type Scoped = Pick<CallContext, 'scope'>;
type GroupInput = { logGroupName?: string; logGroupIdentifier?: string };

function groupOf(input: GroupInput, ctx: Scoped): string {
  try {
    return input.logGroupIdentifier !== undefined ? groupNameFromIdentifier(ctx.scope, input.logGroupIdentifier) : input.logGroupName ?? '*';
  } catch {
    return '*';
  }
}

const onGroup = (input: GroupInput, ctx: Scoped) => [logGroupArn(ctx.scope, groupOf(input, ctx))];
const onStream = (input: GroupInput & { logStreamName?: string }, ctx: Scoped) => [logStreamArn(ctx.scope, groupOf(input, ctx), input.logStreamName ?? '*')];
const onArn = (input: { resourceArn?: string }) => [input.resourceArn ?? '*'];

function spec<I>(handler: OperationSpec<I>['handler'], extra: Omit<OperationSpec<I>, 'handler'> = {}): OperationSpec<I> {
  return { handler, ...extra };
}

/** The CloudWatch Logs service definition. */
export function logsService(): ServiceDefinition {
  const patterns = new PatternCache();
  return {
    model: loadModel('logs'),
    eventSource: 'logs.amazonaws.com',
    errorStyle: 'json',
    validationError: (messages) => new InvalidParameterException(validationMessage(messages)),
    operations: {
      CreateLogGroup: spec(createLogGroup, { resources: onGroup }),
      CreateLogStream: spec(createLogStream, { resources: onStream }),
      DeleteLogGroup: spec(deleteLogGroup, { resources: onGroup }),
      DeleteLogStream: spec(deleteLogStream, { resources: onStream }),
      DeleteMetricFilter: spec(deleteMetricFilter, { resources: onGroup }),
      DeleteRetentionPolicy: spec(deleteRetentionPolicy, { resources: onGroup }),
      DescribeLogGroups: spec(describeLogGroups),
      DescribeLogStreams: spec(describeLogStreams, { resources: onGroup }),
      DescribeMetricFilters: spec(describeMetricFilters),
      FilterLogEvents: spec(filterLogEvents, { prepare: scanLogEvents(patterns), resources: onGroup, category: 'Data' }),
      GetLogEvents: spec(getLogEvents, { resources: onStream, category: 'Data' }),
      ListTagsForResource: spec(listTagsForResource, { resources: onArn }),
      ListTagsLogGroup: spec(listTagsLogGroup, { resources: onGroup }),
      PutLogEvents: spec(putLogEvents(patterns), { resources: onStream, category: 'Data' }),
      PutMetricFilter: spec(putMetricFilter(patterns), { resources: onGroup }),
      PutRetentionPolicy: spec(putRetentionPolicy, { resources: onGroup }),
      TagLogGroup: spec(tagLogGroup, { resources: onGroup }),
      TagResource: spec(tagResource, { resources: onArn }),
      TestMetricFilter: spec(testMetricFilter(patterns)),
      UntagLogGroup: spec(untagLogGroup, { resources: onGroup }),
      UntagResource: spec(untagResource, { resources: onArn }),
    },
    background: retentionSweep,
  };
}
