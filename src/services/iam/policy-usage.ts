/**
 * @module
 * Managed policies in use: resolving an attachable ARN, and counting attachments and boundary
 * uses (AttachmentCount, PermissionsBoundaryUsageCount) for customer and AWS managed policies.
 */
import type { CallContext } from '../service.js';
import { findPolicy, iamScope, KIND, putEntity, type AwsPolicyUsage, type PolicyDoc } from './entities.js';
import { NoSuchEntityException, PolicyNotAttachableException } from './errors.js';
import { AWS_MANAGED_POLICIES, AWS_POLICY_PREFIX } from './policy-documents.js';

/** Checks that a managed policy ARN can be attached (or used as a boundary). */
export async function checkAttachable(ctx: CallContext, arn: string): Promise<void> {
  const known = arn.startsWith(AWS_POLICY_PREFIX) ? AWS_MANAGED_POLICIES.has(arn) : (await findPolicy(ctx.tx, ctx.scope.accountId, arn)) !== undefined;
  if (!known) throw new NoSuchEntityException(`Policy ${arn} does not exist or is not attachable.`);
  if (arn.startsWith(`${AWS_POLICY_PREFIX}aws-service-role/`)) {
    throw new PolicyNotAttachableException(`Cannot attach a Service Role Policy to a Customer Role.`);
  }
}

/** The per-account use of an AWS managed policy. */
export async function awsPolicyUsage(ctx: Pick<CallContext, 'tx' | 'scope'>, arn: string): Promise<AwsPolicyUsage> {
  return (await ctx.tx.documents.get<AwsPolicyUsage>(iamScope(ctx.scope.accountId), KIND.awsPolicy, arn)) ?? { AttachmentCount: 0, PermissionsBoundaryUsageCount: 0 };
}

/** Adds `delta` to a policy's attachment or boundary-use count; returns the customer policy, if it is one. */
export async function countUse(ctx: CallContext, arn: string, field: 'AttachmentCount' | 'PermissionsBoundaryUsageCount', delta: number): Promise<PolicyDoc | undefined> {
  const scope = iamScope(ctx.scope.accountId);
  if (arn.startsWith(AWS_POLICY_PREFIX)) {
    const usage = await awsPolicyUsage(ctx, arn);
    usage[field] = Math.max(0, usage[field] + delta);
    await ctx.tx.documents.put(scope, KIND.awsPolicy, arn, usage);
    return undefined;
  }
  const policy = await findPolicy(ctx.tx, ctx.scope.accountId, arn);
  if (!policy) return undefined;
  policy[field] = Math.max(0, policy[field] + delta);
  await putEntity(ctx.tx, ctx.scope.accountId, KIND.policy, policy.PolicyName, policy);
  return policy;
}
