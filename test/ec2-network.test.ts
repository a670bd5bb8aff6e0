import {
  AssociateRouteTableCommand, AttachInternetGatewayCommand, CreateInternetGatewayCommand, CreateNetworkAclCommand, CreateNetworkAclEntryCommand,
  CreateRouteCommand, CreateRouteTableCommand, CreateSubnetCommand, CreateVpcCommand, DeleteInternetGatewayCommand, DeleteNetworkAclCommand,
  DeleteNetworkAclEntryCommand, DeleteRouteCommand, DeleteRouteTableCommand, DeleteSubnetCommand, DeleteVpcCommand, DescribeInternetGatewaysCommand,
  DescribeNetworkAclsCommand, DescribeRouteTablesCommand, DescribeSecurityGroupsCommand, DescribeSubnetsCommand, DescribeVpcAttributeCommand,
  DescribeVpcsCommand, DetachInternetGatewayCommand, DisassociateRouteTableCommand, ModifySubnetAttributeCommand, ModifyVpcAttributeCommand,
  ReplaceNetworkAclAssociationCommand, ReplaceNetworkAclEntryCommand, ReplaceRouteCommand, type EC2Client,
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
  await ec2.send(new DescribeVpcsCommand({}));
});
afterAll(() => server.stop());

async function newVpc(cidr = '10.0.0.0/16', client = ec2): Promise<string> {
  return (await client.send(new CreateVpcCommand({ CidrBlock: cidr }))).Vpc!.VpcId!;
}

describe('the default VPC', () => {
  it('is made on first use of EC2 in a region, with its subnets, gateway, main route table, ACL and group', async () => {
    const fresh = await startTestServer();
    try {
      const client = ec2Client(fresh);
      const { Vpcs } = await client.send(new DescribeVpcsCommand({}));
      expect(Vpcs).toHaveLength(1);
      const vpc = Vpcs![0]!;
      expect(vpc).toMatchObject({ CidrBlock: '172.31.0.0/16', IsDefault: true, State: 'available', InstanceTenancy: 'default', OwnerId: '123456789012' });
      expect(vpc.VpcId).toMatch(/^vpc-[0-9a-f]{17}$/);

      const { Subnets } = await client.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc.VpcId!] }] }));
      expect(Subnets!.map((s) => [s.CidrBlock, s.AvailabilityZone, s.AvailabilityZoneId, s.DefaultForAz, s.MapPublicIpOnLaunch, s.AvailableIpAddressCount]).sort()).toEqual([
        ['172.31.0.0/20', 'us-east-1a', 'use1-az1', true, true, 4091],
        ['172.31.16.0/20', 'us-east-1b', 'use1-az2', true, true, 4091],
        ['172.31.32.0/20', 'us-east-1c', 'use1-az3', true, true, 4091],
      ]);
      const { InternetGateways } = await client.send(new DescribeInternetGatewaysCommand({ Filters: [{ Name: 'attachment.vpc-id', Values: [vpc.VpcId!] }] }));
      expect(InternetGateways).toHaveLength(1);
      const { RouteTables } = await client.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'association.main', Values: ['true'] }] }));
      expect(RouteTables![0]!.Routes).toEqual([
        { DestinationCidrBlock: '172.31.0.0/16', GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' },
        { DestinationCidrBlock: '0.0.0.0/0', GatewayId: InternetGateways![0]!.InternetGatewayId, Origin: 'CreateRoute', State: 'active' },
      ]);
      const { NetworkAcls } = await client.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'default', Values: ['true'] }] }));
      expect(NetworkAcls![0]!.Associations!.map((a) => a.SubnetId).sort()).toEqual(Subnets!.map((s) => s.SubnetId).sort());
      expect(NetworkAcls![0]!.Entries!.map((e) => [e.Egress, e.RuleNumber, e.RuleAction])).toEqual([[true, 100, 'allow'], [true, 32767, 'deny'], [false, 100, 'allow'], [false, 32767, 'deny']]);
      const { SecurityGroups } = await client.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['default'] }] }));
      expect(SecurityGroups![0]).toMatchObject({ GroupName: 'default', Description: 'default VPC security group', VpcId: vpc.VpcId });

      const changes = await resourceChanges(fresh);
      expect(changes.map((c) => c.resourceType).sort()).toEqual([
        'AWS::EC2::InternetGateway', 'AWS::EC2::NetworkAcl', 'AWS::EC2::RouteTable', 'AWS::EC2::SecurityGroup',
        'AWS::EC2::Subnet', 'AWS::EC2::Subnet', 'AWS::EC2::Subnet', 'AWS::EC2::VPC',
      ]);
      const [describe] = await ec2Records(fresh, 'DescribeVpcs');
      expect(changes.every((c) => c.eventId === describe!.eventID && c.region === 'us-east-1' && !c.deleted)).toBe(true);
      expect(describe!.resources).toBeUndefined();
      expect(await ec2Records(fresh, 'CreateDefaultVpc')).toEqual([]);

      await client.send(new DescribeVpcsCommand({}));
      expect(await resourceChanges(fresh)).toHaveLength(8);
      const west = ec2Client(fresh, 'eu-west-1');
      const { Subnets: westSubnets } = await west.send(new DescribeSubnetsCommand({}));
      expect(westSubnets!.map((s) => s.AvailabilityZone).sort()).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
      expect((await resourceChanges(fresh)).filter((c) => c.region === 'eu-west-1')).toHaveLength(8);
    } finally {
      await fresh.stop();
    }
  });

  it('belongs to each account', async () => {
    const open = await startTestServer({ auth: 'open' });
    try {
      const as = (account: string) => ec2Client(open, 'us-east-1', { credentials: { accessKeyId: account, secretAccessKey: 'x' } });
      const a = (await as('111111111111').send(new DescribeVpcsCommand({}))).Vpcs!;
      const b = (await as('222222222222').send(new DescribeVpcsCommand({}))).Vpcs!;
      expect(a.map((v) => v.OwnerId)).toEqual(['111111111111']);
      expect(b.map((v) => v.OwnerId)).toEqual(['222222222222']);
      await expectError(as('111111111111').send(new DescribeVpcsCommand({ VpcIds: [b[0]!.VpcId!] })), 'InvalidVpcID.NotFound');
    } finally {
      await open.stop();
    }
  });
});

describe('VPCs', () => {
  it('creates a VPC with its main route table, default ACL and default group, and finds it by filter', async () => {
    const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.1.0.0/16', TagSpecifications: [{ ResourceType: 'vpc', Tags: [{ Key: 'Name', Value: 'app' }] }] }));
    expect(Vpc).toMatchObject({ CidrBlock: '10.1.0.0/16', State: 'pending', IsDefault: false, Tags: [{ Key: 'Name', Value: 'app' }] });
    const id = Vpc!.VpcId!;
    const found = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'tag:Name', Values: ['ap*'] }, { Name: 'is-default', Values: ['false'] }] }));
    expect(found.Vpcs!.map((v) => [v.VpcId, v.State])).toEqual([[id, 'available']]);
    const byVpc = [{ Name: 'vpc-id', Values: [id] }];
    expect((await ec2.send(new DescribeRouteTablesCommand({ Filters: byVpc }))).RouteTables!.map((t) => t.Associations![0]!.Main)).toEqual([true]);
    expect((await ec2.send(new DescribeNetworkAclsCommand({ Filters: byVpc }))).NetworkAcls!.map((a) => a.IsDefault)).toEqual([true]);
    expect((await ec2.send(new DescribeSecurityGroupsCommand({ Filters: byVpc }))).SecurityGroups!.map((g) => g.GroupName)).toEqual(['default']);

    const [record] = await ec2Records(server, 'CreateVpc');
    expect(record!.requestParameters).toEqual({ cidrBlock: '10.1.0.0/16', tagSpecificationSet: { items: [{ resourceType: 'vpc', tags: [{ key: 'Name', value: 'app' }] }] } });
    expect(record!.responseElements).toMatchObject({ requestId: record!.requestID, vpc: { vpcId: id, state: 'pending', cidrBlock: '10.1.0.0/16', tagSet: { items: [{ key: 'Name', value: 'app' }] } } });
    expect(record!.resources.map((r: { type: string }) => r.type).sort()).toEqual(['AWS::EC2::NetworkAcl', 'AWS::EC2::RouteTable', 'AWS::EC2::SecurityGroup', 'AWS::EC2::VPC']);
    const changes = (await resourceChanges(server)).filter((c) => c.eventId === record!.eventID);
    expect(changes.map((c) => c.resourceType).sort()).toEqual(['AWS::EC2::NetworkAcl', 'AWS::EC2::RouteTable', 'AWS::EC2::SecurityGroup', 'AWS::EC2::VPC']);
  });

  it('answers a CIDR that is not one, or out of range, with AWS’s codes and messages', async () => {
    const bad = await expectError(ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/33' })), 'InvalidParameterValue', 'Value (10.0.0.0/33) for parameter cidrBlock is invalid. This is not a valid CIDR block.');
    expect(bad.$metadata?.httpStatusCode).toBe(400);
    await expectError(ec2.send(new CreateVpcCommand({ CidrBlock: 'ten.0.0.0/16' })), 'InvalidParameterValue', 'This is not a valid CIDR block.');
    await expectError(ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/8' })), 'InvalidVpc.Range', "The CIDR '10.0.0.0/8' is invalid.");
    const [record] = await ec2Records(server, 'CreateVpc');
    expect(record).toMatchObject({ errorCode: 'Client.InvalidVpc.Range', errorMessage: "The CIDR '10.0.0.0/8' is invalid.", responseElements: null });
  });

  it('refuses to delete a VPC with subnets, then deletes it and its defaults', async () => {
    const vpcId = await newVpc('10.2.0.0/16');
    const { Subnet } = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.2.1.0/24' }));
    await expectError(ec2.send(new DeleteVpcCommand({ VpcId: vpcId })), 'DependencyViolation', `The vpc '${vpcId}' has dependencies and cannot be deleted.`);
    await ec2.send(new DeleteSubnetCommand({ SubnetId: Subnet!.SubnetId }));
    await ec2.send(new DeleteVpcCommand({ VpcId: vpcId }));
    await expectError(ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] })), 'InvalidVpcID.NotFound', `The vpc ID '${vpcId}' does not exist`);
    expect((await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).SecurityGroups).toEqual([]);
    const [record] = await ec2Records(server, 'DeleteVpc');
    expect(record!.responseElements).toEqual({ requestId: record!.requestID, _return: true });
    const deleted = (await resourceChanges(server)).filter((c) => c.eventId === record!.eventID);
    expect(deleted.every((c) => c.deleted)).toBe(true);
    expect(deleted.map((c) => c.resourceType).sort()).toEqual(['AWS::EC2::NetworkAcl', 'AWS::EC2::RouteTable', 'AWS::EC2::SecurityGroup', 'AWS::EC2::VPC']);
  });

  it('keeps DNS attributes', async () => {
    const vpcId = await newVpc('10.3.0.0/16');
    expect((await ec2.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: 'enableDnsHostnames' }))).EnableDnsHostnames).toEqual({ Value: false });
    await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } }));
    expect((await ec2.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: 'enableDnsHostnames' }))).EnableDnsHostnames).toEqual({ Value: true });
    expect((await ec2.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: 'enableDnsSupport' }))).EnableDnsSupport).toEqual({ Value: true });
  });

  it('allows five VPCs in a region', async () => {
    const south = ec2Client(server, 'ap-south-1');
    for (let i = 0; i < 4; i++) await newVpc(`10.${10 + i}.0.0/16`, south);
    await expectError(south.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16' })), 'VpcLimitExceeded', 'The maximum number of VPCs has been reached.');
  });
});

describe('subnets', () => {
  let ec2: EC2Client;
  beforeAll(() => {
    ec2 = ec2Client(server, 'us-east-2');
  });
  it('takes a block of the VPC in a zone, and refuses blocks outside it or overlapping another', async () => {
    const vpcId = await newVpc('10.4.0.0/16', ec2);
    const { Subnet } = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.4.1.0/24', AvailabilityZone: 'us-east-2b' }));
    expect(Subnet).toMatchObject({ CidrBlock: '10.4.1.0/24', AvailabilityZone: 'us-east-2b', AvailableIpAddressCount: 251, DefaultForAz: false, MapPublicIpOnLaunch: false, State: 'available' });
    expect(Subnet!.SubnetArn).toBe(`arn:aws:ec2:us-east-2:123456789012:subnet/${Subnet!.SubnetId}`);
    await expectError(ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.5.0.0/24' })), 'InvalidSubnet.Range', "The CIDR '10.5.0.0/24' is invalid.");
    await expectError(ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.4.1.128/25' })), 'InvalidSubnet.Conflict', "The CIDR '10.4.1.128/25' conflicts with another subnet");
    await expectError(ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.4.2.0/24', AvailabilityZone: 'us-west-2a' })), 'InvalidParameterValue',
      'Value (us-west-2a) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: us-east-2a, us-east-2b, us-east-2c.');
    await expectError(ec2.send(new CreateSubnetCommand({ VpcId: 'vpc-00000000000000000', CidrBlock: '10.4.2.0/24' })), 'InvalidVpcID.NotFound');
    const acl = (await ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'association.subnet-id', Values: [Subnet!.SubnetId!] }] }))).NetworkAcls!;
    expect(acl.map((a) => [a.VpcId, a.IsDefault])).toEqual([[vpcId, true]]);

    await ec2.send(new ModifySubnetAttributeCommand({ SubnetId: Subnet!.SubnetId, MapPublicIpOnLaunch: { Value: true } }));
    const mapped = await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'map-public-ip-on-launch', Values: ['true'] }, { Name: 'vpc-id', Values: [vpcId] }] }));
    expect(mapped.Subnets!.map((s) => s.SubnetId)).toEqual([Subnet!.SubnetId]);
  });

  it('pages with MaxResults and NextToken, and answers bad paging values', async () => {
    const vpcId = await newVpc('10.6.0.0/16', ec2);
    const created = [];
    for (let i = 0; i < 7; i++) created.push((await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.6.${i}.0/24` }))).Subnet!.SubnetId!);
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }], MaxResults: 5, NextToken: token }));
      seen.push(...page.Subnets!.map((s) => s.SubnetId!));
      token = page.NextToken;
      pages++;
    } while (token);
    expect(pages).toBe(2);
    expect(seen.sort()).toEqual(created.sort());
    await expectError(ec2.send(new DescribeSubnetsCommand({ MaxResults: 3 })), 'InvalidParameterValue',
      'Value ( 3 ) for parameter maxResults is invalid. Parameter may only be between 5 and 1000.');
    await expectError(ec2.send(new DescribeSubnetsCommand({ MaxResults: 5, NextToken: 'not-a-token' })), 'InvalidNextToken');
    await expectError(ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'no-such-filter', Values: ['x'] }] })), 'InvalidParameterValue', "The filter 'no-such-filter' is invalid");
  });
});

describe('internet gateways and route tables', () => {
  let ec2: EC2Client;
  beforeAll(() => {
    ec2 = ec2Client(server, 'us-west-1');
  });
  it('attaches a gateway, routes to it, associates subnets, and refuses what AWS refuses', async () => {
    const vpcId = await newVpc('10.7.0.0/16', ec2);
    const other = await newVpc('10.8.0.0/16', ec2);
    const subnetId = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.7.1.0/24' }))).Subnet!.SubnetId!;
    const igw = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
    await expectError(ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: other })), 'Resource.AlreadyAssociated');
    await expectError(ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: igw })), 'DependencyViolation', `The internetGateway '${igw}' has dependencies and cannot be deleted.`);

    const table = (await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!;
    expect(table.Routes).toEqual([{ DestinationCidrBlock: '10.7.0.0/16', GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' }]);
    const rtb = table.RouteTableId!;
    expect((await ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }))).Return).toBe(true);
    await expectError(ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw })), 'RouteAlreadyExists', 'The route identified by 0.0.0.0/0 already exists.');
    await expectError(ec2.send(new CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '300.0.0.0/8', GatewayId: igw })), 'InvalidParameterValue',
      'Value (300.0.0.0/8) for parameter destinationCidrBlock is invalid. This is not a valid CIDR block.');
    const otherTable = (await ec2.send(new CreateRouteTableCommand({ VpcId: other }))).RouteTable!.RouteTableId!;
    await expectError(ec2.send(new CreateRouteCommand({ RouteTableId: otherTable, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw })), 'InvalidParameterValue',
      `route table ${otherTable} and network gateway ${igw} belong to different networks`);

    const { AssociationId } = await ec2.send(new AssociateRouteTableCommand({ RouteTableId: rtb, SubnetId: subnetId }));
    expect(AssociationId).toMatch(/^rtbassoc-/);
    const bySubnet = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'association.subnet-id', Values: [subnetId] }] }));
    expect(bySubnet.RouteTables!.map((t) => t.RouteTableId)).toEqual([rtb]);
    await expectError(ec2.send(new DeleteRouteTableCommand({ RouteTableId: rtb })), 'DependencyViolation', `The routeTable '${rtb}' has dependencies and cannot be deleted.`);
    await ec2.send(new DisassociateRouteTableCommand({ AssociationId }));
    await expectError(ec2.send(new DeleteRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '10.7.0.0/16' })), 'InvalidParameterValue', `cannot remove local route 10.7.0.0/16 in route table ${rtb}`);
    await ec2.send(new ReplaceRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }));
    await ec2.send(new DeleteRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '0.0.0.0/0' }));
    await expectError(ec2.send(new DeleteRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '0.0.0.0/0' })), 'InvalidRoute.NotFound');
    await ec2.send(new DeleteRouteTableCommand({ RouteTableId: rtb }));
    await expectError(ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [rtb] })), 'InvalidRouteTableID.NotFound', `The routeTable ID '${rtb}' does not exist`);

    await expectError(ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: other })), 'Gateway.NotAttached');
    await ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
    await ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: igw }));
    await expectError(ec2.send(new DescribeInternetGatewaysCommand({ InternetGatewayIds: [igw] })), 'InvalidInternetGatewayID.NotFound', `The internetGateway ID '${igw}' does not exist`);

    const [record] = await ec2Records(server, 'CreateRoute', 'us-west-1');
    expect(record).toMatchObject({ errorCode: 'Client.InvalidParameterValue' });
    const [ok] = (await ec2Records(server, 'CreateRoute', 'us-west-1')).filter((r) => !r.errorCode);
    expect(ok!.requestParameters).toEqual({ routeTableId: rtb, destinationCidrBlock: '0.0.0.0/0', gatewayId: igw });
    expect(ok!.responseElements).toEqual({ requestId: ok!.requestID, _return: true });
  });
});

describe('network ACLs', () => {
  let ec2: EC2Client;
  beforeAll(() => {
    ec2 = ec2Client(server, 'us-west-2');
  });
  it('adds, replaces and removes entries, moves subnets, and keeps the default ACL', async () => {
    const vpcId = await newVpc('10.9.0.0/16', ec2);
    const subnetId = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.9.1.0/24' }))).Subnet!.SubnetId!;
    const acl = (await ec2.send(new CreateNetworkAclCommand({ VpcId: vpcId }))).NetworkAcl!;
    expect(acl.Entries!.map((e) => [e.Egress, e.RuleNumber, e.RuleAction])).toEqual([[true, 32767, 'deny'], [false, 32767, 'deny']]);
    const id = acl.NetworkAclId!;
    await ec2.send(new CreateNetworkAclEntryCommand({ NetworkAclId: id, RuleNumber: 100, Protocol: 'tcp', RuleAction: 'allow', Egress: false, CidrBlock: '0.0.0.0/0', PortRange: { From: 22, To: 22 } }));
    await expectError(ec2.send(new CreateNetworkAclEntryCommand({ NetworkAclId: id, RuleNumber: 100, Protocol: '-1', RuleAction: 'deny', Egress: false, CidrBlock: '0.0.0.0/0' })),
      'NetworkAclEntryAlreadyExists', 'The network acl entry identified by 100 already exists.');
    await ec2.send(new ReplaceNetworkAclEntryCommand({ NetworkAclId: id, RuleNumber: 100, Protocol: '6', RuleAction: 'deny', Egress: false, CidrBlock: '0.0.0.0/0', PortRange: { From: 3389, To: 3389 } }));
    const found = await ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'entry.port-range.from', Values: ['3389'] }] }));
    expect(found.NetworkAcls!.map((a) => a.NetworkAclId)).toEqual([id]);
    expect(found.NetworkAcls![0]!.Entries!.find((e) => e.RuleNumber === 100)).toEqual({
      CidrBlock: '0.0.0.0/0', Egress: false, Protocol: '6', RuleAction: 'deny', RuleNumber: 100, PortRange: { From: 3389, To: 3389 },
    });
    await ec2.send(new DeleteNetworkAclEntryCommand({ NetworkAclId: id, RuleNumber: 100, Egress: false }));

    const defaultAcl = (await ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'default', Values: ['true'] }] }))).NetworkAcls![0]!;
    const association = defaultAcl.Associations!.find((a) => a.SubnetId === subnetId)!;
    const { NewAssociationId } = await ec2.send(new ReplaceNetworkAclAssociationCommand({ AssociationId: association.NetworkAclAssociationId, NetworkAclId: id }));
    expect(NewAssociationId).toMatch(/^aclassoc-/);
    await expectError(ec2.send(new DeleteNetworkAclCommand({ NetworkAclId: id })), 'DependencyViolation');
    await expectError(ec2.send(new DeleteNetworkAclCommand({ NetworkAclId: defaultAcl.NetworkAclId })), 'InvalidParameterValue');
    await ec2.send(new ReplaceNetworkAclAssociationCommand({ AssociationId: NewAssociationId, NetworkAclId: defaultAcl.NetworkAclId }));
    await ec2.send(new DeleteNetworkAclCommand({ NetworkAclId: id }));
    await expectError(ec2.send(new DescribeNetworkAclsCommand({ NetworkAclIds: [id] })), 'InvalidNetworkAclID.NotFound');
  });
});
