/**
 * @module
 * A role as an AWS service uses it on a customer's behalf (CloudTrail's CloudWatch Logs role,
 * for instance): whether the role's trust policy lets the service assume it, the session the
 * service then holds, and whether that session's policies allow an action. The policies are
 * gathered by the same function the authoriser uses, and judged by IAM's own evaluator, as the
 * role is now: a policy detached a moment ago no longer counts.
 */
import { isoSeconds } from '../../core/clock.js';
import { parseArn } from '../../core/arn.js';
import { parsePolicy, type Policy } from '../../auth/policy/document.js';
import { evaluate } from '../../auth/policy/evaluate.js';
import type { Principal } from '../../auth/principal.js';
import type { Tx } from '../../store/types.js';
import { getEntity, KIND, type RoleDoc } from './entities.js';
import { principalPolicies } from './principal-policies.js';

/** Condition keys by name (any case). */
export type ConditionKeys = Readonly<Record<string, string>>;

function lookup(keys: ConditionKeys): (key: string) => string | undefined {
  const lower = new Map(Object.entries(keys).map(([k, v]) => [k.toLowerCase(), v]));
  return (key) => lower.get(key);
}

function parsed(texts: readonly string[]): Policy[] {
  return texts.flatMap((text) => {
    try {
      return [parsePolicy(text, 'identity')];
    } catch {
      return [];
    }
  });
}

/** The role an ARN names, if it exists (and is that role, not a later one of the same name at another path). */
export async function findRoleByArn(tx: Tx, arn: string): Promise<RoleDoc | undefined> {
  const parsedArn = parseArn(arn);
  if (!parsedArn || parsedArn.service !== 'iam' || !parsedArn.resource.startsWith('role/')) return undefined;
  const name = parsedArn.resource.slice(parsedArn.resource.lastIndexOf('/') + 1);
  const role = await getEntity<RoleDoc>(tx, parsedArn.accountId, KIND.role, name);
  return role?.Arn === arn ? role : undefined;
}

/** Whether the role's trust policy lets an AWS service principal assume it, given the call's condition keys. */
export function serviceMayAssume(role: RoleDoc, service: string, keys: ConditionKeys = {}): boolean {
  let trust: Policy;
  try {
    trust = parsePolicy(role.AssumeRolePolicyDocument, 'trust');
  } catch {
    return false;
  }
  const result = evaluate(
    { principal: { arn: service, accountId: '', service }, action: 'sts:AssumeRole', resource: role.Arn, context: lookup(keys) },
    { identity: [], resource: { ownerAccountId: parseArn(role.Arn)?.accountId ?? '', policy: trust }, resourcePolicyRequired: true },
  );
  return result.decision === 'Allow';
}

/** The session a service holds after assuming a role (`assumed-role/<role>/<session>`, invoked by the service). */
export function serviceRoleSession(role: RoleDoc, service: string, sessionName: string, now: number): Principal {
  const accountId = parseArn(role.Arn)?.accountId ?? '';
  return {
    type: 'AssumedRole',
    accountId,
    arn: `arn:aws:sts::${accountId}:assumed-role/${role.RoleName}/${sessionName}`,
    principalId: `${role.RoleId}:${sessionName}`,
    invokedBy: service,
    session: {
      issuer: { type: 'Role', principalId: role.RoleId, arn: role.Arn, accountId, userName: role.RoleName },
      creationDate: isoSeconds(now),
      mfaAuthenticated: false,
      sessionName,
    },
  };
}

/** Whether a role session's own policies (the role's inline and attached policies, its boundary) allow an action on a resource. */
export async function sessionMay(tx: Tx, session: Principal, action: string, resource: string, keys: ConditionKeys = {}): Promise<boolean> {
  const own = await principalPolicies(tx, session);
  if (!own) return false;
  const boundary = own.boundary !== undefined ? parsed([own.boundary])[0] : undefined;
  const context = lookup({
    'aws:PrincipalType': session.type, 'aws:PrincipalArn': own.roleArn ?? session.arn, 'aws:PrincipalAccount': session.accountId,
    'aws:userid': session.principalId, ...Object.fromEntries(Object.entries(own.tags ?? {}).map(([k, v]) => [`aws:PrincipalTag/${k}`, v])), ...keys,
  });
  const result = evaluate(
    { principal: { arn: session.arn, accountId: session.accountId, roleArn: own.roleArn }, action, resource, context },
    { identity: parsed(own.identity), boundary, session: own.session && parsed(own.session) },
  );
  return result.decision === 'Allow';
}
