import {
  AddTagsCommand, CloudTrailClient, CreateTrailCommand, DeleteTrailCommand, DescribeTrailsCommand, GetTrailCommand,
  GetTrailStatusCommand, ListTagsCommand, ListTrailsCommand, RemoveTagsCommand, StartLoggingCommand, StopLoggingCommand,
  UpdateTrailCommand,
} from '@aws-sdk/client-cloudtrail';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/server.js';
import { expectError, resetServer } from './helpers/assertions.js';
import { s3Client } from './helpers/s3.js';
import { CreateTopicCommand, SetTopicAttributesCommand, SNSClient } from '@aws-sdk/client-sns';
import { cloudTrailTopicPolicy, createTrailBucket } from './helpers/trail-destinations.js';

let server: TestServer;
let east: CloudTrailClient;
let west: CloudTrailClient;

beforeAll(async () => {
  server = await startTestServer();
  east = new CloudTrailClient(server.clientConfig('us-east-1'));
  west = new CloudTrailClient(server.clientConfig('eu-west-1'));
});
afterAll(() => server.stop());
beforeEach(async () => {
  await resetServer(server);
  await createTrailBucket(s3Client(server, 'eu-west-1'), 'audit-bucket', { prefix: '*' });
});

const arn = (name: string, region = 'us-east-1') => `arn:aws:cloudtrail:${region}:123456789012:trail/${name}`;

describe('CreateTrail', () => {
  it('creates a trail that is not logging yet and returns its settings', async () => {
    const sns = new SNSClient(server.clientConfig('us-east-1'));
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'alerts' }));
    await sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'Policy', AttributeValue: cloudTrailTopicPolicy(TopicArn!) }));
    const created = await east.send(new CreateTrailCommand({
      Name: 'main', S3BucketName: 'audit-bucket', S3KeyPrefix: 'logs', EnableLogFileValidation: true,
      SnsTopicName: 'alerts', TagsList: [{ Key: 'team', Value: 'sec' }],
    }));
    expect(created).toMatchObject({
      Name: 'main', S3BucketName: 'audit-bucket', S3KeyPrefix: 'logs', TrailARN: arn('main'), LogFileValidationEnabled: true,
      IncludeGlobalServiceEvents: true, IsMultiRegionTrail: false, IsOrganizationTrail: false,
      SnsTopicName: 'alerts', SnsTopicARN: 'arn:aws:sns:us-east-1:123456789012:alerts',
    });
    const status = await east.send(new GetTrailStatusCommand({ Name: 'main' }));
    expect(status.IsLogging).toBe(false);
    const tags = await east.send(new ListTagsCommand({ ResourceIdList: [arn('main')] }));
    expect(tags.ResourceTagList).toEqual([{ ResourceId: arn('main'), TagsList: [{ Key: 'team', Value: 'sec' }] }]);
  });

  it.each([
    ['a', 'Trail name too short. Minimum allowed length: 3 characters. Specified name length: 1 characters.'],
    ['a'.repeat(129), 'Trail name too long. Maximum allowed length: 128 characters. Specified name length: 129 characters.'],
    ['-trail', 'Trail name must starts with a letter or number.'],
    ['trail!', 'Trail name must ends with a letter or number.'],
    ['my#trail', 'Trail name or ARN can only contain uppercase letters, lowercase letters, numbers, periods (.), hyphens (-), and underscores (_).'],
    ['my..trail', 'Trail name cannot have adjacent periods, underscores or dashes.'],
    ['192.168.1.1', 'Trail name cannot be formatted as an IP address.'],
  ])('rejects the name %j', async (name, message) => {
    await expectError(east.send(new CreateTrailCommand({ Name: name, S3BucketName: 'audit-bucket' })), 'InvalidTrailNameException', message);
  });

  it('rejects bad settings with CloudTrail errors', async () => {
    await expectError(east.send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'Bad_Bucket' })), 'InvalidS3BucketNameException');
    await expectError(east.send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'b-ok', S3KeyPrefix: 'x'.repeat(201) })), 'InvalidS3PrefixException');
    await expectError(
      east.send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'b-ok', IsMultiRegionTrail: true, IncludeGlobalServiceEvents: false })),
      'InvalidParameterCombinationException', 'Multi-Region trail must include global service events.',
    );
    await expectError(east.send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'b-ok', CloudWatchLogsLogGroupArn: 'nope', CloudWatchLogsRoleArn: 'arn:aws:iam::123456789012:role/r' })), 'InvalidCloudWatchLogsLogGroupArnException');
    await expectError(east.send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'b-ok', KmsKeyId: 'not a key' })), 'InvalidKmsKeyIdException');
    await expectError(east.send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'b-ok', TagsList: [{ Key: 'aws:x', Value: 'y' }] })), 'InvalidTagParameterException');
    await expectError(east.send(new CreateTrailCommand({ Name: 'main' } as never)), 'ValidationException', "Value null at 's3BucketName' failed to satisfy constraint: Member must not be null");
    const listed = await east.send(new ListTrailsCommand({}));
    expect(listed.Trails).toEqual([]);
  });

  it('refuses a duplicate name and a sixth trail in a region', async () => {
    for (const n of [1, 2, 3, 4, 5]) await east.send(new CreateTrailCommand({ Name: `t${n}x`, S3BucketName: 'audit-bucket' }));
    await expectError(east.send(new CreateTrailCommand({ Name: 't1x', S3BucketName: 'audit-bucket' })), 'TrailAlreadyExistsException');
    await expectError(
      east.send(new CreateTrailCommand({ Name: 't6x', S3BucketName: 'audit-bucket' })),
      'MaximumNumberOfTrailsExceededException', 'User: 123456789012 already has 5 trails in us-east-1.',
    );
    await west.send(new CreateTrailCommand({ Name: 't6x', S3BucketName: 'audit-bucket' }));
  });
});

describe('finding trails', () => {
  beforeEach(async () => {
    await east.send(new CreateTrailCommand({ Name: 'everywhere', S3BucketName: 'audit-bucket', IsMultiRegionTrail: true }));
    await east.send(new CreateTrailCommand({ Name: 'local', S3BucketName: 'audit-bucket' }));
    await west.send(new CreateTrailCommand({ Name: 'western', S3BucketName: 'audit-bucket' }));
  });

  it('gets a trail by name or ARN', async () => {
    expect((await east.send(new GetTrailCommand({ Name: 'local' }))).Trail).toMatchObject({ Name: 'local', HomeRegion: 'us-east-1', HasCustomEventSelectors: false });
    expect((await east.send(new GetTrailCommand({ Name: arn('local') }))).Trail?.TrailARN).toBe(arn('local'));
    await expectError(east.send(new GetTrailCommand({ Name: 'missing' })), 'TrailNotFoundException', 'Unknown trail: missing for the user: 123456789012');
    await expectError(east.send(new GetTrailCommand({ Name: 'western' })), 'TrailNotFoundException');
  });

  it('shows multi-region trails as shadows in other regions', async () => {
    const inWest = await west.send(new DescribeTrailsCommand({}));
    expect(inWest.trailList?.map((t) => t.Name).sort()).toEqual(['everywhere', 'western']);
    const noShadows = await west.send(new DescribeTrailsCommand({ includeShadowTrails: false }));
    expect(noShadows.trailList?.map((t) => t.Name)).toEqual(['western']);
    expect((await west.send(new GetTrailCommand({ Name: 'everywhere' }))).Trail?.HomeRegion).toBe('us-east-1');
    const listed = await west.send(new ListTrailsCommand({}));
    expect(listed.Trails?.map((t) => [t.Name, t.HomeRegion]).sort()).toEqual([['everywhere', 'us-east-1'], ['western', 'eu-west-1']]);
  });

  it('describes only the trails named, skipping unknown names', async () => {
    const described = await east.send(new DescribeTrailsCommand({ trailNameList: ['local', 'missing', arn('everywhere')] }));
    expect(described.trailList?.map((t) => t.Name)).toEqual(['local', 'everywhere']);
  });

  it('changes a trail only from its home region', async () => {
    await expectError(west.send(new UpdateTrailCommand({ Name: 'everywhere', S3KeyPrefix: 'x' })), 'InvalidHomeRegionException');
    await expectError(west.send(new StartLoggingCommand({ Name: 'everywhere' })), 'InvalidHomeRegionException');
    await expectError(west.send(new DeleteTrailCommand({ Name: 'everywhere' })), 'InvalidHomeRegionException');
    expect((await west.send(new GetTrailStatusCommand({ Name: 'everywhere' }))).IsLogging).toBe(false);
  });
});

describe('changing trails', () => {
  beforeEach(async () => {
    await east.send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'audit-bucket' }));
  });

  it('updates settings and keeps the rest', async () => {
    const updated = await east.send(new UpdateTrailCommand({ Name: 'main', S3KeyPrefix: 'p', EnableLogFileValidation: true, IsMultiRegionTrail: true }));
    expect(updated).toMatchObject({ Name: 'main', S3BucketName: 'audit-bucket', S3KeyPrefix: 'p', LogFileValidationEnabled: true, IsMultiRegionTrail: true });
    expect((await west.send(new GetTrailCommand({ Name: 'main' }))).Trail?.S3KeyPrefix).toBe('p');
    await expectError(east.send(new UpdateTrailCommand({ Name: 'missing', S3KeyPrefix: 'p' })), 'TrailNotFoundException');
  });

  it('starts and stops logging with times', async () => {
    const before = Date.now() - 1000;
    await east.send(new StartLoggingCommand({ Name: 'main' }));
    const started = await east.send(new GetTrailStatusCommand({ Name: arn('main') }));
    expect(started.IsLogging).toBe(true);
    expect(started.StartLoggingTime!.getTime()).toBeGreaterThanOrEqual(before);
    await east.send(new StopLoggingCommand({ Name: 'main' }));
    const stopped = await east.send(new GetTrailStatusCommand({ Name: 'main' }));
    expect(stopped.IsLogging).toBe(false);
    expect(stopped.StopLoggingTime!.getTime()).toBeGreaterThanOrEqual(started.StartLoggingTime!.getTime());
  });

  it('adds, overwrites and removes tags', async () => {
    await east.send(new AddTagsCommand({ ResourceId: arn('main'), TagsList: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] }));
    await east.send(new AddTagsCommand({ ResourceId: arn('main'), TagsList: [{ Key: 'a', Value: '3' }] }));
    await east.send(new RemoveTagsCommand({ ResourceId: arn('main'), TagsList: [{ Key: 'b' }] }));
    const listed = await east.send(new ListTagsCommand({ ResourceIdList: [arn('main')] }));
    expect(listed.ResourceTagList?.[0]?.TagsList).toEqual([{ Key: 'a', Value: '3' }]);
    await expectError(east.send(new AddTagsCommand({ ResourceId: 'main', TagsList: [] })), 'CloudTrailARNInvalidException');
    await expectError(east.send(new AddTagsCommand({ ResourceId: arn('gone'), TagsList: [] })), 'ResourceNotFoundException');
    const many = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await expectError(east.send(new AddTagsCommand({ ResourceId: arn('main'), TagsList: many })), 'TagsLimitExceededException');
  });

  it('deletes a trail', async () => {
    await east.send(new DeleteTrailCommand({ Name: arn('main') }));
    await expectError(east.send(new GetTrailCommand({ Name: 'main' })), 'TrailNotFoundException');
    await expectError(east.send(new DeleteTrailCommand({ Name: 'main' })), 'TrailNotFoundException');
  });
});
