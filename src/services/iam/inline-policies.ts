/**
 * @module
 * Inline policies of users, groups and roles: Put*Policy, Get*Policy, Delete*Policy, List*Policies,
 * with IAM's aggregate size quotas (2,048 / 5,120 / 10,240 characters without whitespace).
 */
import type { Handler } from '../service.js';
import { changed } from './changes.js';
import { HOLDER_KIND, holderName, putEntity, requireHolder, type HolderType } from './entities.js';
import { NoSuchEntityException, UnmodifiableEntityException } from './errors.js';
import { paginate } from './paging.js';
import { checkInlinePolicy, encodeDocument } from './policy-documents.js';

type NameInput<T extends HolderType> = { [K in `${T}Name`]?: string };
type PolicyInput<T extends HolderType> = NameInput<T> & { PolicyName?: string };

function nameOf<T extends HolderType>(type: T, input: NameInput<T>): string {
  return (input as Record<string, string | undefined>)[`${type}Name`] ?? '';
}

function findInline(inline: Record<string, string>, name: string): string | undefined {
  return Object.keys(inline).find((k) => k.toLowerCase() === name.toLowerCase());
}

function missing(type: HolderType, name: string): NoSuchEntityException {
  return new NoSuchEntityException(`The ${type.toLowerCase()} policy with name ${name} cannot be found.`);
}

/** Put<Type>Policy: adds or replaces an inline policy. */
export function putInlinePolicy<T extends HolderType>(type: T): Handler<PolicyInput<T> & { PolicyDocument?: string }, Record<string, never>> {
  return async (input, ctx) => {
    const holder = await requireHolder(ctx.tx, ctx.scope.accountId, type, nameOf(type, input));
    if ('serviceLinked' in holder && holder.serviceLinked) {
      throw new UnmodifiableEntityException(`Cannot perform the operation on the protected role '${holder.RoleName}' - this role is only modifiable by AWS`);
    }
    const name = input.PolicyName ?? '';
    const text = input.PolicyDocument ?? '';
    const existing = findInline(holder.inline, name);
    const others = Object.entries(holder.inline).filter(([k]) => k !== existing).map(([, v]) => v);
    checkInlinePolicy(text, type, holderName(holder), others);
    if (existing !== undefined) delete holder.inline[existing];
    holder.inline[name] = text;
    await putEntity(ctx.tx, ctx.scope.accountId, HOLDER_KIND[type], holderName(holder), holder);
    await changed(ctx, holder);
    return {};
  };
}

/** Get<Type>Policy: the document URL-encoded, as IAM returns it. */
export function getInlinePolicy<T extends HolderType>(type: T): Handler<PolicyInput<T>, Record<string, string>> {
  return async (input, ctx) => {
    const holder = await requireHolder(ctx.tx, ctx.scope.accountId, type, nameOf(type, input));
    const name = findInline(holder.inline, input.PolicyName ?? '');
    if (name === undefined) throw missing(type, input.PolicyName ?? '');
    return { [`${type}Name`]: holderName(holder), PolicyName: name, PolicyDocument: encodeDocument(holder.inline[name]!) };
  };
}

/** Delete<Type>Policy. */
export function deleteInlinePolicy<T extends HolderType>(type: T): Handler<PolicyInput<T>, Record<string, never>> {
  return async (input, ctx) => {
    const holder = await requireHolder(ctx.tx, ctx.scope.accountId, type, nameOf(type, input));
    const name = findInline(holder.inline, input.PolicyName ?? '');
    if (name === undefined) throw missing(type, input.PolicyName ?? '');
    delete holder.inline[name];
    await putEntity(ctx.tx, ctx.scope.accountId, HOLDER_KIND[type], holderName(holder), holder);
    await changed(ctx, holder);
    return {};
  };
}

/** List<Type>Policies: inline policy names, paginated. */
export function listInlinePolicies<T extends HolderType>(type: T): Handler<NameInput<T> & { Marker?: string; MaxItems?: number }, { PolicyNames: string[]; IsTruncated: boolean; Marker?: string }> {
  return async (input, ctx) => {
    const holder = await requireHolder(ctx.tx, ctx.scope.accountId, type, nameOf(type, input));
    const page = paginate(Object.keys(holder.inline).sort(), input, [`List${type}Policies`, holderName(holder)]);
    return { PolicyNames: page.items, IsTruncated: page.IsTruncated, Marker: page.Marker };
  };
}
