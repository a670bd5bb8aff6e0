/**
 * @module
 * Managed policy attachments of users, groups and roles: Attach*Policy, Detach*Policy,
 * ListAttached*Policies (10 managed policies per entity, as IAM's default quota).
 */
import type { AttachedPolicy } from '@aws-sdk/client-iam';
import type { Handler } from '../service.js';
import { changed } from './changes.js';
import { HOLDER_KIND, holderName, putEntity, requireHolder, type HolderType } from './entities.js';
import { LimitExceededException, NoSuchEntityException, UnmodifiableEntityException } from './errors.js';
import { paginate } from './paging.js';
import { checkAttachable, countUse } from './policy-usage.js';

const MAX_ATTACHED = 10;

type NameInput<T extends HolderType> = { [K in `${T}Name`]?: string };
type AttachInput<T extends HolderType> = NameInput<T> & { PolicyArn?: string };
type ListInput<T extends HolderType> = NameInput<T> & { PathPrefix?: string; Marker?: string; MaxItems?: number };

function nameOf<T extends HolderType>(type: T, input: NameInput<T>): string {
  return (input as Record<string, string | undefined>)[`${type}Name`] ?? '';
}

function policyName(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/** Attach<Type>Policy. */
export function attachPolicy<T extends HolderType>(type: T): Handler<AttachInput<T>, Record<string, never>> {
  return async (input, ctx) => {
    const holder = await requireHolder(ctx.tx, ctx.scope.accountId, type, nameOf(type, input));
    if ('serviceLinked' in holder && holder.serviceLinked) {
      throw new UnmodifiableEntityException(`Cannot perform the operation on the protected role '${holder.RoleName}' - this role is only modifiable by AWS`);
    }
    const arn = input.PolicyArn ?? '';
    await checkAttachable(ctx, arn);
    if (holder.attached.includes(arn)) return {};
    if (holder.attached.length >= MAX_ATTACHED) throw new LimitExceededException(`Cannot exceed quota for PoliciesPer${type}: ${MAX_ATTACHED}`);
    holder.attached.push(arn);
    await putEntity(ctx.tx, ctx.scope.accountId, HOLDER_KIND[type], holderName(holder), holder);
    const policy = await countUse(ctx, arn, 'AttachmentCount', 1);
    await changed(ctx, holder);
    if (policy) await changed(ctx, policy);
    return {};
  };
}

/** Detach<Type>Policy. */
export function detachPolicy<T extends HolderType>(type: T): Handler<AttachInput<T>, Record<string, never>> {
  return async (input, ctx) => {
    const holder = await requireHolder(ctx.tx, ctx.scope.accountId, type, nameOf(type, input));
    const arn = input.PolicyArn ?? '';
    if (!holder.attached.includes(arn)) throw new NoSuchEntityException(`Policy ${arn} was not found.`);
    holder.attached = holder.attached.filter((a) => a !== arn);
    await putEntity(ctx.tx, ctx.scope.accountId, HOLDER_KIND[type], holderName(holder), holder);
    const policy = await countUse(ctx, arn, 'AttachmentCount', -1);
    await changed(ctx, holder);
    if (policy) await changed(ctx, policy);
    return {};
  };
}

/** ListAttached<Type>Policies. */
export function listAttachedPolicies<T extends HolderType>(type: T): Handler<ListInput<T>, { AttachedPolicies: AttachedPolicy[]; IsTruncated: boolean; Marker?: string }> {
  return async (input, ctx) => {
    const holder = await requireHolder(ctx.tx, ctx.scope.accountId, type, nameOf(type, input));
    const prefix = input.PathPrefix ?? '/';
    const attached = holder.attached
      .map((arn) => ({ PolicyName: policyName(arn), PolicyArn: arn, path: arn.slice(arn.indexOf(':policy/') + 7, arn.lastIndexOf('/') + 1) }))
      .filter((p) => p.path.startsWith(prefix));
    const page = paginate(attached, input, [`ListAttached${type}Policies`, holderName(holder), prefix]);
    return { AttachedPolicies: page.items.map(({ PolicyName, PolicyArn }) => ({ PolicyName, PolicyArn })), IsTruncated: page.IsTruncated, Marker: page.Marker };
  };
}
