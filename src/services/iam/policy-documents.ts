/**
 * @module
 * Policy documents as IAM handles them: validated on the way in (grammar, size quotas), URL-encoded
 * on the way out (IAM returns documents RFC 3986-encoded), resolved from managed policy ARNs.
 */
import { createHash } from 'node:crypto';
import { parsePolicy, policySize, PolicyError, type PolicyKind } from '../../auth/policy/document.js';
import type { Tx } from '../../store/types.js';
import { findPolicy, type PolicyDoc } from './entities.js';
import { LimitExceededException, MalformedPolicyDocumentException } from './errors.js';
import { MANAGED_POLICY_FILES } from './managed-policy-files.js';

/** An AWS managed policy, ready to serve. */
export interface AwsManagedPolicy {
  readonly PolicyName: string;
  readonly PolicyId: string;
  readonly Arn: string;
  readonly Path: string;
  readonly DefaultVersionId: string;
  readonly CreateDate: Date;
  readonly UpdateDate: Date;
  readonly document: string;
}

/** The prefix of AWS managed policy ARNs. */
export const AWS_POLICY_PREFIX = 'arn:aws:iam::aws:policy/';

/** A stable policy id for an AWS managed policy (the source data has none). */
function derivedPolicyId(arn: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const digest = createHash('sha256').update(arn).digest();
  let out = 'ANPA';
  for (let i = 0; i < 17; i++) out += alphabet[digest[i]! % 32];
  return out;
}

function catalog(): ReadonlyMap<string, AwsManagedPolicy> {
  return new Map(MANAGED_POLICY_FILES.map((file) => {
    const path = file.Arn.slice(AWS_POLICY_PREFIX.length - 1, file.Arn.length - file.PolicyName.length);
    return [file.Arn, {
      PolicyName: file.PolicyName,
      PolicyId: derivedPolicyId(file.Arn),
      Arn: file.Arn,
      Path: path,
      DefaultVersionId: file.DefaultVersionId,
      CreateDate: new Date(file.CreateDate),
      UpdateDate: new Date(file.UpdateDate),
      document: JSON.stringify(file.Document, null, 4),
    }];
  }));
}

/** The AWS managed policies Custos carries, by ARN (constant data). */
export const AWS_MANAGED_POLICIES = catalog();

/** Validates a document of a kind; throws MalformedPolicyDocument with IAM's message. */
export function checkDocument(text: string, kind: PolicyKind): void {
  try {
    parsePolicy(text, kind);
  } catch (error) {
    if (error instanceof PolicyError) throw new MalformedPolicyDocumentException(error.message);
    throw error;
  }
}

/** The inline policy size quota of each holder type, and the message IAM gives above it. */
const INLINE_QUOTA = { User: 2048, Group: 5120, Role: 10240 } as const;

/** Validates an inline policy and checks that the holder's inline policies together fit its quota. */
export function checkInlinePolicy(text: string, type: keyof typeof INLINE_QUOTA, name: string, others: Iterable<string>): void {
  checkDocument(text, 'identity');
  let total = policySize(text);
  for (const other of others) total += policySize(other);
  const quota = INLINE_QUOTA[type];
  if (total > quota) throw new LimitExceededException(`Maximum policy size of ${quota} bytes exceeded for ${type.toLowerCase()} ${name}`);
}

/** Validates a managed policy document against the grammar and the 6,144-character quota. */
export function checkManagedDocument(text: string): void {
  if (policySize(text) > 6144) throw new LimitExceededException('Cannot exceed quota for PolicySize: 6144');
  checkDocument(text, 'managed');
}

/** Validates a role trust policy against the grammar and the 2,048-character quota. */
export function checkTrustPolicy(text: string): void {
  if (policySize(text) > 2048) throw new LimitExceededException('Cannot exceed quota for ACLSizePerRole: 2048');
  checkDocument(text, 'trust');
}

/** A document as IAM returns it: URL-encoded. */
export function encodeDocument(text: string): string {
  return encodeURIComponent(text);
}

/** The default version's document of a customer policy. */
export function defaultDocument(policy: PolicyDoc): string {
  return policy.versions.find((v) => v.VersionId === policy.DefaultVersionId)!.Document;
}

/** The document a managed policy ARN names now (AWS managed or the account's own), if it exists. */
export async function managedDocument(tx: Tx, accountId: string, arn: string): Promise<string | undefined> {
  if (arn.startsWith(AWS_POLICY_PREFIX)) return AWS_MANAGED_POLICIES.get(arn)?.document;
  const policy = await findPolicy(tx, accountId, arn);
  return policy && defaultDocument(policy);
}
