/**
 * A trail's SNS notifications (one per delivered log file, through SNS to a subscribed HTTP
 * endpoint) and SSE-KMS log files (a data key from KMS per file, under the trail's encryption
 * context), with the topic and key policies CloudTrail's user guide gives; and what CreateTrail
 * and UpdateTrail answer when the topic or the key does not let CloudTrail in.
 */
import {
  CloudTrailClient, CreateTrailCommand, DescribeTrailsCommand, GetTrailStatusCommand, StartLoggingCommand, UpdateTrailCommand,
} from '@aws-sdk/client-cloudtrail';
import { CreateKeyCommand, DisableKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { gunzipSync } from 'node:zlib';
import { openDataDir } from '../src/cli/data-dir-source.js';
import { CreateTopicCommand, SetTopicAttributesCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectError } from './helpers/assertions.js';
import { s3Client } from './helpers/s3.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { notifications, startSnsEndpoint, type SnsEndpoint } from './helpers/sns-endpoint.js';
import { cloudTrailKeyPolicy, cloudTrailTopicPolicy, createTrailBucket, listKeys } from './helpers/trail-destinations.js';
import { eventually } from './helpers/eventually.js';

const ACCOUNT = '123456789012';
let server: TestServer;
let trails: CloudTrailClient;
let sns: SNSClient;
let kms: KMSClient;
let endpoint: SnsEndpoint | undefined;

beforeEach(async () => {
  server = await startTestServer({ trailDeliveryIntervalSeconds: 1, digestIntervalSeconds: 3600 });
  trails = new CloudTrailClient(server.clientConfig());
  sns = new SNSClient(server.clientConfig());
  kms = new KMSClient(server.clientConfig());
  await createTrailBucket(s3Client(server), 'trail-bucket');
});
afterEach(async () => {
  await endpoint?.close();
  endpoint = undefined;
  await server.stop();
});

async function topic(name: string, policy = true): Promise<string> {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: name }));
  if (policy) await sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'Policy', AttributeValue: cloudTrailTopicPolicy(TopicArn!) }));
  return TopicArn!;
}

async function key(policy = cloudTrailKeyPolicy()): Promise<string> {
  return (await kms.send(new CreateKeyCommand({ Policy: policy }))).KeyMetadata!.Arn!;
}

describe('SNS notifications', () => {
  it('publishes {"s3Bucket","s3ObjectKey":[...]} for each delivered log file', async () => {
    endpoint = await startSnsEndpoint();
    const topicArn = await topic('trail-files');
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'http', Endpoint: endpoint.url }));
    await endpoint.waitFor((r) => r.some((m) => m.message?.Type === 'SubscriptionConfirmation' && m.status === 200), 'the confirmation');
    await trails.send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'trail-bucket', SnsTopicName: 'trail-files' }));
    await trails.send(new StartLoggingCommand({ Name: 'main' }));
    const receiver = endpoint;
    await receiver.waitFor(() => notifications(receiver).length > 0, 'a notification');
    const [first] = notifications(receiver);
    const message = JSON.parse(first!.message!.Message!) as { s3Bucket: string; s3ObjectKey: string[] };
    expect(message.s3Bucket).toBe('trail-bucket');
    expect(message.s3ObjectKey).toHaveLength(1);
    expect(await listKeys(s3Client(server), 'trail-bucket')).toContain(message.s3ObjectKey[0]);
    expect(first!.message!.TopicArn).toBe(topicArn);
    const status = await trails.send(new GetTrailStatusCommand({ Name: 'main' }));
    expect(status.LatestNotificationTime).toBeInstanceOf(Date);
    expect(status.LatestNotificationError).toBeUndefined();
  });

  it('refuses a topic that does not exist or does not let CloudTrail publish', async () => {
    await topic('closed', false);
    await expectError(trails.send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'trail-bucket', SnsTopicName: 'missing' })),
      'InsufficientSnsTopicPolicyException', 'SNS Topic does not exist or the topic policy is incorrect');
    await expectError(trails.send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'trail-bucket', SnsTopicName: 'closed' })),
      'InsufficientSnsTopicPolicyException');
    await trails.send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'trail-bucket' }));
    await expectError(trails.send(new UpdateTrailCommand({ Name: 'main', SnsTopicName: `arn:aws:sns:us-east-1:${ACCOUNT}:closed` })),
      'InsufficientSnsTopicPolicyException');
  });
});

describe('SSE-KMS', () => {
  it('writes log files under the trail\'s key, asking KMS for a data key as CloudTrail', async () => {
    const keyArn = await key();
    await trails.send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'trail-bucket', KmsKeyId: keyArn }));
    await trails.send(new StartLoggingCommand({ Name: 'main' }));
    await trails.send(new DescribeTrailsCommand({}));
    const s3 = s3Client(server);
    const [logKey] = await eventually(async () => {
      const found = await listKeys(s3, 'trail-bucket', `AWSLogs/${ACCOUNT}/CloudTrail/`);
      return found.length ? found : undefined;
    }, 'an encrypted log file');
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'trail-bucket', Key: logKey }));
    expect(head.ServerSideEncryption).toBe('aws:kms');
    expect(head.SSEKMSKeyId).toBe(keyArn);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'trail-bucket', Key: logKey }));
    const logFile = gunzipSync(Buffer.from(await got.Body!.transformToByteArray()));
    expect(JSON.parse(logFile.toString('utf8')).Records.length).toBeGreaterThan(0);
    const dataDir = await openDataDir(server.dataDir, { trailArn: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main`, region: 'us-east-1', startTime: 0, endTime: Date.now() });
    try {
      expect(gunzipSync((await dataDir.source.getObject('trail-bucket', logKey!))!.body).equals(logFile)).toBe(true);
    } finally {
      await dataDir.close();
    }
    const records = await eventually(async () => {
      const found = (await server.app.store.read((tx) => tx.events.readAfter(0, 1000)))
        .filter((e) => e.eventName === 'GenerateDataKey').map((e) => JSON.parse(e.body) as Record<string, any>);
      return found.length ? found : undefined;
    }, 'the GenerateDataKey record');
    expect(records[0]).toMatchObject({
      eventSource: 'kms.amazonaws.com', userIdentity: { type: 'AWSService', invokedBy: 'cloudtrail.amazonaws.com' },
      requestParameters: { encryptionContext: { 'aws:cloudtrail:arn': `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main` } },
    });
  });

  it('refuses a key that does not exist, is disabled, or whose policy leaves CloudTrail out', async () => {
    await expectError(trails.send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'trail-bucket', KmsKeyId: '11111111-2222-3333-4444-555555555555' })),
      'KmsKeyNotFoundException');
    const closed = await key(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] }));
    await expectError(trails.send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'trail-bucket', KmsKeyId: closed })),
      'InsufficientEncryptionPolicyException', `Insufficient permissions to access S3 bucket trail-bucket or KMS key ${closed}.`);
    const disabled = await key();
    await kms.send(new DisableKeyCommand({ KeyId: disabled }));
    await expectError(trails.send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'trail-bucket', KmsKeyId: disabled })), 'KmsException');
  });

  it('reports a key disabled after the trail was made as a delivery error', async () => {
    const keyArn = await key();
    await trails.send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'trail-bucket', KmsKeyId: keyArn }));
    await kms.send(new DisableKeyCommand({ KeyId: keyArn }));
    await trails.send(new StartLoggingCommand({ Name: 'main' }));
    const status = await eventually(async () => {
      const s = await trails.send(new GetTrailStatusCommand({ Name: 'main' }));
      return s.LatestDeliveryError ? s : undefined;
    }, 'the delivery error');
    expect(status.LatestDeliveryError).toBe('DisabledException');
  });
});
