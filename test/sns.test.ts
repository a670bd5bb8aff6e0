import {
  AddPermissionCommand, ConfirmSubscriptionCommand, CreateTopicCommand, DeleteTopicCommand, GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand, ListSubscriptionsByTopicCommand, ListSubscriptionsCommand, ListTagsForResourceCommand, ListTopicsCommand,
  PublishBatchCommand, PublishCommand, RemovePermissionCommand, SetSubscriptionAttributesCommand, SetTopicAttributesCommand, SNSClient,
  SubscribeCommand, TagResourceCommand, UnsubscribeCommand, UntagResourceCommand,
} from '@aws-sdk/client-sns';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OutboxEntry } from '../src/store/types.js';
import type { ResourceChangedEntry } from '../src/services/resource-changes.js';
import { expectError, resetServer } from './helpers/assertions.js';
import { startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
let sns: SNSClient;
const arn = (name: string) => `arn:aws:sns:us-east-1:123456789012:${name}`;

beforeAll(async () => {
  server = await startTestServer();
  sns = new SNSClient(server.clientConfig());
});
afterAll(() => server.stop());
beforeEach(() => resetServer(server));

async function expectSnsError(call: Promise<unknown>, name: string, status: number, message?: string): Promise<void> {
  const error = await expectError(call, name, message);
  expect(error.$metadata?.httpStatusCode).toBe(status);
}

describe('topics', () => {
  it('creates a topic (idempotently) with AWS default attributes and policy', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'orders', Attributes: { DisplayName: 'Orders' } }));
    expect(TopicArn).toBe(arn('orders'));
    expect((await sns.send(new CreateTopicCommand({ Name: 'orders', Attributes: { DisplayName: 'Orders' } }))).TopicArn).toBe(TopicArn);
    const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
    expect(Attributes).toMatchObject({
      TopicArn, Owner: '123456789012', DisplayName: 'Orders', SubscriptionsConfirmed: '0', SubscriptionsPending: '0', SubscriptionsDeleted: '0',
    });
    expect(JSON.parse(Attributes!.Policy!)).toEqual({
      Version: '2008-10-17',
      Id: '__default_policy_ID',
      Statement: [{
        Sid: '__default_statement_ID', Effect: 'Allow', Principal: { AWS: '*' },
        Action: ['SNS:GetTopicAttributes', 'SNS:SetTopicAttributes', 'SNS:AddPermission', 'SNS:RemovePermission', 'SNS:DeleteTopic', 'SNS:Subscribe', 'SNS:ListSubscriptionsByTopic', 'SNS:Publish'],
        Resource: TopicArn, Condition: { StringEquals: { 'AWS:SourceOwner': '123456789012' } },
      }],
    });
    expect(JSON.parse(Attributes!.EffectiveDeliveryPolicy!)).toEqual({
      http: {
        defaultHealthyRetryPolicy: { minDelayTarget: 20, maxDelayTarget: 20, numRetries: 3, numMaxDelayRetries: 0, numNoDelayRetries: 0, numMinDelayRetries: 0, backoffFunction: 'linear' },
        disableSubscriptionOverrides: false,
        defaultRequestPolicy: { headerContentType: 'text/plain; charset=UTF-8' },
      },
    });
    await expectSnsError(
      sns.send(new CreateTopicCommand({ Name: 'orders', Attributes: { DisplayName: 'Other' } })), 'InvalidParameterException', 400,
      'Invalid parameter: Attributes Reason: Topic already exists with different attributes',
    );
  });

  it('sets attributes, replaces the policy, and adds and removes permissions', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'settings' }));
    await sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'DisplayName', AttributeValue: 'Shown' }));
    await sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'SignatureVersion', AttributeValue: '2' }));
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'trail', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'SNS:Publish', Resource: TopicArn }] });
    await sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'Policy', AttributeValue: policy }));
    await sns.send(new AddPermissionCommand({ TopicArn, Label: 'partner', AWSAccountId: ['111122223333'], ActionName: ['Publish', 'Subscribe'] }));
    let attributes = (await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes!;
    expect(attributes).toMatchObject({ DisplayName: 'Shown', SignatureVersion: '2' });
    expect(JSON.parse(attributes.Policy!).Statement).toEqual([
      { Sid: 'trail', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'SNS:Publish', Resource: TopicArn },
      { Sid: 'partner', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: ['SNS:Publish', 'SNS:Subscribe'], Resource: TopicArn },
    ]);
    await expectSnsError(
      sns.send(new AddPermissionCommand({ TopicArn, Label: 'partner', AWSAccountId: ['111122223333'], ActionName: ['Publish'] })),
      'InvalidParameterException', 400, 'Invalid parameter: Statement already exists',
    );
    await expectSnsError(
      sns.send(new AddPermissionCommand({ TopicArn, Label: 'other', AWSAccountId: ['111122223333'], ActionName: ['Teleport'] })),
      'InvalidParameterException', 400, 'Invalid parameter: Policy statement action out of service scope!',
    );
    await sns.send(new RemovePermissionCommand({ TopicArn, Label: 'partner' }));
    attributes = (await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes!;
    expect(JSON.parse(attributes.Policy!).Statement.map((s: { Sid: string }) => s.Sid)).toEqual(['trail']);
    await expectSnsError(sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'Colour', AttributeValue: 'red' })), 'InvalidParameterException', 400, 'Invalid parameter: AttributeName');
    await expectSnsError(sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'SignatureVersion', AttributeValue: '3' })), 'InvalidParameterException', 400);
    await expectSnsError(sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'Policy', AttributeValue: '{' })), 'InvalidParameterException', 400);
  });

  it('lists topics 100 to a page and deletes them (deleting twice is no error)', async () => {
    for (let i = 0; i < 101; i++) await sns.send(new CreateTopicCommand({ Name: `t${String(i).padStart(3, '0')}` }));
    const first = await sns.send(new ListTopicsCommand({}));
    expect(first.Topics).toHaveLength(100);
    const second = await sns.send(new ListTopicsCommand({ NextToken: first.NextToken }));
    expect(second.Topics).toEqual([{ TopicArn: arn('t100') }]);
    expect(second.NextToken).toBeUndefined();
    await expectSnsError(sns.send(new ListTopicsCommand({ NextToken: 'nope' })), 'InvalidParameterException', 400, 'Invalid parameter: NextToken');
    await sns.send(new DeleteTopicCommand({ TopicArn: arn('t000') }));
    await sns.send(new DeleteTopicCommand({ TopicArn: arn('t000') }));
    await expectSnsError(sns.send(new GetTopicAttributesCommand({ TopicArn: arn('t000') })), 'NotFoundException', 404, 'Topic does not exist');
  });

  it('tags topics', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'tagged', Tags: [{ Key: 'team', Value: 'sec' }] }));
    await sns.send(new TagResourceCommand({ ResourceArn: TopicArn, Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'ops' }] }));
    await sns.send(new UntagResourceCommand({ ResourceArn: TopicArn, TagKeys: ['env'] }));
    expect((await sns.send(new ListTagsForResourceCommand({ ResourceArn: TopicArn }))).Tags).toEqual([{ Key: 'team', Value: 'ops' }]);
    await expectSnsError(sns.send(new TagResourceCommand({ ResourceArn: TopicArn, Tags: [{ Key: 'a', Value: '1' }, { Key: 'a', Value: '2' }] })), 'InvalidParameterException', 400, 'Duplicated keys are not allowed.');
    await expectSnsError(sns.send(new ListTagsForResourceCommand({ ResourceArn: arn('missing') })), 'ResourceNotFoundException', 404);
    await expectSnsError(
      sns.send(new CreateTopicCommand({ Name: 'tagged', Tags: [{ Key: 'team', Value: 'other' }] })), 'InvalidParameterException', 400,
      'Invalid parameter: Tags Reason: Topic already exists with different tags',
    );
  });

  it('answers bad topic names and ARNs with SNS errors', async () => {
    for (const name of ['', 'has space', 'x'.repeat(257), 'dots.not.allowed']) {
      await expectSnsError(sns.send(new CreateTopicCommand({ Name: name })), 'InvalidParameterException', 400, 'Invalid parameter: Topic Name');
    }
    await expectSnsError(sns.send(new CreateTopicCommand({ Name: 'q.fifo', Attributes: { FifoTopic: 'true' } })), 'InvalidParameterException', 400);
    await expectSnsError(sns.send(new GetTopicAttributesCommand({ TopicArn: 'not-an-arn' })), 'InvalidParameterException', 400, 'Invalid parameter: TopicArn');
    await expectSnsError(sns.send(new GetTopicAttributesCommand({ TopicArn: 'arn:aws:sns:eu-west-1:123456789012:x' })), 'InvalidParameterException', 400, 'Invalid parameter: TopicArn');
    await expectSnsError(sns.send(new DeleteTopicCommand({ TopicArn: 'arn:aws:s3:::bucket' })), 'InvalidParameterException', 400, 'Invalid parameter: TopicArn');
    await expectSnsError(sns.send(new CreateTopicCommand({} as never)), 'ValidationError', 400, "Value null at 'name' failed to satisfy constraint: Member must not be null");
  });
});

describe('subscriptions', () => {
  it('subscribes an endpoint pending confirmation and confirms it with the token (signed)', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'subs' }));
    const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'https', Endpoint: 'https://example.invalid/hook', ReturnSubscriptionArn: true }));
    expect(SubscriptionArn).toMatch(new RegExp(`^${TopicArn}:[0-9a-f-]{36}$`));
    expect((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }))).Subscriptions).toEqual([
      { SubscriptionArn: 'PendingConfirmation', Owner: '123456789012', Protocol: 'https', Endpoint: 'https://example.invalid/hook', TopicArn },
    ]);
    expect((await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes).toMatchObject({ SubscriptionsPending: '1' });
    const again = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'https', Endpoint: 'https://example.invalid/hook' }));
    expect(again.SubscriptionArn).toBe('pending confirmation');

    const stored = await server.app.store.read((tx) => tx.documents.list<{ token: string }>({ accountId: '123456789012', region: 'us-east-1' }, 'sns.subscription'));
    const token = stored[0]!.doc.token;
    await expectSnsError(sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: 'wrong' })), 'InvalidParameterException', 400, 'Invalid parameter: Token');
    expect((await sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: token, AuthenticateOnUnsubscribe: 'true' }))).SubscriptionArn).toBe(SubscriptionArn);
    const { Attributes } = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }));
    expect(Attributes).toMatchObject({
      SubscriptionArn, TopicArn, Owner: '123456789012', Protocol: 'https', Endpoint: 'https://example.invalid/hook',
      PendingConfirmation: 'false', ConfirmationWasAuthenticated: 'true', RawMessageDelivery: 'false',
      SubscriptionPrincipal: 'arn:aws:iam::123456789012:root',
    });
    expect((await sns.send(new ListSubscriptionsCommand({}))).Subscriptions!.map((s) => s.SubscriptionArn)).toEqual([SubscriptionArn]);
    expect((await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'https', Endpoint: 'https://example.invalid/hook' }))).SubscriptionArn).toBe(SubscriptionArn);

    const unsigned = await fetch(`${server.url}/?Action=Unsubscribe&SubscriptionArn=${SubscriptionArn}&Version=2010-03-31`);
    expect(unsigned.status).toBe(403);
    expect(await unsigned.text()).toContain('<Code>AuthorizationError</Code>');
    await sns.send(new UnsubscribeCommand({ SubscriptionArn }));
    await expectSnsError(sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn })), 'NotFoundException', 404, 'Subscription does not exist');
  });

  it('sets subscription attributes and refuses what Custos cannot deliver', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'attrs' }));
    const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: 'http://example.invalid/', ReturnSubscriptionArn: true, Attributes: { RawMessageDelivery: 'true' } }));
    expect((await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes!.RawMessageDelivery).toBe('true');
    await expectSnsError(
      sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: 'http://example.invalid/', Attributes: { RawMessageDelivery: 'false' } })),
      'InvalidParameterException', 400, 'Invalid parameter: Attributes Reason: Subscription already exists with different attributes',
    );
    await expectSnsError(sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'Colour', AttributeValue: 'x' })), 'InvalidParameterException', 400, 'Invalid parameter: AttributeName');
    await expectSnsError(sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'FilterPolicy', AttributeValue: '{}' })), 'InvalidParameterException', 400);
    await expectSnsError(sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'DeliveryPolicy', AttributeValue: '{"healthyRetryPolicy":{"numRetries":500}}' })), 'InvalidParameterException', 400);
    await expectSnsError(sns.send(new SubscribeCommand({ TopicArn, Protocol: 'carrier-pigeon', Endpoint: 'coo' })), 'InvalidParameterException', 400, 'Invalid parameter: Amazon SNS does not support this protocol string: carrier-pigeon');
    await expectSnsError(sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:123456789012:q' })), 'InvalidParameterException', 400);
    await expectSnsError(sns.send(new SubscribeCommand({ TopicArn, Protocol: 'https', Endpoint: 'http://example.invalid/' })), 'InvalidParameterException', 400, 'Invalid parameter: Endpoint must match the specified protocol');
    await expectSnsError(sns.send(new SubscribeCommand({ TopicArn: arn('missing'), Protocol: 'http', Endpoint: 'http://example.invalid/' })), 'NotFoundException', 404, 'Topic does not exist');
    await expectSnsError(sns.send(new UnsubscribeCommand({ SubscriptionArn: 'arn:aws:sns' })), 'InvalidParameterException', 400, 'Invalid parameter: SubscriptionArn Reason: An ARN must have at least 6 elements, not 3');
    await expectSnsError(sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: `${TopicArn}:00000000-0000-4000-8000-000000000000` })), 'NotFoundException', 404);
  });
});

describe('publishing', () => {
  it('returns a MessageId, with no subscriber too', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'quiet' }));
    expect((await sns.send(new PublishCommand({ TopicArn, Message: 'nobody listens' }))).MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await sns.send(new PublishCommand({ TargetArn: TopicArn, Message: 'by TargetArn' }))).MessageId).toBeDefined();
  });

  it('answers bad messages with SNS errors, and loses nothing', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'strict' }));
    const cases: [Record<string, unknown>, string, string][] = [
      [{ TopicArn, Message: '' }, 'InvalidParameterException', 'Invalid parameter: Empty message'],
      [{ TopicArn, Message: 'x'.repeat(262_145) }, 'InvalidParameterException', 'Invalid parameter: Message too long'],
      [{ TopicArn, Message: 'x', Subject: 'line\nbreak' }, 'InvalidParameterException', 'Invalid parameter: Subject'],
      [{ TopicArn, Message: '{"http":"x"}', MessageStructure: 'json' }, 'InvalidParameterException', 'Invalid parameter: Message Structure - No default entry in JSON message body'],
      [{ TopicArn, Message: '{', MessageStructure: 'json' }, 'InvalidParameterException', 'Invalid parameter: Message Structure - JSON message body failed to parse'],
      [{ TopicArn, Message: 'x', MessageAttributes: { n: { DataType: 'Number', StringValue: 'ten' } } }, 'InvalidParameterValueException', "Could not cast message attribute 'n' value to number."],
      [{ TopicArn, Message: 'x', MessageAttributes: { a: { DataType: 'Date', StringValue: 'x' } } }, 'InvalidParameterValueException', "The message attribute 'a' has an invalid message attribute type"],
      [{ Message: 'x' }, 'InvalidParameterException', 'Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter'],
      [{ TopicArn: arn('missing'), Message: 'x' }, 'NotFoundException', 'Topic does not exist'],
      [{ PhoneNumber: '+15555550100', Message: 'x' }, 'InvalidParameterException', 'Invalid parameter: PhoneNumber'],
    ];
    for (const [input, name, message] of cases) {
      await expectSnsError(sns.send(new PublishCommand(input as never)), name, name === 'NotFoundException' ? 404 : 400, message);
    }
    await expectSnsError(sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [] })), 'EmptyBatchRequestException', 400);
    await expectSnsError(
      sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [{ Id: 'a', Message: 'x' }, { Id: 'a', Message: 'y' }] })),
      'BatchEntryIdsNotDistinctException', 400, 'Two or more batch entries in the request have the same Id.',
    );
    const outbox = await server.app.store.read((tx) => tx.outbox.readAfter(0, 100));
    expect(outbox.filter((e) => e.kind === 'SnsDeliveries')).toEqual([]);
  });

  it('refuses unsigned calls except the confirmation and unsubscribe links', async () => {
    const response = await fetch(`${server.url}/?Action=ListTopics&Version=2010-03-31`);
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('<Code>MissingAuthenticationToken</Code>');
    const confirm = await fetch(`${server.url}/?Action=ConfirmSubscription&TopicArn=${arn('none')}&Token=abc&Version=2010-03-31`);
    expect(confirm.status).toBe(404);
    expect(await confirm.text()).toContain('<Code>NotFound</Code>');
  });
});

describe('records and resource changes', () => {
  it('writes a ResourceChanged entry for the topic with the eventID of each changing call', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'audited' }));
    await sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'DisplayName', AttributeValue: 'A' }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: 'http://example.invalid/' }));
    await sns.send(new PublishCommand({ TopicArn, Message: 'not a change' }));
    await sns.send(new DeleteTopicCommand({ TopicArn }));
    const changes = (await server.app.store.read((tx) => tx.outbox.readAfter(0, 100)))
      .filter((e: OutboxEntry) => e.kind === 'ResourceChanged')
      .map((e) => e.payload as ResourceChangedEntry);
    expect(changes.map((c) => [c.resourceType, c.resourceId, c.resourceName, c.deleted])).toEqual([
      ['AWS::SNS::Topic', TopicArn, 'audited', false],
      ['AWS::SNS::Topic', TopicArn, 'audited', false],
      ['AWS::SNS::Topic', TopicArn, 'audited', false],
      ['AWS::SNS::Topic', TopicArn, 'audited', true],
    ]);
    const cloudtrail = new CloudTrailClient(server.clientConfig());
    const { Events } = await cloudtrail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'sns.amazonaws.com' }] }));
    const byName = new Map(Events!.map((e) => [e.EventId, e.EventName]));
    expect(changes.map((c) => byName.get(c.eventId))).toEqual(['CreateTopic', 'SetTopicAttributes', 'Subscribe', 'DeleteTopic']);
    const publishRecord = JSON.parse(Events!.find((e) => e.EventName === 'Publish')!.CloudTrailEvent!);
    expect(publishRecord).toMatchObject({ eventSource: 'sns.amazonaws.com', readOnly: false, resources: [{ ARN: TopicArn, type: 'AWS::SNS::Topic' }] });
  });
});
