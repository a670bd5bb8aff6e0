/**
 * @module
 * Network ACLs: CreateNetworkAcl, DeleteNetworkAcl, DescribeNetworkAcls, CreateNetworkAclEntry,
 * ReplaceNetworkAclEntry, DeleteNetworkAclEntry, ReplaceNetworkAclAssociation. Entries are kept
 * in EC2's order: egress first, each direction by rule number.
 */
import type {
  CreateNetworkAclCommandInput, CreateNetworkAclCommandOutput, CreateNetworkAclEntryCommandInput, CreateNetworkAclEntryCommandOutput,
  DeleteNetworkAclCommandInput, DeleteNetworkAclCommandOutput, DeleteNetworkAclEntryCommandInput, DeleteNetworkAclEntryCommandOutput,
  DescribeNetworkAclsCommandInput, DescribeNetworkAclsCommandOutput, NetworkAclEntry, ReplaceNetworkAclAssociationCommandInput,
  ReplaceNetworkAclAssociationCommandOutput, ReplaceNetworkAclEntryCommandInput, ReplaceNetworkAclEntryCommandOutput,
} from '@aws-sdk/client-ec2';
import type { CallContext, Handler, Out } from '../service.js';
import { isCidr6, parseCidr4 } from './cidr.js';
import {
  DependencyViolation, InvalidNetworkAclEntryNotFound, InvalidParameterValue, MissingParameter, NetworkAclEntryAlreadyExists, ResourceNotFound,
} from './errors.js';
import { newEc2Id } from './ids.js';
import { NETWORK_ACLS, VPCS, type NetworkAclDoc } from './network-kinds.js';
import { newNetworkAcl } from './network-setup.js';
import { describeResources, getResource, removeResource, resourcesWith, saveResource } from './resources.js';
import { tagsFor } from './tag-specs.js';

const PROTOCOL_NUMBERS: Record<string, string> = { all: '-1', tcp: '6', udp: '17', icmp: '1', icmpv6: '58' };

/** An entry as a call describes it, checked; EC2 stores protocols by number. */
function entryFor(input: CreateNetworkAclEntryCommandInput): NetworkAclEntry {
  const ruleNumber = input.RuleNumber;
  if (ruleNumber === undefined || !Number.isInteger(ruleNumber) || ruleNumber < 1 || ruleNumber > 32766) {
    throw InvalidParameterValue.of('ruleNumber', ruleNumber, 'Valid values are 1 through 32766.');
  }
  const raw = (input.Protocol ?? '').toLowerCase();
  const protocol = PROTOCOL_NUMBERS[raw] ?? raw;
  if (protocol !== '-1' && !(/^\d{1,3}$/.test(protocol) && Number(protocol) <= 255)) throw InvalidParameterValue.of('protocol', input.Protocol);
  if (input.RuleAction !== 'allow' && input.RuleAction !== 'deny') throw InvalidParameterValue.of('ruleAction', input.RuleAction);
  const entry: NetworkAclEntry = { Egress: input.Egress ?? false, Protocol: String(protocol === '-1' ? -1 : Number(protocol)), RuleAction: input.RuleAction, RuleNumber: ruleNumber };
  if (input.CidrBlock !== undefined) {
    if (!parseCidr4(input.CidrBlock)) throw InvalidParameterValue.of('cidrBlock', input.CidrBlock, 'This is not a valid CIDR block.');
    entry.CidrBlock = input.CidrBlock;
  } else if (input.Ipv6CidrBlock !== undefined) {
    if (!isCidr6(input.Ipv6CidrBlock)) throw InvalidParameterValue.of('ipv6CidrBlock', input.Ipv6CidrBlock, 'This is not a valid IPv6 CIDR block.');
    entry.Ipv6CidrBlock = input.Ipv6CidrBlock;
  } else {
    throw new MissingParameter('CidrBlock');
  }
  if (entry.Protocol === '6' || entry.Protocol === '17') {
    const { From, To } = input.PortRange ?? {};
    if (From === undefined || To === undefined) throw new MissingParameter('portRange');
    entry.PortRange = { From, To };
  }
  if (entry.Protocol === '1' || entry.Protocol === '58') entry.IcmpTypeCode = { Code: input.IcmpTypeCode?.Code ?? -1, Type: input.IcmpTypeCode?.Type ?? -1 };
  return entry;
}

function sorted(entries: NetworkAclEntry[]): NetworkAclEntry[] {
  return entries.sort((a, b) => Number(b.Egress) - Number(a.Egress) || (a.RuleNumber ?? 0) - (b.RuleNumber ?? 0));
}

const sameRule = (egress: boolean, ruleNumber: number | undefined) => (e: NetworkAclEntry) => e.Egress === egress && e.RuleNumber === ruleNumber;

/** CreateNetworkAcl: an ACL of a VPC that denies everything until entries are added. */
export const createNetworkAcl: Handler<CreateNetworkAclCommandInput, Out<CreateNetworkAclCommandOutput>> = async (input, ctx) => {
  const vpc = await getResource(ctx, VPCS, input.VpcId ?? '');
  const acl = newNetworkAcl(ctx, vpc.VpcId, false, tagsFor(input.TagSpecifications, 'network-acl'));
  await saveResource(ctx, NETWORK_ACLS, acl);
  return { NetworkAcl: acl };
};

/** DeleteNetworkAcl: a non-default ACL no subnet is associated with. */
export const deleteNetworkAcl: Handler<DeleteNetworkAclCommandInput, Out<DeleteNetworkAclCommandOutput>> = async (input, ctx) => {
  const acl = await getResource(ctx, NETWORK_ACLS, input.NetworkAclId ?? '');
  if (acl.IsDefault) throw new InvalidParameterValue(`cannot delete default network ACL ${acl.NetworkAclId}`);
  if (acl.Associations?.length) throw DependencyViolation.of('networkAcl', acl.NetworkAclId);
  await removeResource(ctx, NETWORK_ACLS, acl);
  return {};
};

/** DescribeNetworkAcls: by id and filter, paged (at most 100 a page). */
export const describeNetworkAcls: Handler<DescribeNetworkAclsCommandInput, Out<DescribeNetworkAclsCommandOutput>> = async (input, ctx) => {
  const page = await describeResources(ctx, NETWORK_ACLS, {
    ids: input.NetworkAclIds, filters: input.Filters, maxResults: input.MaxResults, nextToken: input.NextToken,
  }, { operation: 'DescribeNetworkAcls', range: [5, 100] });
  return { NetworkAcls: page.items, NextToken: page.nextToken };
};

/** CreateNetworkAclEntry: a numbered rule in one direction, the number not taken. */
export const createNetworkAclEntry: Handler<CreateNetworkAclEntryCommandInput, Out<CreateNetworkAclEntryCommandOutput>> = async (input, ctx) => {
  const acl = await getResource(ctx, NETWORK_ACLS, input.NetworkAclId ?? '');
  const entry = entryFor(input);
  if (acl.Entries?.some(sameRule(entry.Egress!, entry.RuleNumber))) throw new NetworkAclEntryAlreadyExists(entry.RuleNumber!);
  await saveResource(ctx, NETWORK_ACLS, { ...acl, Entries: sorted([...(acl.Entries ?? []), entry]) });
  return {};
};

/** ReplaceNetworkAclEntry: a new rule in place of the one with that number and direction. */
export const replaceNetworkAclEntry: Handler<ReplaceNetworkAclEntryCommandInput, Out<ReplaceNetworkAclEntryCommandOutput>> = async (input, ctx) => {
  const acl = await getResource(ctx, NETWORK_ACLS, input.NetworkAclId ?? '');
  const entry = entryFor(input);
  const match = sameRule(entry.Egress!, entry.RuleNumber);
  if (!acl.Entries?.some(match)) throw new InvalidNetworkAclEntryNotFound(entry.RuleNumber!, entry.Egress!, acl.NetworkAclId);
  await saveResource(ctx, NETWORK_ACLS, { ...acl, Entries: sorted([...acl.Entries.filter((e) => !match(e)), entry]) });
  return {};
};

/** DeleteNetworkAclEntry: a rule by number and direction (the final deny-all rule stays). */
export const deleteNetworkAclEntry: Handler<DeleteNetworkAclEntryCommandInput, Out<DeleteNetworkAclEntryCommandOutput>> = async (input, ctx) => {
  const acl = await getResource(ctx, NETWORK_ACLS, input.NetworkAclId ?? '');
  const egress = input.Egress ?? false;
  const match = sameRule(egress, input.RuleNumber);
  if (input.RuleNumber === 32767 || !acl.Entries?.some(match)) throw new InvalidNetworkAclEntryNotFound(input.RuleNumber ?? 0, egress, acl.NetworkAclId);
  await saveResource(ctx, NETWORK_ACLS, { ...acl, Entries: acl.Entries.filter((e) => !match(e)) });
  return {};
};

async function aclWithAssociation(ctx: CallContext, associationId: string): Promise<NetworkAclDoc> {
  const [acl] = await resourcesWith(ctx, NETWORK_ACLS, 'association.association-id', [associationId]);
  if (!acl) throw new ResourceNotFound('InvalidAssociationID.NotFound', 'association ID', [associationId]);
  return acl;
}

/** ReplaceNetworkAclAssociation: moves a subnet to another ACL of its VPC. */
export const replaceNetworkAclAssociation: Handler<ReplaceNetworkAclAssociationCommandInput, Out<ReplaceNetworkAclAssociationCommandOutput>> = async (input, ctx) => {
  const id = input.AssociationId ?? '';
  const from = await aclWithAssociation(ctx, id);
  const to = await getResource(ctx, NETWORK_ACLS, input.NetworkAclId ?? '');
  if (to.VpcId !== from.VpcId) throw new InvalidParameterValue(`Network ACL ${to.NetworkAclId} and association ${id} belong to different networks`);
  const old = from.Associations!.find((a) => a.NetworkAclAssociationId === id)!;
  const moved = { NetworkAclAssociationId: newEc2Id('aclassoc'), NetworkAclId: to.NetworkAclId, SubnetId: old.SubnetId };
  if (from.NetworkAclId === to.NetworkAclId) {
    await saveResource(ctx, NETWORK_ACLS, { ...from, Associations: from.Associations!.map((a) => (a === old ? moved : a)) });
  } else {
    await saveResource(ctx, NETWORK_ACLS, { ...from, Associations: from.Associations!.filter((a) => a !== old) });
    await saveResource(ctx, NETWORK_ACLS, { ...to, Associations: [...(to.Associations ?? []), moved] });
  }
  return { NewAssociationId: moved.NetworkAclAssociationId };
};
