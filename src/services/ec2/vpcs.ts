/**
 * @module
 * VPCs: CreateVpc, DeleteVpc, DescribeVpcs, ModifyVpcAttribute, DescribeVpcAttribute,
 * CreateDefaultVpc.
 */
import type {
  CreateDefaultVpcCommandInput, CreateDefaultVpcCommandOutput, CreateVpcCommandInput, CreateVpcCommandOutput, DeleteVpcCommandInput,
  DeleteVpcCommandOutput, DescribeVpcAttributeCommandInput, DescribeVpcAttributeCommandOutput, DescribeVpcsCommandInput,
  DescribeVpcsCommandOutput, ModifyVpcAttributeCommandInput, ModifyVpcAttributeCommandOutput,
} from '@aws-sdk/client-ec2';
import type { Handler, Out } from '../service.js';
import { accountSettings, saveAccountSettings } from './account-settings.js';
import { formatCidr4, parseCidr4 } from './cidr.js';
import {
  DefaultVpcAlreadyExists, DependencyViolation, InvalidParameterCombination, InvalidParameterValue, InvalidRange, LimitExceeded, MissingParameter,
} from './errors.js';
import { INTERNET_GATEWAYS, NETWORK_ACLS, ROUTE_TABLES, SUBNETS, VPCS, type VpcDoc } from './network-kinds.js';
import { createDefaultVpc, createVpcWithDefaults } from './network-setup.js';
import { describeResources, getResource, removeResource, resourcesWith, saveResource } from './resources.js';
import { SECURITY_GROUPS } from './security-group-kind.js';
import { tagsFor } from './tag-specs.js';

const MAX_VPCS = 5;

/** A VPC as the call that creates it shows it: still pending. */
function pending(vpc: VpcDoc): VpcDoc {
  return { ...vpc, State: 'pending' };
}

/** CreateVpc: a VPC (/16 to /28) with its main route table, default network ACL and default security group. */
export const createVpc: Handler<CreateVpcCommandInput, Out<CreateVpcCommandOutput>> = async (input, ctx) => {
  if (input.CidrBlock === undefined) throw new MissingParameter('CidrBlock');
  const block = parseCidr4(input.CidrBlock);
  if (!block) throw InvalidParameterValue.of('cidrBlock', input.CidrBlock, 'This is not a valid CIDR block.');
  if (block.prefix < 16 || block.prefix > 28) throw new InvalidRange('InvalidVpc.Range', input.CidrBlock);
  const settings = await accountSettings(ctx);
  if ((await ctx.tx.indexed.query(ctx.scope, VPCS.kind)).length >= MAX_VPCS) {
    throw new LimitExceeded('VpcLimitExceeded', 'The maximum number of VPCs has been reached.');
  }
  const vpc = await createVpcWithDefaults(ctx, {
    cidr: formatCidr4(block), tenancy: input.InstanceTenancy, tags: tagsFor(input.TagSpecifications, 'vpc'), dhcpOptionsId: settings.dhcpOptionsId,
  });
  return { Vpc: pending(vpc) };
};

/** CreateDefaultVpc: a new default VPC, when the region has none. */
export const createDefaultVpcHandler: Handler<CreateDefaultVpcCommandInput, Out<CreateDefaultVpcCommandOutput>> = async (_input, ctx) => {
  const settings = await accountSettings(ctx);
  if (settings.defaultVpcId) throw new DefaultVpcAlreadyExists();
  const vpc = await createDefaultVpc(ctx, settings.dhcpOptionsId);
  await saveAccountSettings(ctx, { ...settings, defaultVpcId: vpc.VpcId });
  return { Vpc: pending(vpc) };
};

/** DeleteVpc: a VPC without subnets, gateways, other groups, tables or ACLs; its defaults go with it. */
export const deleteVpc: Handler<DeleteVpcCommandInput, Out<DeleteVpcCommandOutput>> = async (input, ctx) => {
  const vpc = await getResource(ctx, VPCS, input.VpcId ?? '');
  const dependent = async (found: Promise<unknown[]>) => (await found).length > 0;
  const groups = await resourcesWith(ctx, SECURITY_GROUPS, 'vpc-id', [vpc.VpcId]);
  const tables = await resourcesWith(ctx, ROUTE_TABLES, 'vpc-id', [vpc.VpcId]);
  const acls = await resourcesWith(ctx, NETWORK_ACLS, 'vpc-id', [vpc.VpcId]);
  if (
    await dependent(resourcesWith(ctx, SUBNETS, 'vpc-id', [vpc.VpcId])) ||
    await dependent(resourcesWith(ctx, INTERNET_GATEWAYS, 'attachment.vpc-id', [vpc.VpcId])) ||
    groups.some((g) => g.GroupName !== 'default') ||
    tables.some((t) => !t.Associations?.some((a) => a.Main)) ||
    acls.some((a) => !a.IsDefault)
  ) {
    throw DependencyViolation.of('vpc', vpc.VpcId);
  }
  for (const group of groups) await removeResource(ctx, SECURITY_GROUPS, group);
  for (const table of tables) await removeResource(ctx, ROUTE_TABLES, table);
  for (const acl of acls) await removeResource(ctx, NETWORK_ACLS, acl);
  await removeResource(ctx, VPCS, vpc);
  const settings = await accountSettings(ctx);
  if (settings.defaultVpcId === vpc.VpcId) await saveAccountSettings(ctx, { ...settings, defaultVpcId: undefined });
  return {};
};

/** DescribeVpcs: by id and filter, paged. */
export const describeVpcs: Handler<DescribeVpcsCommandInput, Out<DescribeVpcsCommandOutput>> = async (input, ctx) => {
  const page = await describeResources(ctx, VPCS, {
    ids: input.VpcIds, filters: input.Filters, maxResults: input.MaxResults, nextToken: input.NextToken,
  }, { operation: 'DescribeVpcs' });
  return { Vpcs: page.items, NextToken: page.nextToken };
};

/** ModifyVpcAttribute: DNS support and DNS host names, one at a time. */
export const modifyVpcAttribute: Handler<ModifyVpcAttributeCommandInput, Out<ModifyVpcAttributeCommandOutput>> = async (input, ctx) => {
  const vpc = await getResource(ctx, VPCS, input.VpcId ?? '');
  const changes = [input.EnableDnsSupport, input.EnableDnsHostnames, input.EnableNetworkAddressUsageMetrics].filter((c) => c !== undefined);
  if (changes.length !== 1) throw new InvalidParameterCombination('Fields for multiple attribute types specified: enableDnsSupport, enableDnsHostnames');
  const support = input.EnableDnsSupport?.Value ?? vpc.$enableDnsSupport;
  const hostnames = input.EnableDnsHostnames?.Value ?? vpc.$enableDnsHostnames;
  if (hostnames && !support) throw new InvalidParameterValue('DNS hostnames cannot be enabled when DNS support is disabled.');
  await saveResource(ctx, VPCS, { ...vpc, $enableDnsSupport: support, $enableDnsHostnames: hostnames });
  return {};
};

/** DescribeVpcAttribute: DNS support, DNS host names, or network address usage metrics. */
export const describeVpcAttribute: Handler<DescribeVpcAttributeCommandInput, Out<DescribeVpcAttributeCommandOutput>> = async (input, ctx) => {
  const vpc = await getResource(ctx, VPCS, input.VpcId ?? '');
  switch (input.Attribute) {
    case 'enableDnsSupport':
      return { VpcId: vpc.VpcId, EnableDnsSupport: { Value: vpc.$enableDnsSupport } };
    case 'enableDnsHostnames':
      return { VpcId: vpc.VpcId, EnableDnsHostnames: { Value: vpc.$enableDnsHostnames } };
    case 'enableNetworkAddressUsageMetrics':
      return { VpcId: vpc.VpcId, EnableNetworkAddressUsageMetrics: { Value: false } };
    default:
      throw InvalidParameterValue.of('attribute', input.Attribute, 'Unknown attribute.');
  }
};
