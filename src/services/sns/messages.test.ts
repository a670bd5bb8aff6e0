import { createPrivateKey, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { messageBody, signMessage, stringToSign, type EndpointMessage } from './messages.js';

const privateKey = createPrivateKey(readFileSync(new URL('../../integrity/testdata/x509-test-key.pem', import.meta.url), 'utf8'));
const publicKey = createPublicKey(privateKey);

/** AWS's documentation example of a notification (its signature fields aside). */
const NOTIFICATION: EndpointMessage = {
  Type: 'Notification',
  MessageId: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
  TopicArn: 'arn:aws:sns:us-west-2:123456789012:MyTopic',
  Subject: 'My First Message',
  Message: 'Hello world!',
  Timestamp: '2012-05-02T00:54:06.655Z',
  UnsubscribeURL: 'https://sns.us-west-2.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:us-west-2:123456789012:MyTopic:c9135db0-26c4-47ec-8998-413945fb5a96',
};

const CONFIRMATION: EndpointMessage = {
  Type: 'SubscriptionConfirmation',
  MessageId: '165545c9-2a5c-472c-8df2-7ff2be2b3b1b',
  Token: '2336412f37',
  TopicArn: 'arn:aws:sns:us-west-2:123456789012:MyTopic',
  Message: 'You have chosen to subscribe to the topic arn:aws:sns:us-west-2:123456789012:MyTopic.\nTo confirm the subscription, visit the SubscribeURL included in this message.',
  SubscribeURL: 'https://sns.us-west-2.amazonaws.com/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:us-west-2:123456789012:MyTopic&Token=2336412f37',
  Timestamp: '2012-04-26T20:45:04.751Z',
};

describe('the string to sign', () => {
  it('lists a notification\'s fields in AWS\'s order, Subject only when present', () => {
    expect(stringToSign(NOTIFICATION)).toBe(
      'Message\nHello world!\nMessageId\n22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324\nSubject\nMy First Message\n'
      + 'Timestamp\n2012-05-02T00:54:06.655Z\nTopicArn\narn:aws:sns:us-west-2:123456789012:MyTopic\nType\nNotification\n',
    );
    const { Subject: _subject, ...noSubject } = NOTIFICATION;
    expect(stringToSign(noSubject)).not.toContain('Subject');
  });

  it('lists a confirmation\'s fields in AWS\'s order', () => {
    expect(stringToSign(CONFIRMATION)).toBe([
      'Message', CONFIRMATION.Message, 'MessageId', CONFIRMATION.MessageId, 'SubscribeURL', CONFIRMATION.SubscribeURL, 'Timestamp', CONFIRMATION.Timestamp,
      'Token', CONFIRMATION.Token, 'TopicArn', CONFIRMATION.TopicArn, 'Type', 'SubscriptionConfirmation', '',
    ].join('\n'));
  });
});

describe('signatures', () => {
  it('are SHA1withRSA for version 1 and SHA256withRSA for version 2, over the string to sign', () => {
    const text = Buffer.from(stringToSign(NOTIFICATION));
    const v1 = Buffer.from(signMessage(NOTIFICATION, '1', privateKey), 'base64');
    const v2 = Buffer.from(signMessage(NOTIFICATION, '2', privateKey), 'base64');
    expect(verify('sha1', text, publicKey, v1)).toBe(true);
    expect(verify('sha256', text, publicKey, v2)).toBe(true);
    expect(verify('sha256', text, publicKey, v1)).toBe(false);
  });

  it('do not verify a changed message (corrupted vectors)', () => {
    const signature = Buffer.from(signMessage(NOTIFICATION, '1', privateKey), 'base64');
    for (const changed of [{ ...NOTIFICATION, Message: 'Hello world?' }, { ...NOTIFICATION, Subject: undefined }, { ...NOTIFICATION, Timestamp: '2012-05-02T00:54:06.656Z' }]) {
      expect(verify('sha1', Buffer.from(stringToSign(changed)), publicKey, signature)).toBe(false);
    }
    const flipped = Buffer.from(signature);
    flipped[10] ^= 1;
    expect(verify('sha1', Buffer.from(stringToSign(NOTIFICATION)), publicKey, flipped)).toBe(false);
  });
});

describe('the message body', () => {
  it('is laid out as AWS sends it', () => {
    const body = messageBody(NOTIFICATION, { version: '1', value: 'EXAMPLEw6JRN', certUrl: 'https://sns.us-west-2.amazonaws.com/SimpleNotificationService-f3ecfb7224c7233fe7bb5f59f96de52f.pem' });
    expect(body).toBe(`{
  "Type" : "Notification",
  "MessageId" : "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
  "TopicArn" : "arn:aws:sns:us-west-2:123456789012:MyTopic",
  "Subject" : "My First Message",
  "Message" : "Hello world!",
  "Timestamp" : "2012-05-02T00:54:06.655Z",
  "SignatureVersion" : "1",
  "Signature" : "EXAMPLEw6JRN",
  "SigningCertURL" : "https://sns.us-west-2.amazonaws.com/SimpleNotificationService-f3ecfb7224c7233fe7bb5f59f96de52f.pem",
  "UnsubscribeURL" : "https://sns.us-west-2.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:us-west-2:123456789012:MyTopic:c9135db0-26c4-47ec-8998-413945fb5a96"
}`);
    const withAttributes = messageBody({ ...NOTIFICATION, MessageAttributes: { a: { Type: 'String', Value: 'b' } } }, { version: '2', value: 's', certUrl: 'u' });
    expect(withAttributes).toContain('  "MessageAttributes" : {\n    "a" : {\n      "Type" : "String",\n      "Value" : "b"\n    }\n  }\n}');
    expect(JSON.parse(messageBody(CONFIRMATION, { version: '1', value: 's', certUrl: 'u' })).Token).toBe('2336412f37');
  });
});
