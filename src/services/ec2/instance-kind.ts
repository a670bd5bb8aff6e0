/**
 * @module
 * Instances as stored, with their Describe filters and states. The stored state is the settled
 * one (`running`, `stopped`, `terminated`); the call that moves an instance answers with the
 * transitional state AWS shows at that moment (`pending`, `stopping`, `shutting-down`).
 */
import type { Instance, InstanceState, InstanceStateName } from '@aws-sdk/client-ec2';
import { MalformedId, ResourceNotFound } from './errors.js';
import type { ResourceKind, Stored } from './resources.js';

/** An instance as stored. */
export interface InstanceDoc extends Stored<Instance> {
  InstanceId: string;
  State: InstanceState;
  $reservationId: string;
  $disableApiTermination: boolean;
  $disableApiStop: boolean;
  $shutdownBehavior: 'stop' | 'terminate';
  $userData?: string;
  /** When the instance was terminated (ms); it stays visible for an hour after. */
  $terminatedAt?: number;
}

const CODES: Record<InstanceStateName, number> = {
  'pending': 0, 'running': 16, 'shutting-down': 32, 'terminated': 48, 'stopping': 64, 'stopped': 80,
};

/** An instance state with its code. */
export function state(name: InstanceStateName): InstanceState {
  return { Code: CODES[name], Name: name };
}

/** How long terminated instances stay visible. */
export const TERMINATED_VISIBLE_MS = 60 * 60 * 1000;

/** Checks that instance ids have the form `i-...`; EC2 answers others with InvalidInstanceID.Malformed. */
export function checkInstanceIds(ids: readonly string[]): void {
  const bad = ids.find((id) => !/^i-[0-9a-zA-Z]+$/.test(id));
  if (bad !== undefined) throw new MalformedId('InvalidInstanceID.Malformed', bad);
}

const interfaces = (i: InstanceDoc) => i.NetworkInterfaces ?? [];
const devices = (i: InstanceDoc) => i.BlockDeviceMappings ?? [];

/** Instances. */
export const INSTANCES: ResourceKind<InstanceDoc> = {
  kind: 'ec2.instance',
  id: (i) => i.InstanceId,
  arnType: 'instance',
  resourceType: 'AWS::EC2::Instance',
  tags: (i) => i.Tags,
  notFound: (ids) => new ResourceNotFound('InvalidInstanceID.NotFound', 'instance ID', ids),
  lookups: (i) => ({ '$terminated-at': i.$terminatedAt === undefined ? undefined : String(i.$terminatedAt) }),
  filters: {
    'affinity': (i) => i.Placement?.Affinity,
    'architecture': (i) => i.Architecture,
    'availability-zone': (i) => i.Placement?.AvailabilityZone,
    'block-device-mapping.attach-time': (i) => devices(i).map((d) => d.Ebs?.AttachTime),
    'block-device-mapping.delete-on-termination': (i) => devices(i).map((d) => d.Ebs?.DeleteOnTermination),
    'block-device-mapping.device-name': (i) => devices(i).map((d) => d.DeviceName),
    'block-device-mapping.status': (i) => devices(i).map((d) => d.Ebs?.Status),
    'block-device-mapping.volume-id': (i) => devices(i).map((d) => d.Ebs?.VolumeId),
    'client-token': (i) => i.ClientToken,
    'dns-name': (i) => i.PublicDnsName,
    'ebs-optimized': (i) => i.EbsOptimized,
    'ena-support': (i) => i.EnaSupport,
    'group-id': (i) => i.SecurityGroups?.map((g) => g.GroupId),
    'group-name': (i) => i.SecurityGroups?.map((g) => g.GroupName),
    'hypervisor': (i) => i.Hypervisor,
    'iam-instance-profile.arn': (i) => i.IamInstanceProfile?.Arn,
    'iam-instance-profile.id': (i) => i.IamInstanceProfile?.Id,
    'image-id': (i) => i.ImageId,
    'instance-id': (i) => i.InstanceId,
    'instance-lifecycle': (i) => i.InstanceLifecycle,
    'instance-state-code': (i) => i.State.Code,
    'instance-state-name': (i) => i.State.Name,
    'instance-type': (i) => i.InstanceType,
    'instance.group-id': (i) => i.SecurityGroups?.map((g) => g.GroupId),
    'instance.group-name': (i) => i.SecurityGroups?.map((g) => g.GroupName),
    'ip-address': (i) => i.PublicIpAddress,
    'key-name': (i) => i.KeyName,
    'launch-index': (i) => i.AmiLaunchIndex,
    'launch-time': (i) => i.LaunchTime,
    'metadata-options.http-endpoint': (i) => i.MetadataOptions?.HttpEndpoint,
    'metadata-options.http-put-response-hop-limit': (i) => i.MetadataOptions?.HttpPutResponseHopLimit,
    'metadata-options.http-tokens': (i) => i.MetadataOptions?.HttpTokens,
    'metadata-options.instance-metadata-tags': (i) => i.MetadataOptions?.InstanceMetadataTags,
    'monitoring-state': (i) => i.Monitoring?.State,
    'network-interface.addresses.association.public-ip': (i) => interfaces(i).map((n) => n.Association?.PublicIp),
    'network-interface.addresses.private-ip-address': (i) => interfaces(i).flatMap((n) => n.PrivateIpAddresses?.map((a) => a.PrivateIpAddress) ?? []),
    'network-interface.attachment.attachment-id': (i) => interfaces(i).map((n) => n.Attachment?.AttachmentId),
    'network-interface.attachment.device-index': (i) => interfaces(i).map((n) => n.Attachment?.DeviceIndex),
    'network-interface.group-id': (i) => interfaces(i).flatMap((n) => n.Groups?.map((g) => g.GroupId) ?? []),
    'network-interface.mac-address': (i) => interfaces(i).map((n) => n.MacAddress),
    'network-interface.network-interface-id': (i) => interfaces(i).map((n) => n.NetworkInterfaceId),
    'network-interface.private-dns-name': (i) => interfaces(i).map((n) => n.PrivateDnsName),
    'network-interface.subnet-id': (i) => interfaces(i).map((n) => n.SubnetId),
    'network-interface.vpc-id': (i) => interfaces(i).map((n) => n.VpcId),
    'owner-id': (i) => i.NetworkInterfaces?.[0]?.OwnerId,
    'placement-group-name': (i) => i.Placement?.GroupName,
    'platform-details': (i) => i.PlatformDetails,
    'private-dns-name': (i) => i.PrivateDnsName,
    'private-ip-address': (i) => i.PrivateIpAddress,
    'product-code': (i) => i.ProductCodes?.map((p) => p.ProductCodeId),
    'reason': (i) => i.StateTransitionReason,
    'reservation-id': (i) => i.$reservationId,
    'root-device-name': (i) => i.RootDeviceName,
    'root-device-type': (i) => i.RootDeviceType,
    'source-dest-check': (i) => i.SourceDestCheck,
    'state-reason-code': (i) => i.StateReason?.Code,
    'state-reason-message': (i) => i.StateReason?.Message,
    'subnet-id': (i) => i.SubnetId,
    'tenancy': (i) => i.Placement?.Tenancy,
    'usage-operation': (i) => i.UsageOperation,
    'virtualization-type': (i) => i.VirtualizationType,
    'vpc-id': (i) => i.VpcId,
  },
};
