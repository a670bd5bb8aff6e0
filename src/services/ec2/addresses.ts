/**
 * @module
 * Elastic IP addresses: AllocateAddress, ReleaseAddress, DescribeAddresses, AssociateAddress,
 * DisassociateAddress. An association lives on the network interface (and so on its instance);
 * an instance that had a public address from launch gets a new one when its Elastic IP leaves.
 */
import type {
  AllocateAddressCommandInput, AllocateAddressCommandOutput, AssociateAddressCommandInput, AssociateAddressCommandOutput,
  DescribeAddressesCommandInput, DescribeAddressesCommandOutput, DisassociateAddressCommandInput, DisassociateAddressCommandOutput,
  ReleaseAddressCommandInput, ReleaseAddressCommandOutput,
} from '@aws-sdk/client-ec2';
import type { CallContext, Handler, Out } from '../service.js';
import { Ec2Error, GatewayAttachmentError, IncorrectState, LimitExceeded, MissingParameter, ResourceNotFound } from './errors.js';
import { newEc2Id, newPublicIp } from './ids.js';
import { INSTANCES } from './instance-kind.js';
import { publicAssociation, refreshInstanceNetwork } from './instance-network.js';
import { ADDRESSES, NETWORK_INTERFACES, addressNotFound, type AddressDoc, type NetworkInterfaceDoc } from './interface-kinds.js';
import { VPCS } from './network-kinds.js';
import { describeResources, getResource, removeResource, resourcesWith, saveResource } from './resources.js';
import { tagsFor } from './tag-specs.js';

const MAX_ADDRESSES = 5;

/** The address a call names by AllocationId or PublicIp. */
async function addressNamed(ctx: CallContext, input: { AllocationId?: string; PublicIp?: string }): Promise<AddressDoc> {
  if (input.AllocationId !== undefined) return getResource(ctx, ADDRESSES, input.AllocationId);
  if (input.PublicIp === undefined) throw new MissingParameter('AllocationId');
  const [address] = await resourcesWith(ctx, ADDRESSES, 'public-ip', [input.PublicIp]);
  if (!address) throw addressNotFound(input.PublicIp);
  return address;
}

/** An interface with a public association (or none), its primary private address carrying it too. */
function withAssociation(eni: NetworkInterfaceDoc, association: NetworkInterfaceDoc['Association'] | undefined): NetworkInterfaceDoc {
  const { Association: _old, ...rest } = eni;
  return {
    ...rest, ...(association ? { Association: association } : {}),
    PrivateIpAddresses: eni.PrivateIpAddresses?.map(({ Association: _a, ...p }) => (p.Primary && association ? { ...p, Association: association } : p)),
  };
}

/** Takes an Elastic IP off its interface, giving back a launch-time public address where there was one. */
async function unassociate(ctx: CallContext, address: AddressDoc): Promise<void> {
  const eni = address.NetworkInterfaceId ? await ctx.tx.indexed.get<NetworkInterfaceDoc>(ctx.scope, NETWORK_INTERFACES.kind, address.NetworkInterfaceId) : undefined;
  if (eni) {
    const fresh = eni.$autoPublicIp ? publicAssociation(ctx, await getResource(ctx, VPCS, eni.VpcId), newPublicIp()) : undefined;
    await saveResource(ctx, NETWORK_INTERFACES, withAssociation(eni, fresh));
    if (eni.Attachment?.InstanceId) await refreshInstanceNetwork(ctx, eni.Attachment.InstanceId);
  }
  const { AssociationId: _a, InstanceId: _i, NetworkInterfaceId: _n, NetworkInterfaceOwnerId: _o, PrivateIpAddress: _p, ...released } = address;
  await saveResource(ctx, ADDRESSES, released);
}

/** AllocateAddress: a new Elastic IP for use in VPCs (five per region). */
export const allocateAddress: Handler<AllocateAddressCommandInput, Out<AllocateAddressCommandOutput>> = async (input, ctx) => {
  if ((await ctx.tx.indexed.query(ctx.scope, ADDRESSES.kind)).length >= MAX_ADDRESSES) {
    throw new LimitExceeded('AddressLimitExceeded', 'The maximum number of addresses has been reached.');
  }
  const address: AddressDoc = {
    AllocationId: newEc2Id('eipalloc'), PublicIp: newPublicIp(), Domain: 'vpc', PublicIpv4Pool: 'amazon',
    NetworkBorderGroup: input.NetworkBorderGroup ?? ctx.scope.region, Tags: tagsFor(input.TagSpecifications, 'elastic-ip'),
  };
  await saveResource(ctx, ADDRESSES, address);
  return { PublicIp: address.PublicIp, AllocationId: address.AllocationId, PublicIpv4Pool: 'amazon', NetworkBorderGroup: address.NetworkBorderGroup, Domain: 'vpc' };
};

/** ReleaseAddress: an Elastic IP that is not associated. */
export const releaseAddress: Handler<ReleaseAddressCommandInput, Out<ReleaseAddressCommandOutput>> = async (input, ctx) => {
  const address = await addressNamed(ctx, input);
  if (address.AssociationId) throw new Ec2Error('InvalidIPAddress.InUse', `The address with allocation id [${address.AllocationId}] is in use.`);
  await removeResource(ctx, ADDRESSES, address);
  return {};
};

/** DescribeAddresses: by public address, allocation id and filter. */
export const describeAddresses: Handler<DescribeAddressesCommandInput, Out<DescribeAddressesCommandOutput>> = async (input, ctx) => {
  for (const ip of input.PublicIps ?? []) await addressNamed(ctx, { PublicIp: ip });
  const where = input.PublicIps?.length ? [{ name: 'public-ip', values: input.PublicIps }] : [];
  const page = await describeResources(ctx, ADDRESSES, { ids: input.AllocationIds, filters: input.Filters, where }, { operation: 'DescribeAddresses' });
  return { Addresses: page.items };
};

/** AssociateAddress: an Elastic IP to an instance's primary interface or to an interface. */
export const associateAddress: Handler<AssociateAddressCommandInput, Out<AssociateAddressCommandOutput>> = async (input, ctx) => {
  const address = await addressNamed(ctx, input);
  let eni: NetworkInterfaceDoc;
  if (input.NetworkInterfaceId !== undefined) {
    eni = await getResource(ctx, NETWORK_INTERFACES, input.NetworkInterfaceId);
  } else if (input.InstanceId !== undefined) {
    const instance = await getResource(ctx, INSTANCES, input.InstanceId);
    if (instance.State.Name === 'terminated') throw new IncorrectState('IncorrectInstanceState', `The instance '${instance.InstanceId}' is not in a valid state for this operation.`);
    const [primary] = (await resourcesWith(ctx, NETWORK_INTERFACES, 'attachment.instance-id', [instance.InstanceId])).filter((n) => n.Attachment?.DeviceIndex === 0);
    if (!primary) throw new IncorrectState('IncorrectInstanceState', `The instance '${instance.InstanceId}' has no network interface.`);
    eni = primary;
  } else {
    throw new MissingParameter('InstanceId');
  }
  const reassociate = input.AllowReassociation ?? false;
  if (address.AssociationId && !reassociate) {
    throw new GatewayAttachmentError('Resource.AlreadyAssociated', `resource ${address.AllocationId} is already associated with associate-id ${address.AssociationId}`);
  }
  const holding = eni.Association?.AllocationId;
  if (holding && holding !== address.AllocationId && !reassociate) {
    throw new GatewayAttachmentError('Resource.AlreadyAssociated', `resource ${eni.NetworkInterfaceId} is already associated with ${holding}`);
  }
  if (address.AssociationId) await unassociate(ctx, address);
  if (holding && holding !== address.AllocationId) await unassociate(ctx, await getResource(ctx, ADDRESSES, holding));
  const current = await getResource(ctx, NETWORK_INTERFACES, eni.NetworkInterfaceId);
  const associationId = newEc2Id('eipassoc');
  const vpc = await getResource(ctx, VPCS, current.VpcId);
  await saveResource(ctx, NETWORK_INTERFACES, withAssociation(current, publicAssociation(ctx, vpc, address.PublicIp, ctx.scope.accountId, { AllocationId: address.AllocationId, AssociationId: associationId })));
  const instanceId = current.Attachment?.InstanceId;
  await saveResource(ctx, ADDRESSES, {
    ...address, AssociationId: associationId, NetworkInterfaceId: current.NetworkInterfaceId, NetworkInterfaceOwnerId: ctx.scope.accountId,
    PrivateIpAddress: input.PrivateIpAddress ?? current.PrivateIpAddress, ...(instanceId ? { InstanceId: instanceId } : {}),
  });
  if (instanceId) await refreshInstanceNetwork(ctx, instanceId);
  return { AssociationId: associationId };
};

/** DisassociateAddress: by association id (or public address). */
export const disassociateAddress: Handler<DisassociateAddressCommandInput, Out<DisassociateAddressCommandOutput>> = async (input, ctx) => {
  let address: AddressDoc | undefined;
  if (input.AssociationId !== undefined) {
    [address] = await resourcesWith(ctx, ADDRESSES, 'association-id', [input.AssociationId]);
    if (!address) throw new ResourceNotFound('InvalidAssociationID.NotFound', 'association ID', [input.AssociationId]);
  } else {
    address = await addressNamed(ctx, { PublicIp: input.PublicIp });
    if (!address.AssociationId) throw new ResourceNotFound('InvalidAssociationID.NotFound', 'association ID', [input.PublicIp ?? '']);
  }
  await unassociate(ctx, address);
  return {};
};
