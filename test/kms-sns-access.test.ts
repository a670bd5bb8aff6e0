import { AttachUserPolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateKeyCommand, DecryptCommand, EncryptCommand, KMSClient, PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import { CreateTopicCommand, PublishCommand, SetTopicAttributesCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { iamUser, policyDocument } from './helpers/iam.js';
import { expectError, resetServer } from './helpers/assertions.js';
import { startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
let iam: IAMClient;
let rootKms: KMSClient;
let rootSns: SNSClient;

const ACCOUNT = '123456789012';
const doc = policyDocument;

beforeAll(async () => {
  server = await startTestServer();
  iam = new IAMClient(server.clientConfig());
  rootKms = new KMSClient(server.clientConfig());
  rootSns = new SNSClient(server.clientConfig());
});
afterAll(() => server.stop());
beforeEach(() => resetServer(server));

/** An IAM user with an access key and an inline policy (none when not given). */
async function user(name: string, policy?: string) {
  const { arn, credentials } = await iamUser(server, name, policy);
  const config = { endpoint: server.url, region: 'us-east-1', credentials };
  return { kms: new KMSClient(config), sns: new SNSClient(config), arn };
}

describe('key policies', () => {
  it('delegate to IAM through the default policy: an IAM policy is needed, and enough', async () => {
    const { KeyMetadata } = await rootKms.send(new CreateKeyCommand({}));
    const alice = await user('alice', doc({ Effect: 'Allow', Action: 'kms:Encrypt', Resource: '*' }));
    const bob = await user('bob');
    expect((await alice.kms.send(new EncryptCommand({ KeyId: KeyMetadata!.KeyId, Plaintext: Buffer.from('x') }))).KeyId).toBe(KeyMetadata!.Arn);
    const denied = await expectError(
      bob.kms.send(new EncryptCommand({ KeyId: KeyMetadata!.KeyId, Plaintext: Buffer.from('x') })), 'AccessDeniedException',
      `User: ${bob.arn} is not authorized to perform: kms:Encrypt on resource: ${KeyMetadata!.Arn} because no identity-based policy allows the kms:Encrypt action`,
    );
    expect(denied.$metadata?.httpStatusCode).toBe(400);
  });

  it('are required: a key whose policy leaves the account out refuses even the root user and IAM-allowed users', async () => {
    const { KeyMetadata } = await rootKms.send(new CreateKeyCommand({}));
    const carol = await user('carol');
    const dave = await user('dave');
    await iam.send(new AttachUserPolicyCommand({ UserName: 'dave', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
    const { CiphertextBlob } = await rootKms.send(new EncryptCommand({ KeyId: KeyMetadata!.KeyId, Plaintext: Buffer.from('for carol'), EncryptionContext: { app: 'billing' } }));
    await rootKms.send(new PutKeyPolicyCommand({
      KeyId: KeyMetadata!.KeyId,
      BypassPolicyLockoutSafetyCheck: true,
      Policy: doc({
        Effect: 'Allow', Principal: { AWS: carol.arn }, Action: ['kms:Decrypt', 'kms:Encrypt'], Resource: '*',
        Condition: { StringEquals: { 'kms:EncryptionContext:app': 'billing' } },
      }),
    }));
    const opened = await carol.kms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { app: 'billing' } }));
    expect(Buffer.from(opened.Plaintext!).toString()).toBe('for carol');
    await expectError(carol.kms.send(new EncryptCommand({ KeyId: KeyMetadata!.KeyId, Plaintext: Buffer.from('x'), EncryptionContext: { app: 'other' } })), 'AccessDeniedException');
    await expectError(
      dave.kms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { app: 'billing' } })), 'AccessDeniedException',
      `User: ${dave.arn} is not authorized to perform: kms:Decrypt on resource: ${KeyMetadata!.Arn} because no resource-based policy allows the kms:Decrypt action`,
    );
    await expectError(rootKms.send(new EncryptCommand({ KeyId: KeyMetadata!.KeyId, Plaintext: Buffer.from('x') })), 'AccessDeniedException');
  });
});

describe('topic policies', () => {
  it('let the account use its topics by default, and refuse what a new policy does not allow with AuthorizationError', async () => {
    const { TopicArn } = await rootSns.send(new CreateTopicCommand({ Name: 'guarded' }));
    const erin = await user('erin');
    expect((await erin.sns.send(new PublishCommand({ TopicArn, Message: 'allowed by the default policy' }))).MessageId).toBeDefined();
    await rootSns.send(new SetTopicAttributesCommand({
      TopicArn, AttributeName: 'Policy',
      AttributeValue: doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'SNS:Publish', Resource: TopicArn }),
    }));
    const denied = await expectError(
      erin.sns.send(new PublishCommand({ TopicArn, Message: 'no longer' })), 'AuthorizationErrorException',
      `User: ${erin.arn} is not authorized to perform: SNS:Publish on resource: ${TopicArn} because no identity-based policy allows the SNS:Publish action`,
    );
    expect(denied.$metadata?.httpStatusCode).toBe(403);
    expect((await rootSns.send(new PublishCommand({ TopicArn, Message: 'the account may' }))).MessageId).toBeDefined();
  });
});
