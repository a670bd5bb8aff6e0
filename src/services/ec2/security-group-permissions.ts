/**
 * @module
 * Security group rules: AuthorizeSecurityGroupIngress/Egress, RevokeSecurityGroupIngress/Egress
 * (by permission or by rule id) and DescribeSecurityGroupRules.
 */
import type {
  AuthorizeSecurityGroupEgressCommandInput, AuthorizeSecurityGroupEgressCommandOutput, AuthorizeSecurityGroupIngressCommandInput,
  AuthorizeSecurityGroupIngressCommandOutput, DescribeSecurityGroupRulesCommandInput, DescribeSecurityGroupRulesCommandOutput, IpPermission,
  RevokeSecurityGroupEgressCommandInput, RevokeSecurityGroupEgressCommandOutput, RevokeSecurityGroupIngressCommandInput,
  RevokeSecurityGroupIngressCommandOutput, SecurityGroupRule,
} from '@aws-sdk/client-ec2';
import { decodeToken, encodeToken } from '../../core/pagination.js';
import type { CallContext, Handler, Out } from '../service.js';
import { InvalidGroupNotFound, InvalidNextToken, InvalidParameterValue, InvalidPermissionDuplicate, InvalidPermissionNotFound, LimitExceeded } from './errors.js';
import { getResource, resourcesWith, saveResource } from './resources.js';
import { SECURITY_GROUPS, ruleArn, ruleNotFound, withRules, type SecurityGroupDoc } from './security-group-kind.js';
import {
  describeRule, newRule, permissionsOf, ruleKey, ruleSpecs, storedRuleKey, type GroupResolver, type RuleSpec,
} from './security-group-rules.js';
import { findGroupByName, groupByIdOrName } from './security-groups.js';
import { matchesWildcard } from './wildcards.js';

const MAX_RULES_PER_DIRECTION = 60;

/** The parameters Authorize and Revoke calls share: the group, and rules as permissions or the older flat fields. */
interface RuleChange {
  GroupId?: string;
  GroupName?: string;
  IpPermissions?: IpPermission[];
  IpProtocol?: string;
  FromPort?: number;
  ToPort?: number;
  CidrIp?: string;
  SourceSecurityGroupName?: string;
  SourceSecurityGroupOwnerId?: string;
}

/** The permissions a call gives: IpPermissions, or one built from the flat fields. */
function requestedPermissions(input: RuleChange): IpPermission[] {
  if (input.IpPermissions?.length) return input.IpPermissions;
  if (input.SourceSecurityGroupName !== undefined) {
    return [{ IpProtocol: input.IpProtocol ?? '-1', FromPort: input.FromPort, ToPort: input.ToPort, UserIdGroupPairs: [{ GroupName: input.SourceSecurityGroupName, UserId: input.SourceSecurityGroupOwnerId }] }];
  }
  if (input.CidrIp !== undefined || input.IpProtocol !== undefined) {
    return [{ IpProtocol: input.IpProtocol, FromPort: input.FromPort, ToPort: input.ToPort, IpRanges: [{ CidrIp: input.CidrIp ?? '0.0.0.0/0' }] }];
  }
  return [];
}

/** Rule specs for a group, with referenced groups resolved (by id in the account, by name in the group's VPC). */
async function specsFor(ctx: CallContext, group: SecurityGroupDoc, permissions: IpPermission[], egress: boolean): Promise<RuleSpec[]> {
  const referenced = new Map<string, SecurityGroupDoc>();
  for (const pair of permissions.flatMap((p) => p.UserIdGroupPairs ?? [])) {
    if (pair.GroupId !== undefined) referenced.set(pair.GroupId, await getResource(ctx, SECURITY_GROUPS, pair.GroupId));
    else if (pair.GroupName !== undefined) {
      const found = await findGroupByName(ctx, pair.GroupName, group.VpcId);
      if (!found) throw new InvalidGroupNotFound(pair.GroupName, { id: group.VpcId });
      referenced.set(pair.GroupName, found);
    }
  }
  const resolve: GroupResolver = (pair) => {
    const found = referenced.get(pair.GroupId ?? pair.GroupName ?? '');
    if (!found) throw new InvalidParameterValue('A source group must be given by GroupId or GroupName.');
    return { GroupId: found.GroupId, UserId: pair.UserId ?? ctx.scope.accountId };
  };
  return ruleSpecs(permissions, egress, resolve);
}

async function authorize(ctx: CallContext, input: RuleChange, egress: boolean): Promise<{ Return: boolean; SecurityGroupRules: SecurityGroupRule[] }> {
  const group = await groupByIdOrName(ctx, input);
  const specs = await specsFor(ctx, group, requestedPermissions(input), egress);
  if (!specs.length) throw new InvalidParameterValue('No permissions were given.');
  const existing = new Set(group.$rules.map(storedRuleKey));
  const duplicate = specs.find((spec) => existing.has(ruleKey(spec)));
  if (duplicate) throw new InvalidPermissionDuplicate(describeRule(duplicate));
  if (group.$rules.filter((r) => (r.IsEgress ?? false) === egress).length + specs.length > MAX_RULES_PER_DIRECTION) {
    throw new LimitExceeded('RulesPerSecurityGroupLimitExceeded', 'The maximum number of rules per security group has been reached.');
  }
  const owner = { GroupId: group.GroupId, OwnerId: group.OwnerId ?? ctx.scope.accountId, Arn: (id: string) => ruleArn(ctx.scope, id) };
  const added = specs.map((spec) => newRule(spec, owner));
  await saveResource(ctx, SECURITY_GROUPS, withRules(group, [...group.$rules, ...added]));
  return { Return: true, SecurityGroupRules: added };
}

async function revoke(ctx: CallContext, input: RuleChange & { SecurityGroupRuleIds?: string[] }, egress: boolean): Promise<{
  Return: boolean; UnknownIpPermissions?: IpPermission[]; RevokedSecurityGroupRules: SecurityGroupRule[];
}> {
  const group = await groupByIdOrName(ctx, input);
  const inDirection = group.$rules.filter((r) => (r.IsEgress ?? false) === egress);
  let revoked: SecurityGroupRule[];
  let unknown: SecurityGroupRule[] = [];
  if (input.SecurityGroupRuleIds?.length) {
    const missing = input.SecurityGroupRuleIds.filter((id) => !inDirection.some((r) => r.SecurityGroupRuleId === id));
    if (missing.length) throw ruleNotFound(missing);
    revoked = inDirection.filter((r) => input.SecurityGroupRuleIds!.includes(r.SecurityGroupRuleId!));
  } else {
    const specs = await specsFor(ctx, group, requestedPermissions(input), egress);
    const byKey = new Map(inDirection.map((r) => [storedRuleKey(r), r]));
    revoked = specs.flatMap((spec) => byKey.get(ruleKey(spec)) ?? []);
    if (!revoked.length) throw new InvalidPermissionNotFound();
    const owner = { GroupId: group.GroupId, OwnerId: group.OwnerId ?? '', Arn: () => '' };
    unknown = specs.filter((spec) => !byKey.has(ruleKey(spec))).map((spec) => newRule(spec, owner));
  }
  const gone = new Set(revoked.map((r) => r.SecurityGroupRuleId));
  await saveResource(ctx, SECURITY_GROUPS, withRules(group, group.$rules.filter((r) => !gone.has(r.SecurityGroupRuleId))));
  return { Return: true, ...(unknown.length ? { UnknownIpPermissions: permissionsOf(unknown, egress) } : {}), RevokedSecurityGroupRules: revoked };
}

/** AuthorizeSecurityGroupIngress: adds inbound rules; a rule the group has is InvalidPermission.Duplicate. */
export const authorizeSecurityGroupIngress: Handler<AuthorizeSecurityGroupIngressCommandInput, Out<AuthorizeSecurityGroupIngressCommandOutput>> = (input, ctx) =>
  authorize(ctx, input, false);

/** AuthorizeSecurityGroupEgress: adds outbound rules. */
export const authorizeSecurityGroupEgress: Handler<AuthorizeSecurityGroupEgressCommandInput, Out<AuthorizeSecurityGroupEgressCommandOutput>> = (input, ctx) =>
  authorize(ctx, input, true);

/** RevokeSecurityGroupIngress: removes inbound rules by permission or rule id. */
export const revokeSecurityGroupIngress: Handler<RevokeSecurityGroupIngressCommandInput, Out<RevokeSecurityGroupIngressCommandOutput>> = (input, ctx) =>
  revoke(ctx, input, false);

/** RevokeSecurityGroupEgress: removes outbound rules by permission or rule id. */
export const revokeSecurityGroupEgress: Handler<RevokeSecurityGroupEgressCommandInput, Out<RevokeSecurityGroupEgressCommandOutput>> = (input, ctx) =>
  revoke(ctx, input, true);

const RULE_FILTERS = new Set(['group-id', 'security-group-rule-id', 'tag-key', 'tag-value']);

function ruleMatches(rule: SecurityGroupRule, name: string, values: string[]): boolean {
  const any = (value: string | undefined) => values.some((v) => matchesWildcard(v, value ?? ''));
  if (name === 'group-id') return any(rule.GroupId);
  if (name === 'security-group-rule-id') return any(rule.SecurityGroupRuleId);
  if (name === 'tag-key') return rule.Tags?.some((t) => any(t.Key)) ?? false;
  if (name === 'tag-value') return rule.Tags?.some((t) => any(t.Value)) ?? false;
  return rule.Tags?.some((t) => `tag:${t.Key}` === name && any(t.Value)) ?? false;
}

/** DescribeSecurityGroupRules: rules by id and filter (group-id, security-group-rule-id, tags), in rule id order, paged. */
export const describeSecurityGroupRules: Handler<DescribeSecurityGroupRulesCommandInput, Out<DescribeSecurityGroupRulesCommandOutput>> = async (input, ctx) => {
  const filters = (input.Filters ?? []).map((f) => {
    const name = f.Name ?? '';
    if (!RULE_FILTERS.has(name) && !name.startsWith('tag:')) throw new InvalidParameterValue(`The filter '${name}' is invalid`);
    return { name, values: f.Values ?? [] };
  });
  const ids = input.SecurityGroupRuleIds ?? [];
  const groupIds = filters.find((f) => f.name === 'group-id')?.values;
  const groups = ids.length
    ? await resourcesWith(ctx, SECURITY_GROUPS, '$rule-id', ids)
    : (await ctx.tx.indexed.query<SecurityGroupDoc>(ctx.scope, SECURITY_GROUPS.kind, { filters: groupIds ? [{ name: 'group-id', values: groupIds }] : [] })).map((e) => e.doc);
  let rules = groups.flatMap((g) => g.$rules);
  if (ids.length) {
    const missing = ids.filter((id) => !rules.some((r) => r.SecurityGroupRuleId === id));
    if (missing.length) throw ruleNotFound(missing);
    rules = rules.filter((r) => ids.includes(r.SecurityGroupRuleId!));
  }
  rules = rules.filter((r) => filters.every((f) => ruleMatches(r, f.name, f.values))).sort((a, b) => (a.SecurityGroupRuleId! < b.SecurityGroupRuleId! ? -1 : 1));
  const max = input.MaxResults;
  if (max !== undefined && (max < 5 || max > 1000)) {
    throw new InvalidParameterValue(`Value ( ${max} ) for parameter maxResults is invalid. Parameter may only be between 5 and 1000.`);
  }
  const params = { op: 'DescribeSecurityGroupRules', ids, filters };
  if (input.NextToken) {
    const after = decodeToken<string>(input.NextToken, params);
    if (after === undefined) throw new InvalidNextToken(input.NextToken);
    rules = rules.filter((r) => r.SecurityGroupRuleId! > after);
  }
  if (max === undefined || rules.length <= max) return { SecurityGroupRules: rules };
  const page = rules.slice(0, max);
  return { SecurityGroupRules: page, NextToken: encodeToken(page[page.length - 1]!.SecurityGroupRuleId, params) };
};
