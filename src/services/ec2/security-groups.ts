/**
 * @module
 * Security groups: CreateSecurityGroup, DeleteSecurityGroup, DescribeSecurityGroups, and finding
 * groups by id or by name (names are looked up in a VPC, the default VPC when none is given).
 */
import type {
  GroupIdentifier, CreateSecurityGroupCommandInput, CreateSecurityGroupCommandOutput, DeleteSecurityGroupCommandInput, DeleteSecurityGroupCommandOutput,
  DescribeSecurityGroupsCommandInput, DescribeSecurityGroupsCommandOutput,
} from '@aws-sdk/client-ec2';
import type { CallContext, Handler, Out } from '../service.js';
import { accountSettings } from './account-settings.js';
import {
  CannotDelete, DependencyViolation, InvalidGroupDuplicate, InvalidGroupNotFound, InvalidGroupReserved, InvalidParameterValue, MalformedId,
  MissingParameter, VpcIdNotSpecified,
} from './errors.js';
import { newEc2Id } from './ids.js';
import { NETWORK_INTERFACES } from './interface-kinds.js';
import { VPCS } from './network-kinds.js';
import { arnOf, describeResources, escapeWildcards, getResource, removeResource, resourcesWith, saveResource } from './resources.js';
import { SECURITY_GROUPS, ruleArn, withRules, type SecurityGroupDoc } from './security-group-kind.js';
import { newRule } from './security-group-rules.js';
import { tagsFor } from './tag-specs.js';

/** The default VPC's id; throws VPCIdNotSpecified when the region has none. */
export async function defaultVpcId(ctx: CallContext): Promise<string> {
  const { defaultVpcId: id } = await accountSettings(ctx);
  if (!id) throw new VpcIdNotSpecified();
  return id;
}

/** A group by name in a VPC, or undefined. */
export async function findGroupByName(ctx: CallContext, name: string, vpcId: string): Promise<SecurityGroupDoc | undefined> {
  const [group] = await ctx.tx.indexed.query<SecurityGroupDoc>(ctx.scope, SECURITY_GROUPS.kind, {
    filters: [{ name: 'group-name', values: [escapeWildcards(name)] }, { name: 'vpc-id', values: [vpcId] }],
  });
  return group?.doc;
}

/** The group a call names by GroupId or GroupName (a name in the default VPC). */
export async function groupByIdOrName(ctx: CallContext, input: { GroupId?: string; GroupName?: string }): Promise<SecurityGroupDoc> {
  if (input.GroupId !== undefined) {
    if (!input.GroupId.startsWith('sg-')) throw new MalformedId('InvalidGroupId.Malformed', input.GroupId, 'sg');
    return getResource(ctx, SECURITY_GROUPS, input.GroupId);
  }
  if (input.GroupName === undefined) throw new MissingParameter('GroupId');
  const vpcId = await defaultVpcId(ctx);
  const group = await findGroupByName(ctx, input.GroupName, vpcId);
  if (!group) throw new InvalidGroupNotFound(input.GroupName, { id: vpcId, isDefault: true });
  return group;
}

/** Security groups by id or name in a VPC (each must be in it); the VPC's default group when none are named. */
export async function groupsInVpc(ctx: CallContext, vpcId: string, ids: readonly string[] = [], names: readonly string[] = []): Promise<GroupIdentifier[]> {
  const groups: GroupIdentifier[] = [];
  for (const id of ids) {
    const group = id.startsWith('sg-') ? await ctx.tx.indexed.get<SecurityGroupDoc>(ctx.scope, SECURITY_GROUPS.kind, id) : undefined;
    if (!group || group.VpcId !== vpcId) throw new InvalidGroupNotFound(id, { id: vpcId });
    groups.push({ GroupId: group.GroupId, GroupName: group.GroupName });
  }
  for (const name of names) {
    const group = await findGroupByName(ctx, name, vpcId);
    if (!group) throw new InvalidGroupNotFound(name, { id: vpcId });
    groups.push({ GroupId: group.GroupId, GroupName: group.GroupName });
  }
  if (groups.length) return [...new Map(groups.map((g) => [g.GroupId, g])).values()];
  const fallback = await findGroupByName(ctx, 'default', vpcId);
  return fallback ? [{ GroupId: fallback.GroupId, GroupName: fallback.GroupName }] : [];
}

function checkName(name: string, parameter: 'groupName' | 'groupDescription'): void {
  if (name.length > 255) throw InvalidParameterValue.of(parameter, name, 'Length exceeds maximum of 255.');
  if (!/^[\x20-\x7e]*$/.test(name)) throw InvalidParameterValue.of(parameter, name, 'Character sets beyond ASCII are not supported.');
}

/** CreateSecurityGroup: a group in a VPC (the default VPC when none is given), allowing all traffic out. */
export const createSecurityGroup: Handler<CreateSecurityGroupCommandInput, Out<CreateSecurityGroupCommandOutput>> = async (input, ctx) => {
  const name = input.GroupName ?? '';
  const description = input.Description ?? '';
  checkName(name, 'groupName');
  checkName(description, 'groupDescription');
  if (name === 'default') throw new InvalidGroupReserved(name);
  if (name.startsWith('sg-')) throw InvalidParameterValue.of('groupName', name, 'Group names may not be in the format sg-*.');
  const vpcId = input.VpcId ?? (await defaultVpcId(ctx));
  await getResource(ctx, VPCS, vpcId);
  if (await findGroupByName(ctx, name, vpcId)) throw new InvalidGroupDuplicate(name, vpcId);
  const groupId = newEc2Id('sg');
  const group: SecurityGroupDoc = {
    GroupId: groupId, GroupName: name, Description: description, VpcId: vpcId, OwnerId: ctx.scope.accountId,
    SecurityGroupArn: arnOf(SECURITY_GROUPS, ctx.scope, groupId), Tags: tagsFor(input.TagSpecifications, 'security-group'), $rules: [],
  };
  const owner = { GroupId: groupId, OwnerId: ctx.scope.accountId, Arn: (id: string) => ruleArn(ctx.scope, id) };
  const created = withRules(group, [newRule({ IsEgress: true, IpProtocol: '-1', FromPort: -1, ToPort: -1, target: { CidrIpv4: '0.0.0.0/0' } }, owner)]);
  await saveResource(ctx, SECURITY_GROUPS, created);
  return { GroupId: groupId, Tags: created.Tags, SecurityGroupArn: created.SecurityGroupArn };
};

/** DeleteSecurityGroup: a group no interface uses and no other group's rules reference; never a default group. */
export const deleteSecurityGroup: Handler<DeleteSecurityGroupCommandInput, Out<DeleteSecurityGroupCommandOutput>> = async (input, ctx) => {
  const group = await groupByIdOrName(ctx, input);
  if (group.GroupName === 'default') throw new CannotDelete(group.GroupId, group.GroupName);
  const referencing = (await resourcesWith(ctx, SECURITY_GROUPS, '$references', [group.GroupId])).filter((g) => g.GroupId !== group.GroupId);
  const users = await resourcesWith(ctx, NETWORK_INTERFACES, 'group-id', [group.GroupId]);
  if (referencing.length || users.length) throw new DependencyViolation(`resource ${group.GroupId} has a dependent object`);
  await removeResource(ctx, SECURITY_GROUPS, group);
  return { Return: true, GroupId: group.GroupId };
};

/** DescribeSecurityGroups: by id, by name (in the default VPC) and filter; paged. */
export const describeSecurityGroups: Handler<DescribeSecurityGroupsCommandInput, Out<DescribeSecurityGroupsCommandOutput>> = async (input, ctx) => {
  const where = [];
  if (input.GroupNames?.length) {
    const vpcId = await defaultVpcId(ctx);
    for (const name of input.GroupNames) {
      if (!(await findGroupByName(ctx, name, vpcId))) throw new InvalidGroupNotFound(name, { id: vpcId, isDefault: true });
    }
    where.push({ name: 'group-name', values: input.GroupNames.map(escapeWildcards) }, { name: 'vpc-id', values: [vpcId] });
  }
  for (const id of input.GroupIds ?? []) if (!id.startsWith('sg-')) throw new MalformedId('InvalidGroupId.Malformed', id, 'sg');
  const page = await describeResources(ctx, SECURITY_GROUPS, {
    ids: input.GroupIds, filters: input.Filters, where, maxResults: input.MaxResults, nextToken: input.NextToken,
  }, { operation: 'DescribeSecurityGroups' });
  return { SecurityGroups: page.items, NextToken: page.nextToken };
};
