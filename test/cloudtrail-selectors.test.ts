import {
  CloudTrailClient, CreateTrailCommand, GetEventSelectorsCommand, GetInsightSelectorsCommand, GetTrailCommand, PutEventSelectorsCommand,
  PutInsightSelectorsCommand,
} from '@aws-sdk/client-cloudtrail';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectError, resetServer } from './helpers/assertions.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { s3Client } from './helpers/s3.js';
import { createTrailBucket } from './helpers/trail-destinations.js';

let server: TestServer;
let east: CloudTrailClient;
let west: CloudTrailClient;
const ARN = 'arn:aws:cloudtrail:us-east-1:123456789012:trail/main';

beforeAll(async () => {
  server = await startTestServer();
  east = new CloudTrailClient(server.clientConfig('us-east-1'));
  west = new CloudTrailClient(server.clientConfig('eu-west-1'));
});
afterAll(() => server.stop());
beforeEach(async () => {
  await resetServer(server);
  await createTrailBucket(s3Client(server, 'eu-west-1'), 'audit-bucket');
  await east.send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'audit-bucket', IsMultiRegionTrail: true }));
});

describe('event selectors', () => {
  it('reports the default selector of a new trail', async () => {
    const got = await east.send(new GetEventSelectorsCommand({ TrailName: 'main' }));
    expect(got.TrailARN).toBe(ARN);
    expect(got.EventSelectors).toEqual([{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }]);
    expect(got.AdvancedEventSelectors).toBeUndefined();
    expect((await east.send(new GetTrailCommand({ Name: 'main' }))).Trail?.HasCustomEventSelectors).toBe(false);
  });

  it('stores basic selectors with defaults, then advanced ones replace them', async () => {
    const put = await east.send(new PutEventSelectorsCommand({
      TrailName: 'main',
      EventSelectors: [{ ReadWriteType: 'WriteOnly', DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::data-bucket/'] }] }],
    }));
    const basic = [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::data-bucket/'] }], ExcludeManagementEventSources: [] }];
    expect(put).toMatchObject({ TrailARN: ARN, EventSelectors: basic });
    expect((await west.send(new GetEventSelectorsCommand({ TrailName: ARN }))).EventSelectors).toEqual(basic);
    expect((await east.send(new GetTrailCommand({ Name: 'main' }))).Trail?.HasCustomEventSelectors).toBe(true);

    const advanced = [{ Name: 'S3 writes', FieldSelectors: [
      { Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, { Field: 'readOnly', Equals: ['false'] },
    ] }];
    await east.send(new PutEventSelectorsCommand({ TrailName: 'main', AdvancedEventSelectors: advanced }));
    const got = await east.send(new GetEventSelectorsCommand({ TrailName: 'main' }));
    expect(got.AdvancedEventSelectors).toEqual(advanced);
    expect(got.EventSelectors).toBeUndefined();
  });

  it('answers bad selectors with InvalidEventSelectorsException and keeps the old ones', async () => {
    await east.send(new PutEventSelectorsCommand({ TrailName: 'main', EventSelectors: [{ ReadWriteType: 'ReadOnly' }] }));
    const error = await expectError(
      east.send(new PutEventSelectorsCommand({ TrailName: 'main', EventSelectors: [{ DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::*/*'] }] }] })),
      'InvalidEventSelectorsException', 'Value arn:aws:s3:::*/* for DataResources.Values is invalid.',
    );
    expect(error.$metadata?.httpStatusCode).toBe(400);
    await expectError(
      east.send(new PutEventSelectorsCommand({ TrailName: 'main', AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventName', Equals: ['X'] }] }] })),
      'InvalidEventSelectorsException',
    );
    await expectError(east.send(new PutEventSelectorsCommand({ TrailName: 'main', EventSelectors: [], AdvancedEventSelectors: [] })), 'InvalidEventSelectorsException');
    expect((await east.send(new GetEventSelectorsCommand({ TrailName: 'main' }))).EventSelectors?.[0]?.ReadWriteType).toBe('ReadOnly');
  });

  it('changes selectors only from the home region, and names unknown trails', async () => {
    await expectError(west.send(new PutEventSelectorsCommand({ TrailName: ARN, EventSelectors: [{}] })), 'InvalidHomeRegionException');
    await expectError(east.send(new GetEventSelectorsCommand({ TrailName: 'nope' })), 'TrailNotFoundException', 'Unknown trail: nope for the user: 123456789012');
    await expectError(east.send(new PutEventSelectorsCommand({ TrailName: 'x', EventSelectors: [{}] })), 'InvalidTrailNameException');
  });
});

describe('insight selectors', () => {
  it('enables, reports and disables Insights', async () => {
    await expectError(east.send(new GetInsightSelectorsCommand({ TrailName: 'main' })), 'InsightNotEnabledException');
    const put = await east.send(new PutInsightSelectorsCommand({ TrailName: 'main', InsightSelectors: [{ InsightType: 'ApiCallRateInsight' }, { InsightType: 'ApiErrorRateInsight' }] }));
    expect(put).toMatchObject({ TrailARN: ARN, InsightSelectors: [{ InsightType: 'ApiCallRateInsight' }, { InsightType: 'ApiErrorRateInsight' }] });
    expect((await west.send(new GetInsightSelectorsCommand({ TrailName: ARN }))).InsightSelectors).toHaveLength(2);
    expect((await east.send(new GetTrailCommand({ Name: 'main' }))).Trail?.HasInsightSelectors).toBe(true);
    await east.send(new PutInsightSelectorsCommand({ TrailName: 'main', InsightSelectors: [] }));
    expect((await east.send(new GetTrailCommand({ Name: 'main' }))).Trail?.HasInsightSelectors).toBe(false);
    await expectError(east.send(new GetInsightSelectorsCommand({ TrailName: 'main' })), 'InsightNotEnabledException');
  });

  it('rejects unknown types and trails that do not log the events Insights need', async () => {
    await expectError(east.send(new PutInsightSelectorsCommand({ TrailName: 'main', InsightSelectors: [{ InsightType: 'Nope' as never }] })),
      'InvalidInsightSelectorsException', 'Value Nope for InsightType is invalid. Valid values are: ApiCallRateInsight, ApiErrorRateInsight');
    await east.send(new PutEventSelectorsCommand({ TrailName: 'main', EventSelectors: [{ ReadWriteType: 'ReadOnly' }] }));
    await expectError(east.send(new PutInsightSelectorsCommand({ TrailName: 'main', InsightSelectors: [{ InsightType: 'ApiCallRateInsight' }] })),
      'InvalidInsightSelectorsException');
    await expectError(east.send(new PutInsightSelectorsCommand({ TrailName: 'main', EventDataStore: 'eds', InsightSelectors: [] })),
      'InvalidParameterCombinationException');
    await expectError(west.send(new PutInsightSelectorsCommand({ TrailName: ARN, InsightSelectors: [] })), 'InvalidHomeRegionException');
  });
});
