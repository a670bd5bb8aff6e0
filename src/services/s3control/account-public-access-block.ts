/**
 * @module
 * Block Public Access for a whole account (Put/Get/DeletePublicAccessBlock of S3 Control). The
 * settings apply to every bucket of the account, on top of each bucket's own (see
 * services/s3/public-access-block.ts); Config records them as AWS::S3::AccountPublicAccessBlock.
 */
import type {
  DeletePublicAccessBlockCommandInput, DeletePublicAccessBlockCommandOutput, GetPublicAccessBlockCommandInput,
  GetPublicAccessBlockCommandOutput, PutPublicAccessBlockCommandInput, PutPublicAccessBlockCommandOutput,
} from '@aws-sdk/client-s3-control';
import { recordResourceChange } from '../resource-changes.js';
import type { CallContext, Handler, Out } from '../service.js';
import {
  ACCOUNT_PUBLIC_ACCESS_BLOCK_KIND, accountPublicAccessBlock, accountSettingsScope, settingsOf,
} from '../s3/public-access-block.js';
import { AccessDenied, MissingRequestBodyError, NoSuchPublicAccessBlockConfiguration } from './errors.js';

/** The account a call names, which must be the caller's. */
function callerAccount(accountId: string | undefined, ctx: CallContext): string {
  if (accountId !== ctx.principal.accountId) throw new AccessDenied();
  return accountId;
}

async function noteChange(ctx: CallContext, accountId: string, deleted: boolean): Promise<void> {
  await recordResourceChange(ctx, { resourceType: 'AWS::S3::AccountPublicAccessBlock', resourceId: accountId, resourceName: accountId, deleted });
}

/** PutPublicAccessBlock: sets the account's four settings (an absent one is off). */
export const putPublicAccessBlock: Handler<PutPublicAccessBlockCommandInput, Out<PutPublicAccessBlockCommandOutput>> = async (input, ctx) => {
  const accountId = callerAccount(input.AccountId, ctx);
  if (!input.PublicAccessBlockConfiguration) throw new MissingRequestBodyError();
  await ctx.tx.documents.put(accountSettingsScope(accountId), ACCOUNT_PUBLIC_ACCESS_BLOCK_KIND, accountId, settingsOf(input.PublicAccessBlockConfiguration));
  await noteChange(ctx, accountId, false);
  return {};
};

/** GetPublicAccessBlock: the account's settings; NoSuchPublicAccessBlockConfiguration when none are set. */
export const getPublicAccessBlock: Handler<GetPublicAccessBlockCommandInput, Out<GetPublicAccessBlockCommandOutput>> = async (input, ctx) => {
  const settings = await accountPublicAccessBlock(ctx.tx, callerAccount(input.AccountId, ctx));
  if (!settings) throw new NoSuchPublicAccessBlockConfiguration();
  return { PublicAccessBlockConfiguration: settings };
};

/** DeletePublicAccessBlock: removes the account's settings. */
export const deletePublicAccessBlock: Handler<DeletePublicAccessBlockCommandInput, Out<DeletePublicAccessBlockCommandOutput>> = async (input, ctx) => {
  const accountId = callerAccount(input.AccountId, ctx);
  if (await ctx.tx.documents.delete(accountSettingsScope(accountId), ACCOUNT_PUBLIC_ACCESS_BLOCK_KIND, accountId)) await noteChange(ctx, accountId, true);
  return {};
};
