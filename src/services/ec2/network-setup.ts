/**
 * @module
 * What EC2 creates along with a VPC (its main route table, default network ACL and default security
 * group), the subnets it hands out addresses from, and the default VPC of a region.
 */
import type { AttachmentStatus, NetworkAclEntry, Tag, Tenancy } from '@aws-sdk/client-ec2';
import type { CallContext } from '../service.js';
import { formatCidr4, parseCidr4, usableAddresses } from './cidr.js';
import { newEc2Id } from './ids.js';
import {
  INTERNET_GATEWAYS, NETWORK_ACLS, ROUTE_TABLES, SUBNETS, VPCS, type InternetGatewayDoc, type NetworkAclDoc, type RouteTableDoc,
  type SubnetDoc, type VpcDoc,
} from './network-kinds.js';
import { arnOf, saveResource, type ChangeNotes } from './resources.js';
import { SECURITY_GROUPS, ruleArn, withRules, type SecurityGroupDoc } from './security-group-kind.js';
import { newRule } from './security-group-rules.js';
import { regionZones, zoneId } from './zones.js';

/** An internet gateway attachment's state while attached ("available", which the SDK's enum lacks). */
export const ATTACHED = 'available' as AttachmentStatus;

/** What a new VPC is made from. */
export interface VpcSpec {
  readonly cidr: string;
  readonly tenancy?: Tenancy;
  readonly tags?: Tag[];
  readonly isDefault?: boolean;
  readonly dhcpOptionsId: string;
}

/** The entries every network ACL ends with, and a default ACL starts with: allow all, then deny all. */
function aclEntries(allow: boolean): NetworkAclEntry[] {
  const entries: NetworkAclEntry[] = [];
  for (const egress of [true, false]) {
    if (allow) entries.push({ CidrBlock: '0.0.0.0/0', Egress: egress, Protocol: '-1', RuleAction: 'allow', RuleNumber: 100 });
    entries.push({ CidrBlock: '0.0.0.0/0', Egress: egress, Protocol: '-1', RuleAction: 'deny', RuleNumber: 32767 });
  }
  return entries;
}

/** A network ACL of a VPC: the default one allows everything, others deny everything. */
export function newNetworkAcl(ctx: CallContext, vpcId: string, isDefault: boolean, tags: Tag[] = []): NetworkAclDoc {
  return {
    NetworkAclId: newEc2Id('acl'), VpcId: vpcId, IsDefault: isDefault, Entries: aclEntries(isDefault), Associations: [],
    OwnerId: ctx.scope.accountId, Tags: tags,
  };
}

/** A route table of a VPC, with its local route (and the main association for the main table). */
export function newRouteTable(ctx: CallContext, vpc: VpcDoc, main: boolean, tags: Tag[] = []): RouteTableDoc {
  const id = newEc2Id('rtb');
  return {
    RouteTableId: id, VpcId: vpc.VpcId, OwnerId: ctx.scope.accountId, PropagatingVgws: [], Tags: tags,
    Routes: [{ DestinationCidrBlock: vpc.CidrBlock, GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' }],
    Associations: main ? [{ Main: true, RouteTableAssociationId: newEc2Id('rtbassoc'), RouteTableId: id, AssociationState: { State: 'associated' } }] : [],
  };
}

/** The default security group of a VPC: all traffic in from itself, all traffic out. */
function newDefaultSecurityGroup(ctx: CallContext, vpc: VpcDoc): SecurityGroupDoc {
  const groupId = newEc2Id('sg');
  const owner = { GroupId: groupId, OwnerId: ctx.scope.accountId, Arn: (id: string) => ruleArn(ctx.scope, id) };
  const group: SecurityGroupDoc = {
    GroupId: groupId, GroupName: 'default', Description: `default VPC security group`, VpcId: vpc.VpcId, OwnerId: ctx.scope.accountId,
    SecurityGroupArn: arnOf(SECURITY_GROUPS, ctx.scope, groupId), Tags: [], $rules: [],
  };
  return withRules(group, [
    newRule({ IsEgress: false, IpProtocol: '-1', FromPort: -1, ToPort: -1, target: { ReferencedGroupInfo: { GroupId: groupId, UserId: ctx.scope.accountId } } }, owner),
    newRule({ IsEgress: true, IpProtocol: '-1', FromPort: -1, ToPort: -1, target: { CidrIpv4: '0.0.0.0/0' } }, owner),
  ]);
}

/** A new VPC and what comes with it: its main route table, default network ACL and default security group. */
interface VpcParts {
  readonly vpc: VpcDoc;
  readonly table: RouteTableDoc;
  readonly acl: NetworkAclDoc;
  readonly group: SecurityGroupDoc;
}

function vpcWithDefaults(ctx: CallContext, spec: VpcSpec): VpcParts {
  const vpc: VpcDoc = {
    VpcId: newEc2Id('vpc'), CidrBlock: spec.cidr, State: 'available', DhcpOptionsId: spec.dhcpOptionsId, InstanceTenancy: spec.tenancy ?? 'default',
    OwnerId: ctx.scope.accountId, IsDefault: spec.isDefault ?? false, Ipv6CidrBlockAssociationSet: [],
    CidrBlockAssociationSet: [{ AssociationId: newEc2Id('vpc-cidr-assoc'), CidrBlock: spec.cidr, CidrBlockState: { State: 'associated' } }],
    BlockPublicAccessStates: { InternetGatewayBlockMode: 'off' }, Tags: spec.tags ?? [],
    $enableDnsSupport: true, $enableDnsHostnames: spec.isDefault ?? false,
  };
  return { vpc, table: newRouteTable(ctx, vpc, true), acl: newNetworkAcl(ctx, vpc.VpcId, true), group: newDefaultSecurityGroup(ctx, vpc) };
}

async function saveParts(ctx: CallContext, parts: VpcParts, notes: ChangeNotes): Promise<void> {
  await saveResource(ctx, VPCS, parts.vpc, notes);
  await saveResource(ctx, ROUTE_TABLES, parts.table, notes);
  await saveResource(ctx, NETWORK_ACLS, parts.acl, notes);
  await saveResource(ctx, SECURITY_GROUPS, parts.group, notes);
}

/** Creates a VPC with its main route table, default network ACL and default security group. */
export async function createVpcWithDefaults(ctx: CallContext, spec: VpcSpec): Promise<VpcDoc> {
  const parts = vpcWithDefaults(ctx, spec);
  await saveParts(ctx, parts, {});
  return parts.vpc;
}

/** A new subnet of a VPC (the CIDR already checked). */
export function newSubnet(ctx: CallContext, vpc: VpcDoc, cidr: string, zone: string, options: { isDefault?: boolean; tags?: Tag[] } = {}): SubnetDoc {
  const id = newEc2Id('subnet');
  const block = parseCidr4(cidr)!;
  return {
    SubnetId: id, SubnetArn: arnOf(SUBNETS, ctx.scope, id), State: 'available', VpcId: vpc.VpcId, CidrBlock: formatCidr4(block),
    AvailableIpAddressCount: usableAddresses(block), AvailabilityZone: zone, AvailabilityZoneId: zoneId(zone),
    DefaultForAz: options.isDefault ?? false, MapPublicIpOnLaunch: options.isDefault ?? false, MapCustomerOwnedIpOnLaunch: false,
    AssignIpv6AddressOnCreation: false, Ipv6CidrBlockAssociationSet: [], Ipv6Native: false, EnableDns64: false, OwnerId: ctx.scope.accountId,
    PrivateDnsNameOptionsOnLaunch: { HostnameType: 'ip-name', EnableResourceNameDnsARecord: false, EnableResourceNameDnsAAAARecord: false },
    Tags: options.tags ?? [], $nextHost: 0,
  };
}

/** The default subnets' blocks, one /20 per zone. */
const DEFAULT_SUBNETS = ['172.31.0.0/20', '172.31.16.0/20', '172.31.32.0/20'];

/**
 * Creates a region's default VPC: 172.31.0.0/16, a default subnet per zone (associated with the
 * default network ACL), an internet gateway and a main route table routing 0.0.0.0/0 to it.
 */
export async function createDefaultVpc(ctx: CallContext, dhcpOptionsId: string, notes: ChangeNotes = {}): Promise<VpcDoc> {
  const parts = vpcWithDefaults(ctx, { cidr: '172.31.0.0/16', isDefault: true, dhcpOptionsId });
  const { vpc, table, acl } = parts;
  const gateway: InternetGatewayDoc = {
    InternetGatewayId: newEc2Id('igw'), OwnerId: ctx.scope.accountId, Attachments: [{ State: ATTACHED, VpcId: vpc.VpcId }], Tags: [],
  };
  table.Routes!.push({ DestinationCidrBlock: '0.0.0.0/0', GatewayId: gateway.InternetGatewayId, Origin: 'CreateRoute', State: 'active' });
  const zones = regionZones(ctx.scope.region);
  const subnets = DEFAULT_SUBNETS.map((cidr, i) => newSubnet(ctx, vpc, cidr, zones[i]!, { isDefault: true }));
  for (const subnet of subnets) {
    acl.Associations!.push({ NetworkAclAssociationId: newEc2Id('aclassoc'), NetworkAclId: acl.NetworkAclId, SubnetId: subnet.SubnetId });
  }
  await saveParts(ctx, parts, notes);
  await saveResource(ctx, INTERNET_GATEWAYS, gateway, notes);
  for (const subnet of subnets) await saveResource(ctx, SUBNETS, subnet, notes);
  return vpc;
}
