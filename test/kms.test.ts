import {
  CancelKeyDeletionCommand, CreateAliasCommand, CreateKeyCommand, DecryptCommand, DeleteAliasCommand, DescribeKeyCommand,
  DisableKeyCommand, EnableKeyCommand, EnableKeyRotationCommand, EncryptCommand, GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand, GenerateRandomCommand, GetKeyPolicyCommand, GetKeyRotationStatusCommand, KMSClient,
  ListAliasesCommand, ListKeyPoliciesCommand, ListKeyRotationsCommand, ListKeysCommand, ListResourceTagsCommand,
  PutKeyPolicyCommand, RotateKeyOnDemandCommand, ScheduleKeyDeletionCommand, TagResourceCommand, UntagResourceCommand,
  UpdateAliasCommand, UpdateKeyDescriptionCommand,
} from '@aws-sdk/client-kms';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectError, resetServer } from './helpers/assertions.js';
import { startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
let kms: KMSClient;

beforeAll(async () => {
  server = await startTestServer();
  kms = new KMSClient(server.clientConfig());
});
afterAll(() => server.stop());
beforeEach(() => resetServer(server));

const text = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString('utf8');

async function newKey(description = 'test key'): Promise<{ id: string; arn: string }> {
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: description }));
  return { id: KeyMetadata!.KeyId!, arn: KeyMetadata!.Arn! };
}

async function expectStatus(call: Promise<unknown>, name: string, message?: string | RegExp): Promise<void> {
  const error = await expectError(call, name, message);
  expect(error.$metadata?.httpStatusCode).toBe(400);
}

describe('keys', () => {
  it('creates a symmetric key with AWS metadata and the default key policy', async () => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: 'logs', Tags: [{ TagKey: 'team', TagValue: 'sec' }] }));
    expect(KeyMetadata).toMatchObject({
      AWSAccountId: '123456789012', Description: 'logs', Enabled: true, KeyState: 'Enabled', KeyUsage: 'ENCRYPT_DECRYPT',
      KeySpec: 'SYMMETRIC_DEFAULT', CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT', EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
      Origin: 'AWS_KMS', KeyManager: 'CUSTOMER', MultiRegion: false,
    });
    expect(KeyMetadata!.KeyId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(KeyMetadata!.Arn).toBe(`arn:aws:kms:us-east-1:123456789012:key/${KeyMetadata!.KeyId}`);
    expect(KeyMetadata!.CurrentKeyMaterialId).toMatch(/^[0-9a-f]{64}$/);
    const { Policy, PolicyName } = await kms.send(new GetKeyPolicyCommand({ KeyId: KeyMetadata!.KeyId }));
    expect(PolicyName).toBe('default');
    expect(JSON.parse(Policy!)).toEqual({
      Version: '2012-10-17',
      Id: 'key-default-1',
      Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'kms:*', Resource: '*' }],
    });
    expect((await kms.send(new ListKeyPoliciesCommand({ KeyId: KeyMetadata!.KeyId }))).PolicyNames).toEqual(['default']);
    expect((await kms.send(new ListResourceTagsCommand({ KeyId: KeyMetadata!.Arn }))).Tags).toEqual([{ TagKey: 'team', TagValue: 'sec' }]);
  });

  it('describes a key by id, ARN, alias and alias ARN, and lists keys page by page', async () => {
    const keys = [await newKey('a'), await newKey('b'), await newKey('c')];
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/app', TargetKeyId: keys[1]!.id }));
    for (const ref of [keys[1]!.id, keys[1]!.arn, 'alias/app', 'arn:aws:kms:us-east-1:123456789012:alias/app']) {
      expect((await kms.send(new DescribeKeyCommand({ KeyId: ref }))).KeyMetadata!.Description).toBe('b');
    }
    const first = await kms.send(new ListKeysCommand({ Limit: 2 }));
    expect(first).toMatchObject({ Truncated: true });
    const second = await kms.send(new ListKeysCommand({ Limit: 2, Marker: first.NextMarker }));
    expect(second.Truncated).toBe(false);
    const listed = [...first.Keys!, ...second.Keys!];
    expect(listed.map((k) => k.KeyId).sort()).toEqual(keys.map((k) => k.id).sort());
    expect(listed.every((k) => k.KeyArn === `arn:aws:kms:us-east-1:123456789012:key/${k.KeyId}`)).toBe(true);
    await kms.send(new UpdateKeyDescriptionCommand({ KeyId: keys[0]!.id, Description: 'renamed' }));
    expect((await kms.send(new DescribeKeyCommand({ KeyId: keys[0]!.id }))).KeyMetadata!.Description).toBe('renamed');
  });

  it('answers unknown and malformed key ids, markers and limits with KMS errors', async () => {
    const missing = '11111111-2222-4333-8444-555555555555';
    await expectStatus(kms.send(new DescribeKeyCommand({ KeyId: missing })), 'NotFoundException', `Key 'arn:aws:kms:us-east-1:123456789012:key/${missing}' does not exist`);
    await expectStatus(kms.send(new DescribeKeyCommand({ KeyId: 'not-a-key' })), 'NotFoundException', "Invalid keyId 'not-a-key'");
    await expectStatus(kms.send(new DescribeKeyCommand({ KeyId: 'alias/none' })), 'NotFoundException', 'Alias arn:aws:kms:us-east-1:123456789012:alias/none is not found.');
    await expectStatus(kms.send(new DescribeKeyCommand({ KeyId: `arn:aws:kms:eu-west-1:123456789012:key/${missing}` })), 'NotFoundException', 'Invalid arn eu-west-1');
    await expectStatus(kms.send(new ListKeysCommand({ Marker: 'bogus' })), 'InvalidMarkerException');
    await expectStatus(kms.send(new ListKeysCommand({ Limit: 0 })), 'ValidationException', "Value '0' at 'limit' failed to satisfy constraint");
    await expectStatus(kms.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' })), 'UnsupportedOperationException');
    await expectStatus(kms.send(new DescribeKeyCommand({} as never)), 'ValidationException', "Value null at 'keyId' failed to satisfy constraint: Member must not be null");
    expect((await kms.send(new ListKeysCommand({}))).Keys).toEqual([]);
  });
});

describe('encryption', () => {
  it('encrypts and decrypts with AES-256-GCM; Decrypt finds the key in the ciphertext', async () => {
    const key = await newKey();
    const { CiphertextBlob, KeyId, EncryptionAlgorithm } = await kms.send(new EncryptCommand({ KeyId: key.id, Plaintext: Buffer.from('attack at dawn') }));
    expect([KeyId, EncryptionAlgorithm]).toEqual([key.arn, 'SYMMETRIC_DEFAULT']);
    expect(Buffer.from(CiphertextBlob!).includes(Buffer.from('attack at dawn'))).toBe(false);
    const plain = await kms.send(new DecryptCommand({ CiphertextBlob }));
    expect([text(plain.Plaintext), plain.KeyId, plain.EncryptionAlgorithm]).toEqual(['attack at dawn', key.arn, 'SYMMETRIC_DEFAULT']);
    const again = await kms.send(new EncryptCommand({ KeyId: key.id, Plaintext: Buffer.from('attack at dawn') }));
    expect(Buffer.compare(Buffer.from(again.CiphertextBlob!), Buffer.from(CiphertextBlob!))).not.toBe(0);
  });

  it('binds the encryption context: the same context in any order decrypts, any other does not', async () => {
    const key = await newKey();
    const context = { bucket: 'logs', 'aws:cloudtrail:arn': 'arn:aws:cloudtrail:us-east-1:123456789012:trail/t' };
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: key.id, Plaintext: Buffer.from('x'), EncryptionContext: context }));
    const reordered = { 'aws:cloudtrail:arn': context['aws:cloudtrail:arn'], bucket: 'logs' };
    expect(text((await kms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: reordered }))).Plaintext)).toBe('x');
    await expectStatus(kms.send(new DecryptCommand({ CiphertextBlob })), 'InvalidCiphertextException');
    await expectStatus(kms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { ...context, bucket: 'other' } })), 'InvalidCiphertextException');
  });

  it('refuses a ciphertext from another key, a changed one and garbage', async () => {
    const [a, b] = [await newKey(), await newKey()];
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: a.id, Plaintext: Buffer.from('secret') }));
    await expectStatus(
      kms.send(new DecryptCommand({ CiphertextBlob, KeyId: b.id })), 'IncorrectKeyException',
      'The key ID in the request does not identify a CMK that can perform this operation.',
    );
    const blob = Buffer.from(CiphertextBlob!);
    const material = 3 + blob.readUInt16BE(1);
    for (const at of [material, material + 32, material + 44, blob.length - 1]) {
      const changed = Buffer.from(blob);
      changed[at] ^= 0x01;
      await expectStatus(kms.send(new DecryptCommand({ CiphertextBlob: changed })), 'InvalidCiphertextException');
    }
    const otherKey = Buffer.from(blob.toString('latin1').replace(a.id, '00000000-0000-4000-8000-000000000000'), 'latin1');
    await expectStatus(
      kms.send(new DecryptCommand({ CiphertextBlob: otherKey })), 'AccessDeniedException',
      'The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access.',
    );
    await expectStatus(kms.send(new DecryptCommand({ CiphertextBlob: Buffer.from('not a ciphertext at all') })), 'InvalidCiphertextException');
    await expectStatus(kms.send(new EncryptCommand({ KeyId: a.id, Plaintext: Buffer.alloc(4097) })), 'ValidationException', 'Member must have length less than or equal to 4096');
    expect(text((await kms.send(new DecryptCommand({ CiphertextBlob, KeyId: a.arn }))).Plaintext)).toBe('secret');
  });

  it('generates data keys that decrypt to the same bytes, of the size asked for', async () => {
    const key = await newKey();
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/data', TargetKeyId: key.id }));
    const made = await kms.send(new GenerateDataKeyCommand({ KeyId: 'alias/data', KeySpec: 'AES_256', EncryptionContext: { purpose: 'test' } }));
    expect(made.Plaintext).toHaveLength(32);
    expect(made.KeyId).toBe(key.arn);
    const opened = await kms.send(new DecryptCommand({ CiphertextBlob: made.CiphertextBlob, EncryptionContext: { purpose: 'test' } }));
    expect(Buffer.from(opened.Plaintext!).equals(Buffer.from(made.Plaintext!))).toBe(true);
    expect((await kms.send(new GenerateDataKeyCommand({ KeyId: key.id, KeySpec: 'AES_128' }))).Plaintext).toHaveLength(16);
    expect((await kms.send(new GenerateDataKeyCommand({ KeyId: key.id, NumberOfBytes: 64 }))).Plaintext).toHaveLength(64);
    const bare = await kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: key.id, KeySpec: 'AES_256' }));
    expect('Plaintext' in bare).toBe(false);
    expect((await kms.send(new DecryptCommand({ CiphertextBlob: bare.CiphertextBlob }))).Plaintext).toHaveLength(32);
    await expectStatus(kms.send(new GenerateDataKeyCommand({ KeyId: key.id })), 'ValidationException', 'Please specify either number of bytes or key spec.');
    await expectStatus(kms.send(new GenerateDataKeyCommand({ KeyId: key.id, NumberOfBytes: 2000 })), 'ValidationException', 'less than or equal to 1024');
    expect((await kms.send(new GenerateRandomCommand({ NumberOfBytes: 12 }))).Plaintext).toHaveLength(12);
    await expectStatus(kms.send(new GenerateRandomCommand({})), 'ValidationException', 'NumberOfBytes is required.');
  });

  it('answers DryRun with DryRunOperationException (412) once the request would have succeeded', async () => {
    const key = await newKey();
    const error = await expectError(kms.send(new EncryptCommand({ KeyId: key.id, Plaintext: Buffer.from('x'), DryRun: true })), 'DryRunOperationException');
    expect(error.$metadata?.httpStatusCode).toBe(412);
  });
});

describe('key states', () => {
  it('refuses a disabled key, and uses it again once enabled', async () => {
    const key = await newKey();
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: key.id, Plaintext: Buffer.from('x') }));
    await kms.send(new DisableKeyCommand({ KeyId: key.id }));
    expect((await kms.send(new DescribeKeyCommand({ KeyId: key.id }))).KeyMetadata).toMatchObject({ KeyState: 'Disabled', Enabled: false });
    await expectStatus(kms.send(new EncryptCommand({ KeyId: key.id, Plaintext: Buffer.from('x') })), 'DisabledException', `${key.arn} is disabled.`);
    await expectStatus(kms.send(new DecryptCommand({ CiphertextBlob })), 'DisabledException', `${key.arn} is disabled.`);
    await kms.send(new EnableKeyCommand({ KeyId: key.arn }));
    expect(text((await kms.send(new DecryptCommand({ CiphertextBlob }))).Plaintext)).toBe('x');
  });

  it('schedules deletion in 7 to 30 days, refuses use meanwhile, and can cancel it', async () => {
    const key = await newKey();
    await expectStatus(kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.id, PendingWindowInDays: 6 })), 'ValidationException', 'PendingWindowInDays should be between 7 and 30, but it is 6');
    const scheduled = await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.id, PendingWindowInDays: 7 }));
    expect(scheduled).toMatchObject({ KeyId: key.arn, KeyState: 'PendingDeletion', PendingWindowInDays: 7 });
    const days = (scheduled.DeletionDate!.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);
    expect((await kms.send(new DescribeKeyCommand({ KeyId: key.id }))).KeyMetadata).toMatchObject({ KeyState: 'PendingDeletion', Enabled: false });
    const pending = `${key.arn} is pending deletion.`;
    await expectStatus(kms.send(new EncryptCommand({ KeyId: key.id, Plaintext: Buffer.from('x') })), 'KMSInvalidStateException', pending);
    await expectStatus(kms.send(new EnableKeyCommand({ KeyId: key.id })), 'KMSInvalidStateException', pending);
    await expectStatus(kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.id })), 'KMSInvalidStateException', pending);
    await expectStatus(kms.send(new TagResourceCommand({ KeyId: key.id, Tags: [{ TagKey: 'a', TagValue: 'b' }] })), 'KMSInvalidStateException', pending);
    expect((await kms.send(new CancelKeyDeletionCommand({ KeyId: key.id }))).KeyId).toBe(key.arn);
    const kept = (await kms.send(new DescribeKeyCommand({ KeyId: key.id }))).KeyMetadata!;
    expect([kept.KeyState, kept.DeletionDate]).toEqual(['Disabled', undefined]);
    await expectStatus(kms.send(new CancelKeyDeletionCommand({ KeyId: key.id })), 'KMSInvalidStateException', `${key.arn} is not pending deletion.`);
  });
});

describe('aliases', () => {
  it('creates, repoints, lists and deletes aliases, with KMS errors for bad names', async () => {
    const [a, b] = [await newKey('a'), await newKey('b')];
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/one', TargetKeyId: a.id }));
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/two', TargetKeyId: a.arn }));
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/three', TargetKeyId: b.id }));
    await expectError(kms.send(new CreateAliasCommand({ AliasName: 'alias/one', TargetKeyId: b.id })), 'AlreadyExistsException', 'An alias with the name arn:aws:kms:us-east-1:123456789012:alias/one already exists');
    await expectStatus(kms.send(new CreateAliasCommand({ AliasName: 'one', TargetKeyId: b.id })), 'ValidationException', 'Alias must start with the prefix "alias/".');
    await expectStatus(kms.send(new CreateAliasCommand({ AliasName: 'alias/bad name', TargetKeyId: b.id })), 'ValidationException', 'regular expression pattern');
    await expectStatus(kms.send(new CreateAliasCommand({ AliasName: 'alias/aws/s3', TargetKeyId: b.id })), 'NotAuthorizedException');
    await expectStatus(kms.send(new CreateAliasCommand({ AliasName: 'alias/four', TargetKeyId: 'alias/one' })), 'ValidationException', 'Aliases must refer to keys');

    const page1 = await kms.send(new ListAliasesCommand({ Limit: 2 }));
    const page2 = await kms.send(new ListAliasesCommand({ Limit: 2, Marker: page1.NextMarker }));
    expect([...page1.Aliases!, ...page2.Aliases!].map((x) => [x.AliasName, x.TargetKeyId])).toEqual([
      ['alias/one', a.id], ['alias/three', b.id], ['alias/two', a.id],
    ]);
    expect(page1.Aliases![0]!.AliasArn).toBe('arn:aws:kms:us-east-1:123456789012:alias/one');
    expect((await kms.send(new ListAliasesCommand({ KeyId: b.id }))).Aliases!.map((x) => x.AliasName)).toEqual(['alias/three']);

    await kms.send(new UpdateAliasCommand({ AliasName: 'alias/one', TargetKeyId: b.id }));
    expect((await kms.send(new DescribeKeyCommand({ KeyId: 'alias/one' }))).KeyMetadata!.KeyId).toBe(b.id);
    await kms.send(new DeleteAliasCommand({ AliasName: 'alias/one' }));
    await expectStatus(kms.send(new DeleteAliasCommand({ AliasName: 'alias/one' })), 'NotFoundException', 'Alias arn:aws:kms:us-east-1:123456789012:alias/one is not found.');
    await expectStatus(kms.send(new EncryptCommand({ KeyId: 'alias/one', Plaintext: Buffer.from('x') })), 'NotFoundException');
  });
});

describe('rotation, tags and policies', () => {
  it('rotates key material: new ciphertexts use the new material, old ones still decrypt', async () => {
    const key = await newKey();
    expect((await kms.send(new GetKeyRotationStatusCommand({ KeyId: key.id }))).KeyRotationEnabled).toBe(false);
    await kms.send(new EnableKeyRotationCommand({ KeyId: key.id }));
    const status = await kms.send(new GetKeyRotationStatusCommand({ KeyId: key.id }));
    expect(status).toMatchObject({ KeyId: key.arn, KeyRotationEnabled: true, RotationPeriodInDays: 365 });
    expect(status.NextRotationDate!.getTime()).toBeGreaterThan(Date.now() + 364 * 86_400_000);
    await expectStatus(kms.send(new EnableKeyRotationCommand({ KeyId: key.id, RotationPeriodInDays: 30 })), 'ValidationException', 'greater than or equal to 90');

    const before = await kms.send(new EncryptCommand({ KeyId: key.id, Plaintext: Buffer.from('old') }));
    const material = (await kms.send(new DescribeKeyCommand({ KeyId: key.id }))).KeyMetadata!.CurrentKeyMaterialId;
    await kms.send(new RotateKeyOnDemandCommand({ KeyId: key.id }));
    const after = (await kms.send(new DescribeKeyCommand({ KeyId: key.id }))).KeyMetadata!.CurrentKeyMaterialId;
    expect(after).not.toBe(material);
    const { Rotations } = await kms.send(new ListKeyRotationsCommand({ KeyId: key.id }));
    expect(Rotations).toEqual([expect.objectContaining({ KeyId: key.id, KeyMaterialId: after, RotationType: 'ON_DEMAND' })]);
    expect(text((await kms.send(new DecryptCommand({ CiphertextBlob: before.CiphertextBlob }))).Plaintext)).toBe('old');
    const made = await kms.send(new GenerateDataKeyCommand({ KeyId: key.id, KeySpec: 'AES_256' }));
    expect(made.KeyMaterialId).toBe(after);
  });

  it('tags and untags keys', async () => {
    const key = await newKey();
    await kms.send(new TagResourceCommand({ KeyId: key.id, Tags: [{ TagKey: 'b', TagValue: '2' }, { TagKey: 'a', TagValue: '1' }] }));
    await kms.send(new TagResourceCommand({ KeyId: key.arn, Tags: [{ TagKey: 'b', TagValue: 'two' }] }));
    expect((await kms.send(new ListResourceTagsCommand({ KeyId: key.id }))).Tags).toEqual([{ TagKey: 'a', TagValue: '1' }, { TagKey: 'b', TagValue: 'two' }]);
    await kms.send(new UntagResourceCommand({ KeyId: key.id, TagKeys: ['a', 'missing'] }));
    expect((await kms.send(new ListResourceTagsCommand({ KeyId: key.id }))).Tags).toEqual([{ TagKey: 'b', TagValue: 'two' }]);
    await expectStatus(kms.send(new TagResourceCommand({ KeyId: key.id, Tags: [{ TagKey: 'aws:x', TagValue: 'y' }] })), 'TagException');
  });

  it('replaces the key policy, refusing invalid JSON and a policy that would lock the caller out', async () => {
    const key = await newKey();
    const lockedOut = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999999999999:root' }, Action: 'kms:*', Resource: '*' }] });
    await expectStatus(kms.send(new PutKeyPolicyCommand({ KeyId: key.id, Policy: lockedOut })), 'MalformedPolicyDocumentException', 'The new key policy will not allow you to update the key policy in the future.');
    await expectStatus(kms.send(new PutKeyPolicyCommand({ KeyId: key.id, Policy: '{not json' })), 'MalformedPolicyDocumentException');
    const allowed = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '123456789012' }, Action: ['kms:Put*', 'kms:Get*'], Resource: '*' }] });
    await kms.send(new PutKeyPolicyCommand({ KeyId: key.id, Policy: allowed }));
    expect((await kms.send(new GetKeyPolicyCommand({ KeyId: key.id }))).Policy).toBe(allowed);
    await kms.send(new PutKeyPolicyCommand({ KeyId: key.id, Policy: lockedOut, BypassPolicyLockoutSafetyCheck: true }));
    await expectStatus(
      kms.send(new GetKeyPolicyCommand({ KeyId: key.id })), 'AccessDeniedException',
      `User: arn:aws:iam::123456789012:root is not authorized to perform: kms:GetKeyPolicy on resource: ${key.arn} because no resource-based policy allows the kms:GetKeyPolicy action`,
    );
    await expectStatus(kms.send(new CreateKeyCommand({ Policy: lockedOut })), 'MalformedPolicyDocumentException');
  });
});
