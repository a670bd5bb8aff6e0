/**
 * @module
 * EBS snapshots: CreateSnapshot, DeleteSnapshot, DescribeSnapshots, and who may create volumes
 * from them (ModifySnapshotAttribute, DescribeSnapshotAttribute, ResetSnapshotAttribute), public
 * restore included.
 */
import type {
  CreateSnapshotCommandInput, CreateSnapshotCommandOutput, DeleteSnapshotCommandInput, DeleteSnapshotCommandOutput,
  DescribeSnapshotAttributeCommandInput, DescribeSnapshotAttributeCommandOutput, DescribeSnapshotsCommandInput, DescribeSnapshotsCommandOutput,
  ModifySnapshotAttributeCommandInput, ModifySnapshotAttributeCommandOutput, ResetSnapshotAttributeCommandInput, ResetSnapshotAttributeCommandOutput, Snapshot,
} from '@aws-sdk/client-ec2';
import { isAccountId } from '../../core/scope.js';
import type { Handler, Out } from '../service.js';
import { InvalidParameterValue, OperationNotPermitted } from './errors.js';
import { newEc2Id } from './ids.js';
import { asOutput, describeResources, getResource, removeResource, saveResource } from './resources.js';
import { SNAPSHOTS, VOLUMES, type CreateVolumePermission, type SnapshotDoc } from './storage-kinds.js';
import { tagsFor } from './tag-specs.js';

const CREATE_VOLUME_PERMISSION = 'createVolumePermission';

/** CreateSnapshot: a point-in-time copy of a volume, completed at once. */
export const createSnapshot: Handler<CreateSnapshotCommandInput, Out<CreateSnapshotCommandOutput>> = async (input, ctx) => {
  const volume = await getResource(ctx, VOLUMES, input.VolumeId ?? '');
  const snapshot: SnapshotDoc = {
    SnapshotId: newEc2Id('snap'), VolumeId: volume.VolumeId, State: 'completed', StartTime: new Date(ctx.now).toISOString(), Progress: '100%',
    OwnerId: ctx.scope.accountId, Description: input.Description ?? '', VolumeSize: volume.Size, Encrypted: volume.Encrypted ?? false,
    ...(volume.KmsKeyId ? { KmsKeyId: volume.KmsKeyId } : {}), StorageTier: 'standard', Tags: tagsFor(input.TagSpecifications, 'snapshot'),
    $createVolumePermissions: [],
  };
  await saveResource(ctx, SNAPSHOTS, snapshot);
  return asOutput<Snapshot>({ ...snapshot, State: 'pending', Progress: '' });
};

/** DeleteSnapshot. */
export const deleteSnapshot: Handler<DeleteSnapshotCommandInput, Out<DeleteSnapshotCommandOutput>> = async (input, ctx) => {
  await removeResource(ctx, SNAPSHOTS, await getResource(ctx, SNAPSHOTS, input.SnapshotId ?? ''));
  return {};
};

/** DescribeSnapshots: the account's snapshots by id, owner, who may restore them, and filter; paged. */
export const describeSnapshots: Handler<DescribeSnapshotsCommandInput, Out<DescribeSnapshotsCommandOutput>> = async (input, ctx) => {
  const where = [];
  if (input.OwnerIds?.length) where.push({ name: 'owner-id', values: input.OwnerIds.map((o) => (o === 'self' ? ctx.scope.accountId : o)) });
  if (input.RestorableByUserIds?.length) where.push({ name: '$restorable-by', values: [...input.RestorableByUserIds, 'all'] });
  const page = await describeResources(ctx, SNAPSHOTS, {
    ids: input.SnapshotIds, filters: input.Filters, where, maxResults: input.MaxResults, nextToken: input.NextToken,
  }, { operation: 'DescribeSnapshots' });
  return { Snapshots: page.items.map((s) => asOutput<Snapshot>(s)), NextToken: page.nextToken };
};

function checkAttribute(attribute: string | undefined): void {
  if (attribute !== CREATE_VOLUME_PERMISSION && attribute !== 'CREATE_VOLUME_PERMISSION') {
    throw InvalidParameterValue.of('attribute', attribute, 'Only createVolumePermission can be modified or reset.');
  }
}

function permissionKey(p: CreateVolumePermission): string {
  return p.Group ? `group:${p.Group}` : `user:${p.UserId}`;
}

function checkPermission(p: { Group?: string; UserId?: string }): CreateVolumePermission {
  if (p.Group !== undefined) {
    if (p.Group !== 'all') throw InvalidParameterValue.of('groupName', p.Group);
    return { Group: 'all' };
  }
  if (p.UserId === undefined || !isAccountId(p.UserId)) throw InvalidParameterValue.of('userId', p.UserId);
  return { UserId: p.UserId };
}

/** ModifySnapshotAttribute: adds or removes accounts, or the group `all` (public), allowed to create volumes. */
export const modifySnapshotAttribute: Handler<ModifySnapshotAttributeCommandInput, Out<ModifySnapshotAttributeCommandOutput>> = async (input, ctx) => {
  const snapshot = await getResource(ctx, SNAPSHOTS, input.SnapshotId ?? '');
  checkAttribute(input.Attribute ?? CREATE_VOLUME_PERMISSION);
  const listed = [...(input.UserIds ?? []).map((UserId) => ({ UserId })), ...(input.GroupNames ?? []).map((Group) => ({ Group }))];
  const add = [...(input.CreateVolumePermission?.Add ?? []), ...(input.OperationType === 'add' ? listed : [])].map(checkPermission);
  const remove = [...(input.CreateVolumePermission?.Remove ?? []), ...(input.OperationType === 'remove' ? listed : [])].map(checkPermission);
  if (snapshot.Encrypted && add.some((p) => p.Group === 'all')) throw new OperationNotPermitted('Encrypted snapshots with EBS default key cannot be shared');
  const permissions = new Map(snapshot.$createVolumePermissions.map((p) => [permissionKey(p), p]));
  for (const p of add) permissions.set(permissionKey(p), p);
  for (const p of remove) permissions.delete(permissionKey(p));
  await saveResource(ctx, SNAPSHOTS, { ...snapshot, $createVolumePermissions: [...permissions.values()] });
  return {};
};

/** DescribeSnapshotAttribute: who may create volumes from a snapshot, or its product codes. */
export const describeSnapshotAttribute: Handler<DescribeSnapshotAttributeCommandInput, Out<DescribeSnapshotAttributeCommandOutput>> = async (input, ctx) => {
  const snapshot = await getResource(ctx, SNAPSHOTS, input.SnapshotId ?? '');
  if (input.Attribute === 'productCodes') return { SnapshotId: snapshot.SnapshotId, ProductCodes: [] };
  checkAttribute(input.Attribute);
  return { SnapshotId: snapshot.SnapshotId, CreateVolumePermissions: snapshot.$createVolumePermissions };
};

/** ResetSnapshotAttribute: back to the owner alone. */
export const resetSnapshotAttribute: Handler<ResetSnapshotAttributeCommandInput, Out<ResetSnapshotAttributeCommandOutput>> = async (input, ctx) => {
  const snapshot = await getResource(ctx, SNAPSHOTS, input.SnapshotId ?? '');
  checkAttribute(input.Attribute);
  await saveResource(ctx, SNAPSHOTS, { ...snapshot, $createVolumePermissions: [] });
  return {};
};
