import { CloudTrailClient, CreateTrailCommand, LookupEventsCommand, type LookupEventsCommandInput } from '@aws-sdk/client-cloudtrail';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildRecord } from '../src/audit/record.js';
import { rootPrincipal } from '../src/auth/principal.js';
import { expectError, resetServer } from './helpers/assertions.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { s3Client } from './helpers/s3.js';
import { createTrailBucket } from './helpers/trail-destinations.js';

let server: TestServer;
let trail: CloudTrailClient;
let sts: STSClient;

beforeAll(async () => {
  server = await startTestServer();
  trail = new CloudTrailClient(server.clientConfig());
  sts = new STSClient(server.clientConfig());
});
afterAll(() => server.stop());
beforeEach(() => resetServer(server));

/** The bucket trails need, in another region, so that its calls stay out of us-east-1's history. */
const trailBucket = () => createTrailBucket(s3Client(server, 'eu-west-1'), 'audit-bucket');

async function lookup(input: LookupEventsCommandInput = {}) {
  return trail.send(new LookupEventsCommand(input));
}

describe('LookupEvents', () => {
  it('shows a call as soon as it has returned, newest first, with the whole record', async () => {
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    await trailBucket();
    await trail.send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'audit-bucket' }));
    const { Events } = await lookup();
    expect(Events?.map((e) => e.EventName)).toEqual(['CreateTrail', 'GetCallerIdentity']);
    const [create, call] = Events!;
    expect(create).toMatchObject({
      EventSource: 'cloudtrail.amazonaws.com', ReadOnly: 'false', Username: 'root', AccessKeyId: server.credentials.accessKeyId,
      Resources: [{ ResourceType: 'AWS::CloudTrail::Trail', ResourceName: 'arn:aws:cloudtrail:us-east-1:123456789012:trail/main' }],
    });
    const record = JSON.parse(call!.CloudTrailEvent!);
    expect(record).toMatchObject({
      eventVersion: '1.11',
      eventSource: 'sts.amazonaws.com',
      eventName: 'GetCallerIdentity',
      awsRegion: 'us-east-1',
      sourceIPAddress: '127.0.0.1',
      requestID: identity.$metadata.requestId,
      eventID: call!.EventId,
      readOnly: true,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: '123456789012',
      eventCategory: 'Management',
      userIdentity: { type: 'Root', principalId: '123456789012', arn: 'arn:aws:iam::123456789012:root', accountId: '123456789012' },
    });
    expect(record.userAgent).toContain('aws-sdk-js');
    expect(Math.abs(new Date(record.eventTime).getTime() - Date.now())).toBeLessThan(60_000);
  });

  it('filters by each lookup attribute', async () => {
    await sts.send(new GetCallerIdentityCommand({}));
    await trailBucket();
    await trail.send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'audit-bucket' }));
    const { Events } = await lookup();
    const create = Events!.find((e) => e.EventName === 'CreateTrail')!;
    const cases: [string, string, string[]][] = [
      ['EventName', 'GetCallerIdentity', ['GetCallerIdentity']],
      ['EventSource', 'cloudtrail.amazonaws.com', ['CreateTrail']],
      ['ReadOnly', 'false', ['CreateTrail']],
      ['ReadOnly', 'true', ['GetCallerIdentity']],
      ['Username', 'root', ['CreateTrail', 'GetCallerIdentity']],
      ['AccessKeyId', server.credentials.accessKeyId, ['CreateTrail', 'GetCallerIdentity']],
      ['ResourceType', 'AWS::CloudTrail::Trail', ['CreateTrail']],
      ['ResourceName', 'arn:aws:cloudtrail:us-east-1:123456789012:trail/main', ['CreateTrail']],
      ['EventId', create.EventId!, ['CreateTrail']],
      ['Username', 'nobody', []],
    ];
    for (const [key, value, expected] of cases) {
      const result = await lookup({ LookupAttributes: [{ AttributeKey: key as never, AttributeValue: value }] });
      const names = result.Events!.map((e) => e.EventName).filter((name) => name !== 'LookupEvents');
      expect(names, `${key}=${value}`).toEqual(expected);
    }
  });

  it('pages with MaxResults and NextToken without gaps or repeats', async () => {
    for (let i = 0; i < 7; i++) await sts.send(new GetCallerIdentityCommand({}));
    const input = { LookupAttributes: [{ AttributeKey: 'EventName' as const, AttributeValue: 'GetCallerIdentity' }], MaxResults: 3 };
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await lookup({ ...input, NextToken: token });
      seen.push(...page.Events!.map((e) => e.EventId!));
      token = page.NextToken;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(7);
    const all = await lookup({ LookupAttributes: input.LookupAttributes });
    expect(all.Events!.map((e) => e.EventId)).toEqual(seen);
  });

  it('bounds by StartTime and EndTime, both inclusive', async () => {
    await sts.send(new GetCallerIdentityCommand({}));
    const { Events } = await lookup({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'GetCallerIdentity' }] });
    const at = Events![0]!.EventTime!;
    const attribute = { LookupAttributes: [{ AttributeKey: 'EventName' as const, AttributeValue: 'GetCallerIdentity' }] };
    expect((await lookup({ ...attribute, StartTime: at, EndTime: new Date(at.getTime() + 999) })).Events).toHaveLength(1);
    expect((await lookup({ ...attribute, StartTime: new Date(at.getTime() + 1000) })).Events).toHaveLength(0);
    expect((await lookup({ ...attribute, EndTime: new Date(at.getTime() - 1) })).Events).toHaveLength(0);
  });

  it('leaves out data events and events older than 90 days', async () => {
    const scope = { accountId: '123456789012', region: 'us-east-1' };
    const facts = (eventName: string, eventTime: number, category: 'Management' | 'Data') => buildRecord({
      eventId: crypto.randomUUID(), requestId: crypto.randomUUID(), eventTime, eventSource: 's3.amazonaws.com', eventName,
      region: 'us-east-1', sourceIp: '127.0.0.1', principal: rootPrincipal('123456789012'), readOnly: true, category,
      requestParameters: null, responseElements: null, resources: [], recipientAccountId: '123456789012',
    });
    await server.app.store.transaction(async (tx) => {
      await tx.events.append(scope, facts('GetObject', Date.now(), 'Data'));
      await tx.events.append(scope, facts('ListBuckets', Date.now() - 91 * 24 * 3600 * 1000, 'Management'));
      await tx.events.append(scope, facts('GetBucketAcl', Date.now() - 89 * 24 * 3600 * 1000, 'Management'));
    });
    const names = (await lookup({ LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 's3.amazonaws.com' }] })).Events!.map((e) => e.EventName);
    expect(names).toEqual(['GetBucketAcl']);
  });

  it('keeps regions apart', async () => {
    const west = new STSClient(server.clientConfig('eu-west-1'));
    await west.send(new GetCallerIdentityCommand({}));
    const inWest = await new CloudTrailClient(server.clientConfig('eu-west-1')).send(new LookupEventsCommand({}));
    expect(inWest.Events?.map((e) => [e.EventName, JSON.parse(e.CloudTrailEvent!).awsRegion])).toEqual([['GetCallerIdentity', 'eu-west-1']]);
    expect((await lookup({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'GetCallerIdentity' }] })).Events).toEqual([]);
  });

  it('answers bad input with CloudTrail validation errors', async () => {
    await expectError(lookup({ MaxResults: 0 }), 'InvalidMaxResultsException');
    await expectError(lookup({ MaxResults: 51 }), 'InvalidMaxResultsException');
    await expectError(lookup({ StartTime: new Date(2_000_000_000_000), EndTime: new Date(1_000_000_000_000) }), 'InvalidTimeRangeException');
    await expectError(lookup({ NextToken: 'bogus' }), 'InvalidNextTokenException');
    await expectError(lookup({ EventCategory: 'management' as never }), 'InvalidEventCategoryException');
    await expectError(lookup({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'a' }, { AttributeKey: 'EventName', AttributeValue: 'b' }] }), 'InvalidLookupAttributesException');
    await expectError(lookup({ LookupAttributes: [{ AttributeKey: 'Colour' as never, AttributeValue: 'red' }] }), 'InvalidLookupAttributesException');
    await expectError(lookup({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: '' }] }), 'InvalidLookupAttributesException');
    const first = await lookup({ MaxResults: 1 });
    await sts.send(new GetCallerIdentityCommand({}));
    const other = await lookup({ MaxResults: 1, LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'LookupEvents' }] });
    expect(other.NextToken).toBeDefined();
    await expectError(lookup({ MaxResults: 1, NextToken: other.NextToken }), 'InvalidNextTokenException');
    expect(first.Events).toHaveLength(1);
  });

  it('records failed calls with their error code and message', async () => {
    await expectError(trail.send(new CreateTrailCommand({ Name: 'x', S3BucketName: 'audit-bucket' })), 'InvalidTrailNameException');
    const { Events } = await lookup({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateTrail' }] });
    const record = JSON.parse(Events![0]!.CloudTrailEvent!);
    expect(record.errorCode).toBe('InvalidTrailNameException');
    expect(record.errorMessage).toContain('Trail name too short');
    expect(record.responseElements).toBeNull();
    expect(record.requestParameters).toEqual({ name: 'x', s3BucketName: 'audit-bucket' });
  });
});
