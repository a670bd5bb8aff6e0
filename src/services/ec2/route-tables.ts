/**
 * @module
 * Route tables and routes: CreateRouteTable, DeleteRouteTable, DescribeRouteTables, CreateRoute,
 * ReplaceRoute, DeleteRoute, AssociateRouteTable, DisassociateRouteTable,
 * ReplaceRouteTableAssociation.
 */
import type {
  AssociateRouteTableCommandInput, AssociateRouteTableCommandOutput, CreateRouteCommandInput, CreateRouteCommandOutput,
  CreateRouteTableCommandInput, CreateRouteTableCommandOutput, DeleteRouteCommandInput, DeleteRouteCommandOutput, DeleteRouteTableCommandInput,
  DeleteRouteTableCommandOutput, DescribeRouteTablesCommandInput, DescribeRouteTablesCommandOutput, DisassociateRouteTableCommandInput,
  DisassociateRouteTableCommandOutput, ReplaceRouteCommandInput, ReplaceRouteCommandOutput, ReplaceRouteTableAssociationCommandInput,
  ReplaceRouteTableAssociationCommandOutput, Route,
} from '@aws-sdk/client-ec2';
import type { CallContext, Handler, Out } from '../service.js';
import { isCidr6, parseCidr4 } from './cidr.js';
import {
  DependencyViolation, GatewayAttachmentError, InvalidParameterCombination, InvalidParameterValue, InvalidRouteNotFound, MissingParameter,
  ResourceNotFound, RouteAlreadyExists,
} from './errors.js';
import { newEc2Id } from './ids.js';
import { INSTANCES } from './instance-kind.js';
import { NETWORK_INTERFACES } from './interface-kinds.js';
import { INTERNET_GATEWAYS, ROUTE_TABLES, SUBNETS, VPCS, type RouteTableDoc } from './network-kinds.js';
import { newRouteTable } from './network-setup.js';
import { describeResources, getResource, removeResource, resourcesWith, saveResource } from './resources.js';
import { tagsFor } from './tag-specs.js';

type RouteInput = CreateRouteCommandInput & ReplaceRouteCommandInput;

const TARGETS = [
  'GatewayId', 'NatGatewayId', 'NetworkInterfaceId', 'InstanceId', 'VpcPeeringConnectionId', 'TransitGatewayId', 'EgressOnlyInternetGatewayId',
  'LocalGatewayId', 'CarrierGatewayId', 'CoreNetworkArn', 'VpcEndpointId',
] as const;

/** The destination a route call names, checked. */
function destination(input: RouteInput): { key: 'DestinationCidrBlock' | 'DestinationIpv6CidrBlock' | 'DestinationPrefixListId'; value: string } {
  if (input.DestinationCidrBlock !== undefined) {
    if (!parseCidr4(input.DestinationCidrBlock)) throw InvalidParameterValue.of('destinationCidrBlock', input.DestinationCidrBlock, 'This is not a valid CIDR block.');
    return { key: 'DestinationCidrBlock', value: input.DestinationCidrBlock };
  }
  if (input.DestinationIpv6CidrBlock !== undefined) {
    if (!isCidr6(input.DestinationIpv6CidrBlock)) throw InvalidParameterValue.of('destinationIpv6CidrBlock', input.DestinationIpv6CidrBlock, 'This is not a valid IPv6 CIDR block.');
    return { key: 'DestinationIpv6CidrBlock', value: input.DestinationIpv6CidrBlock };
  }
  if (input.DestinationPrefixListId !== undefined) return { key: 'DestinationPrefixListId', value: input.DestinationPrefixListId };
  throw new MissingParameter('destinationCidrBlock');
}

/** The route a call describes: its destination and its one target, checked against the table's VPC. */
async function routeFor(ctx: CallContext, table: RouteTableDoc, input: RouteInput): Promise<Route> {
  const dest = destination(input);
  const targets = TARGETS.filter((t) => input[t] !== undefined);
  if (targets.length !== 1) {
    throw new InvalidParameterCombination('The request must contain exactly one of gatewayId, natGatewayId, networkInterfaceId, vpcPeeringConnectionId, transitGatewayId, egressOnlyInternetGatewayId, localGatewayId, carrierGatewayId, coreNetworkArn, vpcEndpointId or instanceId');
  }
  const target = targets[0]!;
  const route: Route = { [dest.key]: dest.value, Origin: 'CreateRoute', State: 'active' };
  if (target === 'GatewayId' && input.GatewayId!.startsWith('igw-')) {
    const gateway = await getResource(ctx, INTERNET_GATEWAYS, input.GatewayId!);
    if (gateway.Attachments?.[0]?.VpcId !== table.VpcId) {
      throw new InvalidParameterValue(`route table ${table.RouteTableId} and network gateway ${gateway.InternetGatewayId} belong to different networks`);
    }
    return { ...route, GatewayId: gateway.InternetGatewayId };
  }
  if (target === 'InstanceId') {
    const instance = await getResource(ctx, INSTANCES, input.InstanceId!);
    return { ...route, InstanceId: instance.InstanceId, InstanceOwnerId: ctx.scope.accountId, NetworkInterfaceId: instance.NetworkInterfaces?.[0]?.NetworkInterfaceId };
  }
  if (target === 'NetworkInterfaceId') await getResource(ctx, NETWORK_INTERFACES, input.NetworkInterfaceId!);
  if (target === 'VpcEndpointId') return { ...route, GatewayId: input.VpcEndpointId };
  return { ...route, [target]: input[target] };
}

function sameDestination(a: Route, b: Route): boolean {
  return (a.DestinationCidrBlock ?? a.DestinationIpv6CidrBlock ?? a.DestinationPrefixListId) === (b.DestinationCidrBlock ?? b.DestinationIpv6CidrBlock ?? b.DestinationPrefixListId);
}

/** CreateRouteTable: a table of a VPC with its local route. */
export const createRouteTable: Handler<CreateRouteTableCommandInput, Out<CreateRouteTableCommandOutput>> = async (input, ctx) => {
  const vpc = await getResource(ctx, VPCS, input.VpcId ?? '');
  const table = newRouteTable(ctx, vpc, false, tagsFor(input.TagSpecifications, 'route-table'));
  await saveResource(ctx, ROUTE_TABLES, table);
  return { RouteTable: table };
};

/** DeleteRouteTable: a table that is neither main nor associated with subnets or gateways. */
export const deleteRouteTable: Handler<DeleteRouteTableCommandInput, Out<DeleteRouteTableCommandOutput>> = async (input, ctx) => {
  const table = await getResource(ctx, ROUTE_TABLES, input.RouteTableId ?? '');
  if (table.Associations?.length) throw DependencyViolation.of('routeTable', table.RouteTableId);
  await removeResource(ctx, ROUTE_TABLES, table);
  return {};
};

/** DescribeRouteTables: by id and filter, paged (at most 100 a page). */
export const describeRouteTables: Handler<DescribeRouteTablesCommandInput, Out<DescribeRouteTablesCommandOutput>> = async (input, ctx) => {
  const page = await describeResources(ctx, ROUTE_TABLES, {
    ids: input.RouteTableIds, filters: input.Filters, maxResults: input.MaxResults, nextToken: input.NextToken,
  }, { operation: 'DescribeRouteTables', range: [5, 100] });
  return { RouteTables: page.items, NextToken: page.nextToken };
};

/** CreateRoute: a route to a destination the table has no route for. */
export const createRoute: Handler<CreateRouteCommandInput, Out<CreateRouteCommandOutput>> = async (input, ctx) => {
  const table = await getResource(ctx, ROUTE_TABLES, input.RouteTableId ?? '');
  const route = await routeFor(ctx, table, input);
  if (table.Routes?.some((r) => sameDestination(r, route))) throw new RouteAlreadyExists(destination(input).value);
  await saveResource(ctx, ROUTE_TABLES, { ...table, Routes: [...(table.Routes ?? []), route] });
  return { Return: true };
};

/** ReplaceRoute: a new target for an existing route (never the local route). */
export const replaceRoute: Handler<ReplaceRouteCommandInput, Out<ReplaceRouteCommandOutput>> = async (input, ctx) => {
  const table = await getResource(ctx, ROUTE_TABLES, input.RouteTableId ?? '');
  const route = await routeFor(ctx, table, input);
  const index = table.Routes?.findIndex((r) => sameDestination(r, route) && r.GatewayId !== 'local') ?? -1;
  if (index < 0) throw new InvalidParameterValue(`There is no route defined for '${destination(input).value}' in the route table. Use CreateRoute instead.`);
  const routes = [...table.Routes!];
  routes[index] = { ...route, Origin: 'CreateRoute' };
  await saveResource(ctx, ROUTE_TABLES, { ...table, Routes: routes });
  return {};
};

/** DeleteRoute: a route other than the local one. */
export const deleteRoute: Handler<DeleteRouteCommandInput, Out<DeleteRouteCommandOutput>> = async (input, ctx) => {
  const table = await getResource(ctx, ROUTE_TABLES, input.RouteTableId ?? '');
  const dest = destination(input);
  const route = table.Routes?.find((r) => r[dest.key] === dest.value);
  if (!route) throw new InvalidRouteNotFound(dest.value, table.RouteTableId);
  if (route.GatewayId === 'local') throw new InvalidParameterValue(`cannot remove local route ${dest.value} in route table ${table.RouteTableId}`);
  await saveResource(ctx, ROUTE_TABLES, { ...table, Routes: table.Routes!.filter((r) => r !== route) });
  return {};
};

/** AssociateRouteTable: a subnet (or gateway) of the table's VPC, not already explicitly associated. */
export const associateRouteTable: Handler<AssociateRouteTableCommandInput, Out<AssociateRouteTableCommandOutput>> = async (input, ctx) => {
  const table = await getResource(ctx, ROUTE_TABLES, input.RouteTableId ?? '');
  let target: { SubnetId: string } | { GatewayId: string };
  if (input.SubnetId !== undefined) {
    const subnet = await getResource(ctx, SUBNETS, input.SubnetId);
    if (subnet.VpcId !== table.VpcId) throw new InvalidParameterValue(`Route table ${table.RouteTableId} and subnet ${subnet.SubnetId} belong to different networks`);
    if ((await resourcesWith(ctx, ROUTE_TABLES, 'association.subnet-id', [subnet.SubnetId])).length) {
      throw new GatewayAttachmentError('Resource.AlreadyAssociated', `the specified association for route table ${table.RouteTableId} conflicts with an existing association`);
    }
    target = { SubnetId: subnet.SubnetId };
  } else if (input.GatewayId !== undefined) {
    target = { GatewayId: (await getResource(ctx, INTERNET_GATEWAYS, input.GatewayId)).InternetGatewayId };
  } else {
    throw new MissingParameter('SubnetId');
  }
  const association = { Main: false, RouteTableAssociationId: newEc2Id('rtbassoc'), RouteTableId: table.RouteTableId, ...target, AssociationState: { State: 'associated' as const } };
  await saveResource(ctx, ROUTE_TABLES, { ...table, Associations: [...(table.Associations ?? []), association] });
  return { AssociationId: association.RouteTableAssociationId, AssociationState: association.AssociationState };
};

async function tableWithAssociation(ctx: CallContext, associationId: string): Promise<RouteTableDoc> {
  const [table] = await resourcesWith(ctx, ROUTE_TABLES, 'association.route-table-association-id', [associationId]);
  if (!table) throw new ResourceNotFound('InvalidAssociationID.NotFound', 'association ID', [associationId]);
  return table;
}

/** DisassociateRouteTable: removes an explicit association (never the main one). */
export const disassociateRouteTable: Handler<DisassociateRouteTableCommandInput, Out<DisassociateRouteTableCommandOutput>> = async (input, ctx) => {
  const id = input.AssociationId ?? '';
  const table = await tableWithAssociation(ctx, id);
  if (table.Associations?.find((a) => a.RouteTableAssociationId === id)?.Main) {
    throw new InvalidParameterValue(`cannot disassociate the main route table association ${id}`);
  }
  await saveResource(ctx, ROUTE_TABLES, { ...table, Associations: table.Associations!.filter((a) => a.RouteTableAssociationId !== id) });
  return {};
};

/** ReplaceRouteTableAssociation: moves an association (the main one included) to another table of the VPC. */
export const replaceRouteTableAssociation: Handler<ReplaceRouteTableAssociationCommandInput, Out<ReplaceRouteTableAssociationCommandOutput>> = async (input, ctx) => {
  const id = input.AssociationId ?? '';
  const from = await tableWithAssociation(ctx, id);
  const to = await getResource(ctx, ROUTE_TABLES, input.RouteTableId ?? '');
  if (to.VpcId !== from.VpcId) throw new InvalidParameterValue(`Route table ${to.RouteTableId} and association ${id} belong to different networks`);
  const old = from.Associations!.find((a) => a.RouteTableAssociationId === id)!;
  const moved = { ...old, RouteTableAssociationId: newEc2Id('rtbassoc'), RouteTableId: to.RouteTableId };
  if (from.RouteTableId === to.RouteTableId) {
    await saveResource(ctx, ROUTE_TABLES, { ...from, Associations: from.Associations!.map((a) => (a === old ? moved : a)) });
  } else {
    await saveResource(ctx, ROUTE_TABLES, { ...from, Associations: from.Associations!.filter((a) => a !== old) });
    await saveResource(ctx, ROUTE_TABLES, { ...to, Associations: [...(to.Associations ?? []), moved] });
  }
  return { NewAssociationId: moved.RouteTableAssociationId, AssociationState: { State: 'associated' } };
};
