/**
 * @module
 * KMS key references as EBS takes them (`KmsKeyId`): a key id, a key ARN, an alias name or an
 * alias ARN. Only the form is checked here; whether the key exists is KMS's business. Pure.
 */

const KEY_ID = '(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|mrk-[0-9a-fA-F]{32})';
const ALIAS = 'alias/[a-zA-Z0-9/_-]{1,250}';
const ARN_PREFIX = 'arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:';
const REFERENCE = new RegExp(`^(?:${KEY_ID}|${ALIAS}|${ARN_PREFIX}key/${KEY_ID}|${ARN_PREFIX}${ALIAS})$`);

/** Whether a value has the form of a KMS key id, key ARN, alias name or alias ARN. */
export function isKmsKeyReference(value: string): boolean {
  return REFERENCE.test(value);
}

/** The ARN form of a key reference in a region (alias names and bare key ids become ARNs; ARNs stay). */
export function kmsKeyArn(reference: string, region: string, accountId: string): string {
  if (reference.startsWith('arn:')) return reference;
  const resource = reference.startsWith('alias/') ? reference : `key/${reference}`;
  return `arn:aws:kms:${region}:${accountId}:${resource}`;
}
