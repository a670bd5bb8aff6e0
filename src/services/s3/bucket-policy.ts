/**
 * @module
 * Bucket policies: the checks PutBucketPolicy makes before storing one, and whether a policy is
 * public in S3's sense (what GetBucketPolicyStatus and Block Public Access judge). Pure.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status
 */
import { MalformedPolicy } from './errors.js';

/** The largest bucket policy S3 accepts, in bytes. */
export const MAX_POLICY_BYTES = 20 * 1024;

/** Condition keys that, with fixed values, make a statement non-public. */
const RESTRICTING_KEYS = new Set([
  'aws:sourceip', 'aws:sourcearn', 'aws:sourcevpc', 'aws:sourcevpce', 'aws:sourceowner', 'aws:sourceaccount', 'aws:userid',
  'aws:principalorgid', 'aws:principalaccount', 'aws:principalarn', 'aws:principalorgpaths', 's3:x-amz-server-side-encryption-aws-kms-key-id',
  's3:dataaccesspointarn', 's3:dataaccesspointaccount',
]);
const OPEN_CIDRS = new Set(['0.0.0.0/0', '::/0']);

type Statement = Record<string, unknown>;

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

function statementsOf(policy: unknown): Statement[] {
  const statement = (policy as { Statement?: unknown }).Statement;
  return list(statement).filter((s): s is Statement => typeof s === 'object' && s !== null);
}

/**
 * Parses and checks a bucket policy for `bucket`: JSON, a Statement, each with Effect, Principal,
 * Action (S3 actions only) and Resource (this bucket or its objects). Returns the parsed document;
 * throws MalformedPolicy with S3's message otherwise.
 */
export function checkBucketPolicy(text: string, bucket: string): Record<string, unknown> {
  if (Buffer.byteLength(text, 'utf8') > MAX_POLICY_BYTES) throw new MalformedPolicy('Policy exceeds the maximum allowed document size.');
  let policy: unknown;
  try {
    policy = JSON.parse(text);
  } catch {
    throw new MalformedPolicy("Policies must be valid JSON and the first byte must be '{'");
  }
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) throw new MalformedPolicy("Policies must be valid JSON and the first byte must be '{'");
  const statements = statementsOf(policy);
  if (statements.length === 0) throw new MalformedPolicy('Missing required field Statement');
  for (const statement of statements) {
    if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') throw new MalformedPolicy(statement.Effect === undefined ? 'Missing required field Effect' : 'Invalid effect: ' + String(statement.Effect));
    if (statement.Principal === undefined && statement.NotPrincipal === undefined) throw new MalformedPolicy('Missing required field Principal');
    const principal = statement.Principal ?? statement.NotPrincipal;
    if (typeof principal !== 'string' && (typeof principal !== 'object' || principal === null)) throw new MalformedPolicy('Invalid principal in policy');
    if (typeof principal === 'string' && principal !== '*') throw new MalformedPolicy('Invalid principal in policy');
    const actions = list(statement.Action ?? statement.NotAction);
    if (actions.length === 0) throw new MalformedPolicy('Missing required field Action');
    if (!actions.every((a) => typeof a === 'string' && (a === '*' || /^s3:[A-Za-z*?]+$/.test(a)))) throw new MalformedPolicy('Policy has invalid action');
    const resources = list(statement.Resource ?? statement.NotResource);
    if (resources.length === 0) throw new MalformedPolicy('Missing required field Resource');
    const mine = (r: unknown) => typeof r === 'string' && (r === `arn:aws:s3:::${bucket}` || r.startsWith(`arn:aws:s3:::${bucket}/`));
    if (!resources.every(mine)) throw new MalformedPolicy('Policy has invalid resource');
  }
  return policy as Record<string, unknown>;
}

function isWildcardPrincipal(principal: unknown): boolean {
  if (principal === '*') return true;
  if (typeof principal !== 'object' || principal === null) return false;
  return list((principal as Record<string, unknown>).AWS).includes('*') || list((principal as Record<string, unknown>).CanonicalUser).includes('*');
}

function isRestricting(condition: unknown): boolean {
  if (typeof condition !== 'object' || condition === null) return false;
  for (const [operator, clauses] of Object.entries(condition as Record<string, Record<string, unknown>>)) {
    if (operator.startsWith('ForAnyValue:') || operator.endsWith('IfExists') || operator.startsWith('StringNot') || operator === 'Null') continue;
    for (const [key, value] of Object.entries(clauses ?? {})) {
      if (!RESTRICTING_KEYS.has(key.toLowerCase())) continue;
      const values = list(value).map(String);
      if (values.length > 0 && values.every((v) => !v.includes('*') && !OPEN_CIDRS.has(v))) return true;
    }
  }
  return false;
}

/** Whether a statement grants access to anyone (a wildcard principal with no restricting condition). */
export function isPublicStatement(statement: Statement): boolean {
  return statement.Effect === 'Allow' && (isWildcardPrincipal(statement.Principal) || statement.NotPrincipal !== undefined) && !isRestricting(statement.Condition);
}

/** Whether a policy document is public: some Allow statement is. */
export function isPublicPolicy(policy: unknown): boolean {
  return statementsOf(policy).some(isPublicStatement);
}

/** The statements of a policy document. */
export function policyStatements(policy: unknown): Statement[] {
  return statementsOf(policy);
}
