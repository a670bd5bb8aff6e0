/**
 * @module
 * The authorisation step's contract: may this principal perform this action on these resources?
 * PolicyAuthorizer (policy-authorizer.ts) implements it with IAM's policy evaluation.
 */
import type { Scope } from '../core/scope.js';
import type { Tx } from '../store/types.js';
import type { Principal } from './principal.js';

/** The request-time facts that policy conditions read (aws:SourceIp, aws:SecureTransport...). */
export interface AuthorizationContext {
  readonly sourceIp: string;
  readonly secureTransport: boolean;
  readonly now: number;
  readonly userAgent?: string;
  /** Service-specific condition keys (s3:prefix, aws:RequestTag/..., ...). */
  readonly keys?: Readonly<Record<string, string | readonly string[]>>;
}

/** One authorisation question. */
export interface AuthorizationRequest {
  readonly principal: Principal;
  readonly action: string;
  readonly resources: readonly string[];
  readonly scope: Scope;
  readonly context: AuthorizationContext;
  readonly tx: Tx;
  /** Asked against committed state before the call's transaction (`tx` cannot write): notes nothing. */
  readonly preflight?: boolean;
}

/**
 * The answer: allowed, or denied on a resource with AWS's reason text; `action` names the action
 * denied when it is not the one asked about (sts:TagSession for an AssumeRole with tags).
 */
export type Decision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly resource: string; readonly reason?: string; readonly action?: string };

/** Decides authorisation questions. */
export interface Authorizer {
  authorize(request: AuthorizationRequest): Promise<Decision>;
}
