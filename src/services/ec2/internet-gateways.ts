/**
 * @module
 * Internet gateways: CreateInternetGateway, DeleteInternetGateway, DescribeInternetGateways,
 * AttachInternetGateway, DetachInternetGateway. A VPC has at most one.
 */
import type {
  AttachInternetGatewayCommandInput, AttachInternetGatewayCommandOutput, CreateInternetGatewayCommandInput, CreateInternetGatewayCommandOutput,
  DeleteInternetGatewayCommandInput, DeleteInternetGatewayCommandOutput, DescribeInternetGatewaysCommandInput, DescribeInternetGatewaysCommandOutput,
  DetachInternetGatewayCommandInput, DetachInternetGatewayCommandOutput,
} from '@aws-sdk/client-ec2';
import type { Handler, Out } from '../service.js';
import { DependencyViolation, GatewayAttachmentError } from './errors.js';
import { newEc2Id } from './ids.js';
import { INTERNET_GATEWAYS, VPCS, type InternetGatewayDoc } from './network-kinds.js';
import { ATTACHED } from './network-setup.js';
import { describeResources, getResource, removeResource, resourcesWith, saveResource } from './resources.js';
import { tagsFor } from './tag-specs.js';

/** CreateInternetGateway: a detached gateway. */
export const createInternetGateway: Handler<CreateInternetGatewayCommandInput, Out<CreateInternetGatewayCommandOutput>> = async (input, ctx) => {
  const gateway: InternetGatewayDoc = {
    InternetGatewayId: newEc2Id('igw'), OwnerId: ctx.scope.accountId, Attachments: [], Tags: tagsFor(input.TagSpecifications, 'internet-gateway'),
  };
  await saveResource(ctx, INTERNET_GATEWAYS, gateway);
  return { InternetGateway: gateway };
};

/** DeleteInternetGateway: a detached gateway. */
export const deleteInternetGateway: Handler<DeleteInternetGatewayCommandInput, Out<DeleteInternetGatewayCommandOutput>> = async (input, ctx) => {
  const gateway = await getResource(ctx, INTERNET_GATEWAYS, input.InternetGatewayId ?? '');
  if (gateway.Attachments?.length) throw DependencyViolation.of('internetGateway', gateway.InternetGatewayId);
  await removeResource(ctx, INTERNET_GATEWAYS, gateway);
  return {};
};

/** DescribeInternetGateways: by id and filter, paged. */
export const describeInternetGateways: Handler<DescribeInternetGatewaysCommandInput, Out<DescribeInternetGatewaysCommandOutput>> = async (input, ctx) => {
  const page = await describeResources(ctx, INTERNET_GATEWAYS, {
    ids: input.InternetGatewayIds, filters: input.Filters, maxResults: input.MaxResults, nextToken: input.NextToken,
  }, { operation: 'DescribeInternetGateways' });
  return { InternetGateways: page.items, NextToken: page.nextToken };
};

/** AttachInternetGateway: a detached gateway to a VPC that has none. */
export const attachInternetGateway: Handler<AttachInternetGatewayCommandInput, Out<AttachInternetGatewayCommandOutput>> = async (input, ctx) => {
  const gateway = await getResource(ctx, INTERNET_GATEWAYS, input.InternetGatewayId ?? '');
  const vpc = await getResource(ctx, VPCS, input.VpcId ?? '');
  const current = gateway.Attachments?.[0]?.VpcId;
  if (current) throw new GatewayAttachmentError('Resource.AlreadyAssociated', `resource ${gateway.InternetGatewayId} is already attached to network ${current}`);
  const other = await resourcesWith(ctx, INTERNET_GATEWAYS, 'attachment.vpc-id', [vpc.VpcId]);
  if (other.length) throw new GatewayAttachmentError('Resource.AlreadyAssociated', `network ${vpc.VpcId} already has an internet gateway attached`);
  await saveResource(ctx, INTERNET_GATEWAYS, { ...gateway, Attachments: [{ State: ATTACHED, VpcId: vpc.VpcId }] });
  return {};
};

/** DetachInternetGateway: a gateway from the VPC it is attached to. */
export const detachInternetGateway: Handler<DetachInternetGatewayCommandInput, Out<DetachInternetGatewayCommandOutput>> = async (input, ctx) => {
  const gateway = await getResource(ctx, INTERNET_GATEWAYS, input.InternetGatewayId ?? '');
  const vpc = await getResource(ctx, VPCS, input.VpcId ?? '');
  if (gateway.Attachments?.[0]?.VpcId !== vpc.VpcId) {
    throw new GatewayAttachmentError('Gateway.NotAttached', `resource ${gateway.InternetGatewayId} is not attached to network ${vpc.VpcId}`);
  }
  await saveResource(ctx, INTERNET_GATEWAYS, { ...gateway, Attachments: [] });
  return {};
};
