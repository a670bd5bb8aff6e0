/**
 * @module
 * Key pairs: CreateKeyPair (material made before the transaction), ImportKeyPair, DeleteKeyPair,
 * DescribeKeyPairs.
 */
import type {
  CreateKeyPairCommandInput, CreateKeyPairCommandOutput, DeleteKeyPairCommandInput, DeleteKeyPairCommandOutput, DescribeKeyPairsCommandInput,
  DescribeKeyPairsCommandOutput, ImportKeyPairCommandInput, ImportKeyPairCommandOutput, KeyPairInfo,
} from '@aws-sdk/client-ec2';
import type { CallContext, Handler, Out, PrepareContext } from '../service.js';
import { InvalidKeyFormat, InvalidKeyPairDuplicate, InvalidParameterValue, MissingParameter, ResourceNotFound } from './errors.js';
import { newEc2Id } from './ids.js';
import { newKeyMaterial, readPublicKey, type KeyMaterial, type KeyType } from './key-material.js';
import { asOutput, describeResources, escapeWildcards, getResource, removeResource, resourcesWith, saveResource, type ResourceKind, type Stored } from './resources.js';
import { tagsFor } from './tag-specs.js';

/** A key pair as stored (`$publicKey` in OpenSSH form, shown with IncludePublicKey). */
export interface KeyPairDoc extends Stored<KeyPairInfo> {
  KeyPairId: string;
  KeyName: string;
  $publicKey: string;
}

/** Key pairs (Config does not record them). */
export const KEY_PAIRS: ResourceKind<KeyPairDoc> = {
  kind: 'ec2.key-pair',
  id: (k) => k.KeyPairId,
  arnType: 'key-pair',
  resourceType: 'AWS::EC2::KeyPair',
  recordedByConfig: false,
  tags: (k) => k.Tags,
  notFound: (ids) => new ResourceNotFound('InvalidKeyPair.NotFound', 'key pair', ids),
  filters: {
    'fingerprint': (k) => k.KeyFingerprint,
    'key-name': (k) => k.KeyName,
    'key-pair-id': (k) => k.KeyPairId,
    'key-type': (k) => k.KeyType,
  },
};

/** A key pair by name, or undefined. */
export async function findKeyPair(ctx: CallContext, name: string): Promise<KeyPairDoc | undefined> {
  return (await resourcesWith(ctx, KEY_PAIRS, 'key-name', [name]))[0];
}

/** Key material made for a CreateKeyPair call before its transaction. */
const MATERIAL = Symbol('key material');
type CreateKeyPairInput = CreateKeyPairCommandInput & { [MATERIAL]?: KeyMaterial };

function checkKeyName(name: string | undefined): string {
  if (name === undefined) throw new MissingParameter('KeyName');
  if (name.length === 0 || name.length > 255 || !/^[\x20-\x7e]+$/.test(name)) throw InvalidParameterValue.of('KeyName', name);
  return name;
}

async function saveKeyPair(ctx: CallContext, name: string, type: KeyType, publicKey: string, fingerprint: string, input: CreateKeyPairCommandInput | ImportKeyPairCommandInput): Promise<KeyPairDoc> {
  if (await findKeyPair(ctx, name)) throw new InvalidKeyPairDuplicate(name);
  const pair: KeyPairDoc = {
    KeyPairId: newEc2Id('key'), KeyName: name, KeyFingerprint: fingerprint, KeyType: type, CreateTime: new Date(ctx.now).toISOString(),
    Tags: tagsFor(input.TagSpecifications, 'key-pair'), $publicKey: publicKey,
  };
  await saveResource(ctx, KEY_PAIRS, pair);
  return pair;
}

/** Makes the key material of a CreateKeyPair call (RSA generation takes tens of milliseconds). */
export async function prepareKeyPair(input: CreateKeyPairInput, _ctx: PrepareContext): Promise<CreateKeyPairInput> {
  const type = input.KeyType ?? 'rsa';
  if (type !== 'rsa' && type !== 'ed25519') return input;
  return { ...input, [MATERIAL]: await newKeyMaterial(type) };
}

/** CreateKeyPair: a new key pair; the private key is in the answer and nowhere else. */
export const createKeyPair: Handler<CreateKeyPairInput, Out<CreateKeyPairCommandOutput>> = async (input, ctx) => {
  const name = checkKeyName(input.KeyName);
  const material = input[MATERIAL];
  if (!material) throw InvalidParameterValue.of('KeyType', input.KeyType);
  if (input.KeyFormat === 'ppk') throw InvalidParameterValue.of('KeyFormat', input.KeyFormat, 'Custos makes key pairs in the pem format only.');
  const pair = await saveKeyPair(ctx, name, material.type, material.publicKey, material.fingerprint, input);
  return { KeyFingerprint: pair.KeyFingerprint, KeyMaterial: material.privateKey, KeyName: name, KeyPairId: pair.KeyPairId, Tags: pair.Tags };
};

/** ImportKeyPair: a key pair from an OpenSSH public key (RSA or ED25519). */
export const importKeyPair: Handler<ImportKeyPairCommandInput, Out<ImportKeyPairCommandOutput>> = async (input, ctx) => {
  const name = checkKeyName(input.KeyName);
  const info = readPublicKey(Buffer.from(input.PublicKeyMaterial ?? new Uint8Array()).toString('utf8'));
  if (!info) throw new InvalidKeyFormat();
  const pair = await saveKeyPair(ctx, name, info.type, info.publicKey, info.fingerprint, input);
  return { KeyFingerprint: pair.KeyFingerprint, KeyName: name, KeyPairId: pair.KeyPairId, Tags: pair.Tags };
};

/** DeleteKeyPair: by name or id; deleting a name that does not exist succeeds, as in AWS. */
export const deleteKeyPair: Handler<DeleteKeyPairCommandInput, Out<DeleteKeyPairCommandOutput>> = async (input, ctx) => {
  const pair = input.KeyPairId !== undefined ? await getResource(ctx, KEY_PAIRS, input.KeyPairId) : await findKeyPair(ctx, input.KeyName ?? '');
  if (pair) await removeResource(ctx, KEY_PAIRS, pair);
  return { Return: true, ...(pair ? { KeyPairId: pair.KeyPairId } : {}) };
};

/** DescribeKeyPairs: by name, id and filter; public keys only when asked for. */
export const describeKeyPairs: Handler<DescribeKeyPairsCommandInput, Out<DescribeKeyPairsCommandOutput>> = async (input, ctx) => {
  const names = input.KeyNames ?? [];
  for (const name of names) if (!(await findKeyPair(ctx, name))) throw KEY_PAIRS.notFound([name]);
  const where = names.length ? [{ name: 'key-name', values: names.map(escapeWildcards) }] : [];
  const page = await describeResources(ctx, KEY_PAIRS, { ids: input.KeyPairIds, filters: input.Filters, where }, { operation: 'DescribeKeyPairs' });
  return {
    KeyPairs: page.items.map(({ $publicKey, ...pair }) => asOutput<KeyPairInfo>(input.IncludePublicKey ? { ...pair, PublicKey: `${$publicKey} ${pair.KeyName}` } : pair)),
  };
};
