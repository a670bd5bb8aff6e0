/**
 * @module
 * AWS CloudTrail (awsJson1_1): trails, their selectors, status and tags, event history, and
 * delivery of log files and signed digests to S3.
 */
import { loadModel } from '../../protocol/model.js';
import type { CallContext, ServiceDefinition } from '../service.js';
import { TrailDelivery } from './delivery-loop.js';
import { getTrailStatus, startLogging, stopLogging } from './logging.js';
import { lookupEvents } from './lookup-events.js';
import { listPublicKeys } from './public-keys.js';
import { getEventSelectors, getInsightSelectors, putEventSelectors, putInsightSelectors } from './selector-handlers.js';
import { addTags, listTags, removeTags } from './tags.js';
import { createTrail, deleteTrail, describeTrails, getTrailHandler, listTrails, updateTrail } from './trail-handlers.js';
import { trailArn } from './trail-names.js';

type Ctx = Pick<CallContext, 'scope'>;

/** The trail a `Name` (name or ARN) denotes, as the resource of its IAM action. */
const trail = (input: { Name?: string }, ctx: Ctx) =>
  [input.Name?.startsWith('arn:') ? input.Name : trailArn(ctx.scope.accountId, ctx.scope.region, input.Name ?? '')];
/** aws:RequestTag/<key> and aws:TagKeys for calls that set tags. */
const requestTags = (input: { TagsList?: { Key?: string; Value?: string }[] }): Record<string, string | string[]> => {
  const tags = input.TagsList ?? [];
  const keys: Record<string, string | string[]> = Object.fromEntries(tags.map((t) => [`aws:RequestTag/${t.Key}`, t.Value ?? '']));
  if (tags.length) keys['aws:TagKeys'] = tags.map((t) => t.Key ?? '');
  return keys;
};
/** The trail a `TrailName` (name or ARN) denotes. */
const trailNamed = (input: { TrailName?: string }, ctx: Ctx) => trail({ Name: input.TrailName }, ctx);
const tagged = (input: { ResourceId?: string; ResourceIdList?: string[] }) => (input.ResourceIdList ?? (input.ResourceId ? [input.ResourceId] : ['*']));

/** The CloudTrail service definition. */
export function cloudtrailService(): ServiceDefinition {
  return {
    model: loadModel('cloudtrail'),
    eventSource: 'cloudtrail.amazonaws.com',
    errorStyle: 'json',
    background: (env) => new TrailDelivery(env),
    operations: {
      AddTags: { handler: addTags, resources: tagged, conditions: requestTags },
      CreateTrail: { handler: createTrail, resources: trail, conditions: requestTags },
      DeleteTrail: { handler: deleteTrail, resources: trail },
      DescribeTrails: { handler: describeTrails },
      GetEventSelectors: { handler: getEventSelectors, resources: trailNamed },
      GetInsightSelectors: { handler: getInsightSelectors, resources: trailNamed },
      GetTrail: { handler: getTrailHandler, resources: trail },
      GetTrailStatus: { handler: getTrailStatus, resources: trail },
      ListPublicKeys: { handler: listPublicKeys },
      ListTags: { handler: listTags, resources: tagged },
      ListTrails: { handler: listTrails },
      LookupEvents: { handler: lookupEvents },
      PutEventSelectors: { handler: putEventSelectors, resources: trailNamed },
      PutInsightSelectors: { handler: putInsightSelectors, resources: trailNamed },
      RemoveTags: { handler: removeTags, resources: tagged },
      StartLogging: { handler: startLogging, resources: trail },
      StopLogging: { handler: stopLogging, resources: trail },
      UpdateTrail: { handler: updateTrail, resources: trail },
    },
  };
}
