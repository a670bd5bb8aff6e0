/**
 * @module
 * GetSessionToken: temporary credentials for an IAM user or root, optionally MFA-authenticated
 * (a code is never accepted twice). It needs no permission, as in AWS.
 */
import type { GetSessionTokenCommandInput, GetSessionTokenCommandOutput } from '@aws-sdk/client-sts';
import { isoSeconds } from '../../core/clock.js';
import { validationMessage } from '../common-errors.js';
import type { Handler, Out } from '../service.js';
import { verifyMfaCode } from '../iam/mfa.js';
import { stsAccessDenied, StsValidationError } from './errors.js';
import { issueCredentials } from './temporary-credentials.js';

/** GetSessionToken. */
export const getSessionToken: Handler<GetSessionTokenCommandInput, Out<GetSessionTokenCommandOutput>> = async (input, ctx) => {
  const { principal } = ctx;
  if (principal.session) throw stsAccessDenied('Cannot call GetSessionToken with session credentials');
  if (principal.type !== 'IAMUser' && principal.type !== 'Root') throw stsAccessDenied(`User: ${principal.arn} is not authorized to perform: sts:GetSessionToken`);
  const max = principal.type === 'Root' ? 3600 : 129600;
  const duration = input.DurationSeconds ?? (principal.type === 'Root' ? 3600 : 43200);
  if (duration < 900 || duration > max) {
    const constraint = duration < 900 ? 'Member must have value greater than or equal to 900' : `Member must have value less than or equal to ${max}`;
    throw new StsValidationError(validationMessage([`Value '${duration}' at 'durationSeconds' failed to satisfy constraint: ${constraint}`]));
  }
  let mfa = false;
  if (input.SerialNumber || input.TokenCode) {
    if (!input.SerialNumber || !input.TokenCode) throw stsAccessDenied('MultiFactorAuthentication failed, unable to validate MFA code.');
    const ok = await verifyMfaCode(ctx.tx, principal.accountId, principal.userName, input.SerialNumber, input.TokenCode, ctx.now);
    if (!ok) throw stsAccessDenied('MultiFactorAuthentication failed with invalid MFA one time pass code.');
    mfa = true;
  }
  const issuer = principal.type === 'Root'
    ? { type: 'Root' as const, principalId: principal.accountId, arn: principal.arn, accountId: principal.accountId, userName: principal.accountId }
    : { type: 'IAMUser' as const, principalId: principal.principalId, arn: principal.arn, accountId: principal.accountId, userName: principal.userName ?? '' };
  const credentials = await issueCredentials(ctx.tx, {
    accountId: principal.accountId,
    owner: principal.type === 'Root'
      ? { type: 'Root', id: principal.accountId, arn: principal.arn }
      : { type: 'IAMUser', name: principal.userName, id: principal.principalId, arn: principal.arn },
    session: { issuer, creationDate: isoSeconds(ctx.now), mfaAuthenticated: mfa },
    now: ctx.now,
    durationSeconds: duration,
  });
  return { Credentials: credentials };
};
