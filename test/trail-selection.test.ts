import {
  CloudTrailClient, CreateTrailCommand, DescribeTrailsCommand, ListTrailsCommand, PutEventSelectorsCommand, StartLoggingCommand, StopLoggingCommand,
} from '@aws-sdk/client-cloudtrail';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildRecord } from '../src/audit/record.js';
import { rootPrincipal } from '../src/auth/principal.js';
import { newEventId } from '../src/core/ids.js';
import { trailSelectionSubscriber } from '../src/services/cloudtrail/trail-selection.js';
import type { TrailBufferSummary } from '../src/store/types.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { s3Client } from './helpers/s3.js';
import { createTrailBucket } from './helpers/trail-destinations.js';
import { eventually } from './helpers/eventually.js';

let server: TestServer;
let east: CloudTrailClient;
let west: CloudTrailClient;
const ARN = (name: string) => `arn:aws:cloudtrail:us-east-1:123456789012:trail/${name}`;

// A server per test, and deliveries far away: these tests read what the trails have buffered.
beforeEach(async () => {
  server = await startTestServer({ trailDeliveryIntervalSeconds: 3600 });
  east = new CloudTrailClient(server.clientConfig('us-east-1'));
  west = new CloudTrailClient(server.clientConfig('eu-west-1'));
  await createTrailBucket(s3Client(server, 'eu-west-1'), 'audit-bucket');
});
afterEach(() => server.stop());

const pending = () => server.app.store.read((tx) => tx.trailBuffers.pending());
const buffered = async (trail: string, region: string) =>
  (await server.app.store.read((tx) => tx.trailBuffers.read({ accountId: '123456789012', region }, ARN(trail), Number.MAX_SAFE_INTEGER)))
    .map((r) => JSON.parse(r.body) as { eventName: string; awsRegion: string });

/** Waits until the selection subscriber has seen everything recorded so far. */
async function settled(): Promise<TrailBufferSummary[]> {
  const head = await server.app.store.read((tx) => tx.events.head());
  await eventually(async () => ((await server.app.store.read((tx) => tx.outbox.position('cloudtrail.trail-selection'))) >= head ? true : undefined), 'selection');
  return pending();
}

/** Appends a record as a global service (IAM) would, in us-east-1. */
async function globalServiceRecord(): Promise<void> {
  await server.app.store.transaction((tx) => tx.events.append({ accountId: '123456789012', region: 'us-east-1' }, buildRecord({
    eventId: newEventId(), requestId: 'r', eventTime: Date.now(), eventSource: 'iam.amazonaws.com', eventName: 'CreateUser', region: 'us-east-1',
    sourceIp: '127.0.0.1', principal: rootPrincipal('123456789012'), readOnly: false, category: 'Management', requestParameters: null,
    responseElements: null, resources: [], recipientAccountId: '123456789012',
  })));
  server.app.dispatcher.notify();
}

describe('what trails buffer for delivery', () => {
  it('buffers a multi-region trail per region and a single-region trail only at home', async () => {
    await east.send(new CreateTrailCommand({ Name: 'all', S3BucketName: 'audit-bucket', IsMultiRegionTrail: true }));
    await east.send(new CreateTrailCommand({ Name: 'home', S3BucketName: 'audit-bucket' }));
    await east.send(new StartLoggingCommand({ Name: 'all' }));
    await east.send(new StartLoggingCommand({ Name: 'home' }));
    await west.send(new ListTrailsCommand({}));
    await east.send(new DescribeTrailsCommand({}));
    await settled();
    expect((await buffered('all', 'us-east-1')).map((r) => r.eventName)).toEqual(['StartLogging', 'StartLogging', 'DescribeTrails']);
    expect((await buffered('all', 'eu-west-1')).map((r) => [r.eventName, r.awsRegion])).toEqual([['ListTrails', 'eu-west-1']]);
    expect((await buffered('home', 'us-east-1')).map((r) => r.eventName)).toEqual(['StartLogging', 'DescribeTrails']);
    expect(await buffered('home', 'eu-west-1')).toEqual([]);
  });

  it('skips global-service events when IncludeGlobalServiceEvents is false', async () => {
    await east.send(new CreateTrailCommand({ Name: 'with', S3BucketName: 'audit-bucket' }));
    await east.send(new CreateTrailCommand({ Name: 'without', S3BucketName: 'audit-bucket', IncludeGlobalServiceEvents: false }));
    await east.send(new StartLoggingCommand({ Name: 'with' }));
    await east.send(new StartLoggingCommand({ Name: 'without' }));
    await globalServiceRecord();
    await settled();
    expect((await buffered('with', 'us-east-1')).map((r) => r.eventName)).toContain('CreateUser');
    expect((await buffered('without', 'us-east-1')).map((r) => r.eventName)).not.toContain('CreateUser');
  });

  it('takes what was recorded while logging, StopLogging included, and what the selectors select', async () => {
    await east.send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'audit-bucket' }));
    await east.send(new DescribeTrailsCommand({}));
    await east.send(new PutEventSelectorsCommand({ TrailName: 'main', EventSelectors: [{ ReadWriteType: 'WriteOnly' }] }));
    await east.send(new StartLoggingCommand({ Name: 'main' }));
    await east.send(new DescribeTrailsCommand({}));
    await east.send(new StopLoggingCommand({ Name: 'main' }));
    await east.send(new StartLoggingCommand({ Name: 'unknown-trail' })).catch(() => undefined);
    await settled();
    expect((await buffered('main', 'us-east-1')).map((r) => r.eventName)).toEqual(['StartLogging', 'StopLogging']);
  });

  it('buffers a re-delivered batch only once', async () => {
    await east.send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'audit-bucket' }));
    await east.send(new StartLoggingCommand({ Name: 'main' }));
    await east.send(new DescribeTrailsCommand({}));
    const before = await settled();
    const records = await server.app.store.read((tx) => tx.events.readAfter(0, 100));
    await trailSelectionSubscriber(server.app.store, server.app.env.clock).handle(records);
    expect(await pending()).toEqual(before);
    expect(before).toEqual([expect.objectContaining({ trailArn: ARN('main'), region: 'us-east-1', count: 2 })]);
  });
});
