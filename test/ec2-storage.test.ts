import {
  AttachVolumeCommand, CreateSnapshotCommand, CreateVolumeCommand, DeleteSnapshotCommand, DeleteVolumeCommand, DescribeSnapshotAttributeCommand,
  DescribeSnapshotsCommand, DescribeVolumesCommand, DetachVolumeCommand, DisableEbsEncryptionByDefaultCommand, EnableEbsEncryptionByDefaultCommand,
  GetEbsDefaultKmsKeyIdCommand, GetEbsEncryptionByDefaultCommand, ModifyEbsDefaultKmsKeyIdCommand, ModifySnapshotAttributeCommand,
  ResetEbsDefaultKmsKeyIdCommand, RunInstancesCommand, type EC2Client,
} from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './helpers/assertions.js';
import { ec2Client, ec2Records, resourceChanges } from './helpers/ec2.js';
import { startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
let ec2: EC2Client;

beforeAll(async () => {
  server = await startTestServer();
  ec2 = ec2Client(server);
  await ec2.send(new DescribeVolumesCommand({}));
});
afterAll(() => server.stop());

describe('volumes', () => {
  it('creates volumes with or without encryption and a key, answering creating', async () => {
    const plain = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 10, TagSpecifications: [{ ResourceType: 'volume', Tags: [{ Key: 'Name', Value: 'data' }] }] }));
    expect(plain).toMatchObject({ State: 'creating', Size: 10, VolumeType: 'gp2', Iops: 100, Encrypted: false, AvailabilityZone: 'us-east-1a', SnapshotId: '', MultiAttachEnabled: false });
    expect(plain.VolumeId).toMatch(/^vol-[0-9a-f]{17}$/);
    expect(plain.CreateTime).toBeInstanceOf(Date);
    expect((await ec2.send(new DescribeVolumesCommand({ VolumeIds: [plain.VolumeId!] }))).Volumes![0]!.State).toBe('available');

    const keyed = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1b', Size: 100, VolumeType: 'gp3', Encrypted: true, KmsKeyId: '1234abcd-12ab-34cd-56ef-1234567890ab' }));
    expect(keyed).toMatchObject({ Encrypted: true, KmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab', Iops: 3000, Throughput: 125 });
    const managed = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 1, Encrypted: true }));
    expect(managed.KmsKeyId).toBe('arn:aws:kms:us-east-1:123456789012:alias/aws/ebs');

    const encrypted = await ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: 'encrypted', Values: ['true'] }] }));
    expect(encrypted.Volumes!.map((v) => v.VolumeId).sort()).toEqual([keyed.VolumeId, managed.VolumeId].sort());
    const [record] = (await ec2Records(server, 'CreateVolume')).filter((r) => r.responseElements?.volumeId === plain.VolumeId);
    expect(record!.requestParameters).toMatchObject({ availabilityZone: 'us-east-1a', size: 10, tagSpecificationSet: { items: [{ resourceType: 'volume', tags: [{ key: 'Name', value: 'data' }] }] } });
    expect(record!.responseElements).toMatchObject({ requestId: record!.requestID, volumeId: plain.VolumeId, status: 'creating', createTime: expect.any(Number), encrypted: false });
    expect((await resourceChanges(server)).find((c) => c.eventId === record!.eventID)).toMatchObject({ resourceType: 'AWS::EC2::Volume', resourceId: plain.VolumeId });
  });

  it('answers bad volumes with AWS’s codes and messages', async () => {
    await expectError(ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 1, KmsKeyId: 'alias/app' })), 'InvalidParameterDependency',
      'The parameter KmsKeyId requires the parameter Encrypted to be set.');
    await expectError(ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 1, Encrypted: true, KmsKeyId: 'not a key' })), 'InvalidParameterValue',
      'Value (not a key) for parameter kmsKeyId is invalid.');
    await expectError(ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a' })), 'MissingParameter', 'The request must contain the parameter size or snapshotId');
    await expectError(ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'eu-west-1a', Size: 1 })), 'InvalidParameterValue', 'Invalid availability zone: [eu-west-1a]');
    await expectError(ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 20000 })), 'InvalidParameterValue');
    await expectError(ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 10, VolumeType: 'io2' })), 'MissingParameter');
    await expectError(ec2.send(new DescribeVolumesCommand({ VolumeIds: ['vol-00000000000000000'] })), 'InvalidVolume.NotFound', "The volume 'vol-00000000000000000' does not exist.");
    const [record] = await ec2Records(server, 'DescribeVolumes');
    expect(record).toMatchObject({ errorCode: 'Client.InvalidVolume.NotFound', requestParameters: { volumeSet: { items: [{ volumeId: 'vol-00000000000000000' }] } } });
  });

  it('attaches to an instance in its zone, refuses to delete while attached, detaches', async () => {
    const instance = (await ec2.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1 }))).Instances![0]!;
    const zone = instance.Placement!.AvailabilityZone!;
    const volumeId = (await ec2.send(new CreateVolumeCommand({ AvailabilityZone: zone, Size: 5 }))).VolumeId!;
    const elsewhere = (await ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1c', Size: 5 }))).VolumeId!;
    await expectError(ec2.send(new AttachVolumeCommand({ VolumeId: elsewhere, InstanceId: instance.InstanceId, Device: '/dev/sdf' })), 'InvalidVolume.ZoneMismatch');
    await expectError(ec2.send(new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: instance.InstanceId, Device: '/dev/xvda' })), 'InvalidParameterValue',
      "Invalid value '/dev/xvda' for unixDevice. Attachment point /dev/xvda is already in use");
    const attachment = await ec2.send(new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: instance.InstanceId, Device: '/dev/sdf' }));
    expect(attachment).toMatchObject({ VolumeId: volumeId, InstanceId: instance.InstanceId, Device: '/dev/sdf', State: 'attaching' });
    const attached = await ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [instance.InstanceId!] }, { Name: 'attachment.device', Values: ['/dev/sdf'] }] }));
    expect(attached.Volumes!.map((v) => [v.VolumeId, v.State])).toEqual([[volumeId, 'in-use']]);
    await expectError(ec2.send(new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: instance.InstanceId, Device: '/dev/sdg' })), 'VolumeInUse');
    await expectError(ec2.send(new DeleteVolumeCommand({ VolumeId: volumeId })), 'VolumeInUse', `Volume ${volumeId} is currently attached to ${instance.InstanceId}`);
    expect((await ec2.send(new DetachVolumeCommand({ VolumeId: volumeId }))).State).toBe('detaching');
    await expectError(ec2.send(new DetachVolumeCommand({ VolumeId: volumeId })), 'IncorrectState');
    await expectError(ec2.send(new DetachVolumeCommand({ VolumeId: instance.BlockDeviceMappings![0]!.Ebs!.VolumeId })), 'OperationNotPermitted');
    await ec2.send(new DeleteVolumeCommand({ VolumeId: volumeId }));
    const [record] = await ec2Records(server, 'DeleteVolume');
    expect(record!.responseElements).toEqual({ requestId: record!.requestID, _return: true });
    expect((await resourceChanges(server)).find((c) => c.eventId === record!.eventID)).toMatchObject({ resourceId: volumeId, deleted: true });
  });
});

describe('EBS encryption by default', () => {
  it('is off until enabled, then encrypts new volumes with the default key or the one set', async () => {
    const region = ec2Client(server, 'eu-central-1');
    expect(await region.send(new GetEbsEncryptionByDefaultCommand({}))).toMatchObject({ EbsEncryptionByDefault: false, SseType: 'sse-ebs' });
    expect((await region.send(new GetEbsDefaultKmsKeyIdCommand({}))).KmsKeyId).toBe('alias/aws/ebs');
    expect((await region.send(new EnableEbsEncryptionByDefaultCommand({}))).EbsEncryptionByDefault).toBe(true);
    expect((await region.send(new GetEbsEncryptionByDefaultCommand({}))).EbsEncryptionByDefault).toBe(true);
    expect((await ec2.send(new GetEbsEncryptionByDefaultCommand({}))).EbsEncryptionByDefault).toBe(false);

    const byDefault = await region.send(new CreateVolumeCommand({ AvailabilityZone: 'eu-central-1a', Size: 1 }));
    expect(byDefault).toMatchObject({ Encrypted: true, KmsKeyId: 'arn:aws:kms:eu-central-1:123456789012:alias/aws/ebs' });
    const key = 'arn:aws:kms:eu-central-1:123456789012:key/mrk-1234567890abcdef1234567890abcdef';
    expect((await region.send(new ModifyEbsDefaultKmsKeyIdCommand({ KmsKeyId: key }))).KmsKeyId).toBe(key);
    await expectError(region.send(new ModifyEbsDefaultKmsKeyIdCommand({ KmsKeyId: 'key/nope' })), 'InvalidParameterValue');
    const withKey = await region.send(new CreateVolumeCommand({ AvailabilityZone: 'eu-central-1a', Size: 1, KmsKeyId: 'alias/other' }));
    expect(withKey.KmsKeyId).toBe('arn:aws:kms:eu-central-1:123456789012:alias/other');
    expect((await region.send(new CreateVolumeCommand({ AvailabilityZone: 'eu-central-1a', Size: 1 }))).KmsKeyId).toBe(key);
    const launched = (await region.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1 }))).Instances![0]!;
    const root = (await region.send(new DescribeVolumesCommand({ VolumeIds: [launched.BlockDeviceMappings![0]!.Ebs!.VolumeId!] }))).Volumes![0]!;
    expect(root).toMatchObject({ Encrypted: true, KmsKeyId: key });

    expect((await region.send(new ResetEbsDefaultKmsKeyIdCommand({}))).KmsKeyId).toBe('alias/aws/ebs');
    expect((await region.send(new DisableEbsEncryptionByDefaultCommand({}))).EbsEncryptionByDefault).toBe(false);
    expect((await region.send(new CreateVolumeCommand({ AvailabilityZone: 'eu-central-1a', Size: 1 }))).Encrypted).toBe(false);
    const [record] = await ec2Records(server, 'EnableEbsEncryptionByDefault', 'eu-central-1');
    expect(record).toMatchObject({ readOnly: false, responseElements: { requestId: record!.requestID, ebsEncryptionByDefault: true } });
  });
});

describe('snapshots', () => {
  it('copies a volume, shares it with accounts and the public, and takes it back', async () => {
    const volume = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 3, Encrypted: false }));
    const snapshot = await ec2.send(new CreateSnapshotCommand({ VolumeId: volume.VolumeId, Description: 'nightly', TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'k', Value: 'v' }] }] }));
    expect(snapshot).toMatchObject({ State: 'pending', VolumeId: volume.VolumeId, VolumeSize: 3, Description: 'nightly', Encrypted: false, OwnerId: '123456789012', Tags: [{ Key: 'k', Value: 'v' }] });
    const id = snapshot.SnapshotId!;
    expect(id).toMatch(/^snap-[0-9a-f]{17}$/);
    expect((await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], SnapshotIds: [id] }))).Snapshots![0]).toMatchObject({ State: 'completed', Progress: '100%' });

    await ec2.send(new ModifySnapshotAttributeCommand({ SnapshotId: id, Attribute: 'createVolumePermission', OperationType: 'add', GroupNames: ['all'] }));
    await ec2.send(new ModifySnapshotAttributeCommand({ SnapshotId: id, CreateVolumePermission: { Add: [{ UserId: '210987654321' }] } }));
    const attribute = await ec2.send(new DescribeSnapshotAttributeCommand({ SnapshotId: id, Attribute: 'createVolumePermission' }));
    expect(attribute.CreateVolumePermissions).toEqual([{ Group: 'all' }, { UserId: '210987654321' }]);
    const restorable = await ec2.send(new DescribeSnapshotsCommand({ RestorableByUserIds: ['999999999999'] }));
    expect(restorable.Snapshots!.map((s) => s.SnapshotId)).toContain(id);
    await ec2.send(new ModifySnapshotAttributeCommand({ SnapshotId: id, CreateVolumePermission: { Remove: [{ Group: 'all' }] } }));
    expect((await ec2.send(new DescribeSnapshotAttributeCommand({ SnapshotId: id, Attribute: 'createVolumePermission' }))).CreateVolumePermissions).toEqual([{ UserId: '210987654321' }]);
    await expectError(ec2.send(new ModifySnapshotAttributeCommand({ SnapshotId: id, CreateVolumePermission: { Add: [{ UserId: 'someone' }] } })), 'InvalidParameterValue');

    const encrypted = await ec2.send(new CreateSnapshotCommand({ VolumeId: (await ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 1, Encrypted: true }))).VolumeId }));
    await expectError(ec2.send(new ModifySnapshotAttributeCommand({ SnapshotId: encrypted.SnapshotId, OperationType: 'add', GroupNames: ['all'], Attribute: 'createVolumePermission' })), 'OperationNotPermitted');

    const restored = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1b', SnapshotId: id }));
    expect(restored).toMatchObject({ Size: 3, SnapshotId: id });
    await ec2.send(new DeleteSnapshotCommand({ SnapshotId: id }));
    await expectError(ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [id] })), 'InvalidSnapshot.NotFound', `The snapshot '${id}' does not exist.`);

    const modified = (await ec2Records(server, 'ModifySnapshotAttribute')).find((r) => r.requestParameters.userGroup && r.requestParameters.snapshotId === id);
    expect(modified).toMatchObject({ requestParameters: { snapshotId: id, attribute: 'createVolumePermission', operationType: 'add', userGroup: { items: [{ userGroup: 'all' }] } } });
    const shared = (await ec2Records(server, 'ModifySnapshotAttribute')).find((r) => !r.errorCode && r.requestParameters.createVolumePermission?.add);
    expect(shared!.requestParameters.createVolumePermission).toEqual({ add: { items: [{ userId: '210987654321' }] } });
  });
});
