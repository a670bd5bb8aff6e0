/**
 * @module
 * Topics as stored, their ARNs, the default topic policy, and how a request's TopicArn finds its
 * topic: in the account the ARN names (so other accounts reach a topic its policy lets them use),
 * and only in the region of the call, as on AWS.
 */
import type { Tag } from '@aws-sdk/client-sns';
import { parseArn } from '../../core/arn.js';
import type { Scope } from '../../core/scope.js';
import type { Tx } from '../../store/types.js';
import { RESOURCE_CHANGED, type ResourceChangedEntry } from '../resource-changes.js';
import type { CallContext } from '../service.js';
import { InvalidParameterException, NotFoundException } from './errors.js';

/** The document kind of topics (id: the topic name). */
export const TOPIC_KIND = 'sns.topic';

const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;

/** The settable attributes of a topic, as set. */
export interface TopicAttributes {
  readonly DisplayName?: string;
  readonly Policy: string;
  readonly DeliveryPolicy?: string;
  readonly SignatureVersion?: string;
  readonly KmsMasterKeyId?: string;
  readonly TracingConfig?: string;
}

/** A topic as stored in its account and region. */
export interface TopicDocument {
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  readonly createdAt: number;
  readonly attributes: TopicAttributes;
  readonly tags: readonly Tag[];
}

/** The ARN of a topic. */
export function topicArn(scope: Scope, name: string): string {
  return `arn:aws:sns:${scope.region}:${scope.accountId}:${name}`;
}

/** The ARN of a stored topic. */
export function arnOf(topic: TopicDocument): string {
  return topicArn({ accountId: topic.accountId, region: topic.region }, topic.name);
}

/** Whether a name can be a (standard) topic's name. */
export function isTopicName(name: string): boolean {
  return TOPIC_NAME.test(name);
}

/** The scope and name a topic ARN names, or undefined when it is not a topic ARN. */
export function parseTopicArn(arn: string): { scope: Scope; name: string } | undefined {
  const parsed = parseArn(arn);
  if (!parsed || parsed.service !== 'sns' || !/^\d{12}$/.test(parsed.accountId) || !isTopicName(parsed.resource)) return undefined;
  return { scope: { accountId: parsed.accountId, region: parsed.region }, name: parsed.resource };
}

/** The topic a TopicArn names; InvalidParameter for a malformed ARN or another region, NotFound when there is none. */
export async function getTopic(tx: Tx, callScope: Scope, arn: string, parameter = 'TopicArn'): Promise<TopicDocument> {
  const parsed = parseTopicArn(arn);
  if (!parsed || parsed.scope.region !== callScope.region) throw new InvalidParameterException(parameter);
  const topic = await tx.documents.get<TopicDocument>(parsed.scope, TOPIC_KIND, parsed.name);
  if (!topic) throw NotFoundException.topic();
  return topic;
}

/** The policy AWS gives a new topic: its own account may use it. */
export function defaultTopicPolicy(arn: string, accountId: string): string {
  return JSON.stringify({
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [{
      Sid: '__default_statement_ID',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: [
        'SNS:GetTopicAttributes', 'SNS:SetTopicAttributes', 'SNS:AddPermission', 'SNS:RemovePermission', 'SNS:DeleteTopic',
        'SNS:Subscribe', 'SNS:ListSubscriptionsByTopic', 'SNS:Publish',
      ],
      Resource: arn,
      Condition: { StringEquals: { 'AWS:SourceOwner': accountId } },
    }],
  });
}

/** Notes the topic in the call's CloudTrail record. */
export function noteTopic(ctx: CallContext, topic: TopicDocument): void {
  ctx.audit.resources.push({ type: 'AWS::SNS::Topic', arn: arnOf(topic), accountId: topic.accountId });
}

/** Records that a topic (or its subscriptions) changed, for Config, in the topic's own account and region. */
export async function topicChanged(ctx: CallContext, topic: TopicDocument, deleted = false): Promise<void> {
  noteTopic(ctx, topic);
  const arn = arnOf(topic);
  const entry: ResourceChangedEntry = {
    resourceType: 'AWS::SNS::Topic', resourceId: arn, resourceName: topic.name, arn, deleted, eventId: ctx.eventId, eventTime: ctx.now,
  };
  await ctx.tx.outbox.append({ accountId: topic.accountId, region: topic.region }, RESOURCE_CHANGED, entry);
}

/** Stores a created or changed topic, with its resource change. */
export async function saveTopic(ctx: CallContext, topic: TopicDocument): Promise<void> {
  await ctx.tx.documents.put({ accountId: topic.accountId, region: topic.region }, TOPIC_KIND, topic.name, topic);
  await topicChanged(ctx, topic);
}
