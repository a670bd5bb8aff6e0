/**
 * @module
 * Network interfaces and Elastic IP addresses as stored, with their Describe filters. An
 * instance's network view (addresses, groups, public IP) lives on its interfaces.
 */
import type { Address, NetworkInterface } from '@aws-sdk/client-ec2';
import { ServiceError } from '../../core/errors.js';
import { ResourceNotFound } from './errors.js';
import type { ResourceKind, Stored } from './resources.js';

/** A network interface as stored; `$autoPublicIp` marks a public address given at launch (lost at stop). */
export interface NetworkInterfaceDoc extends Stored<NetworkInterface> {
  NetworkInterfaceId: string;
  SubnetId: string;
  VpcId: string;
  PrivateIpAddress: string;
  $autoPublicIp?: boolean;
}

/** An Elastic IP address as stored. */
export interface AddressDoc extends Address {
  AllocationId: string;
  PublicIp: string;
}

/** Network interfaces. */
export const NETWORK_INTERFACES: ResourceKind<NetworkInterfaceDoc> = {
  kind: 'ec2.network-interface',
  id: (n) => n.NetworkInterfaceId,
  arnType: 'network-interface',
  resourceType: 'AWS::EC2::NetworkInterface',
  tags: (n) => n.TagSet,
  notFound: (ids) => new ResourceNotFound('InvalidNetworkInterfaceID.NotFound', 'networkInterface ID', ids),
  lookups: (n) => ({ '$attachment-id': n.Attachment?.AttachmentId, '$association-id': n.Association?.AssociationId }),
  filters: {
    'addresses.private-ip-address': (n) => n.PrivateIpAddresses?.map((a) => a.PrivateIpAddress),
    'addresses.primary': (n) => n.PrivateIpAddresses?.map((a) => a.Primary),
    'addresses.association.public-ip': (n) => n.PrivateIpAddresses?.map((a) => a.Association?.PublicIp),
    'association.allocation-id': (n) => n.Association?.AllocationId,
    'association.association-id': (n) => n.Association?.AssociationId,
    'association.ip-owner-id': (n) => n.Association?.IpOwnerId,
    'association.public-ip': (n) => n.Association?.PublicIp,
    'association.public-dns-name': (n) => n.Association?.PublicDnsName,
    'attachment.attachment-id': (n) => n.Attachment?.AttachmentId,
    'attachment.attach-time': (n) => n.Attachment?.AttachTime,
    'attachment.delete-on-termination': (n) => n.Attachment?.DeleteOnTermination,
    'attachment.device-index': (n) => n.Attachment?.DeviceIndex,
    'attachment.instance-id': (n) => n.Attachment?.InstanceId,
    'attachment.instance-owner-id': (n) => n.Attachment?.InstanceOwnerId,
    'attachment.status': (n) => n.Attachment?.Status,
    'availability-zone': (n) => n.AvailabilityZone,
    'description': (n) => n.Description,
    'group-id': (n) => n.Groups?.map((g) => g.GroupId),
    'group-name': (n) => n.Groups?.map((g) => g.GroupName),
    'interface-type': (n) => n.InterfaceType,
    'mac-address': (n) => n.MacAddress,
    'network-interface-id': (n) => n.NetworkInterfaceId,
    'owner-id': (n) => n.OwnerId,
    'private-dns-name': (n) => n.PrivateDnsName,
    'private-ip-address': (n) => n.PrivateIpAddress,
    'requester-id': (n) => n.RequesterId,
    'requester-managed': (n) => n.RequesterManaged,
    'source-dest-check': (n) => n.SourceDestCheck,
    'status': (n) => n.Status,
    'subnet-id': (n) => n.SubnetId,
    'vpc-id': (n) => n.VpcId,
  },
};

/** The error for allocation ids that name no address. */
function allocationNotFound(ids: readonly string[]): ServiceError {
  return new ResourceNotFound('InvalidAllocationID.NotFound', 'allocation ID', ids);
}

/** Elastic IP addresses. */
export const ADDRESSES: ResourceKind<AddressDoc> = {
  kind: 'ec2.address',
  id: (a) => a.AllocationId,
  arnType: 'elastic-ip',
  resourceType: 'AWS::EC2::EIP',
  tags: (a) => a.Tags,
  notFound: allocationNotFound,
  filters: {
    'allocation-id': (a) => a.AllocationId,
    'association-id': (a) => a.AssociationId,
    'domain': (a) => a.Domain,
    'instance-id': (a) => a.InstanceId,
    'network-border-group': (a) => a.NetworkBorderGroup,
    'network-interface-id': (a) => a.NetworkInterfaceId,
    'network-interface-owner-id': (a) => a.NetworkInterfaceOwnerId,
    'private-ip-address': (a) => a.PrivateIpAddress,
    'public-ip': (a) => a.PublicIp,
  },
};

/** The error for public addresses that are not the account's. */
export function addressNotFound(ip: string): ServiceError {
  return new ServiceError('InvalidAddress.NotFound', `Address '${ip}' not found.`);
}
