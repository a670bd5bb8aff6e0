/**
 * @module
 * The network resources as stored, with their Describe filters: VPCs, subnets, route tables,
 * internet gateways and network ACLs. Each document is the SDK shape plus internal `$` fields.
 */
import type { InternetGateway, NetworkAcl, RouteTable, Subnet, Vpc } from '@aws-sdk/client-ec2';
import { ResourceNotFound } from './errors.js';
import type { ResourceKind } from './resources.js';

/** A VPC as stored. */
export interface VpcDoc extends Vpc {
  VpcId: string;
  CidrBlock: string;
  $enableDnsSupport: boolean;
  $enableDnsHostnames: boolean;
}

/** A subnet as stored; `$nextHost` is the next host address to hand out (0-based past the reserved four). */
export interface SubnetDoc extends Subnet {
  SubnetId: string;
  VpcId: string;
  CidrBlock: string;
  AvailabilityZone: string;
  AvailableIpAddressCount: number;
  $nextHost: number;
}

/** A route table as stored. */
export interface RouteTableDoc extends RouteTable {
  RouteTableId: string;
  VpcId: string;
}

/** An internet gateway as stored. */
export interface InternetGatewayDoc extends InternetGateway {
  InternetGatewayId: string;
}

/** A network ACL as stored. */
export interface NetworkAclDoc extends NetworkAcl {
  NetworkAclId: string;
  VpcId: string;
}

/** VPCs. */
export const VPCS: ResourceKind<VpcDoc> = {
  kind: 'ec2.vpc',
  id: (v) => v.VpcId,
  arnType: 'vpc',
  resourceType: 'AWS::EC2::VPC',
  tags: (v) => v.Tags,
  notFound: (ids) => new ResourceNotFound('InvalidVpcID.NotFound', 'vpc ID', ids),
  filters: {
    'cidr': (v) => v.CidrBlock,
    'cidr-block-association.cidr-block': (v) => v.CidrBlockAssociationSet?.map((a) => a.CidrBlock),
    'cidr-block-association.association-id': (v) => v.CidrBlockAssociationSet?.map((a) => a.AssociationId),
    'cidr-block-association.state': (v) => v.CidrBlockAssociationSet?.map((a) => a.CidrBlockState?.State),
    'dhcp-options-id': (v) => v.DhcpOptionsId,
    'is-default': (v) => v.IsDefault,
    'isDefault': (v) => v.IsDefault,
    'owner-id': (v) => v.OwnerId,
    'state': (v) => v.State,
    'vpc-id': (v) => v.VpcId,
  },
};

/** Subnets. */
export const SUBNETS: ResourceKind<SubnetDoc> = {
  kind: 'ec2.subnet',
  id: (s) => s.SubnetId,
  arnType: 'subnet',
  resourceType: 'AWS::EC2::Subnet',
  tags: (s) => s.Tags,
  notFound: (ids) => new ResourceNotFound('InvalidSubnetID.NotFound', 'subnet ID', ids),
  filters: {
    'availability-zone': (s) => s.AvailabilityZone,
    'availabilityZone': (s) => s.AvailabilityZone,
    'availability-zone-id': (s) => s.AvailabilityZoneId,
    'available-ip-address-count': (s) => s.AvailableIpAddressCount,
    'cidr-block': (s) => s.CidrBlock,
    'cidr': (s) => s.CidrBlock,
    'cidrBlock': (s) => s.CidrBlock,
    'default-for-az': (s) => s.DefaultForAz,
    'defaultForAz': (s) => s.DefaultForAz,
    'map-public-ip-on-launch': (s) => s.MapPublicIpOnLaunch,
    'owner-id': (s) => s.OwnerId,
    'state': (s) => s.State,
    'subnet-arn': (s) => s.SubnetArn,
    'subnet-id': (s) => s.SubnetId,
    'vpc-id': (s) => s.VpcId,
  },
};

/** Route tables. */
export const ROUTE_TABLES: ResourceKind<RouteTableDoc> = {
  kind: 'ec2.route-table',
  id: (r) => r.RouteTableId,
  arnType: 'route-table',
  resourceType: 'AWS::EC2::RouteTable',
  tags: (r) => r.Tags,
  notFound: (ids) => new ResourceNotFound('InvalidRouteTableID.NotFound', 'routeTable ID', ids),
  filters: {
    'association.route-table-association-id': (r) => r.Associations?.map((a) => a.RouteTableAssociationId),
    'association.route-table-id': (r) => r.Associations?.map((a) => a.RouteTableId),
    'association.subnet-id': (r) => r.Associations?.map((a) => a.SubnetId),
    'association.gateway-id': (r) => r.Associations?.map((a) => a.GatewayId),
    'association.main': (r) => r.Associations?.some((a) => a.Main) ?? false,
    'owner-id': (r) => r.OwnerId,
    'route-table-id': (r) => r.RouteTableId,
    'route.destination-cidr-block': (r) => r.Routes?.map((x) => x.DestinationCidrBlock),
    'route.destination-ipv6-cidr-block': (r) => r.Routes?.map((x) => x.DestinationIpv6CidrBlock),
    'route.gateway-id': (r) => r.Routes?.map((x) => x.GatewayId),
    'route.instance-id': (r) => r.Routes?.map((x) => x.InstanceId),
    'route.nat-gateway-id': (r) => r.Routes?.map((x) => x.NatGatewayId),
    'route.network-interface-id': (r) => r.Routes?.map((x) => x.NetworkInterfaceId),
    'route.origin': (r) => r.Routes?.map((x) => x.Origin),
    'route.state': (r) => r.Routes?.map((x) => x.State),
    'vpc-id': (r) => r.VpcId,
  },
};

/** Internet gateways. */
export const INTERNET_GATEWAYS: ResourceKind<InternetGatewayDoc> = {
  kind: 'ec2.internet-gateway',
  id: (g) => g.InternetGatewayId,
  arnType: 'internet-gateway',
  resourceType: 'AWS::EC2::InternetGateway',
  tags: (g) => g.Tags,
  notFound: (ids) => new ResourceNotFound('InvalidInternetGatewayID.NotFound', 'internetGateway ID', ids),
  filters: {
    'attachment.state': (g) => g.Attachments?.map((a) => a.State),
    'attachment.vpc-id': (g) => g.Attachments?.map((a) => a.VpcId),
    'internet-gateway-id': (g) => g.InternetGatewayId,
    'owner-id': (g) => g.OwnerId,
  },
};

/** Network ACLs. */
export const NETWORK_ACLS: ResourceKind<NetworkAclDoc> = {
  kind: 'ec2.network-acl',
  id: (a) => a.NetworkAclId,
  arnType: 'network-acl',
  resourceType: 'AWS::EC2::NetworkAcl',
  tags: (a) => a.Tags,
  notFound: (ids) => new ResourceNotFound('InvalidNetworkAclID.NotFound', 'networkAcl ID', ids),
  filters: {
    'association.association-id': (a) => a.Associations?.map((x) => x.NetworkAclAssociationId),
    'association.network-acl-id': (a) => a.Associations?.map((x) => x.NetworkAclId),
    'association.subnet-id': (a) => a.Associations?.map((x) => x.SubnetId),
    'default': (a) => a.IsDefault,
    'entry.cidr': (a) => a.Entries?.map((e) => e.CidrBlock),
    'entry.egress': (a) => a.Entries?.map((e) => e.Egress),
    'entry.protocol': (a) => a.Entries?.map((e) => e.Protocol),
    'entry.rule-action': (a) => a.Entries?.map((e) => e.RuleAction),
    'entry.rule-number': (a) => a.Entries?.map((e) => e.RuleNumber),
    'entry.port-range.from': (a) => a.Entries?.map((e) => e.PortRange?.From),
    'entry.port-range.to': (a) => a.Entries?.map((e) => e.PortRange?.To),
    'network-acl-id': (a) => a.NetworkAclId,
    'owner-id': (a) => a.OwnerId,
    'vpc-id': (a) => a.VpcId,
  },
};
