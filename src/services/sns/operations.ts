/**
 * @module
 * Amazon Simple Notification Service (awsQuery): topics and their policies, subscriptions of
 * HTTP/S endpoints with the confirmation handshake, Publish, and durable, signed delivery with
 * retries (delivery.ts). The signing certificate is served under `/_custos/sns/`.
 */
import { loadModel } from '../../protocol/model.js';
import type { OperationSpec, ServiceDefinition } from '../service.js';
import { snsDelivery } from './delivery.js';
import { AuthorizationErrorException } from './errors.js';
import { publish, publishBatch } from './publish.js';
import { signingKeyProvider } from './signing-key.js';
import {
  confirmSubscription, getSubscriptionAttributes, listSubscriptions, listSubscriptionsByTopic, setSubscriptionAttributes, subscribe,
  unsubscribe,
} from './subscription-handlers.js';
import { parseSubscriptionArn } from './subscriptions.js';
import { listTagsForResource, tagResource, untagResource } from './tags.js';
import {
  addPermission, createTopic, deleteTopic, getTopicAttributes, listTopics, removePermission, setTopicAttributes,
} from './topic-handlers.js';
import { parseTopicArn, TOPIC_KIND, topicArn, type TopicDocument } from './topics.js';

type Context = { principal: { accountId: string } };

/** SNS's default topic policy allows principals whose AWS:SourceOwner is the topic's account. */
const sourceOwner = (_input: unknown, ctx: Context) => ({ 'aws:SourceOwner': ctx.principal.accountId });

const onTopic = (handler: OperationSpec['handler'], member = 'TopicArn'): OperationSpec => ({
  handler,
  resources: (input: Record<string, string | undefined>) => [input[member] ?? '*'],
  conditions: sourceOwner,
});

const onSubscription = (handler: OperationSpec['handler']): OperationSpec => ({
  handler,
  resources: (input: { SubscriptionArn?: string }) => [parseSubscriptionArn(input.SubscriptionArn ?? '')?.topicArn ?? '*'],
  conditions: sourceOwner,
});

/** The operations with their IAM actions spelt as SNS spells them in policies and denials (`SNS:Publish`). */
function withSnsActions(operations: Record<string, OperationSpec>): Record<string, OperationSpec> {
  return Object.fromEntries(Object.entries(operations).map(([name, spec]) => [name, { action: `SNS:${name}`, ...spec }]));
}

/** The SNS service definition. */
export function snsService(): ServiceDefinition {
  const signingKey = signingKeyProvider();
  return {
    model: loadModel('sns'),
    eventSource: 'sns.amazonaws.com',
    errorStyle: 'query',
    accessDenied: (message) => new AuthorizationErrorException(message),
    operations: withSnsActions({
      AddPermission: onTopic(addPermission),
      ConfirmSubscription: {
        ...onTopic(confirmSubscription),
        anonymous: (input: { TopicArn?: string }) => parseTopicArn(input.TopicArn ?? '')?.scope,
      },
      CreateTopic: { handler: createTopic, resources: (input, ctx) => [topicArn(ctx.scope, input.Name ?? '')], conditions: sourceOwner },
      DeleteTopic: onTopic(deleteTopic),
      GetSubscriptionAttributes: onSubscription(getSubscriptionAttributes),
      GetTopicAttributes: onTopic(getTopicAttributes),
      ListSubscriptions: { handler: listSubscriptions },
      ListSubscriptionsByTopic: onTopic(listSubscriptionsByTopic),
      ListTagsForResource: onTopic(listTagsForResource, 'ResourceArn'),
      ListTopics: { handler: listTopics },
      Publish: { ...onTopic(publish), resources: (input) => [input.TopicArn ?? input.TargetArn ?? '*'] },
      PublishBatch: onTopic(publishBatch),
      RemovePermission: onTopic(removePermission),
      SetSubscriptionAttributes: onSubscription(setSubscriptionAttributes),
      SetTopicAttributes: onTopic(setTopicAttributes),
      Subscribe: onTopic(subscribe),
      TagResource: onTopic(tagResource, 'ResourceArn'),
      Unsubscribe: {
        ...onSubscription(unsubscribe),
        anonymous: (input: { SubscriptionArn?: string }) => parseSubscriptionArn(input.SubscriptionArn ?? '')?.scope,
      },
      UntagResource: onTopic(untagResource, 'ResourceArn'),
    }),
    background(env) {
      const key = () => signingKey(env.settings.dataDir, env.clock.now());
      return {
        ...snsDelivery(env, key),
        async file(path) {
          if (!path.startsWith('/_custos/sns/')) return undefined;
          const { certificatePath, certificatePem } = await key();
          return path === certificatePath ? { contentType: 'application/x-pem-file', body: certificatePem } : undefined;
        },
      };
    },
    async resourcePolicy(tx, arn) {
      const parsed = parseTopicArn(arn);
      const topic = parsed && await tx.documents.get<TopicDocument>(parsed.scope, TOPIC_KIND, parsed.name);
      return topic && {
        ownerAccountId: topic.accountId,
        document: topic.attributes.Policy,
        tags: Object.fromEntries(topic.tags.map((t) => [t.Key ?? '', t.Value ?? ''])),
      };
    },
  };
}
