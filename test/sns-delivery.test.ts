import {
  CreateTopicCommand, GetSubscriptionAttributesCommand, GetTopicAttributesCommand, ListSubscriptionsByTopicCommand, PublishBatchCommand,
  PublishCommand, SetSubscriptionAttributesCommand, SetTopicAttributesCommand, SNSClient, SubscribeCommand, UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { servicePrincipal } from '../src/auth/principal.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { notifications, startSnsEndpoint, type SnsEndpoint } from './helpers/sns-endpoint.js';

/**
 * No reset between tests: a reset restarts the outbox's sequence while the dispatcher keeps its
 * position, so entries written after it would be skipped; each test uses its own names instead.
 */
let server: TestServer;
let sns: SNSClient;
const endpoints: SnsEndpoint[] = [];

beforeAll(async () => {
  server = await startTestServer();
  sns = new SNSClient(server.clientConfig());
});
afterAll(() => server.stop());
afterEach(async () => {
  for (const endpoint of endpoints.splice(0)) await endpoint.close();
});

async function endpoint(): Promise<SnsEndpoint> {
  const started = await startSnsEndpoint();
  endpoints.push(started);
  return started;
}

/** A topic with one confirmed HTTP subscription of the endpoint. */
async function subscribed(client: SNSClient, name: string, receiver: SnsEndpoint, attributes?: Record<string, string>) {
  const { TopicArn } = await client.send(new CreateTopicCommand({ Name: name, Attributes: attributes }));
  const { SubscriptionArn } = await client.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: receiver.url, ReturnSubscriptionArn: true }));
  await receiver.waitFor((r) => r.some((m) => m.message?.Type === 'SubscriptionConfirmation' && m.status === 200), 'the confirmation');
  const attributesNow = await client.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }));
  expect(attributesNow.Attributes!.PendingConfirmation).toBe('false');
  return { topicArn: TopicArn!, subscriptionArn: SubscriptionArn! };
}

const FAST_RETRIES = JSON.stringify({ http: { defaultHealthyRetryPolicy: { minDelayTarget: 1, maxDelayTarget: 1, numRetries: 3, numNoDelayRetries: 2 } } });

describe('SNS delivery to HTTP endpoints', () => {
  it('confirms a subscription through the SubscribeURL and delivers a signed notification', async () => {
    const receiver = await endpoint();
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'alerts' }));
    const subscribed = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: receiver.url }));
    expect(subscribed.SubscriptionArn).toBe('pending confirmation');
    await receiver.waitFor((r) => r.length === 1, 'the confirmation');
    const confirmation = receiver.received[0]!;
    expect(confirmation.signatureValid).toBe(true);
    expect(confirmation.message).toMatchObject({
      Type: 'SubscriptionConfirmation', TopicArn, SignatureVersion: '1',
      Message: `You have chosen to subscribe to the topic ${TopicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
    });
    expect(confirmation.message!.Token).toMatch(/^[0-9a-f]{256}$/);
    expect(confirmation.message!.SubscribeURL).toBe(`${server.url}/?Action=ConfirmSubscription&TopicArn=${TopicArn}&Token=${confirmation.message!.Token}&Version=2010-03-31`);
    expect(confirmation.message!.SigningCertURL).toMatch(new RegExp(`^${server.url}/_custos/sns/SimpleNotificationService-[0-9a-f]{32}\\.pem$`));
    expect(Object.keys(confirmation.message!)).toEqual(['Type', 'MessageId', 'Token', 'TopicArn', 'Message', 'SubscribeURL', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL']);
    expect(confirmation.body).toMatch(/^\{\n {2}"Type" : "SubscriptionConfirmation",\n {2}"MessageId" : "/);

    const { Subscriptions } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
    const subscriptionArn = Subscriptions![0]!.SubscriptionArn!;
    expect(subscriptionArn).toMatch(new RegExp(`^${TopicArn}:[0-9a-f-]{36}$`));
    const { MessageId } = await sns.send(new PublishCommand({
      TopicArn, Subject: 'Disk', Message: 'disk is full',
      MessageAttributes: { severity: { DataType: 'String', StringValue: 'high' }, blob: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 3]) } },
    }));
    await receiver.waitFor(() => notifications(receiver).length === 1, 'the notification');
    const note = notifications(receiver)[0]!;
    expect(note.signatureValid).toBe(true);
    expect(note.headers).toMatchObject({
      'x-amz-sns-message-type': 'Notification', 'x-amz-sns-message-id': MessageId, 'x-amz-sns-topic-arn': TopicArn,
      'x-amz-sns-subscription-arn': subscriptionArn, 'content-type': 'text/plain; charset=UTF-8',
      'user-agent': 'Amazon Simple Notification Service Agent',
    });
    expect(note.message).toMatchObject({
      Type: 'Notification', MessageId, TopicArn, Subject: 'Disk', Message: 'disk is full', SignatureVersion: '1',
      UnsubscribeURL: `${server.url}/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}&Version=2010-03-31`,
      MessageAttributes: { severity: { Type: 'String', Value: 'high' }, blob: { Type: 'Binary', Value: 'AQID' } },
    });
    expect(note.message!.Timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Object.keys(note.message!)).toEqual([
      'Type', 'MessageId', 'TopicArn', 'Subject', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL', 'UnsubscribeURL', 'MessageAttributes',
    ]);
  });

  it('signs with SHA256withRSA under SignatureVersion 2 and sends raw messages when asked', async () => {
    const receiver = await endpoint();
    const { topicArn, subscriptionArn } = await subscribed(sns, 'v2', receiver, { SignatureVersion: '2' });
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'signed with sha256' }));
    await receiver.waitFor(() => notifications(receiver).length === 1, 'the v2 notification');
    expect(notifications(receiver)[0]!.message).toMatchObject({ SignatureVersion: '2', Message: 'signed with sha256' });
    expect(notifications(receiver)[0]!.message!.Subject).toBeUndefined();
    expect(notifications(receiver)[0]!.signatureValid).toBe(true);

    await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: subscriptionArn, AttributeName: 'RawMessageDelivery', AttributeValue: 'True' }));
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: '{"raw":true}' }));
    await receiver.waitFor(() => notifications(receiver).length === 2, 'the raw notification');
    const raw = notifications(receiver)[1]!;
    expect(raw.body).toBe('{"raw":true}');
    expect(raw.headers['x-amz-sns-rawdelivery']).toBe('true');
  });

  it('delivers the per-protocol text of a json MessageStructure, and each PublishBatch entry', async () => {
    const receiver = await endpoint();
    const { topicArn } = await subscribed(sns, 'structured', receiver);
    await sns.send(new PublishCommand({ TopicArn: topicArn, MessageStructure: 'json', Message: JSON.stringify({ default: 'plain', http: 'for http' }) }));
    const batch = await sns.send(new PublishBatchCommand({
      TopicArn: topicArn,
      PublishBatchRequestEntries: [{ Id: 'a', Message: 'first' }, { Id: 'b', Message: '' }, { Id: 'c', Message: 'third', Subject: 'S' }],
    }));
    expect(batch.Successful!.map((s) => s.Id)).toEqual(['a', 'c']);
    expect(batch.Failed).toEqual([{ Id: 'b', Code: 'InvalidParameter', Message: 'Invalid parameter: Empty message', SenderFault: true }]);
    await receiver.waitFor(() => notifications(receiver).length === 3, 'three notifications');
    expect(notifications(receiver).map((n) => n.message!.Message).sort()).toEqual(['first', 'for http', 'third']);
  });

  it('retries a failing endpoint immediately, then with delay, as the topic delivery policy says', async () => {
    const receiver = await endpoint();
    const { topicArn } = await subscribed(sns, 'flaky', receiver, { DeliveryPolicy: FAST_RETRIES });
    const before = receiver.received.length;
    receiver.answer = (_m, i) => (i < before + 3 ? 500 : 200);
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'eventually' }));
    await receiver.waitFor(() => notifications(receiver).length === 1, 'the fourth attempt to succeed');
    const attempts = receiver.received.slice(before);
    expect(attempts.map((a) => a.status)).toEqual([500, 500, 500, 200]);
    expect(new Set(attempts.map((a) => a.message!.MessageId)).size).toBe(1);
    expect(attempts.every((a) => a.signatureValid)).toBe(true);
  });

  it('gives up after the last retry and records the failure', async () => {
    const receiver = await endpoint();
    const policy = JSON.stringify({ healthyRetryPolicy: { numRetries: 1, numNoDelayRetries: 1 } });
    const { topicArn, subscriptionArn } = await subscribed(sns, 'dead', receiver);
    await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: subscriptionArn, AttributeName: 'DeliveryPolicy', AttributeValue: policy }));
    const attributes = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subscriptionArn }))).Attributes!;
    expect(JSON.parse(attributes.EffectiveDeliveryPolicy!).healthyRetryPolicy).toMatchObject({ numRetries: 1, numNoDelayRetries: 1, minDelayTarget: 20 });
    receiver.answer = () => 503;
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'lost' }));
    const arn = subscriptionArn;
    const scope = { accountId: '123456789012', region: 'us-east-1' };
    const failed = async () => (await server.app.store.read((tx) => tx.snsDeliveries.list(scope, arn))).find((d) => d.state === 'failed');
    const deadline = Date.now() + 20_000;
    while (!(await failed()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await failed()).toMatchObject({ attempts: 2, lastError: 'HTTP 503' });
    expect(receiver.received.filter((r) => r.message?.Message === 'lost').length).toBe(2);
  });

  it('keeps delivering to other endpoints while one endpoint does not answer', async () => {
    const [stuck, healthy] = [await endpoint(), await endpoint()];
    const { topicArn } = await subscribed(sns, 'mixed', stuck);
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'http', Endpoint: healthy.url }));
    await healthy.waitFor((r) => r.length === 1, 'the second confirmation');
    stuck.answer = () => new Promise<number>(() => undefined);
    for (let i = 0; i < 6; i++) await sns.send(new PublishCommand({ TopicArn: topicArn, Message: `m${i}` }));
    await healthy.waitFor(() => notifications(healthy).length === 6, 'six notifications at the healthy endpoint');
    expect(notifications(stuck)).toEqual([]);
  });

  it('unsubscribes through the UnsubscribeURL without credentials, and the SubscribeURL restores the subscription', async () => {
    const receiver = await endpoint();
    const { topicArn, subscriptionArn } = await subscribed(sns, 'leaving', receiver);
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'hello' }));
    await receiver.waitFor(() => notifications(receiver).length === 1, 'the notification');
    const unsubscribe = await fetch(notifications(receiver)[0]!.message!.UnsubscribeURL!);
    expect(unsubscribe.status).toBe(200);
    expect(await unsubscribe.text()).toContain('<UnsubscribeResponse');
    await receiver.waitFor((r) => r.some((m) => m.message?.Type === 'UnsubscribeConfirmation'), 'the unsubscribe confirmation');
    const goodbye = receiver.received.find((m) => m.message?.Type === 'UnsubscribeConfirmation')!;
    expect(goodbye.signatureValid).toBe(true);
    expect(goodbye.message!.Message).toBe(`You have chosen to deactivate subscription ${subscriptionArn}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.`);
    expect((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }))).Subscriptions).toEqual([]);
    expect((await sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn }))).Attributes).toMatchObject({ SubscriptionsConfirmed: '0', SubscriptionsDeleted: '1' });

    expect((await fetch(goodbye.message!.SubscribeURL!)).status).toBe(200);
    expect((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }))).Subscriptions!.map((s) => s.SubscriptionArn)).toEqual([subscriptionArn]);
    await sns.send(new UnsubscribeCommand({ SubscriptionArn: subscriptionArn }));
    await sns.send(new UnsubscribeCommand({ SubscriptionArn: subscriptionArn }));
  });

  it('publishes from background work through env.invoke with a service principal', async () => {
    const receiver = await endpoint();
    const { topicArn } = await subscribed(sns, 'alarms', receiver);
    await server.app.env.invoke({
      service: 'sns', operation: 'Publish', region: 'us-east-1',
      principal: servicePrincipal('123456789012', 'cloudwatch.amazonaws.com'),
      input: { TopicArn: topicArn, Subject: 'ALARM: "cpu" in US East (N. Virginia)', Message: '{"AlarmName":"cpu"}' },
    });
    await receiver.waitFor(() => notifications(receiver).length === 1, 'the alarm notification');
    expect(notifications(receiver)[0]!.message).toMatchObject({ Subject: 'ALARM: "cpu" in US East (N. Virginia)', Message: '{"AlarmName":"cpu"}' });
  });

  it('serves the signing certificate under /_custos/sns/', async () => {
    const receiver = await endpoint();
    await subscribed(sns, 'cert', receiver);
    const url = receiver.received[0]!.message!.SigningCertURL!;
    const response = await fetch(url);
    expect(response.headers.get('content-type')).toBe('application/x-pem-file');
    const certificate = new X509Certificate(await response.text());
    expect(certificate.subject).toContain('CN=Custos Simple Notification Service');
    expect(certificate.verify(certificate.publicKey)).toBe(true);
    expect((await fetch(`${server.url}/_custos/sns/SimpleNotificationService-0000.pem`)).status).toBe(404);
  });
});

describe('SNS delivery across a restart', () => {
  it('delivers a message that was waiting for a retry when the server stopped', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'custos-sns-restart-'));
    const receiver = await endpoint();
    let first: TestServer | undefined = await startTestServer({ dataDir });
    let second: TestServer | undefined;
    try {
      const client = new SNSClient(first.clientConfig());
      const retryEverySecond = JSON.stringify({ http: { defaultHealthyRetryPolicy: { minDelayTarget: 1, maxDelayTarget: 1, numRetries: 10 } } });
      const { topicArn } = await subscribed(client, 'durable', receiver, { DeliveryPolicy: retryEverySecond });
      receiver.answer = () => 500;
      await client.send(new PublishCommand({ TopicArn: topicArn, Message: 'survives' }));
      await receiver.waitFor((r) => r.some((m) => m.message?.Message === 'survives'), 'a first failed attempt');
      await first.stop();
      first = undefined;
      receiver.answer = () => 200;
      second = await startTestServer({ dataDir });
      await receiver.waitFor(() => notifications(receiver).some((m) => m.message!.Message === 'survives'), 'delivery after the restart');
      const delivered = notifications(receiver).find((m) => m.message!.Message === 'survives')!;
      expect(delivered.signatureValid).toBe(true);
      expect(delivered.message!.SigningCertURL!.startsWith(second.url)).toBe(true);
    } finally {
      await first?.stop();
      await second?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('SetTopicAttributes', () => {
  it('refuses a delivery policy that breaks the rules', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'policy' }));
    const bad = JSON.stringify({ http: { defaultHealthyRetryPolicy: { minDelayTarget: 0 } } });
    await expect(sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'DeliveryPolicy', AttributeValue: bad }))).rejects.toMatchObject({
      name: 'InvalidParameterException', message: 'Invalid parameter: DeliveryPolicy: http.defaultHealthyRetryPolicy.minDelayTarget must be at least 1',
    });
  });
});
