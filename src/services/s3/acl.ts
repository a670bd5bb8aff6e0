/**
 * @module
 * Access control lists of buckets and objects: canned ACLs, `x-amz-grant-*` headers and
 * AccessControlPolicy documents in, AccessControlPolicy out, and the policy statements an ACL is
 * equivalent to (so that one evaluator, IAM's, judges bucket policies and ACLs together).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html
 */
import { createHash } from 'node:crypto';
import type { AccessControlPolicy, Grant, Permission } from '@aws-sdk/client-s3';
import { InvalidArgument, InvalidRequest, MalformedXML } from './errors.js';

/** An ACL: the owner's canonical user id and the grants. */
export interface StoredAcl {
  readonly owner: string;
  readonly grants: readonly Grant[];
}

/** The grantee groups S3 knows, by URI. */
export const GROUPS = {
  allUsers: 'http://acs.amazonaws.com/groups/global/AllUsers',
  authenticatedUsers: 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers',
  logDelivery: 'http://acs.amazonaws.com/groups/s3/LogDelivery',
} as const;

const PERMISSIONS: readonly Permission[] = ['FULL_CONTROL', 'READ', 'WRITE', 'READ_ACP', 'WRITE_ACP'];
/** The canonical user behind `aws-exec-read` (Amazon EC2). */
const EC2_CANONICAL_ID = '6aa5a366c34c1cbe25dc49211496e913e0351eb0e8c37aa3477e40942ec6b97c';

/** The canonical user id of an account (stable, 64 hex digits, as S3's are). */
export function canonicalUserId(accountId: string): string {
  return createHash('sha256').update(`custos-canonical-user:${accountId}`).digest('hex');
}

function user(id: string, permission: Permission): Grant {
  return { Grantee: { Type: 'CanonicalUser', ID: id }, Permission: permission };
}

function group(uri: string, permission: Permission): Grant {
  return { Grantee: { Type: 'Group', URI: uri }, Permission: permission };
}

/** The ACL of a new resource without one: its owner has full control. */
export function privateAcl(owner: string): StoredAcl {
  return { owner, grants: [user(owner, 'FULL_CONTROL')] };
}

/** The grants of a canned ACL; `bucketOwner` matters to the bucket-owner-* ACLs of objects. */
export function cannedAcl(name: string, owner: string, bucketOwner = owner): StoredAcl {
  const base = [user(owner, 'FULL_CONTROL')];
  const extra: Record<string, Grant[]> = {
    private: [],
    'public-read': [group(GROUPS.allUsers, 'READ')],
    'public-read-write': [group(GROUPS.allUsers, 'READ'), group(GROUPS.allUsers, 'WRITE')],
    'authenticated-read': [group(GROUPS.authenticatedUsers, 'READ')],
    'aws-exec-read': [user(EC2_CANONICAL_ID, 'READ')],
    'bucket-owner-read': bucketOwner === owner ? [] : [user(bucketOwner, 'READ')],
    'bucket-owner-full-control': bucketOwner === owner ? [] : [user(bucketOwner, 'FULL_CONTROL')],
    'log-delivery-write': [group(GROUPS.logDelivery, 'WRITE'), group(GROUPS.logDelivery, 'READ_ACP')],
  };
  const grants = extra[name];
  if (!grants) throw new InvalidArgument('Argument format not recognized', 'x-amz-acl', name);
  return { owner, grants: [...base, ...grants] };
}

const GRANT_HEADERS = {
  GrantFullControl: 'FULL_CONTROL',
  GrantRead: 'READ',
  GrantReadACP: 'READ_ACP',
  GrantWrite: 'WRITE',
  GrantWriteACP: 'WRITE_ACP',
} as const satisfies Record<string, Permission>;

/** The ACL-bearing members of bucket and object requests. */
export interface AclRequest {
  ACL?: string;
  GrantFullControl?: string;
  GrantRead?: string;
  GrantReadACP?: string;
  GrantWrite?: string;
  GrantWriteACP?: string;
  AccessControlPolicy?: AccessControlPolicy;
}

function parseGrantees(header: string, permission: Permission): Grant[] {
  return header.split(',').map((item) => {
    const m = /^\s*(id|uri|emailAddress)\s*=\s*"?([^"]*)"?\s*$/.exec(item);
    if (!m || m[2] === '') throw new InvalidArgument('Argument format not recognized', 'x-amz-grant', header);
    if (m[1] === 'id') return user(m[2]!, permission);
    if (m[1] === 'uri') return group(m[2]!, permission);
    return { Grantee: { Type: 'AmazonCustomerByEmail', EmailAddress: m[2]! }, Permission: permission };
  });
}

function checkPolicy(policy: AccessControlPolicy, owner: string): StoredAcl {
  const grants = policy.Grants ?? [];
  for (const grant of grants) {
    const grantee = grant.Grantee;
    if (!grant.Permission || !PERMISSIONS.includes(grant.Permission) || !grantee?.Type) throw new MalformedXML();
    const id = grantee.Type === 'CanonicalUser' ? grantee.ID : grantee.Type === 'Group' ? grantee.URI : grantee.EmailAddress;
    if (!id) throw new MalformedXML();
  }
  if (policy.Owner?.ID !== undefined && policy.Owner.ID !== owner) throw new InvalidArgument('Invalid id', 'CanonicalUser/ID', policy.Owner.ID);
  return { owner, grants: grants.map((g) => ({ Grantee: { ...g.Grantee, DisplayName: undefined } as Grant['Grantee'], Permission: g.Permission })) };
}

/**
 * The ACL a request asks for (canned, header grants or a document), or undefined when it asks for
 * none. Only one of the three may be given.
 */
export function requestedAcl(request: AclRequest, owner: string, bucketOwner = owner): StoredAcl | undefined {
  const headerGrants = (Object.keys(GRANT_HEADERS) as (keyof typeof GRANT_HEADERS)[])
    .filter((name) => request[name] !== undefined)
    .flatMap((name) => parseGrantees(request[name]!, GRANT_HEADERS[name]));
  const given = [request.ACL !== undefined, headerGrants.length > 0, request.AccessControlPolicy !== undefined].filter(Boolean).length;
  if (given > 1) throw new InvalidRequest('Specifying both Canned ACLs and Header Grants is not allowed');
  if (request.ACL !== undefined) return cannedAcl(request.ACL, owner, bucketOwner);
  if (headerGrants.length > 0) return { owner, grants: headerGrants };
  if (request.AccessControlPolicy) return checkPolicy(request.AccessControlPolicy, owner);
  return undefined;
}

/** Whether a grant is to everyone or to every authenticated AWS user. */
export function isPublicGrant(grant: Grant): boolean {
  return grant.Grantee?.Type === 'Group' && (grant.Grantee.URI === GROUPS.allUsers || grant.Grantee.URI === GROUPS.authenticatedUsers);
}

/** Whether an ACL grants anything to the public. */
export function isPublicAcl(acl: StoredAcl): boolean {
  return acl.grants.some(isPublicGrant);
}

/** Whether an ACL is just "the owner has full control" (all that BucketOwnerEnforced allows). */
export function isOwnerOnly(acl: StoredAcl): boolean {
  return acl.grants.every((g) => g.Grantee?.Type === 'CanonicalUser' && g.Grantee.ID === acl.owner);
}

/** An ACL as GetBucketAcl and GetObjectAcl return it. */
export function toAccessControlPolicy(acl: StoredAcl): { Owner: { ID: string }; Grants: Grant[] } {
  return { Owner: { ID: acl.owner }, Grants: acl.grants.map((g) => ({ ...g })) };
}

const BUCKET_ACTIONS: Partial<Record<Permission, readonly string[]>> = {
  READ: ['s3:ListBucket', 's3:ListBucketVersions', 's3:ListBucketMultipartUploads'],
  READ_ACP: ['s3:GetBucketAcl'],
  WRITE_ACP: ['s3:PutBucketAcl'],
};
const BUCKET_WRITE_ACTIONS = ['s3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion'];
const OBJECT_ACTIONS: Partial<Record<Permission, readonly string[]>> = {
  READ: ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectTorrent'],
  READ_ACP: ['s3:GetObjectAcl', 's3:GetObjectVersionAcl'],
  WRITE_ACP: ['s3:PutObjectAcl', 's3:PutObjectVersionAcl'],
};

/** A statement of an IAM policy document. */
export type PolicyStatement = Record<string, unknown>;

/**
 * The policy statements an ACL amounts to: each grant becomes an Allow for its grantee (AllUsers is
 * `*`, AuthenticatedUsers `{"AWS": "*"}`, a canonical user the account `principalOf` maps it to).
 * `arn` is the bucket's or the object's. The owner's own full control is left out (owners are
 * authorised by their identity policies).
 */
export function aclStatements(acl: StoredAcl, arn: string, level: 'bucket' | 'object', principalOf: (canonicalId: string) => string | undefined): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  for (const grant of acl.grants) {
    const grantee = grant.Grantee;
    if (!grantee || !grant.Permission || (grantee.Type === 'CanonicalUser' && grantee.ID === acl.owner)) continue;
    let principal: unknown;
    if (grantee.Type === 'Group' && grantee.URI === GROUPS.allUsers) principal = '*';
    else if (grantee.Type === 'Group' && grantee.URI === GROUPS.authenticatedUsers) principal = { AWS: '*' };
    else if (grantee.Type === 'Group' && grantee.URI === GROUPS.logDelivery) principal = { Service: 'logging.s3.amazonaws.com' };
    else if (grantee.Type === 'CanonicalUser' && grantee.ID) {
      const account = principalOf(grantee.ID);
      principal = account ? { AWS: `arn:aws:iam::${account}:root` } : { CanonicalUser: grantee.ID };
    } else continue;
    const permissions: Permission[] = grant.Permission === 'FULL_CONTROL' ? ['READ', 'WRITE', 'READ_ACP', 'WRITE_ACP'] : [grant.Permission];
    const table = level === 'bucket' ? BUCKET_ACTIONS : OBJECT_ACTIONS;
    const onResource = permissions.flatMap((p) => table[p] ?? []);
    if (onResource.length > 0) statements.push({ Sid: `${level}-acl-${statements.length}`, Effect: 'Allow', Principal: principal, Action: onResource, Resource: arn });
    if (level === 'bucket' && permissions.includes('WRITE')) {
      statements.push({ Sid: `${level}-acl-${statements.length}`, Effect: 'Allow', Principal: principal, Action: BUCKET_WRITE_ACTIONS, Resource: `${arn}/*` });
    }
  }
  return statements;
}
