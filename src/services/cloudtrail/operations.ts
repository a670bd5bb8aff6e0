/**
 * @module
 * AWS CloudTrail (awsJson1_1): trails, their selectors, status and tags, event history, and
 * delivery of log files and signed digests to S3.
 */
import { loadModel } from '../../protocol/model.js';
import type { ServiceDefinition } from '../service.js';
import { TrailDelivery } from './delivery-loop.js';
import { getTrailStatus, startLogging, stopLogging } from './logging.js';
import { lookupEvents } from './lookup-events.js';
import { listPublicKeys } from './public-keys.js';
import { getEventSelectors, getInsightSelectors, putEventSelectors, putInsightSelectors } from './selector-handlers.js';
import { addTags, listTags, removeTags } from './tags.js';
import { createTrail, deleteTrail, describeTrails, getTrailHandler, listTrails, updateTrail } from './trail-handlers.js';

/** The CloudTrail service definition. */
export function cloudtrailService(): ServiceDefinition {
  return {
    model: loadModel('cloudtrail'),
    eventSource: 'cloudtrail.amazonaws.com',
    errorStyle: 'json',
    background: (env) => new TrailDelivery(env),
    operations: {
      AddTags: { handler: addTags },
      CreateTrail: { handler: createTrail },
      DeleteTrail: { handler: deleteTrail },
      DescribeTrails: { handler: describeTrails },
      GetEventSelectors: { handler: getEventSelectors },
      GetInsightSelectors: { handler: getInsightSelectors },
      GetTrail: { handler: getTrailHandler },
      GetTrailStatus: { handler: getTrailStatus },
      ListPublicKeys: { handler: listPublicKeys },
      ListTags: { handler: listTags },
      ListTrails: { handler: listTrails },
      LookupEvents: { handler: lookupEvents },
      PutEventSelectors: { handler: putEventSelectors },
      PutInsightSelectors: { handler: putInsightSelectors },
      RemoveTags: { handler: removeTags },
      StartLogging: { handler: startLogging },
      StopLogging: { handler: stopLogging },
      UpdateTrail: { handler: updateTrail },
    },
  };
}
