/**
 * @module
 * EC2's settings per account and region (EBS encryption by default, the default VPC), made on the
 * first EC2 call in a region, with the default VPC. That VPC is not a user's call, so it gets no
 * CloudTrail record of its own; its resources do go to Config through the outbox, caused by the
 * call that first touched EC2 in the region.
 */
import type { Scope } from '../../core/scope.js';
import type { Tx } from '../../store/types.js';
import type { CallContext } from '../service.js';
import { newEc2Id } from './ids.js';
import { createDefaultVpc } from './network-setup.js';

/** EC2's settings in one account and region. */
export interface AccountSettings {
  readonly dhcpOptionsId: string;
  /** Undefined once the default VPC is deleted. */
  readonly defaultVpcId?: string;
  readonly ebsEncryptionByDefault: boolean;
  /** The key for EBS encryption by default; undefined means the AWS managed key `alias/aws/ebs`. */
  readonly ebsDefaultKmsKeyId?: string;
}

const KIND = 'ec2.account';
const ID = 'settings';

/** The AWS managed key EBS uses when no key is set. */
export const AWS_MANAGED_EBS_KEY = 'alias/aws/ebs';

/** The settings of an account and region, if EC2 has been used there. */
export async function findAccountSettings(tx: Tx, scope: Scope): Promise<AccountSettings | undefined> {
  return tx.documents.get<AccountSettings>(scope, KIND, ID);
}

/** Whether EBS encryption by default is on in an account and region (an account-level fact Config rules read). */
export async function ebsEncryptionByDefault(tx: Tx, scope: Scope): Promise<boolean> {
  return (await findAccountSettings(tx, scope))?.ebsEncryptionByDefault ?? false;
}

/** Stores the settings of the call's account and region. */
export async function saveAccountSettings(ctx: CallContext, settings: AccountSettings): Promise<void> {
  await ctx.tx.documents.put(ctx.scope, KIND, ID, settings);
}

/** The settings of the call's account and region, creating them and the default VPC on first use. */
export async function accountSettings(ctx: CallContext): Promise<AccountSettings> {
  const existing = await findAccountSettings(ctx.tx, ctx.scope);
  if (existing) return existing;
  const dhcpOptionsId = newEc2Id('dopt');
  const vpc = await createDefaultVpc(ctx, dhcpOptionsId, { audit: false });
  const settings: AccountSettings = { dhcpOptionsId, defaultVpcId: vpc.VpcId, ebsEncryptionByDefault: false };
  await saveAccountSettings(ctx, settings);
  return settings;
}
