import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, spawnServer, type ServerProcess, awsCliEnv } from './helpers/cli.js';
import { notifications, startSnsEndpoint, type SnsEndpoint } from './helpers/sns-endpoint.js';

const dataDir = mkdtempSync(join(tmpdir(), 'custos-cli-sns-'));
let server: ServerProcess;
let receiver: SnsEndpoint;
let aws: (args: string[]) => ReturnType<typeof run>;

beforeAll(async () => {
  server = await spawnServer(['--data-dir', dataDir]);
  receiver = await startSnsEndpoint();
  const env = awsCliEnv(server.url, join(dataDir, 'credentials'));
  aws = (args) => run('aws', args, env);
});
afterAll(async () => {
  await receiver?.close();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the aws CLI against custos serve: SNS', () => {
  it('subscribes a local HTTP endpoint, which confirms and receives a published message with a valid signature', async () => {
    const created = await aws(['sns', 'create-topic', '--name', 'cli-alerts']);
    expect(created.code, created.stderr).toBe(0);
    const topicArn = JSON.parse(created.stdout).TopicArn as string;
    expect(topicArn).toBe('arn:aws:sns:us-east-1:123456789012:cli-alerts');

    const subscribed = await aws(['sns', 'subscribe', '--topic-arn', topicArn, '--protocol', 'http', '--notification-endpoint', receiver.url]);
    expect(subscribed.code, subscribed.stderr).toBe(0);
    expect(JSON.parse(subscribed.stdout)).toEqual({ SubscriptionArn: 'pending confirmation' });
    await receiver.waitFor((r) => r.some((m) => m.message?.Type === 'SubscriptionConfirmation' && m.status === 200), 'the confirmation');
    expect(receiver.received[0]!.signatureValid).toBe(true);

    const listed = await aws(['sns', 'list-subscriptions-by-topic', '--topic-arn', topicArn]);
    const [subscription] = JSON.parse(listed.stdout).Subscriptions as { SubscriptionArn: string; Endpoint: string }[];
    expect(subscription!.SubscriptionArn).toMatch(new RegExp(`^${topicArn}:`));
    expect(subscription!.Endpoint).toBe(receiver.url);

    const published = await aws(['sns', 'publish', '--topic-arn', topicArn, '--subject', 'From the CLI', '--message', 'hello from aws sns publish']);
    expect(published.code, published.stderr).toBe(0);
    const { MessageId } = JSON.parse(published.stdout) as { MessageId: string };
    await receiver.waitFor(() => notifications(receiver).length === 1, 'the notification');
    const [note] = notifications(receiver);
    expect(note!.signatureValid).toBe(true);
    expect(note!.message).toMatchObject({ Type: 'Notification', MessageId, TopicArn: topicArn, Subject: 'From the CLI', Message: 'hello from aws sns publish' });
    expect(note!.message!.SigningCertURL!.startsWith(`${server.url}/_custos/sns/`)).toBe(true);
    expect(statSync(join(dataDir, 'sns-signing-key.pem')).mode & 0o777).toBe(0o600);

    const missing = await aws(['sns', 'publish', '--topic-arn', 'arn:aws:sns:us-east-1:123456789012:nope', '--message', 'x']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('NotFound');
    expect(missing.stderr).toContain('Topic does not exist');
  });
});

describe('the aws CLI against custos serve: KMS', () => {
  it('encrypts and decrypts through an alias, and refuses a ciphertext from another key', async () => {
    const key = JSON.parse((await aws(['kms', 'create-key', '--description', 'cli key'])).stdout).KeyMetadata as { KeyId: string; Arn: string };
    const other = JSON.parse((await aws(['kms', 'create-key'])).stdout).KeyMetadata as { KeyId: string };
    expect((await aws(['kms', 'create-alias', '--alias-name', 'alias/cli', '--target-key-id', key.KeyId])).code).toBe(0);
    const plaintextFile = join(dataDir, 'plain.txt');
    writeFileSync(plaintextFile, 'top secret');
    const encrypted = await aws(['kms', 'encrypt', '--key-id', 'alias/cli', '--plaintext', `fileb://${plaintextFile}`, '--encryption-context', 'app=cli']);
    expect(encrypted.code, encrypted.stderr).toBe(0);
    const { CiphertextBlob, KeyId } = JSON.parse(encrypted.stdout) as { CiphertextBlob: string; KeyId: string };
    expect(KeyId).toBe(key.Arn);
    const blobFile = join(dataDir, 'blob.bin');
    writeFileSync(blobFile, Buffer.from(CiphertextBlob, 'base64'));

    const decrypted = await aws(['kms', 'decrypt', '--ciphertext-blob', `fileb://${blobFile}`, '--encryption-context', 'app=cli', '--output', 'text', '--query', 'Plaintext']);
    expect(decrypted.code, decrypted.stderr).toBe(0);
    expect(Buffer.from(decrypted.stdout.trim(), 'base64').toString()).toBe('top secret');

    const wrongKey = await aws(['kms', 'decrypt', '--ciphertext-blob', `fileb://${blobFile}`, '--encryption-context', 'app=cli', '--key-id', other.KeyId]);
    expect(wrongKey.code).not.toBe(0);
    expect(wrongKey.stderr).toContain('IncorrectKeyException');
    const wrongContext = await aws(['kms', 'decrypt', '--ciphertext-blob', `fileb://${blobFile}`]);
    expect(wrongContext.stderr).toContain('InvalidCiphertextException');
    expect(statSync(join(dataDir, 'kms-master.key')).mode & 0o777).toBe(0o600);
  });
});
