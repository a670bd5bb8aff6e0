/**
 * @module
 * GetCallerIdentity: who the credentials of the call belong to.
 */
import type { GetCallerIdentityCommandInput, GetCallerIdentityCommandOutput } from '@aws-sdk/client-sts';
import type { Handler, Out } from '../service.js';

/** Answers with the caller's user id, account and ARN. */
export const getCallerIdentity: Handler<GetCallerIdentityCommandInput, Out<GetCallerIdentityCommandOutput>> = async (_input, ctx) => ({
  UserId: ctx.principal.principalId,
  Account: ctx.principal.accountId,
  Arn: ctx.principal.arn,
});
