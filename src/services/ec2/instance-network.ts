/**
 * @module
 * An instance's network: the interfaces attached to it are the truth (addresses, groups, public
 * IP); the instance document carries a copy of them (NetworkInterfaces, PrivateIpAddress,
 * PublicIpAddress, SecurityGroups...) so that DescribeInstances reads one document per instance.
 */
import type { GroupIdentifier, InstanceNetworkInterface } from '@aws-sdk/client-ec2';
import type { CallContext } from '../service.js';
import { newEc2Id, newMacAddress, newPublicIp, privateDnsName, publicDnsName } from './ids.js';
import { INSTANCES, type InstanceDoc } from './instance-kind.js';
import { NETWORK_INTERFACES, type NetworkInterfaceDoc } from './interface-kinds.js';
import type { SubnetDoc, VpcDoc } from './network-kinds.js';
import { saveResource, type Stored } from './resources.js';

/** What a new interface is made from. */
export interface InterfaceSpec {
  readonly subnet: SubnetDoc;
  readonly vpc: VpcDoc;
  readonly address: string;
  readonly groups: GroupIdentifier[];
  readonly description?: string;
  readonly publicIp?: boolean;
  readonly tags?: NetworkInterfaceDoc['TagSet'];
}

/** The public address association of an interface, with a DNS name when the VPC gives host names. */
export function publicAssociation(ctx: CallContext, vpc: VpcDoc, ip: string, owner = 'amazon', allocation?: { AllocationId: string; AssociationId: string }): NetworkInterfaceDoc['Association'] {
  return { PublicIp: ip, PublicDnsName: vpc.$enableDnsHostnames ? publicDnsName(ip, ctx.scope.region) : '', IpOwnerId: owner, ...allocation };
}

/** A new, available interface in a subnet. */
export function newInterface(ctx: CallContext, spec: InterfaceSpec): NetworkInterfaceDoc {
  const dns = privateDnsName(spec.address, ctx.scope.region);
  const association = spec.publicIp ? publicAssociation(ctx, spec.vpc, newPublicIp()) : undefined;
  return {
    NetworkInterfaceId: newEc2Id('eni'), SubnetId: spec.subnet.SubnetId, VpcId: spec.vpc.VpcId, AvailabilityZone: spec.subnet.AvailabilityZone,
    AvailabilityZoneId: spec.subnet.AvailabilityZoneId, Description: spec.description ?? '', OwnerId: ctx.scope.accountId, RequesterManaged: false,
    Status: 'available', MacAddress: newMacAddress(), PrivateIpAddress: spec.address, PrivateDnsName: dns, SourceDestCheck: true,
    InterfaceType: 'interface', Groups: spec.groups, Ipv6Addresses: [], TagSet: spec.tags ?? [],
    PrivateIpAddresses: [{ Primary: true, PrivateIpAddress: spec.address, PrivateDnsName: dns, ...(association ? { Association: association } : {}) }],
    ...(association ? { Association: association, $autoPublicIp: true } : {}),
  };
}

/** The interface attached to an instance at a device index. */
export function attachInterface(ctx: CallContext, eni: NetworkInterfaceDoc, instanceId: string, deviceIndex: number, deleteOnTermination: boolean): NetworkInterfaceDoc {
  return {
    ...eni, Status: 'in-use',
    Attachment: {
      AttachmentId: newEc2Id('eni-attach'), AttachTime: new Date(ctx.now).toISOString(), DeleteOnTermination: deleteOnTermination, DeviceIndex: deviceIndex,
      NetworkCardIndex: 0, InstanceId: instanceId, InstanceOwnerId: ctx.scope.accountId, Status: 'attached',
    },
  };
}

function instanceInterface(eni: NetworkInterfaceDoc): Stored<InstanceNetworkInterface> {
  const a = eni.Attachment!;
  const association = eni.Association && { IpOwnerId: eni.Association.IpOwnerId, PublicDnsName: eni.Association.PublicDnsName, PublicIp: eni.Association.PublicIp };
  return {
    ...(association ? { Association: association } : {}),
    Attachment: { AttachTime: a.AttachTime, AttachmentId: a.AttachmentId, DeleteOnTermination: a.DeleteOnTermination, DeviceIndex: a.DeviceIndex, Status: a.Status, NetworkCardIndex: a.NetworkCardIndex },
    Description: eni.Description, Groups: eni.Groups, Ipv6Addresses: [], MacAddress: eni.MacAddress, NetworkInterfaceId: eni.NetworkInterfaceId,
    OwnerId: eni.OwnerId, PrivateDnsName: eni.PrivateDnsName, PrivateIpAddress: eni.PrivateIpAddress,
    PrivateIpAddresses: eni.PrivateIpAddresses?.map((p) => ({ ...p, ...(p.Primary && association ? { Association: association } : {}) })),
    SourceDestCheck: eni.SourceDestCheck, Status: eni.Status, SubnetId: eni.SubnetId, VpcId: eni.VpcId, InterfaceType: eni.InterfaceType,
  };
}

/** An instance with its network copied from its interfaces (the one at device index 0 is primary). */
export function withNetwork(instance: InstanceDoc, interfaces: readonly NetworkInterfaceDoc[]): InstanceDoc {
  const sorted = [...interfaces].sort((a, b) => (a.Attachment?.DeviceIndex ?? 0) - (b.Attachment?.DeviceIndex ?? 0));
  const primary = sorted[0];
  const { PublicIpAddress: _ip, ...rest } = instance;
  return {
    ...rest,
    NetworkInterfaces: sorted.map(instanceInterface),
    SecurityGroups: primary?.Groups ?? instance.SecurityGroups,
    PrivateIpAddress: primary?.PrivateIpAddress ?? instance.PrivateIpAddress,
    PrivateDnsName: primary?.PrivateDnsName ?? instance.PrivateDnsName,
    PublicDnsName: primary?.Association?.PublicDnsName ?? '',
    ...(primary?.Association?.PublicIp ? { PublicIpAddress: primary.Association.PublicIp } : {}),
    SourceDestCheck: primary?.SourceDestCheck ?? instance.SourceDestCheck,
  };
}

/** Copies an instance's interfaces onto it again after one of them changed, and saves it. */
export async function refreshInstanceNetwork(ctx: CallContext, instanceId: string): Promise<InstanceDoc | undefined> {
  const instance = await ctx.tx.indexed.get<InstanceDoc>(ctx.scope, INSTANCES.kind, instanceId);
  if (!instance) return undefined;
  const interfaces = (await ctx.tx.indexed.query<NetworkInterfaceDoc>(ctx.scope, NETWORK_INTERFACES.kind, {
    filters: [{ name: 'attachment.instance-id', values: [instanceId] }],
  })).map((e) => e.doc);
  const updated = withNetwork(instance, interfaces);
  await saveResource(ctx, INSTANCES, updated);
  return updated;
}
