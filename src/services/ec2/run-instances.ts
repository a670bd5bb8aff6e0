/**
 * @module
 * RunInstances: instances launched into a subnet (the default subnet of a zone when none is named)
 * with their security groups, a public address or not, a key pair, an instance profile, metadata
 * options, tags and EBS volumes, each instance with its primary network interface. Any `ami-` id is
 * accepted (there is no image catalogue).
 */
import { createHash } from 'node:crypto';
import type {
  BlockDeviceMapping, IamInstanceProfileSpecification, InstanceMetadataOptionsResponse, InstanceNetworkInterfaceSpecification, Reservation,
  RunInstancesCommandInput, RunInstancesCommandOutput, Tag,
} from '@aws-sdk/client-ec2';
import type { CallContext, Handler, Out } from '../service.js';
import {
  InvalidParameterCombination, InvalidParameterValue, MalformedId, MissingParameter, ResourceNotFound, Ec2Error,
} from './errors.js';
import { newEc2Id } from './ids.js';
import { INSTANCES, state, type InstanceDoc } from './instance-kind.js';
import { DEFAULT_METADATA_OPTIONS, applyMetadataOptions } from './instance-metadata.js';
import { attachInterface, newInterface, withNetwork } from './instance-network.js';
import { reservationsOf } from './instance-views.js';
import { NETWORK_INTERFACES } from './interface-kinds.js';
import { findKeyPair } from './key-pairs.js';
import { SUBNETS, VPCS, type SubnetDoc } from './network-kinds.js';
import { getResource, resourcesWith, saveResource } from './resources.js';
import { defaultVpcId, groupsInVpc } from './security-groups.js';
import { allocateAddresses } from './subnets.js';
import { specifiedTags } from './tag-specs.js';
import { VOLUMES, type VolumeDoc } from './storage-kinds.js';
import { newVolume, type VolumeSpec } from './volumes.js';
import { regionZones } from './zones.js';

const ROOT_DEVICE = '/dev/xvda';
const TAGGABLE = ['instance', 'volume', 'network-interface', 'spot-instances-request', 'elastic-gpu'];

/** The subnet a launch goes into: the one named, else the default subnet of the zone asked for (or the first zone). */
async function launchSubnet(ctx: CallContext, subnetId: string | undefined, zone: string | undefined): Promise<SubnetDoc> {
  if (zone !== undefined && !regionZones(ctx.scope.region).includes(zone)) throw new InvalidParameterValue(`Invalid availability zone: [${zone}]`);
  if (subnetId !== undefined) {
    const subnet = await getResource(ctx, SUBNETS, subnetId);
    if (zone !== undefined && zone !== subnet.AvailabilityZone) {
      throw InvalidParameterValue.of('availabilityZone', zone, `Subnet '${subnetId}' is in the availability zone ${subnet.AvailabilityZone}`);
    }
    return subnet;
  }
  const vpcId = await defaultVpcId(ctx);
  const defaults = (await resourcesWith(ctx, SUBNETS, 'default-for-az', ['true'])).filter((s) => s.VpcId === vpcId);
  if (!defaults.length) throw new Ec2Error('MissingInput', `No subnets found for the default VPC '${vpcId}'. Please specify a subnet.`);
  const wanted = zone ?? regionZones(ctx.scope.region).find((z) => defaults.some((s) => s.AvailabilityZone === z));
  const subnet = defaults.find((s) => s.AvailabilityZone === wanted);
  if (!subnet) throw new Ec2Error('InvalidInput', `No default subnet for availability zone: '${zone}'.`);
  return subnet;
}

/** The instance profile of a launch, by ARN or name (its existence is IAM's business; its form is checked). */
function instanceProfile(ctx: CallContext, spec: IamInstanceProfileSpecification | undefined): { Arn: string; Id: string } | undefined {
  if (!spec || (spec.Arn === undefined && spec.Name === undefined)) return undefined;
  let arn: string;
  if (spec.Arn !== undefined) {
    if (!/^arn:aws[a-z-]*:iam::\d{12}:instance-profile\/[\w+=,.@/-]+$/.test(spec.Arn)) {
      throw InvalidParameterValue.of('iamInstanceProfile.arn', spec.Arn, 'Invalid IAM Instance Profile ARN');
    }
    arn = spec.Arn;
  } else {
    if (!/^[\w+=,.@-]{1,128}$/.test(spec.Name!)) throw InvalidParameterValue.of('iamInstanceProfile.name', spec.Name, 'Invalid IAM Instance Profile name');
    arn = `arn:aws:iam::${ctx.scope.accountId}:instance-profile/${spec.Name}`;
  }
  const id = `AIPA${createHash('sha256').update(arn).digest('hex').toUpperCase().replace(/[^A-Z2-7]/g, '').padEnd(17, 'A').slice(0, 17)}`;
  return { Arn: arn, Id: id };
}

/** The volumes each instance gets: the root volume (8 GiB gp2 unless mapped) and every EBS mapping. */
function volumeSpecs(mappings: readonly BlockDeviceMapping[], zone: string): { device: string; deleteOnTermination: boolean; spec: VolumeSpec }[] {
  const specs = [];
  for (const m of mappings) {
    if (m.DeviceName === undefined) throw new MissingParameter('BlockDeviceMapping.DeviceName');
    if (!m.Ebs || m.NoDevice !== undefined) continue;
    const e = m.Ebs;
    const isRoot = m.DeviceName === ROOT_DEVICE;
    specs.push({
      device: m.DeviceName, deleteOnTermination: e.DeleteOnTermination ?? true,
      spec: { size: e.VolumeSize ?? (isRoot && !e.SnapshotId ? 8 : undefined), type: e.VolumeType, iops: e.Iops, throughput: e.Throughput, zone, encrypted: e.Encrypted, kmsKeyId: e.KmsKeyId, snapshotId: e.SnapshotId },
    });
  }
  if (!specs.some((s) => s.device === ROOT_DEVICE) && !mappings.some((m) => m.DeviceName === ROOT_DEVICE && m.NoDevice !== undefined)) {
    specs.unshift({ device: ROOT_DEVICE, deleteOnTermination: true, spec: { size: 8, zone } });
  }
  return specs;
}

function checkCounts(input: RunInstancesCommandInput): { min: number; max: number } {
  const min = input.MinCount ?? 0;
  const max = input.MaxCount ?? 0;
  if (!Number.isInteger(min) || min < 1) throw InvalidParameterValue.of('minCount', min, 'Expected a positive integer.');
  if (!Number.isInteger(max) || max < 1) throw InvalidParameterValue.of('maxCount', max, 'Expected a positive integer.');
  if (min > max) throw InvalidParameterValue.of('minCount', min, 'minCount must not be greater than maxCount.');
  return { min, max };
}

/** The primary interface spec of a launch (device index 0), checked against the instance-level settings. */
function primaryInterface(input: RunInstancesCommandInput): InstanceNetworkInterfaceSpecification | undefined {
  const nics = input.NetworkInterfaces ?? [];
  if (!nics.length) return undefined;
  if (input.SubnetId !== undefined) throw new InvalidParameterCombination('Network interfaces and an instance-level subnet ID may not be specified on the same request');
  if (input.SecurityGroupIds?.length || input.SecurityGroups?.length) {
    throw new InvalidParameterCombination('Network interfaces and an instance-level security groups may not be specified on the same request');
  }
  if (nics.length > 1) throw InvalidParameterValue.of('networkInterface', nics.length, 'Custos launches instances with one network interface.');
  const nic = nics[0]!;
  if ((nic.DeviceIndex ?? 0) !== 0) throw InvalidParameterValue.of('networkInterface.deviceIndex', nic.DeviceIndex, 'The primary network interface must be at device index 0.');
  return nic;
}

/** The instances a launch already made with this client token, if any (RunInstances is idempotent by token). */
async function earlierLaunch(ctx: CallContext, token: string | undefined): Promise<Reservation | undefined> {
  if (!token) return undefined;
  const instances = await resourcesWith(ctx, INSTANCES, 'client-token', [token]);
  return instances.length ? reservationsOf(ctx, instances)[0] : undefined;
}

/** The volumes of one new instance, attached, made (and checked) before anything is stored. */
async function attachedVolumes(
  ctx: CallContext, devices: ReturnType<typeof volumeSpecs>, instanceId: string, launchTime: string, tags: Tag[] | undefined,
): Promise<VolumeDoc[]> {
  const volumes: VolumeDoc[] = [];
  for (const device of devices) {
    const volume = await newVolume(ctx, { ...device.spec, tags });
    const attachment = { AttachTime: launchTime, Device: device.device, InstanceId: instanceId, State: 'attached' as const, VolumeId: volume.VolumeId, DeleteOnTermination: device.deleteOnTermination };
    volumes.push({ ...volume, State: 'in-use', Attachments: [attachment] });
  }
  return volumes;
}

/** What a new instance is made of besides the call's input. */
interface InstanceParts {
  readonly instanceId: string;
  readonly index: number;
  readonly reservationId: string;
  readonly launchTime: string;
  readonly subnet: SubnetDoc;
  readonly profile: { Arn: string; Id: string } | undefined;
  readonly metadata: InstanceMetadataOptionsResponse;
  readonly volumes: readonly VolumeDoc[];
  readonly tags: Tag[];
}

/** A new, running instance (its network is copied from its interface afterwards). */
function newInstance(input: RunInstancesCommandInput, p: InstanceParts): InstanceDoc {
  return {
    InstanceId: p.instanceId, ImageId: input.ImageId!, State: state('running'), StateTransitionReason: '', AmiLaunchIndex: p.index, ProductCodes: [],
    InstanceType: input.InstanceType ?? 'm1.small', LaunchTime: p.launchTime, ...(input.KeyName !== undefined ? { KeyName: input.KeyName } : {}),
    Placement: { AvailabilityZone: p.subnet.AvailabilityZone, GroupName: input.Placement?.GroupName ?? '', Tenancy: input.Placement?.Tenancy ?? 'default' },
    Monitoring: { State: input.Monitoring?.Enabled ? 'enabled' : 'disabled' }, SubnetId: p.subnet.SubnetId, VpcId: p.subnet.VpcId,
    Architecture: /^[a-z]+\d+[a-z]*g[a-z]*\./.test(input.InstanceType ?? '') ? 'arm64' : 'x86_64',
    BlockDeviceMappings: p.volumes.map((v) => ({ DeviceName: v.Attachments![0]!.Device, Ebs: { AttachTime: p.launchTime, DeleteOnTermination: v.Attachments![0]!.DeleteOnTermination, Status: 'attached', VolumeId: v.VolumeId } })),
    ClientToken: input.ClientToken ?? '', EbsOptimized: input.EbsOptimized ?? false, EnaSupport: true, Hypervisor: 'xen',
    ...(p.profile ? { IamInstanceProfile: p.profile } : {}), RootDeviceName: ROOT_DEVICE, RootDeviceType: 'ebs', SourceDestCheck: true,
    Tags: p.tags, VirtualizationType: 'hvm', CapacityReservationSpecification: { CapacityReservationPreference: 'open' },
    HibernationOptions: { Configured: input.HibernationOptions?.Configured ?? false }, MetadataOptions: p.metadata, EnclaveOptions: { Enabled: false },
    PlatformDetails: 'Linux/UNIX', UsageOperation: 'RunInstances', UsageOperationUpdateTime: p.launchTime, CurrentInstanceBootMode: 'legacy-bios',
    PrivateDnsNameOptions: { HostnameType: 'ip-name', EnableResourceNameDnsARecord: false, EnableResourceNameDnsAAAARecord: false },
    MaintenanceOptions: { AutoRecovery: 'default' },
    $reservationId: p.reservationId, $disableApiTermination: input.DisableApiTermination ?? false, $disableApiStop: input.DisableApiStop ?? false,
    $shutdownBehavior: input.InstanceInitiatedShutdownBehavior === 'terminate' ? 'terminate' : 'stop', ...(input.UserData !== undefined ? { $userData: input.UserData } : {}),
  };
}

/** RunInstances: launches MinCount to MaxCount instances (as many as the subnet has addresses for). */
export const runInstances: Handler<RunInstancesCommandInput, Out<RunInstancesCommandOutput>> = async (input, ctx) => {
  const imageId = input.ImageId;
  if (imageId === undefined) throw new MissingParameter('ImageId');
  if (!/^ami-[0-9a-zA-Z]+$/.test(imageId)) throw new MalformedId('InvalidAMIID.Malformed', imageId, 'ami');
  const { min, max } = checkCounts(input);
  const earlier = await earlierLaunch(ctx, input.ClientToken);
  if (earlier) return earlier;
  const nic = primaryInterface(input);
  const existing = nic?.NetworkInterfaceId !== undefined ? await getResource(ctx, NETWORK_INTERFACES, nic.NetworkInterfaceId) : undefined;
  if (existing && existing.Status !== 'available') throw new Ec2Error('InvalidNetworkInterface.InUse', `Interface: [${existing.NetworkInterfaceId}] in use.`);
  if (existing && max > 1) throw new InvalidParameterCombination('Network interface ID cannot be specified when launching more than one instance');
  const subnet = existing ? await getResource(ctx, SUBNETS, existing.SubnetId) : await launchSubnet(ctx, nic?.SubnetId ?? input.SubnetId, input.Placement?.AvailabilityZone);
  const vpc = await getResource(ctx, VPCS, subnet.VpcId);
  const groups = existing?.Groups ?? await groupsInVpc(ctx, vpc.VpcId, nic?.Groups ?? input.SecurityGroupIds, input.SecurityGroups);
  if (input.KeyName !== undefined && !(await findKeyPair(ctx, input.KeyName))) throw new ResourceNotFound('InvalidKeyPair.NotFound', 'key pair', [input.KeyName]);
  const profile = instanceProfile(ctx, input.IamInstanceProfile);
  const metadata = applyMetadataOptions(DEFAULT_METADATA_OPTIONS, input.MetadataOptions);
  const tags = specifiedTags(input.TagSpecifications, TAGGABLE);
  const devices = volumeSpecs(input.BlockDeviceMappings ?? [], subnet.AvailabilityZone);
  const requestedIp = nic?.PrivateIpAddress ?? input.PrivateIpAddress;
  if (requestedIp !== undefined && max > 1) throw new InvalidParameterCombination('Cannot specify a private IP address when launching more than one instance');
  const count = existing ? 1 : Math.min(max, Math.max(subnet.AvailableIpAddressCount, min));
  const addresses = existing ? [existing.PrivateIpAddress] : await allocateAddresses(ctx, subnet, count, requestedIp);
  const publicIp = nic?.AssociatePublicIpAddress ?? subnet.MapPublicIpOnLaunch ?? false;
  const reservationId = newEc2Id('r');
  const launchTime = new Date(ctx.now).toISOString();
  const ids = Array.from({ length: count }, () => newEc2Id('i'));
  const volumes: VolumeDoc[][] = [];
  for (const id of ids) volumes.push(await attachedVolumes(ctx, devices, id, launchTime, tags.get('volume')));
  const launched: InstanceDoc[] = [];
  for (const [index, instanceId] of ids.entries()) {
    const eni = attachInterface(ctx, existing ?? newInterface(ctx, {
      subnet, vpc, address: addresses[index]!, groups, publicIp, description: nic?.Description ?? '', tags: tags.get('network-interface'),
    }), instanceId, 0, nic?.DeleteOnTermination ?? !existing);
    await saveResource(ctx, NETWORK_INTERFACES, eni);
    for (const volume of volumes[index]!) await saveResource(ctx, VOLUMES, volume);
    const instance = withNetwork(newInstance(input, {
      instanceId, index, reservationId, launchTime, subnet, profile, metadata, volumes: volumes[index]!, tags: tags.get('instance') ?? [],
    }), [eni]);
    await saveResource(ctx, INSTANCES, instance);
    launched.push(instance);
  }
  const [reservation] = reservationsOf(ctx, launched.map((i) => ({
    ...i, State: state('pending'), StateReason: { Code: 'pending', Message: 'pending' }, MetadataOptions: { ...i.MetadataOptions, State: 'pending' },
  })));
  return reservation!;
};
