import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, spawnServer, type ServerProcess, awsCliEnv } from './helpers/cli.js';

const dataDir = mkdtempSync(join(tmpdir(), 'custos-ec2-cli-'));
let server: ServerProcess;
let aws: (args: string[]) => ReturnType<typeof run>;

beforeAll(async () => {
  server = await spawnServer(['--data-dir', dataDir]);
  const env = {
    ...awsCliEnv(server.url, join(dataDir, 'credentials')),
    AWS_MAX_ATTEMPTS: '1',
  };
  aws = (args) => run('aws', [...args, '--output', 'json'], env);
});
afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function json(args: string[]): Promise<any> {
  const result = await aws(args);
  expect(result.code, `aws ${args.join(' ')}\n${result.stderr}`).toBe(0);
  return result.stdout.trim() ? JSON.parse(result.stdout) : {};
}

describe('the aws CLI: an instance in a group opened to the world on port 22, then closed', () => {
  it('launches, opens, checks, closes; CloudTrail and the outbox tell the story', async () => {
    const { GroupId: groupId } = await json(['ec2', 'create-security-group', '--group-name', 'ssh-open', '--description', 'SSH from anywhere']);
    expect(groupId).toMatch(/^sg-[0-9a-f]{17}$/);

    const launched = await json(['ec2', 'run-instances', '--image-id', 'ami-0abcdef1234567890', '--count', '1', '--instance-type', 't3.micro',
      '--security-group-ids', groupId, '--tag-specifications', 'ResourceType=instance,Tags=[{Key=Name,Value=cli-box}]']);
    const instanceId = launched.Instances[0].InstanceId;
    expect(launched.Instances[0].State).toEqual({ Code: 0, Name: 'pending' });

    const opened = await json(['ec2', 'authorize-security-group-ingress', '--group-id', groupId, '--protocol', 'tcp', '--port', '22', '--cidr', '0.0.0.0/0']);
    expect(opened.Return).toBe(true);
    expect(opened.SecurityGroupRules).toEqual([expect.objectContaining({ GroupId: groupId, IsEgress: false, IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIpv4: '0.0.0.0/0' })]);

    const exposed = await json(['ec2', 'describe-instances', '--filters', `Name=instance.group-id,Values=${groupId}`, 'Name=instance-state-name,Values=running']);
    expect(exposed.Reservations[0].Instances.map((i: any) => [i.InstanceId, i.State.Name, i.Tags])).toEqual([[instanceId, 'running', [{ Key: 'Name', Value: 'cli-box' }]]]);
    const world = await json(['ec2', 'describe-security-groups', '--filters', 'Name=ip-permission.cidr,Values=0.0.0.0/0', 'Name=ip-permission.from-port,Values=22']);
    expect(world.SecurityGroups.map((g: any) => g.GroupId)).toEqual([groupId]);
    const rules = await json(['ec2', 'describe-security-group-rules', '--filters', `Name=group-id,Values=${groupId}`]);
    expect(rules.SecurityGroupRules.map((r: any) => [r.IsEgress, r.IpProtocol, r.CidrIpv4]).sort()).toEqual([[false, 'tcp', '0.0.0.0/0'], [true, '-1', '0.0.0.0/0']]);

    const badCidr = await aws(['ec2', 'authorize-security-group-ingress', '--group-id', groupId, '--protocol', 'tcp', '--port', '22', '--cidr', '0.0.0.0/33']);
    expect(badCidr.code).not.toBe(0);
    expect(badCidr.stderr).toContain('An error occurred (InvalidParameterValue) when calling the AuthorizeSecurityGroupIngress operation: CIDR block 0.0.0.0/33 is malformed');
    const unknown = await aws(['ec2', 'describe-instances', '--instance-ids', 'i-0123456789abcdef0']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain("An error occurred (InvalidInstanceID.NotFound) when calling the DescribeInstances operation: The instance ID 'i-0123456789abcdef0' does not exist");

    const closed = await json(['ec2', 'revoke-security-group-ingress', '--group-id', groupId, '--protocol', 'tcp', '--port', '22', '--cidr', '0.0.0.0/0']);
    expect(closed.Return).toBe(true);
    const after = await json(['ec2', 'describe-security-groups', '--group-ids', groupId]);
    expect(after.SecurityGroups[0].IpPermissions).toEqual([]);

    const lookup = await json(['cloudtrail', 'lookup-events', '--lookup-attributes', 'AttributeKey=EventSource,AttributeValue=ec2.amazonaws.com']);
    const records = lookup.Events.map((e: any) => JSON.parse(e.CloudTrailEvent)).reverse();
    const byName = (name: string) => records.filter((r: any) => r.eventName === name);
    expect(records.every((r: any) => r.userAgent.startsWith('aws-cli/') && r.userIdentity.type === 'Root' && r.awsRegion === 'us-east-1')).toBe(true);
    const [authorized, failed] = byName('AuthorizeSecurityGroupIngress');
    expect(authorized.requestParameters).toEqual({
      groupId, ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } }] },
    });
    expect(authorized.responseElements).toMatchObject({ _return: true, securityGroupRuleSet: { items: [{ groupId, cidrIpv4: '0.0.0.0/0', fromPort: 22 }] } });
    expect(failed).toMatchObject({ errorCode: 'Client.InvalidParameterValue', errorMessage: 'CIDR block 0.0.0.0/33 is malformed', responseElements: null });
    const [revoked] = byName('RevokeSecurityGroupIngress');
    expect(revoked.requestParameters.ipPermissions.items[0]).toMatchObject({ ipProtocol: 'tcp', fromPort: 22, toPort: 22, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } });
    const [launch] = byName('RunInstances');
    expect(launch.requestParameters).toMatchObject({ instancesSet: { items: [{ imageId: 'ami-0abcdef1234567890', minCount: 1, maxCount: 1 }] }, instanceType: 't3.micro', groupSet: { items: [{ groupId }] } });
    expect(byName('DescribeInstances').find((r: any) => r.errorCode)).toMatchObject({ errorCode: 'Client.InvalidInstanceID.NotFound', requestParameters: { instancesSet: { items: [{ instanceId: 'i-0123456789abcdef0' }] } } });

    const db = new Database(join(dataDir, 'custos.db'), { readonly: true });
    const entries = (db.prepare("SELECT payload FROM outbox WHERE kind = 'ResourceChanged' ORDER BY seq").all() as { payload: string }[]).map((r) => JSON.parse(r.payload));
    db.close();
    const groupChanges = entries.filter((e) => e.resourceId === groupId);
    expect(groupChanges.map((e) => e.eventId)).toEqual([byName('CreateSecurityGroup')[0].eventID, authorized.eventID, revoked.eventID]);
    expect(groupChanges.every((e) => e.resourceType === 'AWS::EC2::SecurityGroup' && e.resourceName === 'ssh-open')).toBe(true);
    expect(entries.find((e) => e.resourceId === instanceId)).toMatchObject({ resourceType: 'AWS::EC2::Instance', eventId: launch.eventID });
    expect(entries.some((e) => e.eventId === failed.eventID)).toBe(false);
  });
});
