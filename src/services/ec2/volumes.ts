/**
 * @module
 * EBS volumes: CreateVolume, DeleteVolume, DescribeVolumes, AttachVolume, DetachVolume; and the
 * volumes RunInstances makes. Encryption follows EBS: asked for, implied by the snapshot, or on by
 * default in the account and region; the key is the one given, else the default EBS key.
 */
import type {
  AttachVolumeCommandInput, AttachVolumeCommandOutput, CreateVolumeCommandInput, CreateVolumeCommandOutput, DeleteVolumeCommandInput,
  DeleteVolumeCommandOutput, DescribeVolumesCommandInput, DescribeVolumesCommandOutput, DetachVolumeCommandInput, DetachVolumeCommandOutput,
  Tag, Volume, VolumeAttachment, VolumeType,
} from '@aws-sdk/client-ec2';
import type { CallContext, Handler, Out } from '../service.js';
import { AWS_MANAGED_EBS_KEY, accountSettings } from './account-settings.js';
import {
  IncorrectState, InvalidAttachmentNotFound, InvalidParameterDependency, InvalidParameterValue, MissingParameter, OperationNotPermitted, VolumeInUse,
} from './errors.js';
import { newEc2Id } from './ids.js';
import { INSTANCES, type InstanceDoc } from './instance-kind.js';
import { isKmsKeyReference, kmsKeyArn } from './kms-key-ids.js';
import { asOutput, describeResources, getResource, removeResource, saveResource } from './resources.js';
import { SNAPSHOTS, VOLUMES, type SnapshotDoc, type VolumeDoc } from './storage-kinds.js';
import { tagsFor } from './tag-specs.js';
import { regionZones } from './zones.js';

/** The size limits of each volume type, in GiB. */
const SIZE_LIMITS: Record<string, [number, number]> = {
  gp2: [1, 16384], gp3: [1, 16384], io1: [4, 16384], io2: [4, 65536], st1: [125, 16384], sc1: [125, 16384], standard: [1, 1024],
};

/** What a new volume is made from. */
export interface VolumeSpec {
  readonly size?: number;
  readonly type?: string;
  readonly iops?: number;
  readonly throughput?: number;
  readonly zone: string;
  readonly encrypted?: boolean;
  readonly kmsKeyId?: string;
  readonly snapshotId?: string;
  readonly multiAttach?: boolean;
  readonly tags?: Tag[];
}

/** Whether a volume is encrypted, and with which key (as an ARN), checking the key's form. */
async function encryption(ctx: CallContext, spec: VolumeSpec, snapshot: SnapshotDoc | undefined): Promise<{ Encrypted: boolean; KmsKeyId?: string }> {
  const settings = await accountSettings(ctx);
  if (spec.kmsKeyId !== undefined) {
    if (!spec.encrypted && !settings.ebsEncryptionByDefault) throw new InvalidParameterDependency('KmsKeyId', 'Encrypted');
    if (!isKmsKeyReference(spec.kmsKeyId)) {
      throw InvalidParameterValue.of('kmsKeyId', spec.kmsKeyId, 'It is not a KMS key id, key ARN, alias name or alias ARN.');
    }
  }
  const encrypted = spec.encrypted === true || settings.ebsEncryptionByDefault || snapshot?.Encrypted === true;
  if (!encrypted) return { Encrypted: false };
  const key = spec.kmsKeyId ?? snapshot?.KmsKeyId ?? settings.ebsDefaultKmsKeyId ?? AWS_MANAGED_EBS_KEY;
  return { Encrypted: true, KmsKeyId: kmsKeyArn(key, ctx.scope.region, ctx.scope.accountId) };
}

/** A new, available volume (checked as CreateVolume checks it); the caller saves it. */
export async function newVolume(ctx: CallContext, spec: VolumeSpec): Promise<VolumeDoc> {
  const type = spec.type ?? 'gp2';
  const limits = SIZE_LIMITS[type];
  if (!limits) throw InvalidParameterValue.of('volumeType', type);
  const snapshot = spec.snapshotId ? await getResource(ctx, SNAPSHOTS, spec.snapshotId) : undefined;
  const size = spec.size ?? snapshot?.VolumeSize;
  if (size === undefined) throw new MissingParameter('size or snapshotId');
  if (size < limits[0] || size > limits[1]) {
    throw InvalidParameterValue.of('size', size, `Volume size for volume type ${type} must be between ${limits[0]} and ${limits[1]} GiB.`);
  }
  if (snapshot && size < (snapshot.VolumeSize ?? 0)) {
    throw InvalidParameterValue.of('size', size, `The volume size must be at least the snapshot size (${snapshot.VolumeSize} GiB).`);
  }
  if ((type === 'io1' || type === 'io2') && spec.iops === undefined) throw new MissingParameter('iops');
  const iops = type === 'gp2' ? Math.min(16000, Math.max(100, 3 * size)) : type === 'gp3' ? (spec.iops ?? 3000) : spec.iops;
  return {
    VolumeId: newEc2Id('vol'), Size: size, SnapshotId: spec.snapshotId ?? '', AvailabilityZone: spec.zone, State: 'available',
    CreateTime: new Date(ctx.now).toISOString(), Attachments: [], VolumeType: type as VolumeType, ...(iops !== undefined ? { Iops: iops } : {}),
    ...(type === 'gp3' ? { Throughput: spec.throughput ?? 125 } : {}), ...(await encryption(ctx, spec, snapshot)),
    MultiAttachEnabled: spec.multiAttach ?? false, FastRestored: false, Tags: spec.tags ?? [],
  };
}

/** CreateVolume: a volume in a zone of the region, from a size or a snapshot. */
export const createVolume: Handler<CreateVolumeCommandInput, Out<CreateVolumeCommandOutput>> = async (input, ctx) => {
  const zones = regionZones(ctx.scope.region);
  const zone = input.AvailabilityZone ?? zones.find((z) => input.AvailabilityZoneId !== undefined && z.endsWith(input.AvailabilityZoneId.slice(-1)));
  if (zone === undefined) throw new MissingParameter('AvailabilityZone');
  if (!zones.includes(zone)) throw new InvalidParameterValue(`Invalid availability zone: [${zone}]`);
  const volume = await newVolume(ctx, {
    size: input.Size, type: input.VolumeType, iops: input.Iops, throughput: input.Throughput, zone, encrypted: input.Encrypted,
    kmsKeyId: input.KmsKeyId, snapshotId: input.SnapshotId, multiAttach: input.MultiAttachEnabled, tags: tagsFor(input.TagSpecifications, 'volume'),
  });
  await saveResource(ctx, VOLUMES, volume);
  return asOutput<Volume>({ ...volume, State: 'creating' });
};

/** DeleteVolume: a volume that is not attached. */
export const deleteVolume: Handler<DeleteVolumeCommandInput, Out<DeleteVolumeCommandOutput>> = async (input, ctx) => {
  const volume = await getResource(ctx, VOLUMES, input.VolumeId ?? '');
  const attachment = volume.Attachments?.[0];
  if (attachment) throw new VolumeInUse(`Volume ${volume.VolumeId} is currently attached to ${attachment.InstanceId}`);
  await removeResource(ctx, VOLUMES, volume);
  return {};
};

/** DescribeVolumes: by id and filter, paged. */
export const describeVolumes: Handler<DescribeVolumesCommandInput, Out<DescribeVolumesCommandOutput>> = async (input, ctx) => {
  const page = await describeResources(ctx, VOLUMES, {
    ids: input.VolumeIds, filters: input.Filters, maxResults: input.MaxResults, nextToken: input.NextToken,
  }, { operation: 'DescribeVolumes', range: [5, 500] });
  return { Volumes: page.items.map((v) => asOutput<Volume>(v)), NextToken: page.nextToken };
};

/** Adds or removes a volume in an instance's block device mappings. */
async function updateMappings(ctx: CallContext, instance: InstanceDoc, change: { add?: VolumeDoc; remove?: string }): Promise<void> {
  const mappings = (instance.BlockDeviceMappings ?? []).filter((m) => m.Ebs?.VolumeId !== change.remove);
  const attachment = change.add?.Attachments?.[0];
  if (change.add && attachment) {
    mappings.push({ DeviceName: attachment.Device, Ebs: { AttachTime: attachment.AttachTime, DeleteOnTermination: attachment.DeleteOnTermination, Status: 'attached', VolumeId: change.add.VolumeId } });
  }
  await saveResource(ctx, INSTANCES, { ...instance, BlockDeviceMappings: mappings });
}

/** AttachVolume: an available volume to an instance in its zone, at a free device name. */
export const attachVolume: Handler<AttachVolumeCommandInput, Out<AttachVolumeCommandOutput>> = async (input, ctx) => {
  const volume = await getResource(ctx, VOLUMES, input.VolumeId ?? '');
  const instance = await getResource(ctx, INSTANCES, input.InstanceId ?? '');
  const device = input.Device ?? '';
  if (volume.Attachments?.length) throw new VolumeInUse(`${volume.VolumeId} is already attached to an instance`);
  if (instance.State.Name === 'terminated') throw new IncorrectState('IncorrectInstanceState', `The instance '${instance.InstanceId}' is not in a valid state for this operation.`);
  if (instance.Placement?.AvailabilityZone !== volume.AvailabilityZone) {
    throw new IncorrectState('InvalidVolume.ZoneMismatch', `The volume '${volume.VolumeId}' is not in the same availability zone as instance '${instance.InstanceId}'`);
  }
  if (instance.BlockDeviceMappings?.some((m) => m.DeviceName === device)) {
    throw new InvalidParameterValue(`Invalid value '${device}' for unixDevice. Attachment point ${device} is already in use`);
  }
  const attachment = { AttachTime: new Date(ctx.now).toISOString(), Device: device, InstanceId: instance.InstanceId, State: 'attached' as const, VolumeId: volume.VolumeId, DeleteOnTermination: false };
  const attached: VolumeDoc = { ...volume, State: 'in-use', Attachments: [attachment] };
  await saveResource(ctx, VOLUMES, attached);
  await updateMappings(ctx, instance, { add: attached });
  return asOutput<VolumeAttachment>({ ...attachment, State: 'attaching' });
};

/** DetachVolume: an attached volume (not an instance's root volume unless it is stopped). */
export const detachVolume: Handler<DetachVolumeCommandInput, Out<DetachVolumeCommandOutput>> = async (input, ctx) => {
  const volume = await getResource(ctx, VOLUMES, input.VolumeId ?? '');
  const attachment = volume.Attachments?.[0];
  if (!attachment) throw new IncorrectState('IncorrectState', `Volume '${volume.VolumeId}' is in the 'available' state.`);
  if ((input.InstanceId && input.InstanceId !== attachment.InstanceId) || (input.Device && input.Device !== attachment.Device)) {
    throw new InvalidAttachmentNotFound(`Volume ${volume.VolumeId} can not be detached from ${input.InstanceId ?? attachment.InstanceId} because it is not attached`);
  }
  const instance = await getResource(ctx, INSTANCES, attachment.InstanceId ?? '');
  if (attachment.Device === instance.RootDeviceName && instance.State.Name !== 'stopped') {
    throw new OperationNotPermitted(`Unable to detach root volume '${volume.VolumeId}' from instance '${instance.InstanceId}'`);
  }
  await saveResource(ctx, VOLUMES, { ...volume, State: 'available', Attachments: [] });
  await updateMappings(ctx, instance, { remove: volume.VolumeId });
  return asOutput<VolumeAttachment>({ ...attachment, State: 'detaching' });
};
