/**
 * @module
 * AWS managed keys (`aws/<service>`): created in an account and region the first time a service
 * encrypts there without a key of the customer's (S3's `aws/s3`), with the policy AWS gives them:
 * any principal of the account may use the key through that service only.
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-key
 */
import { randomUUID } from 'node:crypto';
import type { Scope } from '../../core/scope.js';
import type { Tx } from '../../store/types.js';
import { newMaterialVersion } from './data-keys.js';
import type { KeyVault } from './key-vault.js';
import { ALIAS_KIND, storeKey, type AliasDocument, type KeyDocument } from './keys.js';

/** The policy of an AWS managed key for a service, formatted as AWS returns it. */
export function managedKeyPolicy(scope: Scope, service: string): string {
  return `{
  "Version" : "2012-10-17",
  "Id" : "auto-${service}-2",
  "Statement" : [ {
    "Sid" : "Allow access through ${service.toUpperCase()} for all principals in the account that are authorized to use ${service.toUpperCase()}",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "*"
    },
    "Action" : [ "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey" ],
    "Resource" : "*",
    "Condition" : {
      "StringEquals" : {
        "kms:CallerAccount" : "${scope.accountId}",
        "kms:ViaService" : "${service}.${scope.region}.amazonaws.com"
      }
    }
  }, {
    "Sid" : "Allow direct access to key metadata to the account",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:aws:iam::${scope.accountId}:root"
    },
    "Action" : [ "kms:Describe*", "kms:Get*", "kms:List*" ],
    "Resource" : "*"
  } ]
}`;
}

/** The alias name of a service's AWS managed key. */
export function managedKeyAlias(service: string): string {
  return `alias/aws/${service}`;
}

/** Whether the account and region have the service's AWS managed key yet. */
export async function hasManagedKey(tx: Tx, scope: Scope, service: string): Promise<boolean> {
  return (await tx.documents.get<AliasDocument>(scope, ALIAS_KIND, managedKeyAlias(service))) !== undefined;
}

/** Creates the service's AWS managed key of an account and region, unless it exists. */
export async function ensureManagedKey(tx: Tx, vault: KeyVault, scope: Scope, service: string, now: number): Promise<void> {
  if (await hasManagedKey(tx, scope, service)) return;
  const draft: KeyDocument = {
    keyId: randomUUID(),
    accountId: scope.accountId,
    region: scope.region,
    description: `Default key that protects my ${service.toUpperCase()} objects when no other key is defined`,
    creationDate: now,
    keyState: 'Enabled',
    policy: managedKeyPolicy(scope, service),
    tags: [],
    rotation: { enabled: false },
    materials: [],
    manager: 'AWS',
  };
  await storeKey(tx, { ...draft, materials: [newMaterialVersion(vault, draft, now)] });
  const alias: AliasDocument = { aliasName: managedKeyAlias(service), targetKeyId: draft.keyId, creationDate: now, lastUpdatedDate: now };
  await tx.documents.put(scope, ALIAS_KIND, alias.aliasName, alias);
}
