/**
 * @module
 * Security group rules. A group stores one rule per target (CIDR, IPv6 CIDR, prefix list or
 * referenced group), each with its own `sgr-` id, as DescribeSecurityGroupRules shows them; the
 * IpPermissions of DescribeSecurityGroups are grouped from them. Pure functions.
 */
import type { IpPermission, SecurityGroupRule } from '@aws-sdk/client-ec2';
import { isCidr6, parseCidr4 } from './cidr.js';
import { InvalidParameterValue } from './errors.js';
import { newEc2Id } from './ids.js';

/** Protocol numbers EC2 shows by name. */
const PROTOCOL_NAMES: Record<string, string> = { '6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'icmpv6' };
const NAMED = new Set(['tcp', 'udp', 'icmp', 'icmpv6']);

/** A rule's protocol as EC2 stores it: `tcp`, `udp`, `icmp`, `icmpv6`, `-1` (all) or a protocol number. */
function normalizeProtocol(value: string | undefined): string {
  if (value === undefined) throw new InvalidParameterValue("Invalid value 'null' for protocol. VPC security group rules must specify protocols explicitly.");
  const lower = value.toLowerCase();
  if (lower === '-1' || lower === 'all') return '-1';
  if (NAMED.has(lower)) return lower;
  if (/^\d{1,3}$/.test(value) && Number(value) <= 255) return PROTOCOL_NAMES[String(Number(value))] ?? String(Number(value));
  throw new InvalidParameterValue(`Invalid value '${value}' for IP protocol. Unknown protocol.`);
}

/** The ports of a rule: both required and in 0-65535 for TCP/UDP; -1 for every other protocol but ICMP. */
function ports(protocol: string, from: number | undefined, to: number | undefined): { FromPort: number; ToPort: number } {
  if (protocol === 'tcp' || protocol === 'udp') {
    if (from === undefined || to === undefined) throw new InvalidParameterValue('Invalid value for portRange. Must specify both from and to ports with TCP/UDP.');
    if (from < 0 || to > 65535 || from > to) throw new InvalidParameterValue(`Invalid value '${from}-${to}' for portRange. Must be within 0-65535, from no greater than to.`);
    return { FromPort: from, ToPort: to };
  }
  if (protocol === 'icmp' || protocol === 'icmpv6') return { FromPort: from ?? -1, ToPort: to ?? -1 };
  return { FromPort: -1, ToPort: -1 };
}

/** What a rule allows traffic from (ingress) or to (egress). */
type RuleTarget =
  | { CidrIpv4: string }
  | { CidrIpv6: string }
  | { PrefixListId: string }
  | { ReferencedGroupInfo: { GroupId: string; UserId: string } };

/** A rule before it has an id: what AuthorizeSecurityGroup* and Revoke* compare. */
export interface RuleSpec {
  readonly IsEgress: boolean;
  readonly IpProtocol: string;
  readonly FromPort: number;
  readonly ToPort: number;
  readonly target: RuleTarget;
  readonly Description?: string;
}

/** How referenced groups in a permission resolve to ids (by id or by name, in the group's VPC). */
export type GroupResolver = (pair: { GroupId?: string; GroupName?: string; UserId?: string }) => { GroupId: string; UserId: string };

/** The rule specs of a list of IpPermissions, one per target, checked as EC2 checks them. */
export function ruleSpecs(permissions: readonly IpPermission[], egress: boolean, resolveGroup: GroupResolver): RuleSpec[] {
  const specs: RuleSpec[] = [];
  for (const permission of permissions) {
    const protocol = normalizeProtocol(permission.IpProtocol);
    const range = ports(protocol, permission.FromPort, permission.ToPort);
    const base = { IsEgress: egress, IpProtocol: protocol, ...range };
    for (const r of permission.IpRanges ?? []) {
      const cidr = r.CidrIp ?? '';
      if (!parseCidr4(cidr)) throw new InvalidParameterValue(`CIDR block ${cidr} is malformed`);
      specs.push({ ...base, target: { CidrIpv4: cidr }, Description: r.Description });
    }
    for (const r of permission.Ipv6Ranges ?? []) {
      const cidr = r.CidrIpv6 ?? '';
      if (!isCidr6(cidr)) throw new InvalidParameterValue(`CIDR block ${cidr} is malformed`);
      specs.push({ ...base, target: { CidrIpv6: cidr }, Description: r.Description });
    }
    for (const p of permission.PrefixListIds ?? []) specs.push({ ...base, target: { PrefixListId: p.PrefixListId ?? '' }, Description: p.Description });
    for (const pair of permission.UserIdGroupPairs ?? []) specs.push({ ...base, target: { ReferencedGroupInfo: resolveGroup(pair) }, Description: pair.Description });
  }
  const keys = specs.map(ruleKey);
  if (new Set(keys).size !== keys.length) throw new InvalidParameterValue('The same permission must not appear multiple times');
  return specs;
}

/** A rule's target as EC2 names it in messages (a CIDR, a prefix list or a group id). */
function peer(target: RuleTarget): string {
  if ('CidrIpv4' in target) return target.CidrIpv4;
  if ('CidrIpv6' in target) return target.CidrIpv6;
  if ('PrefixListId' in target) return target.PrefixListId;
  return target.ReferencedGroupInfo.GroupId;
}

/** What makes two rules the same: direction, protocol, ports and target (not the description). */
export function ruleKey(rule: Pick<RuleSpec, 'IsEgress' | 'IpProtocol' | 'FromPort' | 'ToPort' | 'target'>): string {
  return [rule.IsEgress ? 'egress' : 'ingress', rule.IpProtocol, rule.FromPort, rule.ToPort, peer(rule.target)].join('|');
}

/** A rule as EC2 describes it in InvalidPermission.Duplicate: `peer: 0.0.0.0/0, TCP, from port: 22, to port: 22, ALLOW`. */
export function describeRule(rule: RuleSpec): string {
  const who = `peer: ${peer(rule.target)}`;
  switch (rule.IpProtocol) {
    case '-1':
      return `${who}, ALL, ALLOW`;
    case 'tcp':
    case 'udp':
      return `${who}, ${rule.IpProtocol.toUpperCase()}, from port: ${rule.FromPort}, to port: ${rule.ToPort}, ALLOW`;
    case 'icmp':
    case 'icmpv6':
      return `${who}, ${rule.IpProtocol.toUpperCase()}, type: ${rule.FromPort}, code: ${rule.ToPort}, ALLOW`;
    default:
      return `${who}, protocol: ${rule.IpProtocol}, ALLOW`;
  }
}

/** The target of a stored rule. */
function targetOf(rule: SecurityGroupRule): RuleTarget {
  if (rule.CidrIpv4) return { CidrIpv4: rule.CidrIpv4 };
  if (rule.CidrIpv6) return { CidrIpv6: rule.CidrIpv6 };
  if (rule.PrefixListId) return { PrefixListId: rule.PrefixListId };
  return { ReferencedGroupInfo: { GroupId: rule.ReferencedGroupInfo?.GroupId ?? '', UserId: rule.ReferencedGroupInfo?.UserId ?? '' } };
}

/** The comparison key of a stored rule. */
export function storedRuleKey(rule: SecurityGroupRule): string {
  return ruleKey({ IsEgress: rule.IsEgress ?? false, IpProtocol: rule.IpProtocol ?? '-1', FromPort: rule.FromPort ?? -1, ToPort: rule.ToPort ?? -1, target: targetOf(rule) });
}

/** A new stored rule for a spec. */
export function newRule(spec: RuleSpec, group: { GroupId: string; OwnerId: string; Arn: (ruleId: string) => string }): SecurityGroupRule {
  const id = newEc2Id('sgr');
  return {
    SecurityGroupRuleId: id,
    GroupId: group.GroupId,
    GroupOwnerId: group.OwnerId,
    IsEgress: spec.IsEgress,
    IpProtocol: spec.IpProtocol,
    FromPort: spec.FromPort,
    ToPort: spec.ToPort,
    ...spec.target,
    ...(spec.Description !== undefined ? { Description: spec.Description } : {}),
    Tags: [],
    SecurityGroupRuleArn: group.Arn(id),
  };
}

/** The IpPermissions view of rules in one direction: grouped by protocol and ports, in rule order. */
export function permissionsOf(rules: readonly SecurityGroupRule[], egress: boolean): IpPermission[] {
  const grouped = new Map<string, IpPermission>();
  for (const rule of rules) {
    if ((rule.IsEgress ?? false) !== egress) continue;
    const key = `${rule.IpProtocol}|${rule.FromPort}|${rule.ToPort}`;
    let permission = grouped.get(key);
    if (!permission) {
      const all = rule.IpProtocol === '-1';
      permission = {
        IpProtocol: rule.IpProtocol,
        ...(all ? {} : { FromPort: rule.FromPort, ToPort: rule.ToPort }),
        UserIdGroupPairs: [], IpRanges: [], Ipv6Ranges: [], PrefixListIds: [],
      };
      grouped.set(key, permission);
    }
    const description = rule.Description !== undefined ? { Description: rule.Description } : {};
    if (rule.CidrIpv4) permission.IpRanges!.push({ CidrIp: rule.CidrIpv4, ...description });
    else if (rule.CidrIpv6) permission.Ipv6Ranges!.push({ CidrIpv6: rule.CidrIpv6, ...description });
    else if (rule.PrefixListId) permission.PrefixListIds!.push({ PrefixListId: rule.PrefixListId, ...description });
    else if (rule.ReferencedGroupInfo) permission.UserIdGroupPairs!.push({ GroupId: rule.ReferencedGroupInfo.GroupId, UserId: rule.ReferencedGroupInfo.UserId, ...description });
  }
  return [...grouped.values()];
}
