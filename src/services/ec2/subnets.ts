/**
 * @module
 * Subnets: CreateSubnet, DeleteSubnet, DescribeSubnets, ModifySubnetAttribute; and handing out
 * their private addresses.
 */
import type {
  CreateSubnetCommandInput, CreateSubnetCommandOutput, DeleteSubnetCommandInput, DeleteSubnetCommandOutput, DescribeSubnetsCommandInput,
  DescribeSubnetsCommandOutput, ModifySubnetAttributeCommandInput, ModifySubnetAttributeCommandOutput,
} from '@aws-sdk/client-ec2';
import type { CallContext, Handler, Out } from '../service.js';
import { contains, formatIp4, hostAddress, includes, isAligned, overlaps, parseCidr4, parseIp4, usableAddresses } from './cidr.js';
import {
  DependencyViolation, InsufficientFreeAddressesInSubnet, InvalidIpAddressInUse, InvalidParameterValue, InvalidRange, InvalidSubnetConflict, MissingParameter,
} from './errors.js';
import { NETWORK_ACLS, ROUTE_TABLES, SUBNETS, VPCS, type SubnetDoc } from './network-kinds.js';
import { newEc2Id } from './ids.js';
import { newSubnet } from './network-setup.js';
import { describeResources, getResource, removeResource, resourcesWith, saveResource } from './resources.js';
import { tagsFor } from './tag-specs.js';
import { regionZones, zoneId } from './zones.js';
import { NETWORK_INTERFACES } from './interface-kinds.js';

/** CreateSubnet: a block of the VPC's range (/16 to /28) that overlaps no other subnet, in one zone. */
export const createSubnet: Handler<CreateSubnetCommandInput, Out<CreateSubnetCommandOutput>> = async (input, ctx) => {
  const vpc = await getResource(ctx, VPCS, input.VpcId ?? '');
  if (input.CidrBlock === undefined) throw new MissingParameter('CidrBlock');
  const block = parseCidr4(input.CidrBlock);
  if (!block) throw InvalidParameterValue.of('cidrBlock', input.CidrBlock, 'This is not a valid CIDR block.');
  if (block.prefix < 16 || block.prefix > 28 || !isAligned(block) || !contains(parseCidr4(vpc.CidrBlock)!, block)) {
    throw new InvalidRange('InvalidSubnet.Range', input.CidrBlock);
  }
  const siblings = await resourcesWith(ctx, SUBNETS, 'vpc-id', [vpc.VpcId]);
  if (siblings.some((s) => overlaps(parseCidr4(s.CidrBlock)!, block))) throw new InvalidSubnetConflict(input.CidrBlock);
  const zones = regionZones(ctx.scope.region);
  const zone = input.AvailabilityZone ?? zones.find((z) => zoneId(z) === input.AvailabilityZoneId) ?? (input.AvailabilityZoneId ? undefined : zones[0]);
  if (!zone || !zones.includes(zone)) {
    const [parameter, value] = input.AvailabilityZone ? ['availabilityZone', input.AvailabilityZone] : ['availabilityZoneId', input.AvailabilityZoneId];
    throw InvalidParameterValue.of(parameter!, value, `Subnets can currently only be created in the following availability zones: ${zones.join(', ')}.`);
  }
  const subnet = newSubnet(ctx, vpc, input.CidrBlock, zone, { tags: tagsFor(input.TagSpecifications, 'subnet') });
  await saveResource(ctx, SUBNETS, subnet);
  const [acl] = (await resourcesWith(ctx, NETWORK_ACLS, 'vpc-id', [vpc.VpcId])).filter((a) => a.IsDefault);
  if (acl) {
    acl.Associations = [...(acl.Associations ?? []), { NetworkAclAssociationId: newEc2Id('aclassoc'), NetworkAclId: acl.NetworkAclId, SubnetId: subnet.SubnetId }];
    await saveResource(ctx, NETWORK_ACLS, acl);
  }
  return { Subnet: subnet };
};

/** DeleteSubnet: a subnet without network interfaces; its route table and ACL associations go with it. */
export const deleteSubnet: Handler<DeleteSubnetCommandInput, Out<DeleteSubnetCommandOutput>> = async (input, ctx) => {
  const subnet = await getResource(ctx, SUBNETS, input.SubnetId ?? '');
  if ((await resourcesWith(ctx, NETWORK_INTERFACES, 'subnet-id', [subnet.SubnetId])).length) throw DependencyViolation.of('subnet', subnet.SubnetId);
  for (const table of await resourcesWith(ctx, ROUTE_TABLES, 'association.subnet-id', [subnet.SubnetId])) {
    await saveResource(ctx, ROUTE_TABLES, { ...table, Associations: table.Associations?.filter((a) => a.SubnetId !== subnet.SubnetId) });
  }
  for (const acl of await resourcesWith(ctx, NETWORK_ACLS, 'association.subnet-id', [subnet.SubnetId])) {
    await saveResource(ctx, NETWORK_ACLS, { ...acl, Associations: acl.Associations?.filter((a) => a.SubnetId !== subnet.SubnetId) });
  }
  await removeResource(ctx, SUBNETS, subnet);
  return {};
};

/** DescribeSubnets: by id and filter, paged. */
export const describeSubnets: Handler<DescribeSubnetsCommandInput, Out<DescribeSubnetsCommandOutput>> = async (input, ctx) => {
  const page = await describeResources(ctx, SUBNETS, {
    ids: input.SubnetIds, filters: input.Filters, maxResults: input.MaxResults, nextToken: input.NextToken,
  }, { operation: 'DescribeSubnets' });
  return { Subnets: page.items, NextToken: page.nextToken };
};

/** ModifySubnetAttribute: whether launches get a public address, and the other boolean settings. */
export const modifySubnetAttribute: Handler<ModifySubnetAttributeCommandInput, Out<ModifySubnetAttributeCommandOutput>> = async (input, ctx) => {
  const subnet = await getResource(ctx, SUBNETS, input.SubnetId ?? '');
  const updated: SubnetDoc = { ...subnet };
  if (input.MapPublicIpOnLaunch?.Value !== undefined) updated.MapPublicIpOnLaunch = input.MapPublicIpOnLaunch.Value;
  if (input.AssignIpv6AddressOnCreation?.Value !== undefined) updated.AssignIpv6AddressOnCreation = input.AssignIpv6AddressOnCreation.Value;
  if (input.EnableDns64?.Value !== undefined) updated.EnableDns64 = input.EnableDns64.Value;
  await saveResource(ctx, SUBNETS, updated);
  return {};
};

/**
 * Takes `count` private addresses from a subnet (or the one asked for), and saves the subnet's
 * address count without reporting it to Config (a count, not a configuration change). Addresses
 * are handed out in order; once the end of the range is reached, free ones are looked for.
 */
export async function allocateAddresses(ctx: CallContext, subnet: SubnetDoc, count: number, requested?: string): Promise<string[]> {
  if (subnet.AvailableIpAddressCount < count) throw new InsufficientFreeAddressesInSubnet(subnet.SubnetId);
  const block = parseCidr4(subnet.CidrBlock)!;
  const inUse = async () => new Set((await resourcesWith(ctx, NETWORK_INTERFACES, 'subnet-id', [subnet.SubnetId])).flatMap((n) => n.PrivateIpAddresses?.map((a) => a.PrivateIpAddress) ?? []));
  let addresses: string[];
  let next = subnet.$nextHost;
  if (requested !== undefined) {
    const address = parseIp4(requested);
    if (address === undefined || !includes(block, address) || address < hostAddress(block, 0) || address >= hostAddress(block, usableAddresses(block))) {
      throw new InvalidParameterValue(`Address ${requested} does not fall within the subnet's address range`);
    }
    if ((await inUse()).has(requested)) throw new InvalidIpAddressInUse(requested);
    addresses = [requested];
  } else if (next + count <= usableAddresses(block)) {
    addresses = Array.from({ length: count }, () => formatIp4(hostAddress(block, next++)));
  } else {
    const used = await inUse();
    addresses = [];
    for (let n = 0; n < usableAddresses(block) && addresses.length < count; n++) {
      const address = formatIp4(hostAddress(block, n));
      if (!used.has(address)) addresses.push(address);
    }
  }
  await saveResource(ctx, SUBNETS, { ...subnet, $nextHost: next, AvailableIpAddressCount: subnet.AvailableIpAddressCount - count }, { audit: false, outbox: false });
  return addresses;
}

/** Gives addresses back to a subnet's count. */
export async function releaseAddresses(ctx: CallContext, subnetId: string, count: number): Promise<void> {
  const subnet = await ctx.tx.indexed.get<SubnetDoc>(ctx.scope, SUBNETS.kind, subnetId);
  if (subnet) await saveResource(ctx, SUBNETS, { ...subnet, AvailableIpAddressCount: subnet.AvailableIpAddressCount + count }, { audit: false, outbox: false });
}
