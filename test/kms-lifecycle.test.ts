import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  CreateAliasCommand, CreateKeyCommand, DecryptCommand, DescribeKeyCommand, DisableKeyCommand, EnableKeyRotationCommand, EncryptCommand,
  KMSClient, ListAliasesCommand, ListKeyRotationsCommand, ListKeysCommand, ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rootPrincipal } from '../src/auth/principal.js';
import { decryptDataKey, generateDataKey } from '../src/services/kms/data-keys.js';
import { keyVaultProvider } from '../src/services/kms/key-vault.js';
import type { ResourceChangedEntry } from '../src/services/resource-changes.js';
import { expectError } from './helpers/assertions.js';
import { startTestServer, type TestServer } from './helpers/server.js';

const DAY = 86_400_000;
const dirs: string[] = [];
const servers: TestServer[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'custos-kms-'));
  dirs.push(dir);
  return dir;
}

async function start(...args: Parameters<typeof startTestServer>): Promise<TestServer> {
  const server = await startTestServer(...args);
  servers.push(server);
  return server;
}

async function until<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('key material at rest', () => {
  it('keeps key material sealed under a 0600 master key file, and decrypts after a restart', async () => {
    const dir = dataDir();
    const first = await start({ dataDir: dir });
    const kms = new KMSClient(first.clientConfig());
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: KeyMetadata!.KeyId, Plaintext: Buffer.from('kept') }));
    const masterFile = join(dir, 'kms-master.key');
    expect(statSync(masterFile).mode & 0o777).toBe(0o600);
    expect(statSync(masterFile).size).toBe(32);
    const stored = await first.app.store.read((tx) => tx.documents.get<{ materials: { id: string; sealed: string }[] }>(
      { accountId: '123456789012', region: 'us-east-1' }, 'kms.key', KeyMetadata!.KeyId!,
    ));
    expect(stored!.materials).toHaveLength(1);
    expect(Buffer.from(stored!.materials[0]!.sealed, 'base64')).toHaveLength(12 + 16 + 32);
    await first.stop();
    servers.splice(servers.indexOf(first), 1);

    const second = await start({ dataDir: dir });
    const again = new KMSClient(second.clientConfig());
    expect(Buffer.from((await again.send(new DecryptCommand({ CiphertextBlob }))).Plaintext!).toString()).toBe('kept');
    await second.stop();
    servers.splice(servers.indexOf(second), 1);

    const original = readFileSync(masterFile);
    writeFileSync(masterFile, Buffer.alloc(32, 7));
    const third = await start({ dataDir: dir });
    const damaged = new KMSClient({ ...third.clientConfig(), maxAttempts: 1 });
    const error = await expectError(damaged.send(new DecryptCommand({ CiphertextBlob })), 'KMSInternalException');
    expect(error.$metadata?.httpStatusCode).toBe(500);
    expect((await damaged.send(new ListKeysCommand({}))).Keys).toHaveLength(1);
    writeFileSync(masterFile, original);
  });
});

describe('data keys for other services', () => {
  it('are made and opened inside another service\'s transaction, and through env.invoke with a principal', async () => {
    const server = await start({ dataDir: dataDir() });
    const kms = new KMSClient(server.clientConfig());
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/objects', TargetKeyId: KeyMetadata!.KeyId }));
    const vault = keyVaultProvider();
    const scope = { accountId: '123456789012', region: 'us-east-1' };
    const context = { 'aws:s3:arn': 'arn:aws:s3:::bucket/key' };
    const made = await server.app.store.transaction((tx) =>
      generateDataKey(tx, vault(server.dataDir), scope, { keyId: 'alias/objects', encryptionContext: context, now: Date.now() }));
    expect(made.KeyId).toBe(KeyMetadata!.Arn);
    expect(made.Plaintext).toHaveLength(32);
    const opened = await server.app.store.transaction((tx) =>
      decryptDataKey(tx, vault(server.dataDir), scope, { ciphertextBlob: made.CiphertextBlob, encryptionContext: context, now: Date.now() }));
    expect(opened.Plaintext.equals(made.Plaintext)).toBe(true);
    const byApi = await kms.send(new DecryptCommand({ CiphertextBlob: made.CiphertextBlob, EncryptionContext: context }));
    expect(Buffer.from(byApi.Plaintext!).equals(made.Plaintext)).toBe(true);
    await expect(server.app.store.transaction((tx) =>
      decryptDataKey(tx, vault(server.dataDir), scope, { ciphertextBlob: made.CiphertextBlob, now: Date.now() }))).rejects.toMatchObject({ code: 'InvalidCiphertextException' });

    const invoked = await server.app.env.invoke({
      service: 'kms', operation: 'GenerateDataKey', region: 'us-east-1',
      principal: { ...rootPrincipal('123456789012'), invokedBy: 's3.amazonaws.com' },
      input: { KeyId: 'alias/objects', KeySpec: 'AES_256', EncryptionContext: context },
    });
    const back = await server.app.env.invoke({
      service: 'kms', operation: 'Decrypt', region: 'us-east-1',
      principal: { ...rootPrincipal('123456789012'), invokedBy: 's3.amazonaws.com' },
      input: { CiphertextBlob: invoked.CiphertextBlob, EncryptionContext: context },
    });
    expect(Buffer.from(back.Plaintext as Uint8Array).equals(Buffer.from(invoked.Plaintext as Uint8Array))).toBe(true);
  });
});

describe('records and resource changes', () => {
  it('writes AWS::KMS::Key and AWS::KMS::Alias changes with the eventID of the causing call', async () => {
    const server = await start({ dataDir: dataDir() });
    const kms = new KMSClient(server.clientConfig());
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: 'audited' }));
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/audited', TargetKeyId: KeyMetadata!.KeyId }));
    await kms.send(new EncryptCommand({ KeyId: 'alias/audited', Plaintext: Buffer.from('secret'), EncryptionContext: { app: 'x' } }));
    await kms.send(new DisableKeyCommand({ KeyId: KeyMetadata!.KeyId }));
    const changes = (await server.app.store.read((tx) => tx.outbox.readAfter(0, 100)))
      .filter((e) => e.kind === 'ResourceChanged').map((e) => e.payload as ResourceChangedEntry);
    expect(changes.map((c) => [c.resourceType, c.resourceId, c.arn])).toEqual([
      ['AWS::KMS::Key', KeyMetadata!.KeyId, KeyMetadata!.Arn],
      ['AWS::KMS::Alias', 'alias/audited', 'arn:aws:kms:us-east-1:123456789012:alias/audited'],
      ['AWS::KMS::Key', KeyMetadata!.KeyId, KeyMetadata!.Arn],
    ]);
    const cloudtrail = new CloudTrailClient(server.clientConfig());
    const { Events } = await cloudtrail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'kms.amazonaws.com' }] }));
    const byId = new Map(Events!.map((e) => [e.EventId, e.EventName]));
    expect(changes.map((c) => byId.get(c.eventId))).toEqual(['CreateKey', 'CreateAlias', 'DisableKey']);
    const encrypt = JSON.parse(Events!.find((e) => e.EventName === 'Encrypt')!.CloudTrailEvent!);
    expect(encrypt).toMatchObject({
      readOnly: true, requestParameters: { keyId: 'alias/audited', encryptionContext: { app: 'x' } }, responseElements: null,
      resources: [{ ARN: KeyMetadata!.Arn, type: 'AWS::KMS::Key' }],
    });
    expect(JSON.stringify(encrypt)).not.toContain(Buffer.from('secret').toString('base64'));
  });
});

describe('the KMS scheduler', () => {
  it('deletes a key when its window ends and rotates key material when rotation is due', async () => {
    let offset = 0;
    const server = await start({ dataDir: dataDir(), auth: 'open' }, { clock: { now: () => Date.now() + offset } });
    const kms = new KMSClient(server.clientConfig());
    const doomed = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const rotating = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/doomed', TargetKeyId: doomed.KeyId }));
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: rotating.KeyId, Plaintext: Buffer.from('before rotation') }));
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: doomed.KeyId, PendingWindowInDays: 7 }));
    await kms.send(new EnableKeyRotationCommand({ KeyId: rotating.KeyId, RotationPeriodInDays: 90 }));

    offset = 8 * DAY;
    await kms.send(new CreateKeyCommand({ Description: 'wakes the scheduler' }));
    await until(async () => (await kms.send(new DescribeKeyCommand({ KeyId: doomed.KeyId })).then(() => undefined, (e: Error) => e)), 'the deletion');
    await expectError(kms.send(new DescribeKeyCommand({ KeyId: doomed.KeyId })), 'NotFoundException');
    expect((await kms.send(new ListAliasesCommand({}))).Aliases).toEqual([]);
    expect((await kms.send(new ListKeyRotationsCommand({ KeyId: rotating.KeyId }))).Rotations).toEqual([]);

    offset = 91 * DAY;
    await kms.send(new CreateKeyCommand({ Description: 'wakes the scheduler again' }));
    const rotations = await until(async () => {
      const { Rotations } = await kms.send(new ListKeyRotationsCommand({ KeyId: rotating.KeyId }));
      return Rotations!.length ? Rotations : undefined;
    }, 'the rotation');
    expect(rotations[0]).toMatchObject({ RotationType: 'AUTOMATIC' });
    expect(Buffer.from((await kms.send(new DecryptCommand({ CiphertextBlob }))).Plaintext!).toString()).toBe('before rotation');

    const cloudtrail = new CloudTrailClient(server.clientConfig());
    const { Events } = await cloudtrail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'kms.amazonaws.com' }] }));
    const deleted = JSON.parse(Events!.find((e) => e.EventName === 'DeleteKey')!.CloudTrailEvent!);
    expect(deleted).toMatchObject({
      eventType: 'AwsServiceEvent', userIdentity: { type: 'AWSService', invokedBy: 'kms.amazonaws.com' },
      resources: [{ ARN: doomed.Arn, type: 'AWS::KMS::Key' }],
    });
    expect(Events!.some((e) => e.EventName === 'RotateKey')).toBe(true);
    const changes = (await server.app.store.read((tx) => tx.outbox.readAfter(0, 200)))
      .filter((e) => e.kind === 'ResourceChanged').map((e) => e.payload as ResourceChangedEntry);
    const deletion = changes.find((c) => c.deleted && c.resourceType === 'AWS::KMS::Key')!;
    expect(deletion).toMatchObject({ resourceId: doomed.KeyId, eventId: Events!.find((e) => e.EventName === 'DeleteKey')!.EventId });
    expect(changes.some((c) => c.deleted && c.resourceType === 'AWS::KMS::Alias' && c.resourceId === 'alias/doomed')).toBe(true);
  });
});
