/**
 * @module
 * What the authoriser needs to know about a principal from IAM: its identity-based policies
 * (inline and managed, its groups' too), its permissions boundary, its session policies and its
 * tags, read in the call's transaction so that a change applies to the very next call.
 */
import type { PrincipalPolicies, PrincipalPolicySource } from '../../auth/policy-authorizer.js';
import type { Principal } from '../../auth/principal.js';
import type { Tx } from '../../store/types.js';
import { getEntity, iamGeneration, KIND, type GroupDoc, type PolicyHolder, type RoleDoc, type UserDoc } from './entities.js';
import { managedDocument } from './policy-documents.js';

async function holderDocuments(tx: Tx, accountId: string, holder: PolicyHolder, out: string[]): Promise<void> {
  for (const text of Object.values(holder.inline)) out.push(text);
  for (const arn of holder.attached) {
    const text = await managedDocument(tx, accountId, arn);
    if (text !== undefined) out.push(text);
  }
}

function tagMap(tags: readonly { Key: string; Value: string }[]): Record<string, string> {
  return Object.fromEntries(tags.map((t) => [t.Key, t.Value]));
}

/**
 * The policies of a principal, or undefined when the IAM entity behind its credentials no longer
 * exists (or is another entity of the same name): such calls are denied.
 */
export async function principalPolicies(tx: Tx, principal: Principal): Promise<PrincipalPolicies | undefined> {
  const { accountId } = principal;
  const identity: string[] = [];
  const session = principal.session;
  if (principal.type === 'IAMUser') {
    const user = await getEntity<UserDoc>(tx, accountId, KIND.user, principal.userName ?? '');
    if (!user || user.UserId !== principal.principalId) return undefined;
    await holderDocuments(tx, accountId, user, identity);
    for (const name of user.groups) {
      const group = await getEntity<GroupDoc>(tx, accountId, KIND.group, name);
      if (group) await holderDocuments(tx, accountId, group, identity);
    }
    const boundary = user.PermissionsBoundary && (await managedDocument(tx, accountId, user.PermissionsBoundary));
    return { identity, boundary: boundary || undefined, tags: tagMap(user.Tags), userName: user.UserName };
  }
  if (principal.type === 'AssumedRole') {
    const issuer = session?.issuer;
    const role = issuer && (await getEntity<RoleDoc>(tx, accountId, KIND.role, issuer.userName));
    if (!role || role.RoleId !== issuer!.principalId) return undefined;
    await holderDocuments(tx, accountId, role, identity);
    const boundary = role.PermissionsBoundary && (await managedDocument(tx, accountId, role.PermissionsBoundary));
    let sessionPolicies: string[] | undefined;
    if (session?.policy !== undefined || session?.policyArns?.length) {
      sessionPolicies = session.policy !== undefined ? [session.policy] : [];
      for (const arn of session.policyArns ?? []) {
        const text = await managedDocument(tx, accountId, arn);
        if (text !== undefined) sessionPolicies.push(text);
      }
    }
    return { identity, boundary: boundary || undefined, session: sessionPolicies, tags: { ...tagMap(role.Tags), ...session?.tags }, roleArn: role.Arn };
  }
  return { identity };
}

/** IAM as the authoriser's source of principal policies, with the account's IAM generation. */
export const principalPolicySource: PrincipalPolicySource = Object.freeze({ read: principalPolicies, generation: iamGeneration });
