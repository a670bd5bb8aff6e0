/**
 * @module
 * The JSON documents SNS POSTs to HTTP/S endpoints (Notification, SubscriptionConfirmation,
 * UnsubscribeConfirmation), their signatures and the links they carry, as AWS makes them:
 *  - the string to sign is `Name\nValue\n` for each signed field, in AWS's order (Notification:
 *    Message, MessageId, Subject if present, Timestamp, TopicArn, Type; confirmations: Message,
 *    MessageId, SubscribeURL, Timestamp, Token, TopicArn, Type);
 *  - SignatureVersion 1 signs it with SHA1withRSA, 2 with SHA256withRSA, base64;
 *  - the body is pretty-printed JSON with AWS's field order and ` : ` separators.
 * Pure: the private key is passed in.
 */
import { sign, type KeyObject } from 'node:crypto';

/** The kinds of message SNS sends to an endpoint. */
export type MessageType = 'Notification' | 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';

/** A message attribute as it appears in an HTTP notification. */
export interface NotificationAttribute {
  readonly Type: string;
  readonly Value: string;
}

/** The fields of one message to one endpoint, before signing. */
export interface EndpointMessage {
  readonly Type: MessageType;
  readonly MessageId: string;
  readonly TopicArn: string;
  readonly Message: string;
  /** ISO 8601 with milliseconds, e.g. `2012-05-02T00:54:06.655Z`. */
  readonly Timestamp: string;
  readonly Subject?: string;
  /** Confirmations only. */
  readonly Token?: string;
  readonly SubscribeURL?: string;
  /** Notifications only. */
  readonly UnsubscribeURL?: string;
  readonly MessageAttributes?: Readonly<Record<string, NotificationAttribute>>;
}

/** The signature versions SNS offers: 1 (SHA1withRSA, the default) and 2 (SHA256withRSA). */
export type SignatureVersion = '1' | '2';

/** AWS's string to sign for a message. */
export function stringToSign(message: EndpointMessage): string {
  const fields: [string, string | undefined][] = message.Type === 'Notification'
    ? [['Message', message.Message], ['MessageId', message.MessageId], ['Subject', message.Subject], ['Timestamp', message.Timestamp],
      ['TopicArn', message.TopicArn], ['Type', message.Type]]
    : [['Message', message.Message], ['MessageId', message.MessageId], ['SubscribeURL', message.SubscribeURL],
      ['Timestamp', message.Timestamp], ['Token', message.Token], ['TopicArn', message.TopicArn], ['Type', message.Type]];
  return fields.filter(([, value]) => value !== undefined).map(([name, value]) => `${name}\n${value}\n`).join('');
}

/** The base64 signature of a message. */
export function signMessage(message: EndpointMessage, version: SignatureVersion, privateKey: KeyObject): string {
  return sign(version === '2' ? 'sha256' : 'sha1', Buffer.from(stringToSign(message), 'utf8'), privateKey).toString('base64');
}

function pretty(value: unknown, indent: string): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const inner = `${indent}  `;
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{ }';
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)} : ${pretty(v, inner)}`).join(',\n')}\n${indent}}`;
}

/** The JSON body SNS POSTs for a signed message, with AWS's field order and layout. */
export function messageBody(message: EndpointMessage, signature: { version: SignatureVersion; value: string; certUrl: string }): string {
  const signed = { SignatureVersion: signature.version, Signature: signature.value, SigningCertURL: signature.certUrl };
  const document = message.Type === 'Notification'
    ? {
        Type: message.Type, MessageId: message.MessageId, TopicArn: message.TopicArn, Subject: message.Subject, Message: message.Message,
        Timestamp: message.Timestamp, ...signed, UnsubscribeURL: message.UnsubscribeURL, MessageAttributes: message.MessageAttributes,
      }
    : {
        Type: message.Type, MessageId: message.MessageId, Token: message.Token, TopicArn: message.TopicArn, Message: message.Message,
        SubscribeURL: message.SubscribeURL, Timestamp: message.Timestamp, ...signed,
      };
  return pretty(document, '');
}

/** The link that confirms a subscription (or restores one after Unsubscribe): ConfirmSubscription by GET. */
export function subscribeUrl(publicUrl: string, topicArn: string, token: string): string {
  return `${publicUrl}/?Action=ConfirmSubscription&TopicArn=${topicArn}&Token=${token}&Version=2010-03-31`;
}

/** The link in a notification that unsubscribes its endpoint: Unsubscribe by GET. */
export function unsubscribeUrl(publicUrl: string, subscriptionArn: string): string {
  return `${publicUrl}/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}&Version=2010-03-31`;
}

/** The text of a SubscriptionConfirmation. */
export function confirmationText(topicArn: string): string {
  return `You have chosen to subscribe to the topic ${topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`;
}

/** The text of an UnsubscribeConfirmation. */
export function unsubscribeText(subscriptionArn: string): string {
  return `You have chosen to deactivate subscription ${subscriptionArn}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.`;
}
