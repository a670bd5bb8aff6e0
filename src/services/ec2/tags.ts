/**
 * @module
 * Tags on any EC2 resource: CreateTags, DeleteTags, DescribeTags. A resource's kind comes from its
 * id's prefix.
 */
import type {
  CreateTagsCommandInput, CreateTagsCommandOutput, DeleteTagsCommandInput, DeleteTagsCommandOutput, DescribeTagsCommandInput,
  DescribeTagsCommandOutput, ResourceType, Tag, TagDescription,
} from '@aws-sdk/client-ec2';
import { decodeToken, encodeToken } from '../../core/pagination.js';
import type { CallContext, Handler, Out } from '../service.js';
import { InvalidId, InvalidNextToken, InvalidParameterValue, MissingParameter, ResourceNotFound } from './errors.js';
import { INSTANCES } from './instance-kind.js';
import { ADDRESSES, NETWORK_INTERFACES } from './interface-kinds.js';
import { KEY_PAIRS } from './key-pairs.js';
import { INTERNET_GATEWAYS, NETWORK_ACLS, ROUTE_TABLES, SUBNETS, VPCS } from './network-kinds.js';
import { getResource, resourcesWith, saveResource, type ResourceKind } from './resources.js';
import { SECURITY_GROUPS, ruleNotFound, type SecurityGroupDoc } from './security-group-kind.js';
import { SNAPSHOTS, VOLUMES } from './storage-kinds.js';
import { checkTags, mergeTags, withoutTags } from './tag-specs.js';
import { matchesWildcard } from './wildcards.js';

/** A taggable kind: its id prefix, its DescribeTags resource type, and where its tags are kept. */
interface Taggable {
  readonly prefix: string;
  readonly type: ResourceType;
  readonly kind: ResourceKind<any>;
  readonly field: 'Tags' | 'TagSet';
}

const TAGGABLE: readonly Taggable[] = [
  { prefix: 'i-', type: 'instance', kind: INSTANCES, field: 'Tags' },
  { prefix: 'vpc-', type: 'vpc', kind: VPCS, field: 'Tags' },
  { prefix: 'subnet-', type: 'subnet', kind: SUBNETS, field: 'Tags' },
  { prefix: 'sg-', type: 'security-group', kind: SECURITY_GROUPS, field: 'Tags' },
  { prefix: 'rtb-', type: 'route-table', kind: ROUTE_TABLES, field: 'Tags' },
  { prefix: 'igw-', type: 'internet-gateway', kind: INTERNET_GATEWAYS, field: 'Tags' },
  { prefix: 'acl-', type: 'network-acl', kind: NETWORK_ACLS, field: 'Tags' },
  { prefix: 'eni-', type: 'network-interface', kind: NETWORK_INTERFACES, field: 'TagSet' },
  { prefix: 'vol-', type: 'volume', kind: VOLUMES, field: 'Tags' },
  { prefix: 'snap-', type: 'snapshot', kind: SNAPSHOTS, field: 'Tags' },
  { prefix: 'eipalloc-', type: 'elastic-ip', kind: ADDRESSES, field: 'Tags' },
  { prefix: 'key-', type: 'key-pair', kind: KEY_PAIRS, field: 'Tags' },
];

const RULE_PREFIX = 'sgr-';

function taggableOf(id: string): Taggable {
  const taggable = TAGGABLE.find((t) => id.startsWith(t.prefix));
  if (taggable) return taggable;
  if (id.startsWith('ami-')) throw new ResourceNotFound('InvalidAMIID.NotFound', 'image id', [`[${id}]`]);
  throw new InvalidId(id);
}

/** Changes the tags of the resources a call names (each must exist); security group rules are found in their group. */
async function retag(ctx: CallContext, ids: readonly string[] | undefined, change: (tags: Tag[] | undefined) => Tag[]): Promise<void> {
  if (!ids?.length) throw new MissingParameter('ResourceId');
  for (const id of ids) {
    if (id.startsWith(RULE_PREFIX)) {
      const [group] = await resourcesWith(ctx, SECURITY_GROUPS, '$rule-id', [id]);
      if (!group) throw ruleNotFound([id]);
      const rules = group.$rules.map((r) => (r.SecurityGroupRuleId === id ? { ...r, Tags: change(r.Tags) } : r));
      await saveResource(ctx, SECURITY_GROUPS, { ...group, $rules: rules } satisfies SecurityGroupDoc);
      continue;
    }
    const taggable = taggableOf(id);
    const doc = await getResource(ctx, taggable.kind, id);
    await saveResource(ctx, taggable.kind, { ...doc, [taggable.field]: change(doc[taggable.field]) });
  }
}

/** CreateTags: adds or overwrites tags on resources. */
export const createTags: Handler<CreateTagsCommandInput, Out<CreateTagsCommandOutput>> = async (input, ctx) => {
  const tags = checkTags(input.Tags);
  await retag(ctx, input.Resources, (current) => mergeTags(current, tags));
  return {};
};

/** DeleteTags: removes the tags named (a tag with a value only when it matches), or every tag when none are named. */
export const deleteTags: Handler<DeleteTagsCommandInput, Out<DeleteTagsCommandOutput>> = async (input, ctx) => {
  await retag(ctx, input.Resources, (current) => withoutTags(current, input.Tags));
  return {};
};

const TAG_FILTERS = new Set(['key', 'value', 'resource-id', 'resource-type']);

/** DescribeTags: every tag of the account's resources in the region, by key, value, resource id and type; paged. */
export const describeTags: Handler<DescribeTagsCommandInput, Out<DescribeTagsCommandOutput>> = async (input, ctx) => {
  const filters = (input.Filters ?? []).map((f) => {
    const name = f.Name ?? '';
    if (!TAG_FILTERS.has(name) && !name.startsWith('tag:')) throw new InvalidParameterValue(`The filter '${name}' is invalid`);
    return { name, values: f.Values ?? [] };
  });
  const matches = (name: string, value: string) => filters.filter((f) => f.name === name).every((f) => f.values.some((v) => matchesWildcard(v, value)));
  const types = filters.find((f) => f.name === 'resource-type')?.values;
  const descriptions: TagDescription[] = [];
  for (const taggable of TAGGABLE) {
    if (types && !types.includes(taggable.type)) continue;
    const ids = filters.find((f) => f.name === 'resource-id')?.values.filter((id) => id.startsWith(taggable.prefix));
    if (filters.some((f) => f.name === 'resource-id') && !ids?.length) continue;
    const entries = await ctx.tx.indexed.query<Record<string, unknown>>(ctx.scope, taggable.kind.kind, {
      ids, filters: [{ name: 'tag-key', values: ['*'] }, ...filters.filter((f) => f.name.startsWith('tag:'))],
    });
    for (const { id, doc } of entries) {
      for (const tag of (doc[taggable.field] as Tag[] | undefined) ?? []) {
        if (matches('key', tag.Key ?? '') && matches('value', tag.Value ?? '')) {
          descriptions.push({ Key: tag.Key, ResourceId: id, ResourceType: taggable.type, Value: tag.Value });
        }
      }
    }
  }
  const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  descriptions.sort((a, b) => order(a.ResourceId!, b.ResourceId!) || order(a.Key!, b.Key!));
  const max = input.MaxResults;
  if (max !== undefined && (max < 5 || max > 1000)) {
    throw new InvalidParameterValue(`Value ( ${max} ) for parameter maxResults is invalid. Parameter may only be between 5 and 1000.`);
  }
  const params = { op: 'DescribeTags', filters };
  let start = 0;
  if (input.NextToken) {
    const after = decodeToken<[string, string]>(input.NextToken, params);
    if (!after) throw new InvalidNextToken(input.NextToken);
    start = descriptions.findIndex((d) => d.ResourceId! > after[0] || (d.ResourceId === after[0] && d.Key! > after[1]));
    if (start < 0) start = descriptions.length;
  }
  const page = max === undefined ? descriptions.slice(start) : descriptions.slice(start, start + max);
  const last = page[page.length - 1];
  const more = max !== undefined && start + max < descriptions.length;
  return { Tags: page, NextToken: more && last ? encodeToken([last.ResourceId, last.Key], params) : undefined };
};
