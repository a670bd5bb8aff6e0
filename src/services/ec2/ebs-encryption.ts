/**
 * @module
 * EBS encryption by default, per account and region: EnableEbsEncryptionByDefault,
 * DisableEbsEncryptionByDefault, GetEbsEncryptionByDefault, and the key it uses
 * (GetEbsDefaultKmsKeyId, ModifyEbsDefaultKmsKeyId, ResetEbsDefaultKmsKeyId).
 */
import type {
  DisableEbsEncryptionByDefaultCommandInput, DisableEbsEncryptionByDefaultCommandOutput, EnableEbsEncryptionByDefaultCommandInput,
  EnableEbsEncryptionByDefaultCommandOutput, GetEbsDefaultKmsKeyIdCommandInput, GetEbsDefaultKmsKeyIdCommandOutput,
  GetEbsEncryptionByDefaultCommandInput, GetEbsEncryptionByDefaultCommandOutput, ModifyEbsDefaultKmsKeyIdCommandInput,
  ModifyEbsDefaultKmsKeyIdCommandOutput, ResetEbsDefaultKmsKeyIdCommandInput, ResetEbsDefaultKmsKeyIdCommandOutput,
} from '@aws-sdk/client-ec2';
import type { CallContext, Handler, Out } from '../service.js';
import { AWS_MANAGED_EBS_KEY, accountSettings, saveAccountSettings, type AccountSettings } from './account-settings.js';
import { InvalidParameterValue, MissingParameter } from './errors.js';
import { isKmsKeyReference, kmsKeyArn } from './kms-key-ids.js';

async function update(ctx: CallContext, change: Partial<AccountSettings>): Promise<AccountSettings> {
  const settings = { ...(await accountSettings(ctx)), ...change };
  await saveAccountSettings(ctx, settings);
  return settings;
}

function defaultKey(ctx: CallContext, settings: AccountSettings): string {
  return settings.ebsDefaultKmsKeyId ? kmsKeyArn(settings.ebsDefaultKmsKeyId, ctx.scope.region, ctx.scope.accountId) : AWS_MANAGED_EBS_KEY;
}

/** EnableEbsEncryptionByDefault: new volumes in the region are encrypted. */
export const enableEbsEncryptionByDefault: Handler<EnableEbsEncryptionByDefaultCommandInput, Out<EnableEbsEncryptionByDefaultCommandOutput>> = async (_input, ctx) => {
  await update(ctx, { ebsEncryptionByDefault: true });
  return { EbsEncryptionByDefault: true };
};

/** DisableEbsEncryptionByDefault. */
export const disableEbsEncryptionByDefault: Handler<DisableEbsEncryptionByDefaultCommandInput, Out<DisableEbsEncryptionByDefaultCommandOutput>> = async (_input, ctx) => {
  await update(ctx, { ebsEncryptionByDefault: false });
  return { EbsEncryptionByDefault: false };
};

/** GetEbsEncryptionByDefault. */
export const getEbsEncryptionByDefault: Handler<GetEbsEncryptionByDefaultCommandInput, Out<GetEbsEncryptionByDefaultCommandOutput>> = async (_input, ctx) => ({
  EbsEncryptionByDefault: (await accountSettings(ctx)).ebsEncryptionByDefault,
  SseType: 'sse-ebs',
});

/** GetEbsDefaultKmsKeyId: the key set, or the AWS managed key `alias/aws/ebs`. */
export const getEbsDefaultKmsKeyId: Handler<GetEbsDefaultKmsKeyIdCommandInput, Out<GetEbsDefaultKmsKeyIdCommandOutput>> = async (_input, ctx) => ({
  KmsKeyId: defaultKey(ctx, await accountSettings(ctx)),
});

/** ModifyEbsDefaultKmsKeyId: the key for EBS encryption by default (its form checked; KMS is not asked). */
export const modifyEbsDefaultKmsKeyId: Handler<ModifyEbsDefaultKmsKeyIdCommandInput, Out<ModifyEbsDefaultKmsKeyIdCommandOutput>> = async (input, ctx) => {
  const key = input.KmsKeyId;
  if (key === undefined) throw new MissingParameter('KmsKeyId');
  if (!isKmsKeyReference(key)) throw InvalidParameterValue.of('kmsKeyId', key, 'It is not a KMS key id, key ARN, alias name or alias ARN.');
  return { KmsKeyId: defaultKey(ctx, await update(ctx, { ebsDefaultKmsKeyId: key })) };
};

/** ResetEbsDefaultKmsKeyId: back to the AWS managed key. */
export const resetEbsDefaultKmsKeyId: Handler<ResetEbsDefaultKmsKeyIdCommandInput, Out<ResetEbsDefaultKmsKeyIdCommandOutput>> = async (_input, ctx) => {
  await update(ctx, { ebsDefaultKmsKeyId: undefined });
  return { KmsKeyId: AWS_MANAGED_EBS_KEY };
};
