/**
 * @module
 * The account and region every piece of state belongs to.
 */

/** The account and region a call acts in; every store call takes one. */
export interface Scope {
  readonly accountId: string;
  readonly region: string;
}

/** The account Custos creates on first start and uses in open mode for non-numeric keys. */
export const DEFAULT_ACCOUNT_ID = '123456789012';

/** The region AWS records global services (IAM, STS global endpoint) in. */
export const GLOBAL_REGION = 'us-east-1';

/** Whether a string is a 12-digit AWS account id. */
export function isAccountId(value: string): boolean {
  return /^\d{12}$/.test(value);
}
