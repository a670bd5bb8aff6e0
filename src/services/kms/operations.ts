/**
 * @module
 * AWS Key Management Service (awsJson1_1): symmetric encryption keys with key material kept
 * encrypted at rest under the data directory's master key, aliases, key policies (each key's
 * policy governs access to it, see `resourcePolicy`), rotation, scheduled deletion, tags, and
 * Encrypt / Decrypt / GenerateDataKey with AES-256-GCM.
 */
import { parseArn } from '../../core/arn.js';
import type { Scope } from '../../core/scope.js';
import { loadModel } from '../../protocol/model.js';
import type { OperationSpec, ServiceDefinition } from '../service.js';
import { createAlias, deleteAlias, listAliases, updateAlias } from './aliases.js';
import { parseBlob, type EncryptionContext } from './ciphertext-blob.js';
import { decrypt, encrypt, generateDataKey, generateDataKeyWithoutPlaintext, generateRandom } from './crypto-handlers.js';
import {
  cancelKeyDeletion, createKey, describeKey, disableKey, enableKey, listKeys, scheduleKeyDeletion, updateKeyDescription,
} from './key-handlers.js';
import { getKeyPolicy, listKeyPolicies, putKeyPolicy } from './key-policies.js';
import { keyVaultProvider } from './key-vault.js';
import { ALIAS_KIND, aliasArn, KEY_KIND, referenceArn, type AliasDocument, type KeyDocument } from './keys.js';
import { disableKeyRotation, enableKeyRotation, getKeyRotationStatus, listKeyRotations, rotateKeyOnDemand } from './rotation.js';
import { kmsScheduler } from './scheduler.js';
import { listResourceTags, tagResource, untagResource } from './tags.js';

type Context = { scope: Scope; principal: { accountId: string; invokedBy?: string } };

/** The key a request names, as the ARN it is authorised on. */
const onKey = (input: { KeyId?: string }, ctx: Context) => [referenceArn(input.KeyId ?? '', ctx.scope)];

/** KMS's condition keys for cryptographic operations (kms:EncryptionContext:*, kms:CallerAccount...). */
function cryptoConditions(input: { KeyId?: string; EncryptionContext?: EncryptionContext }, ctx: Context): Record<string, string | string[]> {
  const context = input.EncryptionContext ?? {};
  const keys: Record<string, string | string[]> = {
    'kms:CallerAccount': ctx.principal.accountId,
    'kms:EncryptionContextKeys': Object.keys(context),
  };
  for (const [name, value] of Object.entries(context)) keys[`kms:EncryptionContext:${name}`] = value;
  if (ctx.principal.invokedBy) keys['kms:ViaService'] = ctx.principal.invokedBy;
  if (input.KeyId?.startsWith('alias/')) keys['kms:RequestAlias'] = input.KeyId;
  return keys;
}

const keyOperation = (handler: OperationSpec['handler'], extra: Partial<OperationSpec> = {}): OperationSpec => ({ handler, resources: onKey, ...extra });
const cryptoOperation = (handler: OperationSpec['handler'], extra: Partial<OperationSpec> = {}): OperationSpec =>
  ({ handler, resources: onKey, conditions: cryptoConditions, readOnly: true, ...extra });

/** The KMS service definition. */
export function kmsService(): ServiceDefinition {
  const vault = keyVaultProvider();
  return {
    model: loadModel('kms'),
    eventSource: 'kms.amazonaws.com',
    errorStyle: 'json',
    operations: {
      CancelKeyDeletion: keyOperation(cancelKeyDeletion),
      CreateAlias: {
        handler: createAlias,
        resources: (i, ctx) => [aliasArn(ctx.scope, i.AliasName ?? ''), referenceArn(i.TargetKeyId ?? '', ctx.scope)],
      },
      CreateKey: { handler: createKey(vault) },
      Decrypt: cryptoOperation(decrypt(vault), {
        resources: (i, ctx) => [i.KeyId ? referenceArn(i.KeyId, ctx.scope) : parseBlob(i.CiphertextBlob ?? new Uint8Array())?.keyArn ?? '*'],
      }),
      DeleteAlias: { handler: deleteAlias, resources: (i, ctx) => [aliasArn(ctx.scope, i.AliasName ?? '')] },
      DescribeKey: keyOperation(describeKey),
      DisableKey: keyOperation(disableKey),
      DisableKeyRotation: keyOperation(disableKeyRotation),
      EnableKey: keyOperation(enableKey),
      EnableKeyRotation: keyOperation(enableKeyRotation),
      Encrypt: cryptoOperation(encrypt(vault)),
      GenerateDataKey: cryptoOperation(generateDataKey(vault)),
      GenerateDataKeyWithoutPlaintext: cryptoOperation(generateDataKeyWithoutPlaintext(vault)),
      GenerateRandom: { handler: generateRandom, readOnly: true },
      GetKeyPolicy: keyOperation(getKeyPolicy),
      GetKeyRotationStatus: keyOperation(getKeyRotationStatus),
      ListAliases: { handler: listAliases },
      ListKeyPolicies: keyOperation(listKeyPolicies),
      ListKeyRotations: keyOperation(listKeyRotations),
      ListKeys: { handler: listKeys },
      ListResourceTags: keyOperation(listResourceTags),
      PutKeyPolicy: keyOperation(putKeyPolicy),
      RotateKeyOnDemand: keyOperation(rotateKeyOnDemand(vault)),
      ScheduleKeyDeletion: keyOperation(scheduleKeyDeletion),
      TagResource: keyOperation(tagResource),
      UntagResource: keyOperation(untagResource),
      UpdateAlias: {
        handler: updateAlias,
        resources: (i, ctx) => [aliasArn(ctx.scope, i.AliasName ?? ''), referenceArn(i.TargetKeyId ?? '', ctx.scope)],
      },
      UpdateKeyDescription: keyOperation(updateKeyDescription),
    },
    background(env) {
      vault(env.settings.dataDir);
      return kmsScheduler(env, () => vault(env.settings.dataDir));
    },
    async resourcePolicy(tx, arn) {
      const parsed = parseArn(arn);
      if (!parsed || parsed.service !== 'kms') return undefined;
      const scope = { accountId: parsed.accountId, region: parsed.region };
      let keyId = parsed.resource.startsWith('key/') ? parsed.resource.slice(4) : undefined;
      if (parsed.resource.startsWith('alias/')) keyId = (await tx.documents.get<AliasDocument>(scope, ALIAS_KIND, parsed.resource))?.targetKeyId;
      const key = keyId === undefined ? undefined : await tx.documents.get<KeyDocument>(scope, KEY_KIND, keyId);
      return key && {
        ownerAccountId: key.accountId,
        document: key.policy,
        tags: Object.fromEntries(key.tags.map((t) => [t.TagKey ?? '', t.TagValue ?? ''])),
        required: true,
      };
    },
  };
}
