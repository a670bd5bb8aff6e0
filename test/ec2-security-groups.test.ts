import {
  AuthorizeSecurityGroupEgressCommand, AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, CreateTagsCommand, CreateVpcCommand,
  DeleteSecurityGroupCommand, DescribeSecurityGroupRulesCommand, DescribeSecurityGroupsCommand, RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand, type EC2Client,
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
});
afterAll(() => server.stop());

const ssh = { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'ssh' }] };

async function group(name: string, vpcId?: string): Promise<string> {
  return (await ec2.send(new CreateSecurityGroupCommand({ GroupName: name, Description: `${name} group`, VpcId: vpcId }))).GroupId!;
}

describe('security groups', () => {
  it('creates a group in the default VPC that allows all traffic out, and names it in the default VPC', async () => {
    const { GroupId, SecurityGroupArn } = await ec2.send(new CreateSecurityGroupCommand({
      GroupName: 'web', Description: 'web servers', TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: 'team', Value: 'blue' }] }],
    }));
    expect(GroupId).toMatch(/^sg-[0-9a-f]{17}$/);
    expect(SecurityGroupArn).toBe(`arn:aws:ec2:us-east-1:123456789012:security-group/${GroupId}`);
    const { SecurityGroups } = await ec2.send(new DescribeSecurityGroupsCommand({ GroupNames: ['web'] }));
    expect(SecurityGroups).toEqual([expect.objectContaining({
      GroupId, GroupName: 'web', Description: 'web servers', IpPermissions: [], Tags: [{ Key: 'team', Value: 'blue' }],
      IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] }],
    })]);
    await expectError(ec2.send(new CreateSecurityGroupCommand({ GroupName: 'web', Description: 'again' })), 'InvalidGroup.Duplicate',
      `The security group 'web' already exists for VPC '${SecurityGroups![0]!.VpcId}'`);
    await expectError(ec2.send(new CreateSecurityGroupCommand({ GroupName: 'default', Description: 'no' })), 'InvalidGroup.Reserved');
    await expectError(ec2.send(new CreateSecurityGroupCommand({ GroupName: 'nodesc' } as never)), 'MissingParameter', 'The request must contain the parameter GroupDescription');
    await expectError(ec2.send(new DescribeSecurityGroupsCommand({ GroupNames: ['nope'] })), 'InvalidGroup.NotFound',
      `The security group 'nope' does not exist in default VPC '${SecurityGroups![0]!.VpcId}'`);
    await expectError(ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ['sg-00000000000000000'] })), 'InvalidGroup.NotFound',
      "The security group 'sg-00000000000000000' does not exist");
    await expectError(ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ['web'] })), 'InvalidGroupId.Malformed');
  });

  it('gives each VPC a default group that cannot be deleted', async () => {
    const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc!.VpcId!;
    const { SecurityGroups } = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'group-name', Values: ['default'] }] }));
    const defaultGroup = SecurityGroups![0]!;
    expect(defaultGroup.IpPermissions).toEqual([{ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: defaultGroup.GroupId, UserId: '123456789012' }], IpRanges: [], Ipv6Ranges: [], PrefixListIds: [] }]);
    await expectError(ec2.send(new DeleteSecurityGroupCommand({ GroupId: defaultGroup.GroupId })), 'CannotDelete',
      `the specified group: "${defaultGroup.GroupId}" name: "default" cannot be deleted by a user`);
  });

  it('authorizes and revokes ingress rules with rule ids, and answers duplicates and unknown rules', async () => {
    const id = await group('bastion');
    const { Return, SecurityGroupRules } = await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: id, IpPermissions: [ssh] }));
    expect(Return).toBe(true);
    expect(SecurityGroupRules).toEqual([{
      SecurityGroupRuleId: expect.stringMatching(/^sgr-[0-9a-f]{17}$/), GroupId: id, GroupOwnerId: '123456789012', IsEgress: false, IpProtocol: 'tcp',
      FromPort: 22, ToPort: 22, CidrIpv4: '0.0.0.0/0', Description: 'ssh', Tags: [],
      SecurityGroupRuleArn: `arn:aws:ec2:us-east-1:123456789012:security-group-rule/${SecurityGroupRules![0]!.SecurityGroupRuleId}`,
    }]);
    const duplicate = await expectError(ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: id, IpPermissions: [ssh] })), 'InvalidPermission.Duplicate',
      'the specified rule "peer: 0.0.0.0/0, TCP, from port: 22, to port: 22, ALLOW" already exists');
    expect(duplicate.$metadata?.httpStatusCode).toBe(400);
    await expectError(ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: id, IpPermissions: [{ ...ssh, IpRanges: [{ CidrIp: '0.0.0.0/33' }] }] })),
      'InvalidParameterValue', 'CIDR block 0.0.0.0/33 is malformed');
    await expectError(ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: id, IpPermissions: [{ IpProtocol: 'tcp', IpRanges: [{ CidrIp: '10.0.0.0/8' }] }] })),
      'InvalidParameterValue', 'Invalid value for portRange. Must specify both from and to ports with TCP/UDP.');
    await expectError(ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: id, IpPermissions: [{ IpProtocol: 'tcpx', FromPort: 1, ToPort: 2, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }] })),
      'InvalidParameterValue', "Invalid value 'tcpx' for IP protocol. Unknown protocol.");

    const all = await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: id, IpPermissions: [
      { IpProtocol: '-1', Ipv6Ranges: [{ CidrIpv6: '::/0' }] },
      { IpProtocol: '6', FromPort: 443, ToPort: 443, UserIdGroupPairs: [{ GroupId: id }] },
    ] }));
    expect(all.SecurityGroupRules!.map((r) => [r.IpProtocol, r.FromPort, r.ToPort, r.CidrIpv6 ?? r.ReferencedGroupInfo?.GroupId])).toEqual([['-1', -1, -1, '::/0'], ['tcp', 443, 443, id]]);
    await expectError(ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: id, IpPermissions: [{ IpProtocol: '-1', Ipv6Ranges: [{ CidrIpv6: '::/0' }] }] })),
      'InvalidPermission.Duplicate', 'the specified rule "peer: ::/0, ALL, ALLOW" already exists');

    const described = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [id] }))).SecurityGroups![0]!;
    expect(described.IpPermissions).toEqual([
      { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'ssh' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] },
      { IpProtocol: '-1', IpRanges: [], Ipv6Ranges: [{ CidrIpv6: '::/0' }], PrefixListIds: [], UserIdGroupPairs: [] },
      { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [{ GroupId: id, UserId: '123456789012' }] },
    ]);
    const open = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'ip-permission.cidr', Values: ['0.0.0.0/0'] }, { Name: 'ip-permission.from-port', Values: ['22'] }] }));
    expect(open.SecurityGroups!.map((g) => g.GroupId)).toEqual([id]);

    await expectError(ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: id, IpPermissions: [{ ...ssh, FromPort: 23, ToPort: 23 }] })),
      'InvalidPermission.NotFound', 'The specified rule does not exist in this security group.');
    const revoked = await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: id, IpPermissions: [ssh, { ...ssh, FromPort: 25, ToPort: 25 }] }));
    expect(revoked.RevokedSecurityGroupRules!.map((r) => r.SecurityGroupRuleId)).toEqual([SecurityGroupRules![0]!.SecurityGroupRuleId]);
    expect(revoked.UnknownIpPermissions).toEqual([{ IpProtocol: 'tcp', FromPort: 25, ToPort: 25, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'ssh' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] }]);
    const byRule = await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: id, SecurityGroupRuleIds: [all.SecurityGroupRules![0]!.SecurityGroupRuleId!] }));
    expect(byRule.Return).toBe(true);
    await expectError(ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: id, SecurityGroupRuleIds: ['sgr-00000000000000000'] })), 'InvalidSecurityGroupRuleId.NotFound');
  });

  it('manages egress rules', async () => {
    const id = await group('egress');
    const { SecurityGroupRules } = await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [id] }] }));
    expect(SecurityGroupRules!.map((r) => [r.IsEgress, r.IpProtocol, r.CidrIpv4])).toEqual([[true, '-1', '0.0.0.0/0']]);
    await ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: id, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    await expectError(ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId: id, IpPermissions: [{ IpProtocol: '-1', Ipv6Ranges: [{ CidrIpv6: '::/0' }] }] })),
      'InvalidPermission.NotFound', 'The specified rule does not exist in this security group.');
    await ec2.send(new AuthorizeSecurityGroupEgressCommand({ GroupId: id, IpPermissions: [{ IpProtocol: 'udp', FromPort: 53, ToPort: 53, IpRanges: [{ CidrIp: '10.0.0.2/32' }] }] }));
    expect((await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [id] }))).SecurityGroups![0]!.IpPermissionsEgress!.map((p) => [p.IpProtocol, p.FromPort])).toEqual([['udp', 53]]);
    const [failed] = await ec2Records(server, 'RevokeSecurityGroupEgress');
    expect(failed).toMatchObject({ errorCode: 'Client.InvalidPermission.NotFound', errorMessage: 'The specified rule does not exist in this security group.' });
  });

  it('describes rules by id and filter, tags them, and pages', async () => {
    const id = await group('rules');
    const ports = Array.from({ length: 6 }, (_, i) => 8000 + i);
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: id, IpPermissions: ports.map((p) => ({ IpProtocol: 'tcp', FromPort: p, ToPort: p, IpRanges: [{ CidrIp: '10.0.0.0/8' }] })) }));
    const first = await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [id] }], MaxResults: 5 }));
    const second = await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [id] }], MaxResults: 5, NextToken: first.NextToken }));
    expect(first.SecurityGroupRules).toHaveLength(5);
    expect(second.SecurityGroupRules).toHaveLength(2);
    expect(second.NextToken).toBeUndefined();
    const ruleId = first.SecurityGroupRules![0]!.SecurityGroupRuleId!;
    await ec2.send(new CreateTagsCommand({ Resources: [ruleId], Tags: [{ Key: 'purpose', Value: 'app' }] }));
    const tagged = await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'tag:purpose', Values: ['app'] }] }));
    expect(tagged.SecurityGroupRules!.map((r) => r.SecurityGroupRuleId)).toEqual([ruleId]);
    expect((await ec2.send(new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: [ruleId] }))).SecurityGroupRules![0]!.Tags).toEqual([{ Key: 'purpose', Value: 'app' }]);
    await expectError(ec2.send(new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: ['sgr-00000000000000000'] })), 'InvalidSecurityGroupRuleId.NotFound');
  });

  it('refuses to delete a group another group refers to, then deletes it', async () => {
    const target = await group('target');
    const source = await group('source');
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: source, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, UserIdGroupPairs: [{ GroupName: 'target' }] }] }));
    await expectError(ec2.send(new DeleteSecurityGroupCommand({ GroupId: target })), 'DependencyViolation', `resource ${target} has a dependent object`);
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId: source }));
    const deleted = await ec2.send(new DeleteSecurityGroupCommand({ GroupName: 'target' }));
    expect(deleted).toMatchObject({ Return: true, GroupId: target });
  });

  it('answers DryRun after authorisation, changes nothing, and records the attempt', async () => {
    const dry = await expectError(ec2.send(new CreateSecurityGroupCommand({ GroupName: 'dry', Description: 'dry', DryRun: true })), 'DryRunOperation',
      'Request would have succeeded, but DryRun flag is set.');
    expect(dry.$metadata?.httpStatusCode).toBe(412);
    await expectError(ec2.send(new DescribeSecurityGroupsCommand({ GroupNames: ['dry'] })), 'InvalidGroup.NotFound');
    const [record] = await ec2Records(server, 'CreateSecurityGroup');
    expect(record).toMatchObject({ errorCode: 'Client.DryRunOperation', requestParameters: { groupName: 'dry', groupDescription: 'dry', dryRun: true } });
  });

  it('records calls as EC2 does and hands every change to Config with its event', async () => {
    const id = await group('recorded');
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: id, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'TLS from Internet' }] }] }));
    const [record] = await ec2Records(server, 'AuthorizeSecurityGroupIngress');
    expect(record!.requestParameters).toEqual({
      groupId: id, ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 443, toPort: 443, ipRanges: { items: [{ cidrIp: '0.0.0.0/0', description: 'TLS from Internet' }] } }] },
    });
    expect(record!.responseElements).toEqual({
      requestId: record!.requestID, _return: true,
      securityGroupRuleSet: { items: [expect.objectContaining({ groupOwnerId: '123456789012', groupId: id, isEgress: false, ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '0.0.0.0/0', description: 'TLS from Internet' })] },
    });
    expect(record!.resources).toEqual([{ accountId: '123456789012', type: 'AWS::EC2::SecurityGroup', ARN: `arn:aws:ec2:us-east-1:123456789012:security-group/${id}` }]);
    const change = (await resourceChanges(server)).find((c) => c.eventId === record!.eventID);
    expect(change).toMatchObject({ resourceType: 'AWS::EC2::SecurityGroup', resourceId: id, resourceName: 'recorded', arn: `arn:aws:ec2:us-east-1:123456789012:security-group/${id}` });
    const [describe] = await ec2Records(server, 'DescribeSecurityGroups');
    expect(describe!.responseElements).toBeNull();
  });
});
