/**
 * @module
 * Security groups as stored: the SDK shape, whose IpPermissions are grouped from the group's rules
 * (`$rules`, the source of truth), with their Describe filters.
 */
import type { SecurityGroup, SecurityGroupRule } from '@aws-sdk/client-ec2';
import { formatArn } from '../../core/arn.js';
import type { Scope } from '../../core/scope.js';
import { InvalidGroupNotFound, ResourceNotFound } from './errors.js';
import type { ResourceKind } from './resources.js';
import { permissionsOf } from './security-group-rules.js';

/** A security group as stored. */
export interface SecurityGroupDoc extends SecurityGroup {
  GroupId: string;
  GroupName: string;
  VpcId: string;
  $rules: SecurityGroupRule[];
}

/** The ARN of a security group rule. */
export function ruleArn(scope: Scope, ruleId: string): string {
  return formatArn({ service: 'ec2', region: scope.region, accountId: scope.accountId, resource: `security-group-rule/${ruleId}` });
}

/** The group with these rules, its IpPermissions regrouped. */
export function withRules(group: SecurityGroupDoc, rules: SecurityGroupRule[]): SecurityGroupDoc {
  return { ...group, $rules: rules, IpPermissions: permissionsOf(rules, false), IpPermissionsEgress: permissionsOf(rules, true) };
}

const ingress = (g: SecurityGroupDoc) => g.$rules.filter((r) => !r.IsEgress);
const egress = (g: SecurityGroupDoc) => g.$rules.filter((r) => r.IsEgress);

/** Security groups. */
export const SECURITY_GROUPS: ResourceKind<SecurityGroupDoc> = {
  kind: 'ec2.security-group',
  id: (g) => g.GroupId,
  arnType: 'security-group',
  resourceType: 'AWS::EC2::SecurityGroup',
  name: (g) => g.GroupName,
  tags: (g) => g.Tags,
  notFound: (ids) => new InvalidGroupNotFound(ids.join(', ')),
  lookups: (g) => ({
    '$rule-id': g.$rules.map((r) => r.SecurityGroupRuleId!),
    '$references': g.$rules.flatMap((r) => (r.ReferencedGroupInfo?.GroupId ? [r.ReferencedGroupInfo.GroupId] : [])),
  }),
  filters: {
    'description': (g) => g.Description,
    'egress.ip-permission.cidr': (g) => egress(g).map((r) => r.CidrIpv4),
    'egress.ip-permission.from-port': (g) => egress(g).map((r) => r.FromPort),
    'egress.ip-permission.group-id': (g) => egress(g).map((r) => r.ReferencedGroupInfo?.GroupId),
    'egress.ip-permission.ipv6-cidr': (g) => egress(g).map((r) => r.CidrIpv6),
    'egress.ip-permission.prefix-list-id': (g) => egress(g).map((r) => r.PrefixListId),
    'egress.ip-permission.protocol': (g) => egress(g).map((r) => r.IpProtocol),
    'egress.ip-permission.to-port': (g) => egress(g).map((r) => r.ToPort),
    'egress.ip-permission.user-id': (g) => egress(g).map((r) => r.ReferencedGroupInfo?.UserId),
    'group-id': (g) => g.GroupId,
    'group-name': (g) => g.GroupName,
    'ip-permission.cidr': (g) => ingress(g).map((r) => r.CidrIpv4),
    'ip-permission.from-port': (g) => ingress(g).map((r) => r.FromPort),
    'ip-permission.group-id': (g) => ingress(g).map((r) => r.ReferencedGroupInfo?.GroupId),
    'ip-permission.ipv6-cidr': (g) => ingress(g).map((r) => r.CidrIpv6),
    'ip-permission.prefix-list-id': (g) => ingress(g).map((r) => r.PrefixListId),
    'ip-permission.protocol': (g) => ingress(g).map((r) => r.IpProtocol),
    'ip-permission.to-port': (g) => ingress(g).map((r) => r.ToPort),
    'ip-permission.user-id': (g) => ingress(g).map((r) => r.ReferencedGroupInfo?.UserId),
    'owner-id': (g) => g.OwnerId,
    'vpc-id': (g) => g.VpcId,
  },
};

/** The error for security group rule ids that do not exist. */
export function ruleNotFound(ids: readonly string[]): ResourceNotFound {
  return new ResourceNotFound('InvalidSecurityGroupRuleId.NotFound', 'security group rule ID', ids);
}
