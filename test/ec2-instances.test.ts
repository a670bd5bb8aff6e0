import {
  CreateKeyPairCommand, CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand, DescribeInstanceAttributeCommand, DescribeInstancesCommand,
  DescribeInstanceStatusCommand,
  DescribeNetworkInterfacesCommand, DescribeVolumesCommand, ModifyInstanceAttributeCommand, ModifyInstanceMetadataOptionsCommand,
  RunInstancesCommand, StartInstancesCommand, StopInstancesCommand, TerminateInstancesCommand, type EC2Client, type Instance,
} from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './helpers/assertions.js';
import { ec2Client, ec2Records, resourceChanges } from './helpers/ec2.js';
import { startTestServer, type TestServer } from './helpers/server.js';

let server: TestServer;
let ec2: EC2Client;
let offset = 0;

beforeAll(async () => {
  server = await startTestServer({}, { clock: { now: () => Date.now() + offset } });
  ec2 = ec2Client(server);
  await ec2.send(new DescribeInstancesCommand({}));
});
afterAll(() => server.stop());

async function launch(input: Partial<ConstructorParameters<typeof RunInstancesCommand>[0]> = {}): Promise<Instance[]> {
  return (await ec2.send(new RunInstancesCommand({ ImageId: 'ami-0abcdef1234567890', InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, ...input }))).Instances!;
}

async function described(id: string): Promise<Instance> {
  return (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!;
}

describe('RunInstances', () => {
  it('launches into the default subnet with a public address, a root volume and an interface, answering pending', async () => {
    const [instance] = await launch({ TagSpecifications: [
      { ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'first' }] }, { ResourceType: 'volume', Tags: [{ Key: 'disk', Value: 'root' }] },
    ] });
    expect(instance).toMatchObject({
      State: { Code: 0, Name: 'pending' }, StateReason: { Code: 'pending', Message: 'pending' }, ImageId: 'ami-0abcdef1234567890', InstanceType: 't3.micro',
      Placement: { AvailabilityZone: 'us-east-1a', Tenancy: 'default' }, RootDeviceName: '/dev/xvda', RootDeviceType: 'ebs', Architecture: 'x86_64',
      MetadataOptions: { State: 'pending', HttpTokens: 'optional', HttpEndpoint: 'enabled', HttpPutResponseHopLimit: 1 }, Tags: [{ Key: 'Name', Value: 'first' }],
      SecurityGroups: [{ GroupName: 'default', GroupId: expect.stringMatching(/^sg-/) }], PrivateIpAddress: expect.stringMatching(/^172\.31\.\d+\.\d+$/),
    });
    const id = instance!.InstanceId!;
    expect(id).toMatch(/^i-[0-9a-f]{17}$/);
    const running = await described(id);
    expect(running.State).toEqual({ Code: 16, Name: 'running' });
    expect(running.MetadataOptions?.State).toBe('applied');
    expect(running.PublicIpAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(running.PublicDnsName).toBe(`ec2-${running.PublicIpAddress!.replaceAll('.', '-')}.compute-1.amazonaws.com`);
    expect(running.PrivateDnsName).toBe(`ip-${running.PrivateIpAddress!.replaceAll('.', '-')}.ec2.internal`);
    const volumeId = running.BlockDeviceMappings![0]!.Ebs!.VolumeId!;
    const { Volumes } = await ec2.send(new DescribeVolumesCommand({ VolumeIds: [volumeId] }));
    expect(Volumes![0]).toMatchObject({ Size: 8, VolumeType: 'gp2', State: 'in-use', Encrypted: false, Tags: [{ Key: 'disk', Value: 'root' }], Attachments: [{ InstanceId: id, Device: '/dev/xvda', State: 'attached', DeleteOnTermination: true }] });
    const eniId = running.NetworkInterfaces![0]!.NetworkInterfaceId!;
    const { NetworkInterfaces } = await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [id] }] }));
    expect(NetworkInterfaces!.map((n) => [n.NetworkInterfaceId, n.Status, n.PrivateIpAddress, n.Association?.PublicIp])).toEqual([[eniId, 'in-use', running.PrivateIpAddress, running.PublicIpAddress]]);

    const [record] = await ec2Records(server, 'RunInstances');
    expect(record!.requestParameters).toMatchObject({
      instancesSet: { items: [{ imageId: 'ami-0abcdef1234567890', minCount: 1, maxCount: 1 }] }, instanceType: 't3.micro',
      tagSpecificationSet: { items: [{ resourceType: 'instance', tags: [{ key: 'Name', value: 'first' }] }, { resourceType: 'volume', tags: [{ key: 'disk', value: 'root' }] }] },
    });
    expect(record!.responseElements).toMatchObject({ requestId: record!.requestID, ownerId: '123456789012', groupSet: {}, instancesSet: { items: [{ instanceId: id, instanceState: { code: 0, name: 'pending' } }] } });
    expect(typeof record!.responseElements.instancesSet.items[0].launchTime).toBe('number');
    const changes = (await resourceChanges(server)).filter((c) => c.eventId === record!.eventID);
    expect(changes.map((c) => [c.resourceType, c.resourceId]).sort()).toEqual([['AWS::EC2::Instance', id], ['AWS::EC2::NetworkInterface', eniId], ['AWS::EC2::Volume', volumeId]]);
  });

  it('launches into a subnet and groups, without a public address, with metadata options, a profile, a key and more volumes', async () => {
    const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc!.VpcId!;
    const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.1.0/24', AvailabilityZone: 'us-east-1c' }))).Subnet!;
    const groupId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'app', Description: 'app', VpcId: vpcId }))).GroupId!;
    await ec2.send(new CreateKeyPairCommand({ KeyName: 'deploy', KeyType: 'ed25519' }));
    const instances = await launch({
      MinCount: 3, MaxCount: 3, KeyName: 'deploy', IamInstanceProfile: { Name: 'app-role' },
      NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: subnet.SubnetId, Groups: [groupId], AssociatePublicIpAddress: false }],
      MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 2 },
      BlockDeviceMappings: [{ DeviceName: '/dev/sdf', Ebs: { VolumeSize: 20, VolumeType: 'gp3', Encrypted: true, KmsKeyId: 'alias/app', DeleteOnTermination: false } }],
    });
    expect(instances).toHaveLength(3);
    expect(new Set(instances.map((i) => i.PrivateIpAddress)).size).toBe(3);
    for (const instance of instances) {
      expect(instance).toMatchObject({
        SubnetId: subnet.SubnetId, VpcId: vpcId, SecurityGroups: [{ GroupId: groupId, GroupName: 'app' }], KeyName: 'deploy', Placement: { AvailabilityZone: 'us-east-1c' },
        IamInstanceProfile: { Arn: 'arn:aws:iam::123456789012:instance-profile/app-role', Id: expect.stringMatching(/^AIPA[A-Z2-7]{17}$/) },
        MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 2 },
      });
      expect(instance.PublicIpAddress).toBeUndefined();
      expect(instance.BlockDeviceMappings!.map((m) => m.DeviceName)).toEqual(['/dev/xvda', '/dev/sdf']);
    }
    expect(instances.map((i) => i.AmiLaunchIndex)).toEqual([0, 1, 2]);
    const extra = instances[0]!.BlockDeviceMappings![1]!.Ebs!.VolumeId!;
    const volume = (await ec2.send(new DescribeVolumesCommand({ VolumeIds: [extra] }))).Volumes![0]!;
    expect(volume).toMatchObject({ Size: 20, VolumeType: 'gp3', Iops: 3000, Throughput: 125, Encrypted: true, KmsKeyId: 'arn:aws:kms:us-east-1:123456789012:alias/app', AvailabilityZone: 'us-east-1c' });
  });

  it('answers bad launches with AWS’s codes and messages', async () => {
    await expectError(launch({ ImageId: 'image-1' }), 'InvalidAMIID.Malformed', 'Invalid id: "image-1" (expecting "ami-...")');
    await expectError(ec2.send(new RunInstancesCommand({ MinCount: 1, MaxCount: 1 })), 'MissingParameter', 'The request must contain the parameter ImageId');
    await expectError(ec2.send(new RunInstancesCommand({ ImageId: 'ami-12345678' } as never)), 'MissingParameter', 'The request must contain the parameter MaxCount');
    await expectError(launch({ MinCount: 3, MaxCount: 2 }), 'InvalidParameterValue');
    await expectError(launch({ SubnetId: 'subnet-00000000000000000' }), 'InvalidSubnetID.NotFound', "The subnet ID 'subnet-00000000000000000' does not exist");
    await expectError(launch({ SecurityGroupIds: ['sg-00000000000000000'] }), 'InvalidGroup.NotFound', "The security group 'sg-00000000000000000' does not exist in VPC");
    await expectError(launch({ KeyName: 'missing' }), 'InvalidKeyPair.NotFound', "The key pair 'missing' does not exist");
    await expectError(launch({ IamInstanceProfile: { Arn: 'not-an-arn' } }), 'InvalidParameterValue', 'Value (not-an-arn) for parameter iamInstanceProfile.arn is invalid.');
    await expectError(launch({ MetadataOptions: { HttpTokens: 'sometimes' as never } }), 'InvalidParameterValue', 'Value (sometimes) for parameter httpTokens is invalid.');
    await expectError(launch({ SubnetId: 'subnet-00000000000000000', NetworkInterfaces: [{ DeviceIndex: 0 }] }), 'InvalidParameterCombination',
      'Network interfaces and an instance-level subnet ID may not be specified on the same request');
    await expectError(launch({ BlockDeviceMappings: [{ DeviceName: '/dev/sdg', Ebs: { VolumeSize: 5, KmsKeyId: 'alias/x' } }] }), 'InvalidParameterDependency',
      'The parameter KmsKeyId requires the parameter Encrypted to be set.');
    const [record] = await ec2Records(server, 'RunInstances');
    expect(record).toMatchObject({ errorCode: 'Client.InvalidParameterDependency', responseElements: null });
  });

  it('is idempotent by client token', async () => {
    const first = await launch({ ClientToken: 'token-1' });
    const again = await launch({ ClientToken: 'token-1' });
    expect(again.map((i) => i.InstanceId)).toEqual(first.map((i) => i.InstanceId));
  });
});

describe('DescribeInstances', () => {
  it('filters by tag, state, VPC, group, type and addresses, with wildcards', async () => {
    const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.1.0.0/16' }))).Vpc!.VpcId!;
    const subnetId = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.1.0.0/24' }))).Subnet!.SubnetId!;
    await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'filters', Description: 'filters', VpcId: vpcId }));
    const tagged = (name: string) => [{ ResourceType: 'instance' as const, Tags: [{ Key: 'Name', Value: name }, { Key: 'env', Value: 'test' }] }];
    const [a] = await launch({ SubnetId: subnetId, SecurityGroups: ['filters'], TagSpecifications: tagged('filter-a'), InstanceType: 'm5.large' });
    const [b] = await launch({ SubnetId: subnetId, TagSpecifications: tagged('filter-b') });
    await ec2.send(new StopInstancesCommand({ InstanceIds: [b!.InstanceId!] }));
    const ids = async (filters: { Name: string; Values: string[] }[]) =>
      (await ec2.send(new DescribeInstancesCommand({ Filters: filters }))).Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId)).sort();
    const both = [a!.InstanceId, b!.InstanceId].sort();
    expect(await ids([{ Name: 'tag:Name', Values: ['filter-*'] }])).toEqual(both);
    expect(await ids([{ Name: 'tag:Name', Values: ['filter-?'] }, { Name: 'instance-state-name', Values: ['running'] }])).toEqual([a!.InstanceId]);
    expect(await ids([{ Name: 'instance-state-name', Values: ['stopped'] }, { Name: 'vpc-id', Values: [vpcId] }])).toEqual([b!.InstanceId]);
    expect(await ids([{ Name: 'group-name', Values: ['filters'] }])).toEqual([a!.InstanceId]);
    expect(await ids([{ Name: 'instance-type', Values: ['m5.large'] }])).toEqual([a!.InstanceId]);
    expect(await ids([{ Name: 'private-ip-address', Values: [a!.PrivateIpAddress!] }])).toEqual([a!.InstanceId]);
    expect(await ids([{ Name: 'subnet-id', Values: [subnetId] }, { Name: 'tag-key', Values: ['env'] }])).toEqual(both);
    expect(await ids([{ Name: 'tag:Name', Values: ['FILTER-A'] }])).toEqual([]);
    await expectError(ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'instance-colour', Values: ['red'] }] })), 'InvalidParameterValue', "The filter 'instance-colour' is invalid");
  });

  it('pages through instances and groups them by reservation', async () => {
    const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.2.0.0/16' }))).Vpc!.VpcId!;
    const subnetId = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.2.0.0/24' }))).Subnet!.SubnetId!;
    const launched = (await launch({ SubnetId: subnetId, MinCount: 7, MaxCount: 7 })).map((i) => i.InstanceId!);
    const filters = [{ Name: 'subnet-id', Values: [subnetId] }];
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await ec2.send(new DescribeInstancesCommand({ Filters: filters, MaxResults: 5, NextToken: token }));
      expect(page.Reservations!.every((r) => r.ReservationId!.startsWith('r-'))).toBe(true);
      seen.push(...page.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId!)));
      token = page.NextToken;
    } while (token);
    expect(seen.sort()).toEqual(launched.sort());
    const all = await ec2.send(new DescribeInstancesCommand({ Filters: filters }));
    expect(all.Reservations).toHaveLength(1);
    await expectError(ec2.send(new DescribeInstancesCommand({ InstanceIds: [launched[0]!], MaxResults: 5 })), 'InvalidParameterCombination',
      'The parameter instancesSet cannot be used with the parameter maxResults');
    await expectError(ec2.send(new DescribeInstancesCommand({ MaxResults: 1001 })), 'InvalidParameterValue', 'Value ( 1001 ) for parameter maxResults is invalid. Parameter may only be between 5 and 1000.');
  });

  it('answers unknown and malformed instance ids', async () => {
    const unknown = await expectError(ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-1234567890abcdef0'] })), 'InvalidInstanceID.NotFound', "The instance ID 'i-1234567890abcdef0' does not exist");
    expect(unknown.$metadata?.httpStatusCode).toBe(400);
    await expectError(ec2.send(new TerminateInstancesCommand({ InstanceIds: ['i-1234567890abcdef0', 'i-0000000000000000a'] })), 'InvalidInstanceID.NotFound',
      "The instance IDs 'i-1234567890abcdef0, i-0000000000000000a' do not exist");
    await expectError(ec2.send(new StopInstancesCommand({ InstanceIds: ['web-1'] })), 'InvalidInstanceID.Malformed', 'Invalid id: "web-1"');
    const [record] = await ec2Records(server, 'TerminateInstances');
    expect(record).toMatchObject({ errorCode: 'Client.InvalidInstanceID.NotFound', requestParameters: { instancesSet: { items: [{ instanceId: 'i-1234567890abcdef0' }, { instanceId: 'i-0000000000000000a' }] } } });
  });
});

describe('instance states', () => {
  it('stops, starts and terminates with AWS’s state changes, releasing what the instance held', async () => {
    const [instance] = await launch({ BlockDeviceMappings: [{ DeviceName: '/dev/sdf', Ebs: { VolumeSize: 1, DeleteOnTermination: false } }] });
    const id = instance!.InstanceId!;
    const firstIp = (await described(id)).PublicIpAddress;

    const stopping = await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    expect(stopping.StoppingInstances).toEqual([{ InstanceId: id, CurrentState: { Code: 64, Name: 'stopping' }, PreviousState: { Code: 16, Name: 'running' } }]);
    const stopped = await described(id);
    expect(stopped.State).toEqual({ Code: 80, Name: 'stopped' });
    expect(stopped.PublicIpAddress).toBeUndefined();
    expect(stopped.StateTransitionReason).toMatch(/^User initiated \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d GMT\)$/);
    expect(stopped.StateReason).toEqual({ Code: 'Client.UserInitiatedShutdown', Message: 'Client.UserInitiatedShutdown: User initiated shutdown' });
    expect((await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }))).StoppingInstances![0]).toMatchObject({ CurrentState: { Name: 'stopped' }, PreviousState: { Name: 'stopped' } });

    const starting = await ec2.send(new StartInstancesCommand({ InstanceIds: [id] }));
    expect(starting.StartingInstances).toEqual([{ InstanceId: id, CurrentState: { Code: 0, Name: 'pending' }, PreviousState: { Code: 80, Name: 'stopped' } }]);
    const restarted = await described(id);
    expect(restarted.State?.Name).toBe('running');
    expect(restarted.PublicIpAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(restarted.PublicIpAddress).not.toBe(firstIp);

    const [root, extra] = restarted.BlockDeviceMappings!.map((m) => m.Ebs!.VolumeId!);
    const eni = restarted.NetworkInterfaces![0]!.NetworkInterfaceId!;
    const terminating = await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    expect(terminating.TerminatingInstances).toEqual([{ InstanceId: id, CurrentState: { Code: 32, Name: 'shutting-down' }, PreviousState: { Code: 16, Name: 'running' } }]);
    const terminated = await described(id);
    expect(terminated.State).toEqual({ Code: 48, Name: 'terminated' });
    expect(terminated.NetworkInterfaces).toEqual([]);
    await expectError(ec2.send(new DescribeVolumesCommand({ VolumeIds: [root!] })), 'InvalidVolume.NotFound', `The volume '${root}' does not exist.`);
    expect((await ec2.send(new DescribeVolumesCommand({ VolumeIds: [extra!] }))).Volumes![0]).toMatchObject({ State: 'available', Attachments: [] });
    await expectError(ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eni] })), 'InvalidNetworkInterfaceID.NotFound');
    expect((await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }))).TerminatingInstances![0]).toMatchObject({ CurrentState: { Name: 'terminated' }, PreviousState: { Name: 'terminated' } });
    await expectError(ec2.send(new StartInstancesCommand({ InstanceIds: [id] })), 'IncorrectInstanceState');

    const record = (await ec2Records(server, 'TerminateInstances')).find((r) => r.responseElements?.instancesSet.items[0].previousState.name === 'running');
    expect(record!.responseElements).toEqual({ requestId: record!.requestID, instancesSet: { items: [{ instanceId: id, currentState: { code: 32, name: 'shutting-down' }, previousState: { code: 16, name: 'running' } }] } });
    const changes = (await resourceChanges(server)).filter((c) => c.eventId === record!.eventID);
    expect(changes.map((c) => [c.resourceType, c.resourceId, c.deleted]).sort()).toEqual([
      ['AWS::EC2::Instance', id, true], ['AWS::EC2::NetworkInterface', eni, true], ['AWS::EC2::Volume', extra, false], ['AWS::EC2::Volume', root, true],
    ].sort());
  });

  it('reports status checks of running instances, and of all with IncludeAllInstances', async () => {
    const [up, down] = (await launch({ MinCount: 2, MaxCount: 2 })).map((i) => i.InstanceId!);
    await ec2.send(new StopInstancesCommand({ InstanceIds: [down!] }));
    const running = await ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: [up!, down!] }));
    expect(running.InstanceStatuses).toEqual([expect.objectContaining({
      InstanceId: up, InstanceState: { Code: 16, Name: 'running' },
      InstanceStatus: { Status: 'ok', Details: [{ Name: 'reachability', Status: 'passed' }] }, SystemStatus: { Status: 'ok', Details: [{ Name: 'reachability', Status: 'passed' }] },
    })]);
    const all = await ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: [up!, down!], IncludeAllInstances: true }));
    expect(all.InstanceStatuses!.map((s) => [s.InstanceId, s.InstanceStatus?.Status]).sort()).toEqual([[up, 'ok'], [down, 'not-applicable']].sort());
    const ok = await ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: [up!, down!], IncludeAllInstances: true, Filters: [{ Name: 'instance-status.status', Values: ['ok'] }] }));
    expect(ok.InstanceStatuses!.map((s) => s.InstanceId)).toEqual([up]);
  });

  it('keeps terminated instances visible for an hour', async () => {
    const [instance] = await launch();
    const id = instance!.InstanceId!;
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    offset = 59 * 60 * 1000;
    const later = ec2Client(server, 'us-east-1', { systemClockOffset: offset });
    expect((await later.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!.State?.Name).toBe('terminated');
    offset = 61 * 60 * 1000;
    const after = ec2Client(server, 'us-east-1', { systemClockOffset: offset });
    await expectError(after.send(new DescribeInstancesCommand({ InstanceIds: [id] })), 'InvalidInstanceID.NotFound');
    offset = 0;
  });

  it('honours termination and stop protection', async () => {
    const [instance] = await launch({ DisableApiTermination: true, DisableApiStop: true });
    const id = instance!.InstanceId!;
    await expectError(ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] })), 'OperationNotPermitted',
      `The instance '${id}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.`);
    await expectError(ec2.send(new StopInstancesCommand({ InstanceIds: [id] })), 'OperationNotPermitted');
    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, DisableApiTermination: { Value: false } }));
    expect((await ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: 'disableApiTermination' }))).DisableApiTermination).toEqual({ Value: false });
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
  });
});

describe('instance attributes and metadata options', () => {
  it('changes the type only when stopped, groups at any time, and one attribute per call', async () => {
    const [instance] = await launch();
    const id = instance!.InstanceId!;
    await expectError(ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, InstanceType: { Value: 'm5.xlarge' } })), 'IncorrectInstanceState',
      `The instance '${id}' is not in the 'stopped' state.`);
    await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, Attribute: 'instanceType', Value: 'm5.xlarge' }));
    expect((await ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: 'instanceType' }))).InstanceType).toEqual({ Value: 'm5.xlarge' });
    const groupId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'swap', Description: 'swap' }))).GroupId!;
    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, Groups: [groupId] }));
    expect((await described(id)).SecurityGroups).toEqual([{ GroupId: groupId, GroupName: 'swap' }]);
    expect((await ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: 'groupSet' }))).Groups).toEqual([{ GroupId: groupId, GroupName: 'swap' }]);
    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, UserData: { Value: new TextEncoder().encode('#!/bin/sh\necho hi') } }));
    const userData = (await ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: 'userData' }))).UserData!.Value!;
    expect(Buffer.from(userData, 'base64').toString()).toBe('#!/bin/sh\necho hi');
    await expectError(ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, DisableApiStop: { Value: true }, SourceDestCheck: { Value: false } })), 'InvalidParameterCombination');
    const [record] = (await ec2Records(server, 'ModifyInstanceAttribute')).filter((r) => !r.errorCode);
    expect(record!.responseElements).toEqual({ requestId: record!.requestID, _return: true });
  });

  it('requires IMDSv2 through ModifyInstanceMetadataOptions', async () => {
    const [instance] = await launch();
    const id = instance!.InstanceId!;
    const { InstanceMetadataOptions } = await ec2.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: id, HttpTokens: 'required' }));
    expect(InstanceMetadataOptions).toMatchObject({ State: 'pending', HttpTokens: 'required', HttpEndpoint: 'enabled' });
    expect((await described(id)).MetadataOptions).toMatchObject({ State: 'applied', HttpTokens: 'required' });
    const required = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'metadata-options.http-tokens', Values: ['required'] }, { Name: 'instance-id', Values: [id] }] }));
    expect(required.Reservations).toHaveLength(1);
    await expectError(ec2.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: id, HttpPutResponseHopLimit: 65 })), 'InvalidParameterValue');
    const [record] = (await ec2Records(server, 'ModifyInstanceMetadataOptions')).filter((r) => !r.errorCode);
    expect((await resourceChanges(server)).find((c) => c.eventId === record!.eventID)).toMatchObject({ resourceType: 'AWS::EC2::Instance', resourceId: id });
  });
});
