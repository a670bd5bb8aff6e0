/**
 * @module
 * EBS volumes and snapshots as stored, with their Describe filters.
 */
import type { Snapshot, Volume } from '@aws-sdk/client-ec2';
import { ResourceNotFound } from './errors.js';
import type { ResourceKind, Stored } from './resources.js';

/** A volume as stored. */
export interface VolumeDoc extends Stored<Volume> {
  VolumeId: string;
  AvailabilityZone: string;
  Size: number;
}

/** Who may create volumes from a snapshot: the group `all` (public) or accounts. */
export interface CreateVolumePermission {
  readonly Group?: 'all';
  readonly UserId?: string;
}

/** A snapshot as stored. */
export interface SnapshotDoc extends Stored<Snapshot> {
  SnapshotId: string;
  $createVolumePermissions: CreateVolumePermission[];
}

/** Volumes. */
export const VOLUMES: ResourceKind<VolumeDoc> = {
  kind: 'ec2.volume',
  id: (v) => v.VolumeId,
  arnType: 'volume',
  resourceType: 'AWS::EC2::Volume',
  tags: (v) => v.Tags,
  notFound: (ids) => new ResourceNotFound('InvalidVolume.NotFound', 'volume', ids, true),
  filters: {
    'attachment.attach-time': (v) => v.Attachments?.map((a) => a.AttachTime),
    'attachment.delete-on-termination': (v) => v.Attachments?.map((a) => a.DeleteOnTermination),
    'attachment.device': (v) => v.Attachments?.map((a) => a.Device),
    'attachment.instance-id': (v) => v.Attachments?.map((a) => a.InstanceId),
    'attachment.status': (v) => v.Attachments?.map((a) => a.State),
    'availability-zone': (v) => v.AvailabilityZone,
    'create-time': (v) => v.CreateTime,
    'encrypted': (v) => v.Encrypted,
    'fast-restored': (v) => v.FastRestored,
    'multi-attach-enabled': (v) => v.MultiAttachEnabled,
    'size': (v) => v.Size,
    'snapshot-id': (v) => v.SnapshotId,
    'status': (v) => v.State,
    'volume-id': (v) => v.VolumeId,
    'volume-type': (v) => v.VolumeType,
  },
};

/** Snapshots (Config has no snapshot type, so their changes reach only CloudTrail). */
export const SNAPSHOTS: ResourceKind<SnapshotDoc> = {
  kind: 'ec2.snapshot',
  id: (s) => s.SnapshotId,
  arnType: 'snapshot',
  resourceType: 'AWS::EC2::Snapshot',
  recordedByConfig: false,
  arnWithoutAccount: true,
  tags: (s) => s.Tags,
  notFound: (ids) => new ResourceNotFound('InvalidSnapshot.NotFound', 'snapshot', ids, true),
  lookups: (s) => ({ '$restorable-by': s.$createVolumePermissions.map((p) => p.Group ?? p.UserId ?? '') }),
  filters: {
    'description': (s) => s.Description,
    'encrypted': (s) => s.Encrypted,
    'owner-alias': (s) => s.OwnerAlias,
    'owner-id': (s) => s.OwnerId,
    'progress': (s) => s.Progress,
    'snapshot-id': (s) => s.SnapshotId,
    'start-time': (s) => s.StartTime,
    'status': (s) => s.State,
    'storage-tier': (s) => s.StorageTier,
    'volume-id': (s) => s.VolumeId,
    'volume-size': (s) => s.VolumeSize,
  },
};
