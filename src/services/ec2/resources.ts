/**
 * @module
 * EC2 resources in the store: each kind (instances, volumes, groups...) is a set of indexed
 * documents whose attributes are the kind's Describe filters, so that `Filter.N` becomes a lookup in
 * the database. Saving or removing a resource also names it in the call's record and hands the
 * change to Config through the outbox, in the call's transaction.
 */
import type { Filter, Tag } from '@aws-sdk/client-ec2';
import type { ServiceError } from '../../core/errors.js';
import { formatArn } from '../../core/arn.js';
import { decodeToken, encodeToken } from '../../core/pagination.js';
import type { Scope } from '../../core/scope.js';
import type { AttributeFilter, IndexAttributes } from '../../store/types.js';
import { recordResourceChange } from '../resource-changes.js';
import type { CallContext } from '../service.js';
import { InvalidNextToken, InvalidParameterCombination, InvalidParameterValue } from './errors.js';

/** An SDK shape as stored: timestamps as ISO 8601 strings (the codec writes them as timestamps). */
export type Stored<T> = T extends Date
  ? string
  : T extends readonly (infer U)[]
    ? Stored<U>[]
    : T extends object
      ? { -readonly [K in keyof T]: Stored<T[K]> }
      : T;

/**
 * A stored resource as the SDK output type. Only timestamps differ (ISO strings for Dates), and
 * the protocol codec and the audit writer take either; members the output shape does not declare
 * (internal `$` fields) are never written.
 */
export function asOutput<T>(doc: Stored<T>): T {
  return doc as unknown as T;
}

/** The values a resource has for one Describe filter. */
export type FilterValue = string | number | boolean | undefined | readonly (string | number | boolean | undefined)[];

/** Everything the store layer needs to know about one kind of EC2 resource. */
export interface ResourceKind<T> {
  /** The document kind, e.g. `ec2.instance`. */
  readonly kind: string;
  readonly id: (doc: T) => string;
  /** The Describe filters of the kind (tag filters come on top), each giving the resource's values. */
  readonly filters: Readonly<Record<string, (doc: T) => FilterValue>>;
  readonly tags: (doc: T) => readonly Tag[] | undefined;
  /** Attributes for internal lookups; their names start with `$`, so no filter can name them. */
  readonly lookups?: (doc: T) => IndexAttributes;
  /** The error for ids that name no resource of this kind. */
  readonly notFound: (ids: readonly string[]) => ServiceError;
  /** The resource type in ARNs and IAM (`instance`, `security-group`...). */
  readonly arnType: string;
  /** The resource type, in Config's and CloudFormation's names (`AWS::EC2::Instance`). */
  readonly resourceType: string;
  /** Whether Config records the kind (default true); changes of others reach only CloudTrail. */
  readonly recordedByConfig?: boolean;
  /** Config's resourceName (e.g. a security group's name). */
  readonly name?: (doc: T) => string | undefined;
  /** Snapshots' ARNs carry no account. */
  readonly arnWithoutAccount?: boolean;
}

/** How one save or removal is reported. */
export interface ChangeNotes {
  /** Name the resource in the call's CloudTrail record (default true). */
  readonly audit?: boolean;
  /** Hand the change to Config (default true); false for bookkeeping such as address counts. */
  readonly outbox?: boolean;
  /** Report the resource as deleted though it stays visible for a while (terminated instances). */
  readonly ended?: boolean;
}

/** The ARN of a resource. */
export function arnOf<T>(kind: ResourceKind<T>, scope: Scope, id: string): string {
  return formatArn({ service: 'ec2', region: scope.region, accountId: kind.arnWithoutAccount ? '' : scope.accountId, resource: `${kind.arnType}/${id}` });
}

function filterStrings(value: FilterValue): string[] {
  if (value === undefined) return [];
  const values = Array.isArray(value) ? value : [value];
  return values.filter((v) => v !== undefined).map(String);
}

/** The index attributes of a resource: its filter values, its tag filters and its lookups. */
function indexAttributes<T>(kind: ResourceKind<T>, doc: T): IndexAttributes {
  const attributes: Record<string, string[]> = {};
  for (const [name, read] of Object.entries(kind.filters)) attributes[name] = filterStrings(read(doc));
  const tags = kind.tags(doc) ?? [];
  attributes['tag-key'] = tags.map((t) => t.Key ?? '');
  attributes['tag-value'] = tags.map((t) => t.Value ?? '');
  for (const tag of tags) attributes[`tag:${tag.Key}`] = [tag.Value ?? ''];
  return { ...attributes, ...kind.lookups?.(doc) };
}

/** A resource by id; throws the kind's not-found error. */
export async function getResource<T>(ctx: CallContext, kind: ResourceKind<T>, id: string): Promise<T> {
  const doc = await ctx.tx.indexed.get<T>(ctx.scope, kind.kind, id);
  if (!doc) throw kind.notFound([id]);
  return doc;
}

/** Resources by id, in the order asked; throws the kind's not-found error naming every missing id. */
export async function getResources<T>(ctx: CallContext, kind: ResourceKind<T>, ids: readonly string[]): Promise<T[]> {
  const unique = [...new Set(ids)];
  const found = new Map((await ctx.tx.indexed.query<T>(ctx.scope, kind.kind, { ids: unique })).map((e) => [e.id, e.doc]));
  const missing = unique.filter((id) => !found.has(id));
  if (missing.length) throw kind.notFound(missing);
  return unique.map((id) => found.get(id)!);
}

/** The resources of a kind that have an attribute value (a filter or a `$` lookup). */
export async function resourcesWith<T>(ctx: CallContext, kind: ResourceKind<T>, name: string, values: readonly string[]): Promise<T[]> {
  const entries = await ctx.tx.indexed.query<T>(ctx.scope, kind.kind, { filters: [{ name, values: values.map(escapeWildcards) }] });
  return entries.map((e) => e.doc);
}

/** A value made literal for a filter (its wildcards escaped). */
export function escapeWildcards(value: string): string {
  return value.replace(/[\\*?]/g, (c) => `\\${c}`);
}

async function noteChange<T>(ctx: CallContext, kind: ResourceKind<T>, doc: T, deleted: boolean, notes: ChangeNotes): Promise<void> {
  const id = kind.id(doc);
  const arn = arnOf(kind, ctx.scope, id);
  const seen = ctx.audit.resources.some((r) => r.arn === arn);
  if (notes.audit !== false && !seen) ctx.audit.resources.push({ type: kind.resourceType, arn, name: id });
  if (kind.recordedByConfig !== false && notes.outbox !== false && (!seen || deleted)) {
    await recordResourceChange(ctx, { resourceType: kind.resourceType, resourceId: id, resourceName: kind.name?.(doc), arn, deleted });
  }
}

/** Stores a resource (new or changed) and reports the change. */
export async function saveResource<T>(ctx: CallContext, kind: ResourceKind<T>, doc: T, notes: ChangeNotes = {}): Promise<void> {
  await ctx.tx.indexed.put(ctx.scope, kind.kind, kind.id(doc), doc, indexAttributes(kind, doc));
  await noteChange(ctx, kind, doc, notes.ended ?? false, notes);
}

/** Removes a resource and reports the deletion. */
export async function removeResource<T>(ctx: CallContext, kind: ResourceKind<T>, doc: T, notes: ChangeNotes = {}): Promise<void> {
  await ctx.tx.indexed.delete(ctx.scope, kind.kind, kind.id(doc));
  await noteChange(ctx, kind, doc, true, notes);
}

/** A Describe call's selection: ids, filters and paging, as the caller gave them. */
export interface DescribeRequest {
  readonly ids?: readonly string[];
  readonly filters?: readonly Filter[];
  /** Conditions the operation adds from its own parameters (owners, shared users...), not checked as filters. */
  readonly where?: readonly AttributeFilter[];
  readonly maxResults?: number;
  readonly nextToken?: string;
}

/** How a Describe operation pages. */
export interface Paging {
  readonly operation: string;
  /** The MaxResults range EC2 accepts for this operation. */
  readonly range?: readonly [number, number];
  /** The wire name of the ids parameter, when ids and MaxResults exclude each other. */
  readonly idsParameter?: string;
}

/** A page of resources. */
export interface DescribePage<T> {
  readonly items: T[];
  readonly nextToken?: string;
}

/** The filters of a Describe call, checked against the kind's filter names. */
function checkFilters<T>(kind: ResourceKind<T>, filters: readonly Filter[] | undefined): { name: string; values: string[] }[] {
  return (filters ?? []).map((filter) => {
    const name = filter.Name ?? '';
    if (!(name in kind.filters) && !name.startsWith('tag:') && name !== 'tag-key' && name !== 'tag-value') {
      throw new InvalidParameterValue(`The filter '${name}' is invalid`);
    }
    return { name, values: filter.Values ?? [] };
  });
}

/**
 * Runs a Describe call: named ids must all exist; every filter must match; with MaxResults, a page
 * in id order and a token for the next one.
 */
export async function describeResources<T>(ctx: CallContext, kind: ResourceKind<T>, request: DescribeRequest, paging: Paging): Promise<DescribePage<T>> {
  const filters = checkFilters(kind, request.filters);
  const ids = request.ids?.length ? [...new Set(request.ids)] : undefined;
  const { maxResults } = request;
  if (maxResults !== undefined) {
    if (ids && paging.idsParameter) {
      throw new InvalidParameterCombination(`The parameter ${paging.idsParameter} cannot be used with the parameter maxResults`);
    }
    const [min, max] = paging.range ?? [5, 1000];
    if (maxResults < min || maxResults > max) {
      throw new InvalidParameterValue(`Value ( ${maxResults} ) for parameter maxResults is invalid. Parameter may only be between ${min} and ${max}.`);
    }
  }
  if (ids) await getResources(ctx, kind, ids);
  filters.push(...(request.where ?? []).map((f) => ({ name: f.name, values: [...f.values] })));
  const tokenParams = { op: paging.operation, ids, filters };
  let after: string | undefined;
  if (request.nextToken) {
    after = decodeToken<string>(request.nextToken, tokenParams);
    if (after === undefined) throw new InvalidNextToken(request.nextToken);
  }
  const limit = maxResults === undefined ? undefined : maxResults + 1;
  const entries = await ctx.tx.indexed.query<T>(ctx.scope, kind.kind, { ids, filters, after, limit });
  if (maxResults === undefined || entries.length <= maxResults) return { items: entries.map((e) => e.doc) };
  const page = entries.slice(0, maxResults);
  return { items: page.map((e) => e.doc), nextToken: encodeToken(page[page.length - 1]!.id, tokenParams) };
}
