import {
  AllocateAddressCommand, AssociateAddressCommand, AttachNetworkInterfaceCommand, CreateKeyPairCommand, CreateNetworkInterfaceCommand,
  CreateSecurityGroupCommand, CreateTagsCommand, CreateVolumeCommand, DeleteKeyPairCommand, DeleteNetworkInterfaceCommand, DeleteTagsCommand,
  DescribeAddressesCommand, DescribeInstancesCommand, DescribeKeyPairsCommand, DescribeNetworkInterfacesCommand, DescribeSubnetsCommand,
  DescribeTagsCommand, DescribeVolumesCommand, DetachNetworkInterfaceCommand, DisassociateAddressCommand, ImportKeyPairCommand, ReleaseAddressCommand,
  RunInstancesCommand, type EC2Client, type Instance,
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
  await ec2.send(new DescribeSubnetsCommand({}));
});
afterAll(() => server.stop());

const ED25519 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJzUaKDj1mYEACW2FNFT0DkCwKdZHU8Xuimi4ydZUU3J vector@example';

async function instance(): Promise<Instance> {
  const id = (await ec2.send(new RunInstancesCommand({ ImageId: 'ami-12345678', MinCount: 1, MaxCount: 1 }))).Instances![0]!.InstanceId!;
  return (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!;
}

describe('key pairs', () => {
  it('creates, imports, describes and deletes key pairs; the private key appears only in the answer', async () => {
    const created = await ec2.send(new CreateKeyPairCommand({ KeyName: 'ops', TagSpecifications: [{ ResourceType: 'key-pair', Tags: [{ Key: 'team', Value: 'ops' }] }] }));
    expect(created).toMatchObject({ KeyName: 'ops', KeyFingerprint: expect.stringMatching(/^([0-9a-f]{2}:){19}[0-9a-f]{2}$/), Tags: [{ Key: 'team', Value: 'ops' }] });
    expect(created.KeyMaterial).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
    expect(created.KeyPairId).toMatch(/^key-[0-9a-f]{17}$/);
    const imported = await ec2.send(new ImportKeyPairCommand({ KeyName: 'laptop', PublicKeyMaterial: new TextEncoder().encode(ED25519) }));
    expect(imported.KeyFingerprint).toBe('licIN2OhnmD7w9BIEFo9naG5Vt/j0YZzJaszLd8kXuU=');
    await expectError(ec2.send(new CreateKeyPairCommand({ KeyName: 'ops' })), 'InvalidKeyPair.Duplicate', "The keypair 'ops' already exists.");
    await expectError(ec2.send(new ImportKeyPairCommand({ KeyName: 'bad', PublicKeyMaterial: new TextEncoder().encode('not a key') })), 'InvalidKey.Format',
      'Key is not in valid OpenSSH public key format');

    const { KeyPairs } = await ec2.send(new DescribeKeyPairsCommand({ KeyNames: ['laptop'], IncludePublicKey: true }));
    expect(KeyPairs).toEqual([expect.objectContaining({ KeyName: 'laptop', KeyType: 'ed25519', PublicKey: `${ED25519.replace(' vector@example', '')} laptop`, CreateTime: expect.any(Date) })]);
    const listed = await ec2.send(new DescribeKeyPairsCommand({ Filters: [{ Name: 'key-type', Values: ['rsa'] }] }));
    expect(listed.KeyPairs!.map((k) => [k.KeyName, k.PublicKey])).toEqual([['ops', undefined]]);
    await expectError(ec2.send(new DescribeKeyPairsCommand({ KeyNames: ['nobody'] })), 'InvalidKeyPair.NotFound', "The key pair 'nobody' does not exist");

    const [record] = await ec2Records(server, 'CreateKeyPair');
    const createRecord = (await ec2Records(server, 'CreateKeyPair')).find((r) => !r.errorCode)!;
    expect(JSON.stringify(createRecord)).not.toContain('PRIVATE KEY');
    expect(record!.errorCode).toBe('Client.InvalidKeyPair.Duplicate');
    expect((await ec2.send(new DeleteKeyPairCommand({ KeyName: 'ops' }))).Return).toBe(true);
    expect((await ec2.send(new DeleteKeyPairCommand({ KeyName: 'ops' }))).Return).toBe(true);
    await ec2.send(new DeleteKeyPairCommand({ KeyPairId: imported.KeyPairId }));
    expect((await ec2.send(new DescribeKeyPairsCommand({}))).KeyPairs).toEqual([]);
  });
});

describe('Elastic IP addresses', () => {
  it('moves an instance to an Elastic IP and back to a public address of its own', async () => {
    const launched = await instance();
    const { AllocationId, PublicIp } = await ec2.send(new AllocateAddressCommand({ Domain: 'vpc', TagSpecifications: [{ ResourceType: 'elastic-ip', Tags: [{ Key: 'Name', Value: 'front' }] }] }));
    expect(AllocationId).toMatch(/^eipalloc-[0-9a-f]{17}$/);
    const { AssociationId } = await ec2.send(new AssociateAddressCommand({ AllocationId, InstanceId: launched.InstanceId }));
    expect(AssociationId).toMatch(/^eipassoc-/);
    const withEip = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [launched.InstanceId!] }))).Reservations![0]!.Instances![0]!;
    expect(withEip.PublicIpAddress).toBe(PublicIp);
    const { Addresses } = await ec2.send(new DescribeAddressesCommand({ PublicIps: [PublicIp!] }));
    expect(Addresses![0]).toMatchObject({ AllocationId, AssociationId, InstanceId: launched.InstanceId, NetworkInterfaceId: launched.NetworkInterfaces![0]!.NetworkInterfaceId, Domain: 'vpc', Tags: [{ Key: 'Name', Value: 'front' }] });
    await expectError(ec2.send(new ReleaseAddressCommand({ AllocationId })), 'InvalidIPAddress.InUse');
    await expectError(ec2.send(new AssociateAddressCommand({ AllocationId, InstanceId: launched.InstanceId })), 'Resource.AlreadyAssociated');

    await ec2.send(new DisassociateAddressCommand({ AssociationId }));
    const after = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [launched.InstanceId!] }))).Reservations![0]!.Instances![0]!;
    expect(after.PublicIpAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(after.PublicIpAddress).not.toBe(PublicIp);
    await expectError(ec2.send(new DisassociateAddressCommand({ AssociationId })), 'InvalidAssociationID.NotFound');
    await ec2.send(new ReleaseAddressCommand({ AllocationId }));
    await expectError(ec2.send(new DescribeAddressesCommand({ AllocationIds: [AllocationId!] })), 'InvalidAllocationID.NotFound', `The allocation ID '${AllocationId}' does not exist`);
    await expectError(ec2.send(new DescribeAddressesCommand({ PublicIps: ['203.0.113.9'] })), 'InvalidAddress.NotFound', "Address '203.0.113.9' not found.");
    const [record] = (await ec2Records(server, 'AssociateAddress')).filter((r) => !r.errorCode);
    const changes = (await resourceChanges(server)).filter((c) => c.eventId === record!.eventID).map((c) => c.resourceType).sort();
    expect(changes).toEqual(['AWS::EC2::EIP', 'AWS::EC2::Instance', 'AWS::EC2::NetworkInterface']);
  });
});

describe('network interfaces', () => {
  it('creates an interface, attaches it as a second interface, detaches and deletes it', async () => {
    const launched = await instance();
    const groupId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'eni', Description: 'eni' }))).GroupId!;
    const { NetworkInterface } = await ec2.send(new CreateNetworkInterfaceCommand({ SubnetId: launched.SubnetId, Groups: [groupId], Description: 'second' }));
    expect(NetworkInterface).toMatchObject({ Status: 'pending', SubnetId: launched.SubnetId, VpcId: launched.VpcId, Description: 'second', Groups: [{ GroupId: groupId, GroupName: 'eni' }], InterfaceType: 'interface' });
    const eni = NetworkInterface!.NetworkInterfaceId!;
    const { AttachmentId } = await ec2.send(new AttachNetworkInterfaceCommand({ NetworkInterfaceId: eni, InstanceId: launched.InstanceId, DeviceIndex: 1 }));
    expect(AttachmentId).toMatch(/^eni-attach-/);
    const attached = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [launched.InstanceId!] }))).Reservations![0]!.Instances![0]!;
    expect(attached.NetworkInterfaces!.map((n) => [n.NetworkInterfaceId, n.Attachment?.DeviceIndex])).toEqual([[launched.NetworkInterfaces![0]!.NetworkInterfaceId, 0], [eni, 1]]);
    await expectError(ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eni })), 'InvalidNetworkInterface.InUse');
    await expectError(ec2.send(new AttachNetworkInterfaceCommand({ NetworkInterfaceId: eni, InstanceId: launched.InstanceId, DeviceIndex: 2 })), 'InvalidNetworkInterface.InUse');
    await expectError(ec2.send(new DetachNetworkInterfaceCommand({ AttachmentId: launched.NetworkInterfaces![0]!.Attachment!.AttachmentId })), 'OperationNotPermitted');
    await ec2.send(new DetachNetworkInterfaceCommand({ AttachmentId }));
    await expectError(ec2.send(new DetachNetworkInterfaceCommand({ AttachmentId })), 'InvalidAttachmentID.NotFound', `The interface attachment '${AttachmentId}' does not exist.`);
    const found = await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }, { Name: 'status', Values: ['available'] }] }));
    expect(found.NetworkInterfaces!.map((n) => n.NetworkInterfaceId)).toEqual([eni]);
    await ec2.send(new DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eni }));
    await expectError(ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eni] })), 'InvalidNetworkInterfaceID.NotFound', `The networkInterface ID '${eni}' does not exist`);
  });
});

describe('tags', () => {
  it('tags resources of any kind, describes and deletes tags', async () => {
    const launched = await instance();
    const volumeId = (await ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 1 }))).VolumeId!;
    const eni = launched.NetworkInterfaces![0]!.NetworkInterfaceId!;
    await ec2.send(new CreateTagsCommand({ Resources: [launched.InstanceId!, volumeId, eni], Tags: [{ Key: 'Name', Value: 'tagged' }, { Key: 'env', Value: 'prod' }] }));
    expect((await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:env', Values: ['prod'] }] }))).Reservations![0]!.Instances![0]!.InstanceId).toBe(launched.InstanceId);
    expect((await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eni] }))).NetworkInterfaces![0]!.TagSet).toEqual([{ Key: 'Name', Value: 'tagged' }, { Key: 'env', Value: 'prod' }]);

    const byKey = await ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'key', Values: ['env'] }] }));
    expect(byKey.Tags!.map((t) => [t.ResourceType, t.ResourceId, t.Value]).sort()).toEqual([
      ['instance', launched.InstanceId, 'prod'], ['network-interface', eni, 'prod'], ['volume', volumeId, 'prod'],
    ].sort());
    const volumes = await ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-type', Values: ['volume'] }, { Name: 'value', Values: ['tag*'] }] }));
    expect(volumes.Tags).toEqual([{ Key: 'Name', ResourceId: volumeId, ResourceType: 'volume', Value: 'tagged' }]);
    await ec2.send(new CreateTagsCommand({ Resources: [launched.InstanceId!], Tags: ['k1', 'k2', 'k3', 'k4'].map((Key) => ({ Key, Value: '' })) }));
    const byId = [{ Name: 'resource-id', Values: [launched.InstanceId!, volumeId] }];
    const first = await ec2.send(new DescribeTagsCommand({ Filters: byId, MaxResults: 5 }));
    const rest = await ec2.send(new DescribeTagsCommand({ Filters: byId, MaxResults: 5, NextToken: first.NextToken }));
    expect([first.Tags!.length, rest.Tags!.length, rest.NextToken]).toEqual([5, 3, undefined]);
    await ec2.send(new DeleteTagsCommand({ Resources: [launched.InstanceId!], Tags: ['k1', 'k2', 'k3', 'k4'].map((Key) => ({ Key })) }));

    await ec2.send(new DeleteTagsCommand({ Resources: [volumeId], Tags: [{ Key: 'env', Value: 'staging' }, { Key: 'Name' }] }));
    expect((await ec2.send(new DescribeVolumesCommand({ VolumeIds: [volumeId] }))).Volumes![0]!.Tags).toEqual([{ Key: 'env', Value: 'prod' }]);
    await ec2.send(new DeleteTagsCommand({ Resources: [volumeId] }));
    expect((await ec2.send(new DescribeVolumesCommand({ VolumeIds: [volumeId] }))).Volumes![0]!.Tags).toEqual([]);

    await expectError(ec2.send(new CreateTagsCommand({ Resources: ['i-00000000000000000'], Tags: [{ Key: 'a', Value: 'b' }] })), 'InvalidInstanceID.NotFound');
    await expectError(ec2.send(new CreateTagsCommand({ Resources: ['thing-1'], Tags: [{ Key: 'a', Value: 'b' }] })), 'InvalidID', "The ID 'thing-1' is not valid");
    await expectError(ec2.send(new CreateTagsCommand({ Resources: [volumeId], Tags: [{ Key: 'aws:owner', Value: 'b' }] })), 'InvalidParameterValue');
    await expectError(ec2.send(new CreateTagsCommand({ Resources: [volumeId], Tags: Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) })), 'TagLimitExceeded');

    const record = (await ec2Records(server, 'CreateTags')).find((r) => !r.errorCode && r.requestParameters.resourcesSet.items.length === 3);
    expect(record!.requestParameters).toEqual({
      resourcesSet: { items: [{ resourceId: launched.InstanceId }, { resourceId: volumeId }, { resourceId: eni }] },
      tagSet: { items: [{ key: 'Name', value: 'tagged' }, { key: 'env', value: 'prod' }] },
    });
    expect(record!.responseElements).toEqual({ requestId: record!.requestID, _return: true });
    const changes = (await resourceChanges(server)).filter((c) => c.eventId === record!.eventID).map((c) => c.resourceId).sort();
    expect(changes).toEqual([launched.InstanceId, volumeId, eni].sort());
  });
});
