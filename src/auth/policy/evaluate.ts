/**
 * @module
 * IAM's policy evaluation logic, pure: explicit Deny in any policy wins; then an Allow is needed
 * from an identity-based or resource-based policy, bounded by the permissions boundary and the
 * session policies; across accounts both sides must allow.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */
import { compileWithVariables, conditionsHold, type ContextLookup } from './conditions.js';
import type { Policy, PrincipalSpec, ResourcePattern, Statement } from './document.js';
import { compileWildcard } from './wildcard.js';

/** The caller, as policies name it. */
export interface RequestPrincipal {
  /** The caller's ARN (for role sessions the assumed-role session ARN). */
  readonly arn: string;
  readonly accountId: string;
  /** For role sessions: the role's ARN, which Principal elements may name. */
  readonly roleArn?: string;
  /** For AWS services acting on their own: the service principal, e.g. `config.amazonaws.com`. */
  readonly service?: string;
  readonly isRoot?: boolean;
  /** An unauthenticated caller (S3): only resource policies open to everyone let it in. */
  readonly isAnonymous?: boolean;
}

/** One question: may the principal perform the action on the resource, in this context? */
export interface EvaluationRequest {
  readonly principal: RequestPrincipal;
  readonly action: string;
  readonly resource: string;
  /** Context keys by lower-cased name. */
  readonly context: ContextLookup;
}

/** The policies that apply to a request. */
export interface PolicySet {
  /** The principal's identity-based policies (user, its groups; or the role). */
  readonly identity: readonly Policy[];
  readonly boundary?: Policy;
  /** Session policies; undefined when the session has none (then they do not limit). */
  readonly session?: readonly Policy[];
  /** The resource's resource-based policy, and the account that owns the resource. */
  readonly resource?: { readonly policy?: Policy; readonly ownerAccountId: string };
  /** The resource policy must allow (role trust policies for sts:AssumeRole). */
  readonly resourcePolicyRequired?: boolean;
}

/** The outcome, with the policy type that decided a denial (for AWS's message). */
export type Evaluation =
  | { readonly decision: 'Allow' }
  | { readonly decision: 'ExplicitDeny' | 'ImplicitDeny'; readonly policyType: PolicyType };

/** The policy types AWS names in denial messages. */
export type PolicyType = 'identity-based policy' | 'resource-based policy' | 'permissions boundary' | 'session policy';

/** How a resource-based statement's Principal matched the caller. */
type PrincipalMatch = 'none' | 'account' | 'role' | 'direct';

function matchesResource(patterns: readonly ResourcePattern[], resource: string, policy: Policy, context: ContextLookup): boolean {
  for (const p of patterns) {
    if (p.matcher) {
      if (p.matcher.test(resource)) return true;
      continue;
    }
    const matcher = policy.variables ? compileWithVariables(p.text, context, false) : compileWildcard(p.text, false);
    if (matcher?.test(resource)) return true;
  }
  return false;
}

function principalMatch(spec: PrincipalSpec, principal: RequestPrincipal): PrincipalMatch {
  if (spec.everyone) return 'direct';
  if (principal.service && spec.service.includes(principal.service)) return 'direct';
  let best: PrincipalMatch = 'none';
  for (const arn of spec.aws) {
    if (arn === principal.arn) return 'direct';
    if (principal.roleArn && arn === principal.roleArn) best = 'role';
    else if (best === 'none' && arn === `arn:aws:iam::${principal.accountId}:root`) best = principal.isRoot ? 'direct' : 'account';
  }
  return best;
}

function statementApplies(st: Statement, request: EvaluationRequest, policy: Policy): boolean {
  const { action, resource, context } = request;
  if (st.actions && !st.actions.test(action)) return false;
  if (st.notActions && st.notActions.test(action)) return false;
  if (st.resources && !matchesResource(st.resources, resource, policy, context)) return false;
  if (st.notResources && matchesResource(st.notResources, resource, policy, context)) return false;
  return st.conditions.length === 0 || conditionsHold(st.conditions, context, policy.variables);
}

interface PolicyVerdict {
  allow: boolean;
  deny: boolean;
  /** The strongest principal match among allowing statements (resource policies). */
  match: PrincipalMatch;
}

const RANK: Record<PrincipalMatch, number> = { none: 0, account: 1, role: 2, direct: 3 };

function judge(policies: readonly Policy[], request: EvaluationRequest, withPrincipal: boolean): PolicyVerdict {
  const verdict: PolicyVerdict = { allow: false, deny: false, match: 'none' };
  for (const policy of policies) {
    for (const st of policy.statements) {
      let match: PrincipalMatch = 'direct';
      if (withPrincipal) {
        if (st.principal) match = principalMatch(st.principal, request.principal);
        else if (st.notPrincipal) match = principalMatch(st.notPrincipal, request.principal) === 'none' ? 'direct' : 'none';
        if (match === 'none') continue;
      }
      if (!statementApplies(st, request, policy)) continue;
      if (st.effect === 'Deny') {
        verdict.deny = true;
        return verdict;
      }
      verdict.allow = true;
      if (RANK[match] > RANK[verdict.match]) verdict.match = match;
    }
  }
  return verdict;
}

const NONE: PolicyVerdict = { allow: false, deny: false, match: 'none' };

/** Evaluates a request against the policies that apply to it. */
export function evaluate(request: EvaluationRequest, set: PolicySet): Evaluation {
  const { principal } = request;
  const identity = principal.isRoot || principal.service ? NONE : judge(set.identity, request, false);
  if (identity.deny) return { decision: 'ExplicitDeny', policyType: 'identity-based policy' };
  const resource = set.resource?.policy ? judge([set.resource.policy], request, true) : NONE;
  if (resource.deny) return { decision: 'ExplicitDeny', policyType: 'resource-based policy' };
  const boundary = set.boundary ? judge([set.boundary], request, false) : undefined;
  if (boundary?.deny) return { decision: 'ExplicitDeny', policyType: 'permissions boundary' };
  const session = set.session ? judge(set.session, request, false) : undefined;
  if (session?.deny) return { decision: 'ExplicitDeny', policyType: 'session policy' };

  if (set.resourcePolicyRequired && !resource.allow) return { decision: 'ImplicitDeny', policyType: 'resource-based policy' };
  const owner = set.resource?.ownerAccountId ?? principal.accountId;
  const sameAccount = owner === principal.accountId;
  const selfAllowed = principal.isRoot || principal.service !== undefined;
  const identityAllows = selfAllowed || identity.allow;
  const withinBoundary = selfAllowed || !boundary || boundary.allow;
  const withinSession = !session || session.allow;
  const identityPath = identityAllows && withinBoundary && withinSession;

  if (!sameAccount) {
    if (!resource.allow) return { decision: 'ImplicitDeny', policyType: 'resource-based policy' };
    if (principal.service !== undefined || principal.isAnonymous) return { decision: 'Allow' };
    return identityPath ? { decision: 'Allow' } : implicit(identityAllows, withinBoundary);
  }
  if (resource.match === 'direct') return { decision: 'Allow' };
  if (resource.match === 'role') {
    if (withinBoundary && withinSession) return { decision: 'Allow' };
    return implicit(true, withinBoundary);
  }
  if (identityPath) return { decision: 'Allow' };
  return implicit(identityAllows, withinBoundary);
}

function implicit(identityAllows: boolean, withinBoundary: boolean): Evaluation {
  if (!identityAllows) return { decision: 'ImplicitDeny', policyType: 'identity-based policy' };
  if (!withinBoundary) return { decision: 'ImplicitDeny', policyType: 'permissions boundary' };
  return { decision: 'ImplicitDeny', policyType: 'session policy' };
}

/** AWS's reason clause for a denial: `because no identity-based policy allows the s3:GetObject action`. */
export function denialReason(evaluation: Exclude<Evaluation, { decision: 'Allow' }>, action: string): string {
  const article = evaluation.policyType === 'identity-based policy' ? 'an' : 'a';
  return evaluation.decision === 'ExplicitDeny'
    ? `with an explicit deny in ${article} ${evaluation.policyType}`
    : `because no ${evaluation.policyType} allows the ${action} action`;
}
