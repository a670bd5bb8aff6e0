/**
 * @module
 * Network interfaces: CreateNetworkInterface, DeleteNetworkInterface, DescribeNetworkInterfaces,
 * AttachNetworkInterface, DetachNetworkInterface, ModifyNetworkInterfaceAttribute.
 */
import type {
  AttachNetworkInterfaceCommandInput, AttachNetworkInterfaceCommandOutput, CreateNetworkInterfaceCommandInput, CreateNetworkInterfaceCommandOutput,
  DeleteNetworkInterfaceCommandInput, DeleteNetworkInterfaceCommandOutput, DescribeNetworkInterfacesCommandInput, DescribeNetworkInterfacesCommandOutput,
  DetachNetworkInterfaceCommandInput, DetachNetworkInterfaceCommandOutput, ModifyNetworkInterfaceAttributeCommandInput,
  ModifyNetworkInterfaceAttributeCommandOutput, NetworkInterface, NetworkInterfaceStatus,
} from '@aws-sdk/client-ec2';
import type { Handler, Out } from '../service.js';
import { Ec2Error, IncorrectState, InvalidParameterCombination, InvalidParameterValue, OperationNotPermitted, ResourceNotFound } from './errors.js';
import { INSTANCES } from './instance-kind.js';
import { attachInterface, newInterface, refreshInstanceNetwork } from './instance-network.js';
import { NETWORK_INTERFACES, type NetworkInterfaceDoc } from './interface-kinds.js';
import { SUBNETS, VPCS } from './network-kinds.js';
import { asOutput, describeResources, getResource, removeResource, resourcesWith, saveResource } from './resources.js';
import { groupsInVpc } from './security-groups.js';
import { allocateAddresses, releaseAddresses } from './subnets.js';
import { tagsFor } from './tag-specs.js';

function inUse(eni: NetworkInterfaceDoc): Ec2Error {
  return new Ec2Error('InvalidNetworkInterface.InUse', `The network interface '${eni.NetworkInterfaceId}' is currently in use.`);
}

/** CreateNetworkInterface: an available interface in a subnet, with the VPC's default group unless others are named. */
export const createNetworkInterface: Handler<CreateNetworkInterfaceCommandInput, Out<CreateNetworkInterfaceCommandOutput>> = async (input, ctx) => {
  const subnet = await getResource(ctx, SUBNETS, input.SubnetId ?? '');
  const vpc = await getResource(ctx, VPCS, subnet.VpcId);
  const groups = await groupsInVpc(ctx, vpc.VpcId, input.Groups);
  const [address] = await allocateAddresses(ctx, subnet, 1, input.PrivateIpAddress);
  const eni = newInterface(ctx, { subnet, vpc, address: address!, groups, description: input.Description, tags: tagsFor(input.TagSpecifications, 'network-interface') });
  await saveResource(ctx, NETWORK_INTERFACES, eni);
  return { NetworkInterface: asOutput<NetworkInterface>({ ...eni, Status: 'pending' as NetworkInterfaceStatus }) };
};

/** DeleteNetworkInterface: an interface that is not attached. */
export const deleteNetworkInterface: Handler<DeleteNetworkInterfaceCommandInput, Out<DeleteNetworkInterfaceCommandOutput>> = async (input, ctx) => {
  const eni = await getResource(ctx, NETWORK_INTERFACES, input.NetworkInterfaceId ?? '');
  if (eni.Attachment) throw inUse(eni);
  await removeResource(ctx, NETWORK_INTERFACES, eni);
  await releaseAddresses(ctx, eni.SubnetId, eni.PrivateIpAddresses?.length ?? 1);
  return {};
};

/** DescribeNetworkInterfaces: by id and filter, paged. */
export const describeNetworkInterfaces: Handler<DescribeNetworkInterfacesCommandInput, Out<DescribeNetworkInterfacesCommandOutput>> = async (input, ctx) => {
  const page = await describeResources(ctx, NETWORK_INTERFACES, {
    ids: input.NetworkInterfaceIds, filters: input.Filters, maxResults: input.MaxResults, nextToken: input.NextToken,
  }, { operation: 'DescribeNetworkInterfaces' });
  return { NetworkInterfaces: page.items.map((n) => asOutput<NetworkInterface>(n)), NextToken: page.nextToken };
};

/** AttachNetworkInterface: an available interface to an instance in its zone, at a free device index. */
export const attachNetworkInterface: Handler<AttachNetworkInterfaceCommandInput, Out<AttachNetworkInterfaceCommandOutput>> = async (input, ctx) => {
  const eni = await getResource(ctx, NETWORK_INTERFACES, input.NetworkInterfaceId ?? '');
  const instance = await getResource(ctx, INSTANCES, input.InstanceId ?? '');
  const index = input.DeviceIndex ?? 0;
  if (eni.Attachment) throw inUse(eni);
  if (instance.State.Name === 'terminated') throw new IncorrectState('IncorrectInstanceState', `The instance '${instance.InstanceId}' is not in a valid state for this operation.`);
  if (eni.AvailabilityZone !== instance.Placement?.AvailabilityZone) {
    throw new InvalidParameterCombination('You may not attach a network interface to an instance if they are not in the same availability zone');
  }
  if ((await resourcesWith(ctx, NETWORK_INTERFACES, 'attachment.instance-id', [instance.InstanceId])).some((n) => n.Attachment?.DeviceIndex === index)) {
    throw new InvalidParameterValue(`Instance '${instance.InstanceId}' already has an interface attached at device index '${index}'.`);
  }
  const attached = attachInterface(ctx, eni, instance.InstanceId, index, false);
  await saveResource(ctx, NETWORK_INTERFACES, attached);
  await refreshInstanceNetwork(ctx, instance.InstanceId);
  return { AttachmentId: attached.Attachment!.AttachmentId, NetworkCardIndex: 0 };
};

/** DetachNetworkInterface: a secondary interface from its instance (the primary one stays). */
export const detachNetworkInterface: Handler<DetachNetworkInterfaceCommandInput, Out<DetachNetworkInterfaceCommandOutput>> = async (input, ctx) => {
  const id = input.AttachmentId ?? '';
  const [eni] = await resourcesWith(ctx, NETWORK_INTERFACES, '$attachment-id', [id]);
  if (!eni) throw new ResourceNotFound('InvalidAttachmentID.NotFound', 'interface attachment', [id], true);
  if (eni.Attachment?.DeviceIndex === 0) throw new OperationNotPermitted('The network interface at device index 0 and networkCard index 0 cannot be detached.');
  const { Attachment: attachment, ...detached } = eni;
  await saveResource(ctx, NETWORK_INTERFACES, { ...detached, Status: 'available' });
  await refreshInstanceNetwork(ctx, attachment!.InstanceId!);
  return {};
};

/** ModifyNetworkInterfaceAttribute: groups, source/destination check, description, delete-on-termination. */
export const modifyNetworkInterfaceAttribute: Handler<ModifyNetworkInterfaceAttributeCommandInput, Out<ModifyNetworkInterfaceAttributeCommandOutput>> = async (input, ctx) => {
  const eni = await getResource(ctx, NETWORK_INTERFACES, input.NetworkInterfaceId ?? '');
  const updated: NetworkInterfaceDoc = { ...eni };
  if (input.Groups?.length) updated.Groups = await groupsInVpc(ctx, eni.VpcId, input.Groups);
  if (input.SourceDestCheck?.Value !== undefined) updated.SourceDestCheck = input.SourceDestCheck.Value;
  if (input.Description?.Value !== undefined) updated.Description = input.Description.Value;
  if (input.Attachment?.DeleteOnTermination !== undefined && eni.Attachment) {
    if (input.Attachment.AttachmentId !== eni.Attachment.AttachmentId) throw new ResourceNotFound('InvalidAttachmentID.NotFound', 'interface attachment', [input.Attachment.AttachmentId ?? ''], true);
    updated.Attachment = { ...eni.Attachment, DeleteOnTermination: input.Attachment.DeleteOnTermination };
  }
  await saveResource(ctx, NETWORK_INTERFACES, updated);
  if (eni.Attachment?.InstanceId) await refreshInstanceNetwork(ctx, eni.Attachment.InstanceId);
  return {};
};
