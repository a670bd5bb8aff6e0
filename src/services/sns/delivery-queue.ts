/**
 * @module
 * What a call hands to delivery: one outbox entry per call listing a delivery per subscription
 * (the message, the endpoint and how to retry), written in the call's transaction. The delivery
 * loop (delivery.ts) turns them into rows of its queue and sends them after the commit.
 */
import { randomUUID } from 'node:crypto';
import type { CallContext } from '../service.js';
import { effectiveDelivery, parseSubscriptionDeliveryPolicy, parseTopicDeliveryPolicy, type RetryPolicy } from './delivery-policy.js';
import type { EndpointMessage, SignatureVersion } from './messages.js';
import type { SubscriptionDocument } from './subscriptions.js';
import type { TopicDocument } from './topics.js';

/** The outbox kind of queued deliveries. */
export const SNS_DELIVERIES = 'SnsDeliveries';

/** A message as queued: its links are added when it is sent, from the server's public URL. */
export type QueuedMessage = Omit<EndpointMessage, 'SubscribeURL' | 'UnsubscribeURL'>;

/** Everything needed to send one message to one endpoint, and to retry it. */
export interface DeliveryPayload {
  readonly message: QueuedMessage;
  readonly endpoint: string;
  readonly raw: boolean;
  readonly signatureVersion: SignatureVersion;
  readonly retry: RetryPolicy;
  readonly contentType: string;
}

/** One delivery in an outbox entry. */
export interface QueuedDelivery {
  readonly id: string;
  readonly subscriptionArn: string;
  readonly payload: DeliveryPayload;
}

/** The outbox payload of SNS_DELIVERIES. */
export interface QueuedDeliveries {
  readonly deliveries: readonly QueuedDelivery[];
}

/** A delivery of a message to a subscription of a topic, with the policies in force now. */
export function deliveryTo(topic: TopicDocument, subscription: SubscriptionDocument, message: QueuedMessage): QueuedDelivery {
  const topicPolicy = topic.attributes.DeliveryPolicy ? parseTopicDeliveryPolicy(topic.attributes.DeliveryPolicy) : undefined;
  const ownPolicy = subscription.attributes.DeliveryPolicy ? parseSubscriptionDeliveryPolicy(subscription.attributes.DeliveryPolicy) : undefined;
  const { retry, contentType } = effectiveDelivery(topicPolicy, ownPolicy);
  return {
    id: randomUUID(),
    subscriptionArn: subscription.arn,
    payload: {
      message,
      endpoint: subscription.endpoint,
      raw: message.Type === 'Notification' && subscription.attributes.RawMessageDelivery === 'true',
      signatureVersion: topic.attributes.SignatureVersion === '2' ? '2' : '1',
      retry,
      contentType,
    },
  };
}

/** Queues deliveries in the call's transaction, in the topic's account and region. */
export async function queueDeliveries(ctx: CallContext, topic: TopicDocument, deliveries: readonly QueuedDelivery[]): Promise<void> {
  if (deliveries.length === 0) return;
  const payload: QueuedDeliveries = { deliveries };
  await ctx.tx.outbox.append({ accountId: topic.accountId, region: topic.region }, SNS_DELIVERIES, payload);
}

/** The timestamp form of SNS messages: ISO 8601 with milliseconds. */
export function messageTimestamp(ms: number): string {
  return new Date(ms).toISOString();
}
