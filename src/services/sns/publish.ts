/**
 * @module
 * Publish and PublishBatch: a message to a topic is checked, given a MessageId, and queued, in the
 * call's transaction, for every confirmed subscription of the topic; delivery happens after the
 * commit (delivery.ts). With MessageStructure `json`, each protocol gets its own text (`http`,
 * `https`) or the `default` one.
 */
import { randomUUID } from 'node:crypto';
import type {
  MessageAttributeValue, PublishBatchCommandInput, PublishBatchCommandOutput, PublishBatchRequestEntry, PublishCommandInput,
  PublishCommandOutput,
} from '@aws-sdk/client-sns';
import { ServiceError } from '../../core/errors.js';
import type { CallContext, Handler, Out } from '../service.js';
import { deliveryTo, messageTimestamp, queueDeliveries, type QueuedDelivery } from './delivery-queue.js';
import {
  BatchEntryIdsNotDistinctException, BatchRequestTooLongException, EmptyBatchRequestException, InvalidBatchEntryIdException,
  InvalidParameterException, InvalidParameterValueException, TooManyEntriesInBatchRequestException,
} from './errors.js';
import type { NotificationAttribute } from './messages.js';
import { topicSubscriptions } from './subscriptions.js';
import { arnOf, getTopic, noteTopic, parseTopicArn, type TopicDocument } from './topics.js';

const MAX_MESSAGE_BYTES = 262_144;
const MAX_BATCH = 10;
const ATTRIBUTE_NAME = /^(?!\.)(?!.*\.\.)(?!.*\.$)[A-Za-z0-9_.-]{1,256}$/;

/** One message to publish, from Publish or a PublishBatch entry. */
interface Publication {
  readonly Message?: string;
  readonly Subject?: string;
  readonly MessageStructure?: string;
  readonly MessageAttributes?: Record<string, MessageAttributeValue>;
  readonly MessageDeduplicationId?: string;
}

/** A checked message: its text per protocol and its attributes as notifications show them. */
interface CheckedMessage {
  readonly text: (protocol: string) => string;
  readonly subject?: string;
  readonly attributes?: Record<string, NotificationAttribute>;
  readonly bytes: number;
}

function checkAttributes(attributes: Record<string, MessageAttributeValue>): { shown: Record<string, NotificationAttribute>; bytes: number } {
  const shown: Record<string, NotificationAttribute> = {};
  let bytes = 0;
  for (const [name, attribute] of Object.entries(attributes)) {
    if (!ATTRIBUTE_NAME.test(name)) throw new InvalidParameterValueException(`The message attribute name '${name}' is invalid.`);
    const type = attribute.DataType ?? '';
    const base = type.split('.')[0];
    if (base !== 'String' && base !== 'Number' && base !== 'Binary') {
      throw new InvalidParameterValueException(`The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`);
    }
    const value = base === 'Binary' ? attribute.BinaryValue && Buffer.from(attribute.BinaryValue).toString('base64') : attribute.StringValue;
    if (!value) {
      throw new InvalidParameterValueException(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`);
    }
    if (base === 'Number' && !/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(value)) {
      throw new InvalidParameterValueException(`Could not cast message attribute '${name}' value to number.`);
    }
    shown[name] = { Type: type, Value: value };
    bytes += Buffer.byteLength(name) + Buffer.byteLength(type) + (base === 'Binary' ? attribute.BinaryValue!.length : Buffer.byteLength(value));
  }
  return { shown, bytes };
}

function checkMessage(publication: Publication): CheckedMessage {
  const message = publication.Message ?? '';
  if (message.length === 0) throw new InvalidParameterException('Empty message');
  const subject = publication.Subject;
  if (subject !== undefined && (subject.length === 0 || subject.length > 100 || !/^[\x20-\x7e]+$/.test(subject))) {
    throw new InvalidParameterException('Subject');
  }
  if (publication.MessageDeduplicationId !== undefined) {
    throw new InvalidParameterException('MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type');
  }
  const { shown, bytes } = checkAttributes(publication.MessageAttributes ?? {});
  const total = Buffer.byteLength(message) + bytes;
  if (total > MAX_MESSAGE_BYTES) throw new InvalidParameterException('Message too long');
  let text = (_protocol: string) => message;
  if (publication.MessageStructure === 'json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch {
      throw new InvalidParameterException('Message Structure - JSON message body failed to parse');
    }
    const byProtocol = (parsed && typeof parsed === 'object' ? parsed : {}) as Record<string, unknown>;
    if (typeof byProtocol.default !== 'string') throw new InvalidParameterException('Message Structure - No default entry in JSON message body');
    text = (protocol) => (typeof byProtocol[protocol] === 'string' ? byProtocol[protocol] as string : byProtocol.default as string);
  } else if (publication.MessageStructure !== undefined) {
    throw new InvalidParameterException('MessageStructure');
  }
  return { text, subject, attributes: Object.keys(shown).length ? shown : undefined, bytes: total };
}

/** Queues a checked message for every confirmed subscription of the topic; returns its MessageId. */
async function publishTo(ctx: CallContext, topic: TopicDocument, message: CheckedMessage, deliveries: QueuedDelivery[]): Promise<string> {
  const messageId = randomUUID();
  for (const subscription of await topicSubscriptions(ctx.tx, topic)) {
    if (subscription.pendingConfirmation) continue;
    deliveries.push(deliveryTo(topic, subscription, {
      Type: 'Notification',
      MessageId: messageId,
      TopicArn: arnOf(topic),
      Subject: message.subject,
      Message: message.text(subscription.protocol),
      Timestamp: messageTimestamp(ctx.now),
      MessageAttributes: message.attributes,
    }));
  }
  return messageId;
}

/** The topic Publish names, by TopicArn or a topic's TargetArn. */
async function publishTopic(ctx: CallContext, input: PublishCommandInput): Promise<TopicDocument> {
  if (input.PhoneNumber !== undefined) throw new InvalidParameterException('PhoneNumber Reason: Custos does not send SMS messages');
  if (input.TopicArn !== undefined) return getTopic(ctx.tx, ctx.scope, input.TopicArn);
  if (input.TargetArn !== undefined) {
    if (!parseTopicArn(input.TargetArn)) throw new InvalidParameterException('TargetArn Reason: Custos publishes to topics only');
    return getTopic(ctx.tx, ctx.scope, input.TargetArn, 'TargetArn');
  }
  throw new InvalidParameterException('TopicArn or TargetArn Reason: no value for required parameter');
}

/** Publish: one message to every confirmed subscription of a topic. */
export const publish: Handler<PublishCommandInput, Out<PublishCommandOutput>> = async (input, ctx) => {
  const topic = await publishTopic(ctx, input);
  const message = checkMessage(input);
  noteTopic(ctx, topic);
  const deliveries: QueuedDelivery[] = [];
  const MessageId = await publishTo(ctx, topic, message, deliveries);
  await queueDeliveries(ctx, topic, deliveries);
  return { MessageId };
};

function checkBatch(entries: readonly PublishBatchRequestEntry[]): void {
  if (entries.length === 0) throw new EmptyBatchRequestException();
  if (entries.length > MAX_BATCH) throw new TooManyEntriesInBatchRequestException();
  const ids = new Set<string>();
  for (const { Id: id = '' } of entries) {
    if (id.length > 80) throw new InvalidBatchEntryIdException(`The Id of a batch entry in the batch request is too long: ${id}`);
    if (!/^[A-Za-z0-9_-]+$/.test(id)) throw new InvalidBatchEntryIdException(`The Id of a batch entry in the batch request contains an impermissible character: ${id}`);
    if (ids.has(id)) throw new BatchEntryIdsNotDistinctException();
    ids.add(id);
  }
}

/** PublishBatch: up to 10 messages to a topic; each entry succeeds or fails on its own. */
export const publishBatch: Handler<PublishBatchCommandInput, Out<PublishBatchCommandOutput>> = async (input, ctx) => {
  const topic = await getTopic(ctx.tx, ctx.scope, input.TopicArn ?? '');
  const entries = input.PublishBatchRequestEntries ?? [];
  checkBatch(entries);
  noteTopic(ctx, topic);
  const checked = entries.map((entry) => {
    try {
      return { entry, message: checkMessage(entry) };
    } catch (error) {
      if (error instanceof ServiceError) return { entry, error };
      throw error;
    }
  });
  const total = checked.reduce((sum, c) => sum + (c.message?.bytes ?? 0), 0);
  if (total > MAX_MESSAGE_BYTES) throw new BatchRequestTooLongException();
  const deliveries: QueuedDelivery[] = [];
  const output: Required<Pick<Out<PublishBatchCommandOutput>, 'Successful' | 'Failed'>> = { Successful: [], Failed: [] };
  for (const { entry, message, error } of checked) {
    if (message) output.Successful.push({ Id: entry.Id, MessageId: await publishTo(ctx, topic, message, deliveries) });
    else output.Failed.push({ Id: entry.Id, Code: error!.code, Message: error!.message, SenderFault: error!.senderFault });
  }
  await queueDeliveries(ctx, topic, deliveries);
  return output;
};
