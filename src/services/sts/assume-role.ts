/**
 * @module
 * AssumeRole: temporary credentials for a role whose trust policy lets the caller in (the
 * authoriser enforces the trust policy and ExternalId through sts:ExternalId), with session
 * policies, source identity, session tags, MFA and role-chaining limits.
 */
import type { AssumeRoleCommandInput, AssumeRoleCommandOutput } from '@aws-sdk/client-sts';
import { parsePolicy, policySize, PolicyError } from '../../auth/policy/document.js';
import { isoSeconds } from '../../core/clock.js';
import { parseArn } from '../../core/arn.js';
import { validationMessage } from '../common-errors.js';
import type { Handler, OperationSpec, Out } from '../service.js';
import { getEntity, KIND, putEntity, type RoleDoc } from '../iam/entities.js';
import { verifyMfaCode } from '../iam/mfa.js';
import { MalformedPolicyDocumentException, PackedPolicyTooLargeException, stsAccessDenied, StsValidationError } from './errors.js';
import { issueCredentials, sessionTags } from './temporary-credentials.js';

const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

function violation(member: string, value: string, constraint: string): StsValidationError {
  return new StsValidationError(validationMessage([`Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`]));
}

/** Checks AssumeRole's input constraints before authorisation, as STS does (the operation's `prepare`). */
export async function checkAssumeRoleInput(input: AssumeRoleCommandInput): Promise<AssumeRoleCommandInput> {
  const name = input.RoleSessionName ?? '';
  if (!SESSION_NAME.test(name)) {
    throw name.length < 2 || name.length > 64
      ? violation('roleSessionName', name, name.length < 2 ? 'Member must have length greater than or equal to 2' : 'Member must have length less than or equal to 64')
      : violation('roleSessionName', name, 'Member must satisfy regular expression pattern: [\\w+=,.@-]*');
  }
  const duration = input.DurationSeconds;
  if (duration !== undefined && (duration < 900 || duration > 43200)) {
    throw violation('durationSeconds', String(duration), duration < 900 ? 'Member must have value greater than or equal to 900' : 'Member must have value less than or equal to 43200');
  }
  if (input.Policy !== undefined) {
    try {
      parsePolicy(input.Policy, 'identity');
    } catch (error) {
      if (error instanceof PolicyError) throw new MalformedPolicyDocumentException(error.message);
      throw error;
    }
    const percent = Math.ceil((policySize(input.Policy) / 2048) * 100);
    if (percent > 100) throw new PackedPolicyTooLargeException(`Packed policy consumes ${percent}% of allotted space, please use smaller policy.`);
  }
  return input;
}

/** The condition keys AssumeRole adds to the trust policy's evaluation. */
export const assumeRoleConditions: NonNullable<OperationSpec<AssumeRoleCommandInput>['conditions']> = (input) => {
  const keys: Record<string, string | string[]> = {};
  if (input.ExternalId !== undefined) keys['sts:ExternalId'] = input.ExternalId;
  if (input.RoleSessionName !== undefined) keys['sts:RoleSessionName'] = input.RoleSessionName;
  if (input.SourceIdentity !== undefined) keys['sts:SourceIdentity'] = input.SourceIdentity;
  if (input.SerialNumber && input.TokenCode) keys['aws:MultiFactorAuthPresent'] = 'true';
  for (const tag of input.Tags ?? []) keys[`aws:RequestTag/${tag.Key}`] = tag.Value ?? '';
  if (input.Tags?.length) keys['aws:TagKeys'] = input.Tags.map((t) => t.Key ?? '');
  return keys;
};

/** AssumeRole. */
export const assumeRole: Handler<AssumeRoleCommandInput, Out<AssumeRoleCommandOutput>> = async (input, ctx) => {
  const { principal } = ctx;
  if (principal.type === 'Root') throw stsAccessDenied('Roles may not be assumed by root accounts.');
  const roleArn = input.RoleArn ?? '';
  const roleAccount = parseArn(roleArn)?.accountId ?? '';
  const roleName = roleArn.slice(roleArn.lastIndexOf('/') + 1);
  const role = await getEntity<RoleDoc>(ctx.tx, roleAccount, KIND.role, roleName);
  if (!role || role.Arn !== roleArn) {
    throw stsAccessDenied(`User: ${principal.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
  }
  const chained = principal.type === 'AssumedRole';
  const duration = input.DurationSeconds ?? 3600;
  if (duration > role.MaxSessionDuration || (chained && duration > 3600)) {
    throw new StsValidationError(chained
      ? 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.'
      : 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  }
  let mfa = chained ? (principal.session?.mfaAuthenticated ?? false) : false;
  if (input.SerialNumber || input.TokenCode) {
    const ok = await verifyMfaCode(ctx.tx, principal.accountId, principal.userName, input.SerialNumber ?? '', input.TokenCode ?? '', ctx.now);
    if (!ok) throw stsAccessDenied('MultiFactorAuthentication failed with invalid MFA one time pass code.');
    mfa = true;
  }
  const sessionName = input.RoleSessionName ?? '';
  const sessionArn = `arn:aws:sts::${role.Arn.split(':')[4]}:assumed-role/${role.RoleName}/${sessionName}`;
  const inherited = chained ? principal.session?.tags : undefined;
  const tags = { ...inherited, ...sessionTags(input.Tags) };
  const sourceIdentity = input.SourceIdentity ?? (chained ? principal.session?.sourceIdentity : undefined);
  const credentials = await issueCredentials(ctx.tx, {
    accountId: roleAccount,
    owner: { type: 'AssumedRole', name: role.RoleName, id: role.RoleId, arn: sessionArn },
    session: {
      issuer: { type: 'Role', principalId: role.RoleId, arn: role.Arn, accountId: roleAccount, userName: role.RoleName },
      creationDate: isoSeconds(ctx.now),
      mfaAuthenticated: mfa,
      sourceIdentity,
      policy: input.Policy,
      policyArns: input.PolicyArns?.map((p) => p.arn ?? ''),
      tags: Object.keys(tags).length ? tags : undefined,
      sessionName,
    },
    now: ctx.now,
    durationSeconds: duration,
  });
  role.lastUsed = { at: ctx.now, region: ctx.scope.region };
  await putEntity(ctx.tx, roleAccount, KIND.role, role.RoleName, role);
  ctx.audit.resources.push({ type: 'AWS::IAM::Role', name: role.RoleName, arn: role.Arn, accountId: roleAccount });
  return {
    Credentials: credentials,
    AssumedRoleUser: { AssumedRoleId: `${role.RoleId}:${sessionName}`, Arn: sessionArn },
    PackedPolicySize: input.Policy !== undefined || input.Tags?.length ? Math.ceil((policySize(input.Policy ?? '') / 2048) * 100) : undefined,
    SourceIdentity: sourceIdentity,
  };
};
