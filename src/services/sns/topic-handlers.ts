/**
 * @module
 * Topic operations: CreateTopic, DeleteTopic, ListTopics, GetTopicAttributes, SetTopicAttributes,
 * and the topic policy's AddPermission / RemovePermission.
 */
import type {
  AddPermissionCommandInput, AddPermissionCommandOutput, CreateTopicCommandInput, CreateTopicCommandOutput, DeleteTopicCommandInput,
  DeleteTopicCommandOutput, GetTopicAttributesCommandInput, GetTopicAttributesCommandOutput, ListTopicsCommandInput,
  ListTopicsCommandOutput, RemovePermissionCommandInput, RemovePermissionCommandOutput, SetTopicAttributesCommandInput,
  SetTopicAttributesCommandOutput,
} from '@aws-sdk/client-sns';
import { decodeToken, encodeToken } from '../../core/pagination.js';
import type { Handler, Out } from '../service.js';
import { effectiveTopicPolicy, parseTopicDeliveryPolicy } from './delivery-policy.js';
import { InvalidParameterException } from './errors.js';
import { allTopicSubscriptions, SUBSCRIPTION_KIND, parseSubscriptionArn } from './subscriptions.js';
import { checkTopicTags, sameTags } from './tags.js';
import {
  arnOf, defaultTopicPolicy, getTopic, isTopicName, noteTopic, parseTopicArn, saveTopic, TOPIC_KIND, topicArn, topicChanged,
  type TopicAttributes, type TopicDocument,
} from './topics.js';

const PAGE = 100;
const SETTABLE = new Set(['DisplayName', 'Policy', 'DeliveryPolicy', 'SignatureVersion', 'KmsMasterKeyId', 'TracingConfig']);
const PERMISSION_ACTIONS = new Set([
  'GetTopicAttributes', 'SetTopicAttributes', 'AddPermission', 'RemovePermission', 'DeleteTopic', 'Subscribe', 'ListSubscriptionsByTopic',
  'Publish', 'Receive',
]);

/** Checks one settable topic attribute's value; InvalidParameter otherwise. */
function checkAttribute(name: string, value: string): void {
  switch (name) {
    case 'DisplayName':
      if (value.length > 100) throw new InvalidParameterException('DisplayName');
      return;
    case 'Policy': {
      let document: unknown;
      try {
        document = JSON.parse(value);
      } catch {
        throw new InvalidParameterException('Policy Error: the policy is not valid JSON');
      }
      if (!document || typeof document !== 'object' || !('Statement' in document)) throw new InvalidParameterException('Policy Error: the policy has no Statement');
      return;
    }
    case 'DeliveryPolicy':
      parseTopicDeliveryPolicy(value);
      return;
    case 'SignatureVersion':
      if (value !== '1' && value !== '2') throw new InvalidParameterException('SignatureVersion');
      return;
    case 'TracingConfig':
      if (value !== 'PassThrough' && value !== 'Active') throw new InvalidParameterException('TracingConfig');
      return;
    case 'KmsMasterKeyId':
      return;
    default:
      throw new InvalidParameterException('AttributeName');
  }
}

function createAttributes(given: Record<string, string>, arn: string, accountId: string): TopicAttributes {
  const attributes: Record<string, string> = { Policy: defaultTopicPolicy(arn, accountId) };
  for (const [name, value] of Object.entries(given)) {
    if (name === 'FifoTopic') {
      if (value.toLowerCase() === 'true') throw new InvalidParameterException('Attributes Reason: FIFO topics are not supported by Custos');
      continue;
    }
    if (!SETTABLE.has(name)) throw new InvalidParameterException(`Attributes Reason: Unknown attribute ${name}`);
    checkAttribute(name, value);
    attributes[name] = value;
  }
  return attributes as unknown as TopicAttributes;
}

/** CreateTopic: a new topic, or the existing one of that name when its attributes and tags agree. */
export const createTopic: Handler<CreateTopicCommandInput, Out<CreateTopicCommandOutput>> = async (input, ctx) => {
  const name = input.Name ?? '';
  if (!isTopicName(name)) throw new InvalidParameterException('Topic Name');
  const arn = topicArn(ctx.scope, name);
  const attributes = createAttributes(input.Attributes ?? {}, arn, ctx.scope.accountId);
  const tags = checkTopicTags(input.Tags ?? []);
  const existing = await ctx.tx.documents.get<TopicDocument>(ctx.scope, TOPIC_KIND, name);
  if (existing) {
    const differs = Object.entries(input.Attributes ?? {}).some(([k, v]) => k !== 'FifoTopic' && existing.attributes[k as keyof TopicAttributes] !== v);
    if (differs) throw new InvalidParameterException('Attributes Reason: Topic already exists with different attributes');
    if (input.Tags && !sameTags(existing.tags, tags)) throw new InvalidParameterException('Tags Reason: Topic already exists with different tags');
    noteTopic(ctx, existing);
    return { TopicArn: arn };
  }
  await saveTopic(ctx, { name, accountId: ctx.scope.accountId, region: ctx.scope.region, createdAt: ctx.now, attributes, tags });
  return { TopicArn: arn };
};

/** DeleteTopic: removes a topic and its subscriptions; deleting a topic that does not exist is no error. */
export const deleteTopic: Handler<DeleteTopicCommandInput, Out<DeleteTopicCommandOutput>> = async (input, ctx) => {
  const parsed = parseTopicArn(input.TopicArn ?? '');
  if (!parsed || parsed.scope.region !== ctx.scope.region) throw new InvalidParameterException('TopicArn');
  const topic = await ctx.tx.documents.get<TopicDocument>(parsed.scope, TOPIC_KIND, parsed.name);
  if (!topic) return {};
  for (const subscription of await allTopicSubscriptions(ctx.tx, topic)) {
    await ctx.tx.documents.delete(parsed.scope, SUBSCRIPTION_KIND, parseSubscriptionArn(subscription.arn)!.docId);
  }
  await ctx.tx.documents.delete(parsed.scope, TOPIC_KIND, topic.name);
  await topicChanged(ctx, topic, true);
  return {};
};

/** ListTopics: the topics of the account in the region, 100 to a page. */
export const listTopics: Handler<ListTopicsCommandInput, Out<ListTopicsCommandOutput>> = async (input, ctx) => {
  let after: string | undefined;
  if (input.NextToken !== undefined) {
    after = decodeToken<string>(input.NextToken, 'ListTopics');
    if (after === undefined) throw new InvalidParameterException('NextToken');
  }
  const topics = await ctx.tx.documents.list<TopicDocument>(ctx.scope, TOPIC_KIND, { after, limit: PAGE + 1 });
  const page = topics.slice(0, PAGE);
  return {
    Topics: page.map((t) => ({ TopicArn: arnOf(t.doc) })),
    NextToken: topics.length > PAGE ? encodeToken(page[page.length - 1]!.id, 'ListTopics') : undefined,
  };
};

/** GetTopicAttributes: the topic's attributes, with its subscription counts and effective delivery policy. */
export const getTopicAttributes: Handler<GetTopicAttributesCommandInput, Out<GetTopicAttributesCommandOutput>> = async (input, ctx) => {
  const topic = await getTopic(ctx.tx, ctx.scope, input.TopicArn ?? '');
  noteTopic(ctx, topic);
  const subscriptions = await allTopicSubscriptions(ctx.tx, topic);
  const live = subscriptions.filter((s) => s.deletedAt === undefined);
  const { DeliveryPolicy } = topic.attributes;
  const attributes: Record<string, string> = {
    ...(topic.attributes as unknown as Record<string, string>),
    DisplayName: topic.attributes.DisplayName ?? '',
    Owner: topic.accountId,
    TopicArn: arnOf(topic),
    SubscriptionsConfirmed: String(live.filter((s) => !s.pendingConfirmation).length),
    SubscriptionsPending: String(live.filter((s) => s.pendingConfirmation).length),
    SubscriptionsDeleted: String(subscriptions.length - live.length),
    EffectiveDeliveryPolicy: effectiveTopicPolicy(DeliveryPolicy ? parseTopicDeliveryPolicy(DeliveryPolicy) : undefined),
  };
  return { Attributes: attributes };
};

/** SetTopicAttributes: sets one attribute (DisplayName, Policy, DeliveryPolicy, SignatureVersion, ...). */
export const setTopicAttributes: Handler<SetTopicAttributesCommandInput, Out<SetTopicAttributesCommandOutput>> = async (input, ctx) => {
  const topic = await getTopic(ctx.tx, ctx.scope, input.TopicArn ?? '');
  const name = input.AttributeName ?? '';
  if (!SETTABLE.has(name)) throw new InvalidParameterException('AttributeName');
  const value = input.AttributeValue ?? '';
  const attributes: Record<string, string | undefined> = { ...topic.attributes };
  if (value === '' && name !== 'Policy' && name !== 'DisplayName') delete attributes[name];
  else {
    checkAttribute(name, value);
    attributes[name] = value;
  }
  await saveTopic(ctx, { ...topic, attributes: attributes as unknown as TopicAttributes });
  return {};
};

interface PolicyDocument {
  Statement: { Sid?: string }[];
  [key: string]: unknown;
}

function policyOf(topic: TopicDocument): PolicyDocument {
  const document = JSON.parse(topic.attributes.Policy) as PolicyDocument;
  return { ...document, Statement: Array.isArray(document.Statement) ? document.Statement : [document.Statement] };
}

/** AddPermission: a statement in the topic policy letting accounts perform actions on the topic. */
export const addPermission: Handler<AddPermissionCommandInput, Out<AddPermissionCommandOutput>> = async (input, ctx) => {
  const topic = await getTopic(ctx.tx, ctx.scope, input.TopicArn ?? '');
  const label = input.Label ?? '';
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(label)) throw new InvalidParameterException('Label');
  const accounts = input.AWSAccountId ?? [];
  const actions = input.ActionName ?? [];
  if (accounts.length === 0 || accounts.some((a) => !/^\d{12}$/.test(a))) throw new InvalidParameterException('AWSAccountId');
  if (actions.length === 0 || actions.some((a) => !PERMISSION_ACTIONS.has(a))) throw new InvalidParameterException('Policy statement action out of service scope!');
  const policy = policyOf(topic);
  if (policy.Statement.some((s) => s.Sid === label)) throw new InvalidParameterException('Statement already exists');
  const principals = accounts.map((a) => `arn:aws:iam::${a}:root`);
  const granted = actions.map((a) => `SNS:${a}`);
  policy.Statement.push({
    Sid: label,
    Effect: 'Allow',
    Principal: { AWS: principals.length === 1 ? principals[0] : principals },
    Action: granted.length === 1 ? granted[0] : granted,
    Resource: arnOf(topic),
  } as { Sid: string });
  await saveTopic(ctx, { ...topic, attributes: { ...topic.attributes, Policy: JSON.stringify(policy) } });
  return {};
};

/** RemovePermission: removes the topic policy's statement with that label. */
export const removePermission: Handler<RemovePermissionCommandInput, Out<RemovePermissionCommandOutput>> = async (input, ctx) => {
  const topic = await getTopic(ctx.tx, ctx.scope, input.TopicArn ?? '');
  const policy = policyOf(topic);
  const kept = policy.Statement.filter((s) => s.Sid !== input.Label);
  if (kept.length === policy.Statement.length) {
    noteTopic(ctx, topic);
    return {};
  }
  await saveTopic(ctx, { ...topic, attributes: { ...topic.attributes, Policy: JSON.stringify({ ...policy, Statement: kept }) } });
  return {};
};
