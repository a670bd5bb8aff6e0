/**
 * @module
 * Key policies: every key has exactly one, named `default`. A key created without one gets AWS's
 * default key policy, which gives the account (its root user, and through it IAM) `kms:*`. A new
 * policy must be JSON and, unless the caller bypasses the check, must still let the caller change
 * the policy later (AWS's lockout safety check).
 */
import type {
  GetKeyPolicyCommandInput, GetKeyPolicyCommandOutput, ListKeyPoliciesCommandInput, ListKeyPoliciesCommandOutput,
  PutKeyPolicyCommandInput, PutKeyPolicyCommandOutput,
} from '@aws-sdk/client-kms';
import type { Principal } from '../../auth/principal.js';
import type { Handler, Out } from '../service.js';
import { MalformedPolicyDocumentException, NotFoundException, UnsupportedOperationException } from './errors.js';
import { noteKey, resolveKey, saveKey } from './keys.js';

const POLICY_NAME = 'default';
const MAX_POLICY_BYTES = 32_768;
const LOCKOUT = 'The new key policy will not allow you to update the key policy in the future.';

/** The policy AWS gives a key created without one, formatted as AWS returns it. */
export function defaultKeyPolicy(accountId: string): string {
  return `{
  "Version" : "2012-10-17",
  "Id" : "key-default-1",
  "Statement" : [ {
    "Sid" : "Enable IAM User Permissions",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:aws:iam::${accountId}:root"
    },
    "Action" : "kms:*",
    "Resource" : "*"
  } ]
}`;
}

interface Statement {
  Effect?: unknown;
  Principal?: unknown;
  Action?: unknown;
}

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);

function wildcard(pattern: string, value: string): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 'i').test(value);
}

/** The principal names a policy may use for the caller: itself, its role, its account, anyone. */
function callerNames(principal: Principal): string[] {
  const names = ['*', principal.arn, principal.accountId, `arn:aws:iam::${principal.accountId}:root`];
  if (principal.session?.issuer) names.push(principal.session.issuer.arn);
  return names;
}

function grantsPutKeyPolicy(statement: Statement, principal: Principal): boolean {
  if (statement.Effect !== 'Allow') return false;
  const actions = asList(statement.Action).filter((a): a is string => typeof a === 'string');
  if (!actions.some((action) => wildcard(action, 'kms:PutKeyPolicy'))) return false;
  const named = statement.Principal;
  if (named === '*') return true;
  if (!named || typeof named !== 'object') return false;
  const record = named as Record<string, unknown>;
  if (principal.type === 'AWSService') return asList(record.Service).includes(principal.invokedBy);
  const names = callerNames(principal);
  return asList(record.AWS).some((name) => typeof name === 'string' && names.includes(name));
}

/**
 * Checks a key policy: JSON with statements, at most 32 KB, and (unless bypassed) still allowing
 * the caller to put a policy. The check reads the policy's own statements only: a statement for the
 * account (root) counts as allowing every principal of the account, whose IAM policies decide.
 */
export function checkKeyPolicy(policy: string, principal: Principal, bypassLockoutCheck: boolean | undefined): void {
  if (Buffer.byteLength(policy, 'utf8') > MAX_POLICY_BYTES) throw new MalformedPolicyDocumentException();
  let statements: Statement[];
  try {
    const document = JSON.parse(policy) as { Statement?: unknown };
    statements = asList(document.Statement) as Statement[];
    if (typeof document !== 'object' || statements.length === 0 || statements.some((s) => !s || typeof s !== 'object')) {
      throw new Error('no statements');
    }
  } catch {
    throw new MalformedPolicyDocumentException();
  }
  if (!bypassLockoutCheck && !statements.some((s) => grantsPutKeyPolicy(s, principal))) {
    throw new MalformedPolicyDocumentException(LOCKOUT);
  }
}

/** GetKeyPolicy: the key's policy. */
export const getKeyPolicy: Handler<GetKeyPolicyCommandInput, Out<GetKeyPolicyCommandOutput>> = async (input, ctx) => {
  const key = await resolveKey(ctx.tx, ctx.scope, input.KeyId ?? '', ctx.now);
  noteKey(ctx, key);
  if ((input.PolicyName ?? POLICY_NAME) !== POLICY_NAME) throw new NotFoundException('No such policy exists');
  return { Policy: key.policy, PolicyName: POLICY_NAME };
};

/** PutKeyPolicy: replaces the key's policy. */
export const putKeyPolicy: Handler<PutKeyPolicyCommandInput, Out<PutKeyPolicyCommandOutput>> = async (input, ctx) => {
  const key = await resolveKey(ctx.tx, ctx.scope, input.KeyId ?? '', ctx.now);
  if ((input.PolicyName ?? POLICY_NAME) !== POLICY_NAME) throw new UnsupportedOperationException('Only default policy is supported');
  checkKeyPolicy(input.Policy ?? '', ctx.principal, input.BypassPolicyLockoutSafetyCheck);
  await saveKey(ctx, { ...key, policy: input.Policy ?? '' });
  return {};
};

/** ListKeyPolicies: always `default`. */
export const listKeyPolicies: Handler<ListKeyPoliciesCommandInput, Out<ListKeyPoliciesCommandOutput>> = async (input, ctx) => {
  noteKey(ctx, await resolveKey(ctx.tx, ctx.scope, input.KeyId ?? '', ctx.now));
  return { PolicyNames: [POLICY_NAME], Truncated: false };
};
