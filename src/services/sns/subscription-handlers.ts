/**
 * @module
 * Subscriptions of HTTP and HTTPS endpoints: Subscribe (which sends a SubscriptionConfirmation),
 * ConfirmSubscription (signed, or by the SubscribeURL's GET without credentials), Unsubscribe
 * (which sends an UnsubscribeConfirmation), ListSubscriptions(ByTopic), and the subscription's
 * attributes.
 */
import { randomUUID } from 'node:crypto';
import type {
  ConfirmSubscriptionCommandInput, ConfirmSubscriptionCommandOutput, GetSubscriptionAttributesCommandInput,
  GetSubscriptionAttributesCommandOutput, ListSubscriptionsByTopicCommandInput, ListSubscriptionsByTopicCommandOutput,
  ListSubscriptionsCommandInput, ListSubscriptionsCommandOutput, SetSubscriptionAttributesCommandInput,
  SetSubscriptionAttributesCommandOutput, SubscribeCommandInput, SubscribeCommandOutput, UnsubscribeCommandInput,
  UnsubscribeCommandOutput,
} from '@aws-sdk/client-sns';
import { decodeToken, encodeToken } from '../../core/pagination.js';
import type { CallContext, Handler, Out } from '../service.js';
import { parseSubscriptionDeliveryPolicy } from './delivery-policy.js';
import { deliveryTo, messageTimestamp, queueDeliveries } from './delivery-queue.js';
import { AuthorizationErrorException, InvalidParameterException, NotFoundException } from './errors.js';
import { confirmationText, unsubscribeText, type MessageType } from './messages.js';
import {
  allTopicSubscriptions, findSubscription, listEntry, newToken, parseSubscriptionArn, saveSubscription, SUBSCRIPTION_KIND,
  subscriptionAttributes, tokenMatches, type SubscriptionAttributes, type SubscriptionDocument,
} from './subscriptions.js';
import { arnOf, getTopic, parseTopicArn, topicChanged, TOPIC_KIND, type TopicDocument } from './topics.js';

const PAGE = 100;
const AWS_PROTOCOLS = new Set(['http', 'https', 'email', 'email-json', 'sms', 'sqs', 'application', 'lambda', 'firehose']);
const UNSUPPORTED_ATTRIBUTES = new Set(['FilterPolicy', 'FilterPolicyScope', 'RedrivePolicy', 'SubscriptionRoleArn', 'ReplayPolicy']);

/** Checks one settable subscription attribute and returns the value to store. */
function checkAttribute(name: string, value: string): string {
  if (name === 'RawMessageDelivery') {
    const lower = value.toLowerCase();
    if (lower !== 'true' && lower !== 'false') throw new InvalidParameterException('Attributes Reason: RawMessageDelivery: Invalid value [' + value + ']. Must be true or false.');
    return lower;
  }
  if (name === 'DeliveryPolicy') {
    parseSubscriptionDeliveryPolicy(value);
    return value;
  }
  if (UNSUPPORTED_ATTRIBUTES.has(name)) throw new InvalidParameterException(`Attributes Reason: ${name} is not supported by Custos`);
  throw new InvalidParameterException('AttributeName');
}

function checkEndpoint(protocol: string, endpoint: string | undefined): string {
  if (!AWS_PROTOCOLS.has(protocol)) throw new InvalidParameterException(`Amazon SNS does not support this protocol string: ${protocol}`);
  if (protocol !== 'http' && protocol !== 'https') {
    throw new InvalidParameterException(`Protocol Reason: Custos delivers to http and https endpoints only, not ${protocol}`);
  }
  if (!endpoint) throw new InvalidParameterException('Endpoint');
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new InvalidParameterException('Endpoint must match the specified protocol');
  }
  if (url.protocol !== `${protocol}:`) throw new InvalidParameterException('Endpoint must match the specified protocol');
  return endpoint;
}

/** Queues a confirmation (subscribe or unsubscribe) to a subscription's endpoint. */
async function sendConfirmation(ctx: CallContext, topic: TopicDocument, subscription: SubscriptionDocument, type: MessageType): Promise<void> {
  const message = {
    Type: type,
    MessageId: randomUUID(),
    Token: subscription.token!,
    TopicArn: arnOf(topic),
    Message: type === 'SubscriptionConfirmation' ? confirmationText(arnOf(topic)) : unsubscribeText(subscription.arn),
    Timestamp: messageTimestamp(ctx.now),
  };
  await queueDeliveries(ctx, topic, [deliveryTo(topic, subscription, message)]);
}

/** Subscribe: an HTTP/S endpoint to a topic, pending until the endpoint confirms. */
export const subscribe: Handler<SubscribeCommandInput, Out<SubscribeCommandOutput>> = async (input, ctx) => {
  const topic = await getTopic(ctx.tx, ctx.scope, input.TopicArn ?? '');
  const protocol = (input.Protocol ?? '').toLowerCase();
  const endpoint = checkEndpoint(protocol, input.Endpoint);
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.Attributes ?? {})) attributes[name] = checkAttribute(name, value);
  const existing = (await allTopicSubscriptions(ctx.tx, topic)).find((s) => s.deletedAt === undefined && s.protocol === protocol && s.endpoint === endpoint);
  if (existing && Object.entries(attributes).some(([k, v]) => existing.attributes[k as keyof SubscriptionAttributes] !== v)) {
    throw new InvalidParameterException('Attributes Reason: Subscription already exists with different attributes');
  }
  if (existing && !existing.pendingConfirmation) {
    await topicChanged(ctx, topic);
    return { SubscriptionArn: existing.arn };
  }
  const subscription: SubscriptionDocument = {
    ...(existing ?? {
      arn: `${arnOf(topic)}:${randomUUID()}`,
      topicName: topic.name,
      protocol: protocol as 'http' | 'https',
      endpoint,
      owner: ctx.principal.accountId || topic.accountId,
      principalArn: ctx.principal.arn,
      createdAt: ctx.now,
      pendingConfirmation: true,
      confirmationWasAuthenticated: false,
      authenticateOnUnsubscribe: false,
      attributes,
    }),
    token: newToken(),
    tokenIssuedAt: ctx.now,
  };
  await saveSubscription(ctx.tx, subscription);
  await sendConfirmation(ctx, topic, subscription, 'SubscriptionConfirmation');
  await topicChanged(ctx, topic);
  return { SubscriptionArn: input.ReturnSubscriptionArn ? subscription.arn : 'pending confirmation' };
};

/** ConfirmSubscription: the token of a confirmation message confirms (or restores) its subscription. */
export const confirmSubscription: Handler<ConfirmSubscriptionCommandInput, Out<ConfirmSubscriptionCommandOutput>> = async (input, ctx) => {
  const parsed = parseTopicArn(input.TopicArn ?? '');
  if (!parsed || parsed.scope.region !== ctx.scope.region) throw new InvalidParameterException('Topic');
  const topic = await ctx.tx.documents.get<TopicDocument>(parsed.scope, TOPIC_KIND, parsed.name);
  if (!topic) throw NotFoundException.topic();
  const token = input.Token ?? '';
  const subscription = (await allTopicSubscriptions(ctx.tx, topic)).find((s) => tokenMatches(s, token, ctx.now));
  if (!subscription) throw new InvalidParameterException('Token');
  const signed = ctx.principal.type !== 'Anonymous';
  const newlyConfirmed = subscription.pendingConfirmation || subscription.deletedAt !== undefined;
  const { deletedAt: _deleted, ...restored } = subscription;
  await saveSubscription(ctx.tx, {
    ...restored,
    pendingConfirmation: false,
    confirmationWasAuthenticated: newlyConfirmed ? signed : subscription.confirmationWasAuthenticated,
    authenticateOnUnsubscribe: signed && input.AuthenticateOnUnsubscribe?.toLowerCase() === 'true' ? true : subscription.authenticateOnUnsubscribe,
  });
  await topicChanged(ctx, topic);
  return { SubscriptionArn: subscription.arn };
};

function subscriptionAddress(arn: string) {
  const address = parseSubscriptionArn(arn);
  if (!address) {
    const parts = arn.split(':').length;
    throw new InvalidParameterException(parts < 6 ? `SubscriptionArn Reason: An ARN must have at least 6 elements, not ${parts}` : 'SubscriptionId');
  }
  return address;
}

/** Unsubscribe: deletes a subscription and tells its endpoint, whose SubscribeURL can restore it. */
export const unsubscribe: Handler<UnsubscribeCommandInput, Out<UnsubscribeCommandOutput>> = async (input, ctx) => {
  const address = subscriptionAddress(input.SubscriptionArn ?? '');
  if (address.scope.region !== ctx.scope.region) throw new InvalidParameterException('SubscriptionArn');
  const subscription = await findSubscription(ctx.tx, input.SubscriptionArn ?? '');
  const topic = await ctx.tx.documents.get<TopicDocument>(address.scope, TOPIC_KIND, address.topicName);
  if (!subscription || !topic) return {};
  if (ctx.principal.type === 'Anonymous' && subscription.authenticateOnUnsubscribe) {
    throw new AuthorizationErrorException('This subscription can only be deleted by a signed request of the topic owner or the subscription owner.');
  }
  if (subscription.pendingConfirmation) {
    await ctx.tx.documents.delete(address.scope, SUBSCRIPTION_KIND, address.docId);
  } else {
    const deleted: SubscriptionDocument = { ...subscription, deletedAt: ctx.now, token: newToken(), tokenIssuedAt: ctx.now };
    await saveSubscription(ctx.tx, deleted);
    await sendConfirmation(ctx, topic, deleted, 'UnsubscribeConfirmation');
  }
  await topicChanged(ctx, topic);
  return {};
};

function pageOf(subscriptions: SubscriptionDocument[], nextToken: string | undefined, listing: string) {
  const sorted = subscriptions.filter((s) => s.deletedAt === undefined).sort((a, b) => (a.arn < b.arn ? -1 : 1));
  let start = 0;
  if (nextToken !== undefined) {
    const after = decodeToken<string>(nextToken, listing);
    if (after === undefined) throw new InvalidParameterException('NextToken');
    start = sorted.findIndex((s) => s.arn > after);
    if (start < 0) start = sorted.length;
  }
  const page = sorted.slice(start, start + PAGE);
  return {
    Subscriptions: page.map(listEntry),
    NextToken: start + PAGE < sorted.length ? encodeToken(page[page.length - 1]!.arn, listing) : undefined,
  };
}

/** ListSubscriptions: the subscriptions to the account's topics in the region, 100 to a page. */
export const listSubscriptions: Handler<ListSubscriptionsCommandInput, Out<ListSubscriptionsCommandOutput>> = async (input, ctx) => {
  const all = (await ctx.tx.documents.list<SubscriptionDocument>(ctx.scope, SUBSCRIPTION_KIND)).map((e) => e.doc);
  return pageOf(all, input.NextToken, 'ListSubscriptions');
};

/** ListSubscriptionsByTopic: the subscriptions of one topic, 100 to a page. */
export const listSubscriptionsByTopic: Handler<ListSubscriptionsByTopicCommandInput, Out<ListSubscriptionsByTopicCommandOutput>> = async (input, ctx) => {
  const topic = await getTopic(ctx.tx, ctx.scope, input.TopicArn ?? '');
  return pageOf(await allTopicSubscriptions(ctx.tx, topic), input.NextToken, `ListSubscriptionsByTopic:${arnOf(topic)}`);
};

async function existingSubscription(ctx: CallContext, arn: string): Promise<{ subscription: SubscriptionDocument; topic?: TopicDocument }> {
  const address = parseSubscriptionArn(arn);
  if (!address || address.scope.region !== ctx.scope.region) throw new InvalidParameterException('SubscriptionArn');
  const subscription = await findSubscription(ctx.tx, arn);
  if (!subscription) throw NotFoundException.subscription();
  return { subscription, topic: await ctx.tx.documents.get<TopicDocument>(address.scope, TOPIC_KIND, address.topicName) };
}

/** GetSubscriptionAttributes: the subscription's attributes and effective delivery policy. */
export const getSubscriptionAttributes: Handler<GetSubscriptionAttributesCommandInput, Out<GetSubscriptionAttributesCommandOutput>> = async (input, ctx) => {
  const { subscription, topic } = await existingSubscription(ctx, input.SubscriptionArn ?? '');
  return { Attributes: subscriptionAttributes(subscription, topic) };
};

/** SetSubscriptionAttributes: RawMessageDelivery or DeliveryPolicy. */
export const setSubscriptionAttributes: Handler<SetSubscriptionAttributesCommandInput, Out<SetSubscriptionAttributesCommandOutput>> = async (input, ctx) => {
  const { subscription, topic } = await existingSubscription(ctx, input.SubscriptionArn ?? '');
  const name = input.AttributeName ?? '';
  const value = input.AttributeValue ?? '';
  const attributes: Record<string, string | undefined> = { ...subscription.attributes };
  if (name === 'DeliveryPolicy' && value === '') delete attributes.DeliveryPolicy;
  else attributes[name] = checkAttribute(name, value);
  await saveSubscription(ctx.tx, { ...subscription, attributes: attributes as SubscriptionAttributes });
  if (topic) await topicChanged(ctx, topic);
  return {};
};
