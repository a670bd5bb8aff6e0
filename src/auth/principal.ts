/**
 * @module
 * Who is calling: the principal behind a request's credentials, in the shapes CloudTrail's
 * userIdentity and IAM's policy evaluation both need.
 */
import { isoSeconds } from '../core/clock.js';
import type { AccessKey } from '../store/types.js';

/** The issuer of temporary credentials (CloudTrail's sessionContext.sessionIssuer). */
export interface SessionIssuer {
  readonly type: 'Root' | 'IAMUser' | 'Role';
  readonly principalId: string;
  readonly arn: string;
  readonly accountId: string;
  readonly userName: string;
}

/** Facts about a session made with temporary credentials. */
export interface SessionFacts {
  readonly issuer?: SessionIssuer;
  /** ISO 8601 time the credentials were issued. */
  readonly creationDate: string;
  readonly mfaAuthenticated: boolean;
  readonly sourceIdentity?: string;
  /** Session policy document and managed policy ARNs passed to AssumeRole / GetFederationToken. */
  readonly policy?: string;
  readonly policyArns?: readonly string[];
  /** Session tags. */
  readonly tags?: Readonly<Record<string, string>>;
  readonly sessionName?: string;
}

/** The caller of an API. */
export interface Principal {
  readonly type: 'Root' | 'IAMUser' | 'AssumedRole' | 'FederatedUser' | 'AWSService' | 'Anonymous';
  readonly accountId: string;
  readonly arn: string;
  readonly principalId: string;
  readonly accessKeyId?: string;
  /** IAM user name; for Root the account alias, when one is set. */
  readonly userName?: string;
  /** Present when the call used temporary credentials. */
  readonly session?: SessionFacts;
  /** The AWS service that made the call on the principal's behalf. */
  readonly invokedBy?: string;
}

/** The root user of an account. */
export function rootPrincipal(accountId: string, accessKeyId?: string): Principal {
  return { type: 'Root', accountId, arn: `arn:aws:iam::${accountId}:root`, principalId: accountId, accessKeyId };
}

/** An AWS service acting on its own behalf in an account (remediation, delivery...). */
export function servicePrincipal(accountId: string, service: string): Principal {
  return { type: 'AWSService', accountId, arn: service, principalId: service, invokedBy: service };
}

/** The principal a stored access key stands for. */
export function principalFromKey(key: AccessKey): Principal {
  const { owner } = key;
  const raw = owner.session as (Partial<SessionFacts> & { creationDate?: string }) | undefined;
  const session: SessionFacts | undefined = key.sessionToken
    ? {
        ...raw,
        creationDate: raw?.creationDate ?? isoSeconds(key.createdAt),
        mfaAuthenticated: raw?.mfaAuthenticated ?? false,
      }
    : undefined;
  switch (owner.type) {
    case 'Root':
      return { ...rootPrincipal(key.accountId, key.accessKeyId), session };
    case 'IAMUser':
      return { type: 'IAMUser', accountId: key.accountId, arn: owner.arn, principalId: owner.id, accessKeyId: key.accessKeyId, userName: owner.name, session };
    case 'AssumedRole':
    case 'FederatedUser':
      return {
        type: owner.type,
        accountId: key.accountId,
        arn: owner.arn,
        principalId: `${owner.id}:${session?.sessionName ?? ''}`,
        accessKeyId: key.accessKeyId,
        session,
      };
  }
}

/** The name LookupEvents shows as Username: the user name, `root`, or the role session name. */
export function lookupUsername(principal: Principal): string | undefined {
  switch (principal.type) {
    case 'Root':
      return 'root';
    case 'IAMUser':
      return principal.userName;
    case 'AssumedRole':
    case 'FederatedUser':
      return principal.session?.sessionName ?? principal.arn.slice(principal.arn.lastIndexOf('/') + 1);
    default:
      return undefined;
  }
}
