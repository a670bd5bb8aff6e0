/**
 * @module
 * The authoriser every call goes through: it gathers the policies that apply (the principal's
 * identity-based policies, boundary and session policies from IAM; the resource's resource-based
 * policy from the service that owns its ARN), builds the request context (global condition keys
 * and the operation's own keys) and asks the pure evaluator. A principal's parsed policies are
 * reused while the account's IAM generation, read in the call's transaction, stays the same.
 */
import { isoSeconds } from '../core/clock.js';
import { parseArn, type Arn } from '../core/arn.js';
import type { ResourcePolicy, ServiceDefinition } from '../services/service.js';
import type { Tx } from '../store/types.js';
import type { AuthorizationRequest, Authorizer, Decision } from './authorize.js';
import type { ContextLookup, ContextValue } from './policy/conditions.js';
import type { PolicyKind } from './policy/document.js';
import { denialReason, evaluate, type RequestPrincipal } from './policy/evaluate.js';
import type { Principal } from './principal.js';
import type { AuthorizationCache, ResolvedPolicies } from './authorization-cache.js';

/** A principal's policies as IAM holds them (documents as JSON text). */
export interface PrincipalPolicies {
  readonly identity: readonly string[];
  readonly boundary?: string;
  /** Session policies; undefined when the session was given none. */
  readonly session?: readonly string[];
  /** aws:PrincipalTag values: the user's or role's tags, then session tags. */
  readonly tags?: Readonly<Record<string, string>>;
  readonly userName?: string;
  readonly roleArn?: string;
}

/** Where a principal's policies come from: IAM, read in a call's transaction. */
export interface PrincipalPolicySource {
  /** A principal's policies; undefined when its IAM entity is gone. */
  read(tx: Tx, principal: Principal): Promise<PrincipalPolicies | undefined>;
  /** A token that changes, in the same transaction, with anything `read` would answer for the account's principals. */
  generation(tx: Tx, accountId: string): Promise<string>;
}

const CACHE_LIMIT = 5_000;
const LAST_USED_INTERVAL_MS = 60_000;

function principalType(principal: Principal): string {
  switch (principal.type) {
    case 'Root':
      return 'Account';
    case 'IAMUser':
      return 'User';
    default:
      return principal.type;
  }
}

/** Authorises calls by IAM policy evaluation. */
export class PolicyAuthorizer implements Authorizer {
  readonly #policies: PrincipalPolicySource;
  /** The resource-policy hooks of the services that may own an ARN, by the ARN's service part. */
  readonly #owners = new Map<string, NonNullable<ServiceDefinition['resourcePolicy']>[]>();
  readonly #cache: AuthorizationCache;
  /** When each key's last use was last checked, so that most calls skip reading the key. */
  readonly #keyChecked = new Map<string, number>();

  constructor(options: { services: readonly ServiceDefinition[]; policies: PrincipalPolicySource; cache: AuthorizationCache }) {
    this.#policies = options.policies;
    this.#cache = options.cache;
    for (const service of options.services) {
      if (!service.resourcePolicy) continue;
      for (const name of new Set([service.model.metadata.signingName ?? service.model.id, service.model.id])) {
        this.#owners.set(name, [...(this.#owners.get(name) ?? []), service.resourcePolicy]);
      }
    }
  }

  async authorize(request: AuthorizationRequest): Promise<Decision> {
    const { principal, tx } = request;
    await this.#noteKeyUse(request);
    const resolved = await this.#resolve(tx, principal);
    const deny = (resource: string, reason?: string): Decision => ({ allowed: false, resource, reason });
    if (!resolved) return deny(request.resources[0] ?? '*', denialReason({ decision: 'ImplicitDeny', policyType: 'identity-based policy' }, request.action));
    const { own, identity, boundary, session } = resolved;
    const requester = requestPrincipal(principal, own);
    const base = contextKeys(request, own);
    for (const resource of request.resources) {
      const arn = resource === '*' ? undefined : parseArn(resource);
      const found = arn && (await this.#resourcePolicy(tx, resource, arn.service));
      const owner = found?.ownerAccountId ?? resourceAccount(arn, principal.accountId);
      const local = new Map<string, ContextValue>([['aws:resourceaccount', owner]]);
      for (const [k, v] of Object.entries(found?.tags ?? {})) local.set(`aws:resourcetag/${k.toLowerCase()}`, v);
      for (const [k, v] of Object.entries(request.context.keys ?? {})) local.set(k.toLowerCase(), v);
      const context = (key: string) => local.get(key) ?? base.get(key) ?? clockKey(key, request.context.now);
      const kind: PolicyKind = isAssumeRole(request.action) ? 'trust' : 'resource';
      const set = {
        identity,
        boundary,
        session,
        resource: { ownerAccountId: owner, policy: found?.document !== undefined ? this.#cache.policy(found.document, kind) : undefined },
        resourcePolicyRequired: kind === 'trust' || found?.required === true,
      };
      const actions = kind === 'trust' ? [request.action, ...trustCompanions(context)] : [request.action];
      for (const action of actions) {
        const result = evaluate({ principal: requester, action, resource, context }, set);
        if (result.decision !== 'Allow') {
          return { allowed: false, resource, action, reason: kind === 'trust' ? undefined : denialReason(result, action) };
        }
      }
    }
    return { allowed: true };
  }

  /** The principal's policies, parsed: from the cache while the IAM generation is unchanged. */
  async #resolve(tx: Tx, principal: Principal): Promise<ResolvedPolicies> {
    if (principal.type !== 'IAMUser' && principal.type !== 'AssumedRole') return NO_POLICIES;
    const key = principalKey(principal);
    const generation = key !== undefined ? await this.#policies.generation(tx, principal.accountId) : '';
    const cached = key !== undefined ? this.#cache.principal(key, generation) : undefined;
    if (cached !== undefined) return cached;
    const own = await this.#policies.read(tx, principal);
    const parse = (text: string) => this.#cache.policy(text, 'identity') ?? [];
    const resolved: ResolvedPolicies = own ? {
      own,
      identity: own.identity.flatMap(parse),
      boundary: own.boundary !== undefined ? this.#cache.policy(own.boundary, 'identity') : undefined,
      session: own.session?.flatMap(parse),
    } : null;
    if (key !== undefined) this.#cache.remember(key, generation, resolved);
    return resolved;
  }

  async #resourcePolicy(tx: Tx, resource: string, service: string): Promise<ResourcePolicy | undefined> {
    for (const hook of this.#owners.get(service) ?? []) {
      const found = await hook(tx, resource);
      if (found) return found;
    }
    return undefined;
  }

  /** Keeps AccessKeyLastUsed current, writing at most once a minute per key. */
  async #noteKeyUse({ principal, tx, context, scope, action, preflight }: AuthorizationRequest): Promise<void> {
    const id = principal.accessKeyId;
    if (!id || principal.session || preflight) return;
    const checked = this.#keyChecked.get(id);
    if (checked !== undefined && context.now - checked < LAST_USED_INTERVAL_MS) return;
    if (this.#keyChecked.size >= CACHE_LIMIT) this.#keyChecked.clear();
    this.#keyChecked.set(id, context.now);
    const key = await tx.credentials.get(id);
    if (!key || key.sessionToken !== undefined || (key.lastUsed && context.now - key.lastUsed.at < LAST_USED_INTERVAL_MS)) return;
    await tx.credentials.put({ ...key, lastUsed: { at: context.now, region: scope.region, service: action.slice(0, action.indexOf(':')) } });
  }
}

const NO_POLICIES: ResolvedPolicies = { own: { identity: [] }, identity: [] };

/**
 * What a principal's policies depend on besides IAM's state: the user, or the role session (its
 * credentials, whose session policies and tags never change). Undefined: not cacheable.
 */
function principalKey(principal: Principal): string | undefined {
  if (principal.type === 'IAMUser') return `user ${principal.accountId} ${principal.principalId} ${principal.userName ?? ''}`;
  const issuer = principal.session?.issuer;
  if (!principal.accessKeyId || !issuer) return undefined;
  return `session ${principal.accountId} ${principal.accessKeyId} ${issuer.principalId} ${principal.arn}`;
}

function isAssumeRole(action: string): boolean {
  return action.toLowerCase() === 'sts:assumerole';
}

/** What a role's trust policy must also allow: sts:TagSession to pass session tags, sts:SetSourceIdentity to set one. */
function trustCompanions(context: ContextLookup): string[] {
  const companions: string[] = [];
  if (context('aws:tagkeys') !== undefined) companions.push('sts:TagSession');
  if (context('sts:sourceidentity') !== undefined) companions.push('sts:SetSourceIdentity');
  return companions;
}

/** The account in a resource's ARN; resources without one (S3 buckets, AWS managed policies) count as the caller's. */
function resourceAccount(arn: Arn | undefined, fallback: string): string {
  const account = arn?.accountId;
  return account && /^\d{12}$/.test(account) ? account : fallback;
}

function requestPrincipal(principal: Principal, own: PrincipalPolicies): RequestPrincipal {
  return {
    arn: principal.arn,
    accountId: principal.accountId,
    roleArn: own.roleArn,
    service: principal.type === 'AWSService' ? principal.arn : undefined,
    isRoot: principal.type === 'Root',
    isAnonymous: principal.type === 'Anonymous',
  };
}

/** The condition keys of the request's time, computed only when a condition asks for them. */
function clockKey(key: string, now: number): string | undefined {
  if (key === 'aws:currenttime') return isoSeconds(now);
  if (key === 'aws:epochtime') return String(Math.floor(now / 1000));
  return undefined;
}

/** The global condition keys of a request, lower-cased (the time keys: clockKey). */
function contextKeys(request: AuthorizationRequest, own: PrincipalPolicies): Map<string, ContextValue> {
  const { principal, context, scope } = request;
  const keys = new Map<string, ContextValue>([
    ['aws:securetransport', String(context.secureTransport)],
    ['aws:requestedregion', scope.region],
    ['aws:principaltype', principalType(principal)],
    ['aws:principalisawsservice', String(principal.type === 'AWSService')],
  ]);
  if (context.sourceIp) keys.set('aws:sourceip', context.sourceIp);
  if (context.userAgent) keys.set('aws:useragent', context.userAgent);
  if (principal.type !== 'AWSService' && principal.type !== 'Anonymous') {
    keys.set('aws:principalarn', own.roleArn ?? principal.arn);
    keys.set('aws:principalaccount', principal.accountId);
    keys.set('aws:userid', principal.principalId);
  }
  if (own.userName) keys.set('aws:username', own.userName);
  for (const [k, v] of Object.entries(own.tags ?? {})) keys.set(`aws:principaltag/${k.toLowerCase()}`, v);
  const session = principal.session;
  if (session) {
    keys.set('aws:multifactorauthpresent', String(session.mfaAuthenticated));
    keys.set('aws:tokenissuetime', session.creationDate);
    if (session.mfaAuthenticated) keys.set('aws:multifactorauthage', String(Math.max(0, Math.floor((context.now - Date.parse(session.creationDate)) / 1000))));
    if (session.sourceIdentity) keys.set('aws:sourceidentity', session.sourceIdentity);
  }
  return keys;
}
