/**
 * @module
 * Amazon EC2 (ec2Query): the default VPC of each region, VPCs, subnets, route tables, internet
 * gateways, network ACLs, security groups, instances, EBS volumes and snapshots, EBS encryption by
 * default, key pairs, Elastic IPs, network interfaces and tags. Every operation honours DryRun
 * (after authorisation) and makes the region's default VPC on first use.
 */
import type { Tag, TagSpecification } from '@aws-sdk/client-ec2';
import { formatArn } from '../../core/arn.js';
import type { Scope } from '../../core/scope.js';
import { loadModel, type ServiceModel } from '../../protocol/model.js';
import type { Handler, OperationSpec, ServiceDefinition } from '../service.js';
import { accountSettings } from './account-settings.js';
import { allocateAddress, associateAddress, describeAddresses, disassociateAddress, releaseAddress } from './addresses.js';
import { ec2RecordDetails } from './audit.js';
import {
  disableEbsEncryptionByDefault, enableEbsEncryptionByDefault, getEbsDefaultKmsKeyId, getEbsEncryptionByDefault, modifyEbsDefaultKmsKeyId,
  resetEbsDefaultKmsKeyId,
} from './ebs-encryption.js';
import { DryRunOperation, MissingParameter } from './errors.js';
import { describeInstanceAttribute, modifyInstanceAttribute } from './instance-attributes.js';
import { modifyInstanceMetadataOptions } from './instance-metadata.js';
import { describeInstanceStatus, describeInstances, rebootInstances, startInstances, stopInstances, terminateInstances } from './instance-states.js';
import {
  attachInternetGateway, createInternetGateway, deleteInternetGateway, describeInternetGateways, detachInternetGateway,
} from './internet-gateways.js';
import { createKeyPair, deleteKeyPair, describeKeyPairs, importKeyPair, prepareKeyPair } from './key-pairs.js';
import {
  createNetworkAcl, createNetworkAclEntry, deleteNetworkAcl, deleteNetworkAclEntry, describeNetworkAcls, replaceNetworkAclAssociation,
  replaceNetworkAclEntry,
} from './network-acls.js';
import {
  attachNetworkInterface, createNetworkInterface, deleteNetworkInterface, describeNetworkInterfaces, detachNetworkInterface,
  modifyNetworkInterfaceAttribute,
} from './network-interfaces.js';
import { describeAccountAttributes, describeAvailabilityZones, describeRegions } from './regions.js';
import {
  associateRouteTable, createRoute, createRouteTable, deleteRoute, deleteRouteTable, describeRouteTables, disassociateRouteTable, replaceRoute,
  replaceRouteTableAssociation,
} from './route-tables.js';
import { runInstances } from './run-instances.js';
import {
  authorizeSecurityGroupEgress, authorizeSecurityGroupIngress, describeSecurityGroupRules, revokeSecurityGroupEgress, revokeSecurityGroupIngress,
} from './security-group-permissions.js';
import { createSecurityGroup, deleteSecurityGroup, describeSecurityGroups } from './security-groups.js';
import {
  createSnapshot, deleteSnapshot, describeSnapshotAttribute, describeSnapshots, modifySnapshotAttribute, resetSnapshotAttribute,
} from './snapshots.js';
import { createSubnet, deleteSubnet, describeSubnets, modifySubnetAttribute } from './subnets.js';
import { createTags, deleteTags, describeTags } from './tags.js';
import { attachVolume, createVolume, deleteVolume, describeVolumes, detachVolume } from './volumes.js';
import {
  createDefaultVpcHandler, createVpc, deleteVpc, describeVpcAttribute, describeVpcs, modifyVpcAttribute,
} from './vpcs.js';

type Arns<I> = NonNullable<OperationSpec<I>['resources']>;

/** An EC2 operation: DryRun answered after authorisation, the region's defaults made on first use. */
function op<I extends object>(handler: Handler<I, unknown>, extra: Omit<OperationSpec<I>, 'handler'> = {}): OperationSpec<I> {
  return {
    ...extra,
    handler: async (input, ctx) => {
      if ((input as { DryRun?: boolean }).DryRun) throw new DryRunOperation();
      await accountSettings(ctx);
      return handler(input, ctx);
    },
  };
}

/** The ARN of an EC2 resource in a scope (`*` ids allowed). */
function arn(scope: Scope, type: string, id: string, withAccount = true): string {
  return formatArn({ service: 'ec2', region: scope.region, accountId: withAccount ? scope.accountId : '', resource: `${type}/${id}` });
}

const TYPES: Readonly<Record<string, string>> = {
  'i-': 'instance', 'vpc-': 'vpc', 'subnet-': 'subnet', 'sg-': 'security-group', 'sgr-': 'security-group-rule', 'rtb-': 'route-table',
  'igw-': 'internet-gateway', 'acl-': 'network-acl', 'eni-': 'network-interface', 'vol-': 'volume', 'eipalloc-': 'elastic-ip', 'key-': 'key-pair',
};

/** The ARN of a resource known only by its id. */
function arnOfId(scope: Scope, id: string): string {
  if (id.startsWith('snap-')) return arn(scope, 'snapshot', id, false);
  if (id.startsWith('ami-')) return arn(scope, 'image', id, false);
  const prefix = Object.keys(TYPES).find((p) => id.startsWith(p));
  return prefix ? arn(scope, TYPES[prefix]!, id) : '*';
}

const instanceArns: Arns<{ InstanceIds?: string[]; InstanceId?: string }> = (input, { scope }) =>
  (input.InstanceIds ?? (input.InstanceId ? [input.InstanceId] : [])).map((id) => arn(scope, 'instance', id));
const groupArn: Arns<{ GroupId?: string }> = (input, { scope }) => [input.GroupId ? arn(scope, 'security-group', input.GroupId) : '*'];
const byId = <I>(pick: (input: I) => string | undefined): Arns<I> => (input, { scope }) => {
  const id = pick(input);
  return [id ? arnOfId(scope, id) : '*'];
};

/** The aws:RequestTag/* and aws:TagKeys condition keys of the tags a call puts on. */
function requestTags(tags: readonly Tag[]): Record<string, string | string[]> {
  const keys: Record<string, string | string[]> = {};
  for (const tag of tags) keys[`aws:RequestTag/${tag.Key}`] = tag.Value ?? '';
  if (tags.length) keys['aws:TagKeys'] = tags.map((t) => t.Key ?? '');
  return keys;
}
const specTags = (input: { TagSpecifications?: TagSpecification[] }) => requestTags((input.TagSpecifications ?? []).flatMap((s) => s.Tags ?? []));

/** MissingParameter names the member as it goes on the wire; the message only has its model path (unique among required members). */
function missingParameter(model: ServiceModel): (messages: string[]) => MissingParameter {
  const wireNames = new Map<string, string>();
  for (const operation of model.operations.values()) {
    for (const member of operation.input?.members ?? []) {
      if (!operation.input!.required.has(member.name)) continue;
      const name = member.queryName ?? (member.locationName ? member.locationName.charAt(0).toUpperCase() + member.locationName.slice(1) : member.name);
      wireNames.set(member.name.charAt(0).toLowerCase() + member.name.slice(1), name);
    }
  }
  return (messages) => {
    const path = /at '([^']+)'/.exec(messages[0] ?? '')?.[1] ?? '';
    const last = path.split('.').pop() ?? '';
    return new MissingParameter(wireNames.get(path) ?? last.charAt(0).toUpperCase() + last.slice(1));
  };
}

/** The EC2 service definition. */
export function ec2Service(): ServiceDefinition {
  const model = loadModel('ec2');
  return {
    model,
    eventSource: 'ec2.amazonaws.com',
    errorStyle: 'ec2',
    auditStyle: 'ec2',
    recordDetails: ec2RecordDetails,
    validationError: missingParameter(model),
    operations: {
      AllocateAddress: op(allocateAddress, { conditions: specTags }),
      AssociateAddress: op(associateAddress, { resources: byId((i) => i.AllocationId) }),
      AssociateRouteTable: op(associateRouteTable, { resources: byId((i) => i.RouteTableId) }),
      AttachInternetGateway: op(attachInternetGateway, { resources: byId((i) => i.InternetGatewayId) }),
      AttachNetworkInterface: op(attachNetworkInterface, { resources: byId((i) => i.NetworkInterfaceId) }),
      AttachVolume: op(attachVolume, { resources: (i, c) => [...byId<typeof i>((x) => x.VolumeId)(i, c), ...instanceArns(i, c)] }),
      AuthorizeSecurityGroupEgress: op(authorizeSecurityGroupEgress, { resources: groupArn }),
      AuthorizeSecurityGroupIngress: op(authorizeSecurityGroupIngress, { resources: groupArn }),
      CreateDefaultVpc: op(createDefaultVpcHandler),
      CreateInternetGateway: op(createInternetGateway, { conditions: specTags }),
      CreateKeyPair: op(createKeyPair, { prepare: prepareKeyPair, conditions: specTags }),
      CreateNetworkAcl: op(createNetworkAcl, { conditions: specTags }),
      CreateNetworkAclEntry: op(createNetworkAclEntry, { resources: byId((i) => i.NetworkAclId) }),
      CreateNetworkInterface: op(createNetworkInterface, { resources: byId((i) => i.SubnetId), conditions: specTags }),
      CreateRoute: op(createRoute, { resources: byId((i) => i.RouteTableId) }),
      CreateRouteTable: op(createRouteTable, { conditions: specTags }),
      CreateSecurityGroup: op(createSecurityGroup, { conditions: specTags }),
      CreateSnapshot: op(createSnapshot, { resources: byId((i) => i.VolumeId), conditions: specTags }),
      CreateSubnet: op(createSubnet, { resources: byId((i) => i.VpcId), conditions: specTags }),
      CreateTags: op(createTags, { resources: (i, { scope }) => (i.Resources ?? []).map((id) => arnOfId(scope, id)), conditions: (i) => requestTags(i.Tags ?? []) }),
      CreateVolume: op(createVolume, { conditions: specTags }),
      CreateVpc: op(createVpc, { conditions: specTags }),
      DeleteInternetGateway: op(deleteInternetGateway, { resources: byId((i) => i.InternetGatewayId) }),
      DeleteKeyPair: op(deleteKeyPair, { resources: (i, { scope }) => [i.KeyName ? arn(scope, 'key-pair', i.KeyName) : '*'] }),
      DeleteNetworkAcl: op(deleteNetworkAcl, { resources: byId((i) => i.NetworkAclId) }),
      DeleteNetworkAclEntry: op(deleteNetworkAclEntry, { resources: byId((i) => i.NetworkAclId) }),
      DeleteNetworkInterface: op(deleteNetworkInterface, { resources: byId((i) => i.NetworkInterfaceId) }),
      DeleteRoute: op(deleteRoute, { resources: byId((i) => i.RouteTableId) }),
      DeleteRouteTable: op(deleteRouteTable, { resources: byId((i) => i.RouteTableId) }),
      DeleteSecurityGroup: op(deleteSecurityGroup, { resources: groupArn }),
      DeleteSnapshot: op(deleteSnapshot, { resources: byId((i) => i.SnapshotId) }),
      DeleteSubnet: op(deleteSubnet, { resources: byId((i) => i.SubnetId) }),
      DeleteTags: op(deleteTags, { resources: (i, { scope }) => (i.Resources ?? []).map((id) => arnOfId(scope, id)) }),
      DeleteVolume: op(deleteVolume, { resources: byId((i) => i.VolumeId) }),
      DeleteVpc: op(deleteVpc, { resources: byId((i) => i.VpcId) }),
      DescribeAccountAttributes: op(describeAccountAttributes),
      DescribeAddresses: op(describeAddresses),
      DescribeAvailabilityZones: op(describeAvailabilityZones),
      DescribeInstanceAttribute: op(describeInstanceAttribute, { resources: instanceArns }),
      DescribeInstanceStatus: op(describeInstanceStatus),
      DescribeInstances: op(describeInstances),
      DescribeInternetGateways: op(describeInternetGateways),
      DescribeKeyPairs: op(describeKeyPairs),
      DescribeNetworkAcls: op(describeNetworkAcls),
      DescribeNetworkInterfaces: op(describeNetworkInterfaces),
      DescribeRegions: op(describeRegions),
      DescribeRouteTables: op(describeRouteTables),
      DescribeSecurityGroupRules: op(describeSecurityGroupRules),
      DescribeSecurityGroups: op(describeSecurityGroups),
      DescribeSnapshotAttribute: op(describeSnapshotAttribute, { resources: byId((i) => i.SnapshotId) }),
      DescribeSnapshots: op(describeSnapshots),
      DescribeSubnets: op(describeSubnets),
      DescribeTags: op(describeTags),
      DescribeVolumes: op(describeVolumes),
      DescribeVpcAttribute: op(describeVpcAttribute, { resources: byId((i) => i.VpcId) }),
      DescribeVpcs: op(describeVpcs),
      DetachInternetGateway: op(detachInternetGateway, { resources: byId((i) => i.InternetGatewayId) }),
      DetachNetworkInterface: op(detachNetworkInterface),
      DetachVolume: op(detachVolume, { resources: byId((i) => i.VolumeId) }),
      DisableEbsEncryptionByDefault: op(disableEbsEncryptionByDefault),
      DisassociateAddress: op(disassociateAddress),
      DisassociateRouteTable: op(disassociateRouteTable),
      EnableEbsEncryptionByDefault: op(enableEbsEncryptionByDefault),
      GetEbsDefaultKmsKeyId: op(getEbsDefaultKmsKeyId),
      GetEbsEncryptionByDefault: op(getEbsEncryptionByDefault),
      ImportKeyPair: op(importKeyPair, { conditions: specTags }),
      ModifyEbsDefaultKmsKeyId: op(modifyEbsDefaultKmsKeyId),
      ModifyInstanceAttribute: op(modifyInstanceAttribute, { resources: instanceArns }),
      ModifyInstanceMetadataOptions: op(modifyInstanceMetadataOptions, { resources: instanceArns }),
      ModifyNetworkInterfaceAttribute: op(modifyNetworkInterfaceAttribute, { resources: byId((i) => i.NetworkInterfaceId) }),
      ModifySnapshotAttribute: op(modifySnapshotAttribute, { resources: byId((i) => i.SnapshotId) }),
      ModifySubnetAttribute: op(modifySubnetAttribute, { resources: byId((i) => i.SubnetId) }),
      ModifyVpcAttribute: op(modifyVpcAttribute, { resources: byId((i) => i.VpcId) }),
      RebootInstances: op(rebootInstances, { resources: instanceArns }),
      ReleaseAddress: op(releaseAddress, { resources: byId((i) => i.AllocationId) }),
      ReplaceNetworkAclAssociation: op(replaceNetworkAclAssociation, { resources: byId((i) => i.NetworkAclId) }),
      ReplaceNetworkAclEntry: op(replaceNetworkAclEntry, { resources: byId((i) => i.NetworkAclId) }),
      ReplaceRoute: op(replaceRoute, { resources: byId((i) => i.RouteTableId) }),
      ReplaceRouteTableAssociation: op(replaceRouteTableAssociation, { resources: byId((i) => i.RouteTableId) }),
      ResetEbsDefaultKmsKeyId: op(resetEbsDefaultKmsKeyId),
      ResetSnapshotAttribute: op(resetSnapshotAttribute, { resources: byId((i) => i.SnapshotId) }),
      RevokeSecurityGroupEgress: op(revokeSecurityGroupEgress, { resources: groupArn }),
      RevokeSecurityGroupIngress: op(revokeSecurityGroupIngress, { resources: groupArn }),
      RunInstances: op(runInstances, {
        resources: (i, { scope }) => [
          arn(scope, 'instance', '*'), ...(i.ImageId ? [arn(scope, 'image', i.ImageId, false)] : []), ...(i.SubnetId ? [arn(scope, 'subnet', i.SubnetId)] : []),
          ...(i.SecurityGroupIds ?? []).map((id) => arn(scope, 'security-group', id)), arn(scope, 'network-interface', '*'), arn(scope, 'volume', '*'),
          ...(i.KeyName ? [arn(scope, 'key-pair', i.KeyName)] : []),
        ],
        conditions: specTags,
      }),
      StartInstances: op(startInstances, { resources: instanceArns }),
      StopInstances: op(stopInstances, { resources: instanceArns }),
      TerminateInstances: op(terminateInstances, { resources: instanceArns }),
    },
  };
}
