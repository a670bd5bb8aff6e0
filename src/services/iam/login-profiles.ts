/**
 * @module
 * Console passwords: CreateLoginProfile, GetLoginProfile, UpdateLoginProfile, DeleteLoginProfile,
 * checked against the account's password policy and stored as scrypt hashes.
 */
import type {
  CreateLoginProfileCommandInput, CreateLoginProfileCommandOutput, DeleteLoginProfileCommandInput, DeleteLoginProfileCommandOutput,
  GetLoginProfileCommandInput, GetLoginProfileCommandOutput, PasswordPolicy, UpdateLoginProfileCommandInput, UpdateLoginProfileCommandOutput,
} from '@aws-sdk/client-iam';
import { randomBytes, scryptSync } from 'node:crypto';
import type { Handler, Out } from '../service.js';
import { passwordPolicy } from './account.js';
import { changed } from './changes.js';
import { KIND, putEntity, requireUser, type UserDoc } from './entities.js';
import { EntityAlreadyExistsException, NoSuchEntityException, PasswordPolicyViolationException } from './errors.js';

function hash(password: string): string {
  const salt = randomBytes(16);
  return `${salt.toString('base64')}:${scryptSync(password, salt, 32).toString('base64')}`;
}

/** Checks a password against the account's password policy (AWS's defaults without one). */
function checkPassword(password: string, policy: PasswordPolicy | undefined): void {
  const problems: string[] = [];
  const min = policy?.MinimumPasswordLength ?? 8;
  if (password.length < min) problems.push(`Password should have at least ${min} characters`);
  if (policy?.RequireSymbols && !/[^A-Za-z0-9]/.test(password)) problems.push('Password should have at least one symbol');
  if (policy?.RequireNumbers && !/[0-9]/.test(password)) problems.push('Password should have at least one number');
  if (policy?.RequireUppercaseCharacters && !/[A-Z]/.test(password)) problems.push('Password should have at least one uppercase letter');
  if (policy?.RequireLowercaseCharacters && !/[a-z]/.test(password)) problems.push('Password should have at least one lowercase letter');
  if (problems.length) throw new PasswordPolicyViolationException(`Password does not conform to the account password policy. ${problems.join(', ')}.`);
}

function requireProfile(user: UserDoc): NonNullable<UserDoc['loginProfile']> {
  if (!user.loginProfile) throw new NoSuchEntityException(`Login Profile for User ${user.UserName} cannot be found.`);
  return user.loginProfile;
}

/** CreateLoginProfile. */
export const createLoginProfile: Handler<CreateLoginProfileCommandInput, Out<CreateLoginProfileCommandOutput>> = async (input, ctx) => {
  const user = await requireUser(ctx.tx, ctx.scope.accountId, input.UserName ?? '');
  if (user.loginProfile) throw new EntityAlreadyExistsException(`Login Profile for user ${user.UserName} already exists.`);
  checkPassword(input.Password ?? '', await passwordPolicy(ctx.tx, ctx.scope.accountId));
  user.loginProfile = { createdAt: ctx.now, passwordResetRequired: input.PasswordResetRequired ?? false, passwordHash: hash(input.Password ?? '') };
  await putEntity(ctx.tx, ctx.scope.accountId, KIND.user, user.UserName, user);
  await changed(ctx, user);
  return { LoginProfile: { UserName: user.UserName, CreateDate: new Date(ctx.now), PasswordResetRequired: user.loginProfile.passwordResetRequired } };
};

/** GetLoginProfile. */
export const getLoginProfile: Handler<GetLoginProfileCommandInput, Out<GetLoginProfileCommandOutput>> = async (input, ctx) => {
  const user = await requireUser(ctx.tx, ctx.scope.accountId, input.UserName ?? '');
  const profile = requireProfile(user);
  return { LoginProfile: { UserName: user.UserName, CreateDate: new Date(profile.createdAt), PasswordResetRequired: profile.passwordResetRequired } };
};

/** UpdateLoginProfile: a new password and/or reset flag. */
export const updateLoginProfile: Handler<UpdateLoginProfileCommandInput, Out<UpdateLoginProfileCommandOutput>> = async (input, ctx) => {
  const user = await requireUser(ctx.tx, ctx.scope.accountId, input.UserName ?? '');
  const profile = requireProfile(user);
  if (input.Password !== undefined) checkPassword(input.Password, await passwordPolicy(ctx.tx, ctx.scope.accountId));
  user.loginProfile = {
    ...profile,
    passwordHash: input.Password !== undefined ? hash(input.Password) : profile.passwordHash,
    passwordResetRequired: input.PasswordResetRequired ?? profile.passwordResetRequired,
  };
  await putEntity(ctx.tx, ctx.scope.accountId, KIND.user, user.UserName, user);
  await changed(ctx, user);
  return {};
};

/** DeleteLoginProfile. */
export const deleteLoginProfile: Handler<DeleteLoginProfileCommandInput, Out<DeleteLoginProfileCommandOutput>> = async (input, ctx) => {
  const user = await requireUser(ctx.tx, ctx.scope.accountId, input.UserName ?? '');
  requireProfile(user);
  delete user.loginProfile;
  await putEntity(ctx.tx, ctx.scope.accountId, KIND.user, user.UserName, user);
  await changed(ctx, user);
  return {};
};
