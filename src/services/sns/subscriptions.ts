/**
 * @module
 * Subscriptions as stored (in their topic's account and region, id `<topic name>:<uuid>`), their
 * ARNs, confirmation tokens, and their attributes as SNS shows them. An unsubscribed subscription
 * is kept for the life of its token, so that its UnsubscribeConfirmation's SubscribeURL can
 * restore it, as on AWS; everything else treats it as gone.
 */
import { randomBytes } from 'node:crypto';
import type { Subscription } from '@aws-sdk/client-sns';
import { parseArn } from '../../core/arn.js';
import type { Scope } from '../../core/scope.js';
import type { Tx } from '../../store/types.js';
import { effectiveSubscriptionPolicy, parseSubscriptionDeliveryPolicy, parseTopicDeliveryPolicy } from './delivery-policy.js';
import { arnOf, isTopicName, topicArn, type TopicDocument } from './topics.js';

/** The document kind of subscriptions. */
export const SUBSCRIPTION_KIND = 'sns.subscription';

/** How long a confirmation token can be used. */
const TOKEN_LIFETIME_MS = 3 * 86_400_000;

/** The protocols Custos delivers to. */
export type DeliveryProtocol = 'http' | 'https';

/** The settable attributes of a subscription, as set. */
export interface SubscriptionAttributes {
  readonly RawMessageDelivery?: string;
  readonly DeliveryPolicy?: string;
}

/** A subscription as stored. */
export interface SubscriptionDocument {
  readonly arn: string;
  readonly topicName: string;
  readonly protocol: DeliveryProtocol;
  readonly endpoint: string;
  /** The account that subscribed, and who. */
  readonly owner: string;
  readonly principalArn: string;
  readonly createdAt: number;
  readonly pendingConfirmation: boolean;
  readonly confirmationWasAuthenticated: boolean;
  readonly authenticateOnUnsubscribe: boolean;
  /** The token of the last confirmation message sent. */
  readonly token?: string;
  readonly tokenIssuedAt?: number;
  /** Set when unsubscribed. */
  readonly deletedAt?: number;
  readonly attributes: SubscriptionAttributes;
}

/** A new confirmation token: 256 hex characters. */
export function newToken(): string {
  return randomBytes(128).toString('hex');
}

/** Whether a token is the subscription's and still valid. */
export function tokenMatches(subscription: SubscriptionDocument, token: string, now: number): boolean {
  return subscription.token === token && now - (subscription.tokenIssuedAt ?? 0) < TOKEN_LIFETIME_MS;
}

/** The store address of a subscription ARN (`<topic ARN>:<id>`), or undefined when it is not one. */
export function parseSubscriptionArn(arn: string): { scope: Scope; topicName: string; docId: string; topicArn: string } | undefined {
  const parsed = parseArn(arn);
  const [topicName, id, ...rest] = parsed?.resource.split(':') ?? [];
  if (!parsed || parsed.service !== 'sns' || !topicName || !isTopicName(topicName) || !id || rest.length) return undefined;
  const scope = { accountId: parsed.accountId, region: parsed.region };
  return { scope, topicName, docId: `${topicName}:${id}`, topicArn: topicArn(scope, topicName) };
}

/** A subscription by ARN, unless it is unknown or unsubscribed. */
export async function findSubscription(tx: Tx, arn: string): Promise<SubscriptionDocument | undefined> {
  const address = parseSubscriptionArn(arn);
  const subscription = address && await tx.documents.get<SubscriptionDocument>(address.scope, SUBSCRIPTION_KIND, address.docId);
  return subscription && subscription.deletedAt === undefined ? subscription : undefined;
}

/** Every subscription of a topic, unsubscribed ones included. */
export async function allTopicSubscriptions(tx: Tx, topic: TopicDocument): Promise<SubscriptionDocument[]> {
  const scope = { accountId: topic.accountId, region: topic.region };
  return (await tx.documents.list<SubscriptionDocument>(scope, SUBSCRIPTION_KIND, { prefix: `${topic.name}:` })).map((e) => e.doc);
}

/** The live subscriptions of a topic. */
export async function topicSubscriptions(tx: Tx, topic: TopicDocument): Promise<SubscriptionDocument[]> {
  return (await allTopicSubscriptions(tx, topic)).filter((s) => s.deletedAt === undefined);
}

/** Stores a subscription in its topic's account and region. */
export async function saveSubscription(tx: Tx, subscription: SubscriptionDocument): Promise<void> {
  const address = parseSubscriptionArn(subscription.arn)!;
  await tx.documents.put(address.scope, SUBSCRIPTION_KIND, address.docId, subscription);
}

/** A subscription as ListSubscriptions shows it (`PendingConfirmation` until confirmed). */
export function listEntry(subscription: SubscriptionDocument): Subscription {
  return {
    SubscriptionArn: subscription.pendingConfirmation ? 'PendingConfirmation' : subscription.arn,
    Owner: subscription.owner,
    Protocol: subscription.protocol,
    Endpoint: subscription.endpoint,
    TopicArn: parseSubscriptionArn(subscription.arn)!.topicArn,
  };
}

/** The attributes GetSubscriptionAttributes returns. */
export function subscriptionAttributes(subscription: SubscriptionDocument, topic: TopicDocument | undefined): Record<string, string> {
  const topicPolicy = topic?.attributes.DeliveryPolicy ? parseTopicDeliveryPolicy(topic.attributes.DeliveryPolicy) : undefined;
  const ownPolicy = subscription.attributes.DeliveryPolicy ? parseSubscriptionDeliveryPolicy(subscription.attributes.DeliveryPolicy) : undefined;
  return {
    SubscriptionArn: subscription.arn,
    TopicArn: topic ? arnOf(topic) : parseSubscriptionArn(subscription.arn)!.topicArn,
    Owner: subscription.owner,
    Protocol: subscription.protocol,
    Endpoint: subscription.endpoint,
    SubscriptionPrincipal: subscription.principalArn,
    PendingConfirmation: String(subscription.pendingConfirmation),
    ConfirmationWasAuthenticated: String(subscription.confirmationWasAuthenticated),
    RawMessageDelivery: subscription.attributes.RawMessageDelivery ?? 'false',
    ...(subscription.attributes.DeliveryPolicy ? { DeliveryPolicy: subscription.attributes.DeliveryPolicy } : {}),
    EffectiveDeliveryPolicy: effectiveSubscriptionPolicy(topicPolicy, ownPolicy),
  };
}
