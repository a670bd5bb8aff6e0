/**
 * @module
 * Service-linked roles for the services Custos runs: CreateServiceLinkedRole,
 * DeleteServiceLinkedRole, GetServiceLinkedRoleDeletionStatus. Deletion is immediate here.
 */
import type {
  CreateServiceLinkedRoleCommandInput, CreateServiceLinkedRoleCommandOutput, DeleteServiceLinkedRoleCommandInput,
  DeleteServiceLinkedRoleCommandOutput, GetServiceLinkedRoleDeletionStatusCommandInput, GetServiceLinkedRoleDeletionStatusCommandOutput,
} from '@aws-sdk/client-iam';
import { randomUUID } from 'node:crypto';
import type { Handler, Out } from '../service.js';
import { iamScope, KIND, putEntity, requireRole } from './entities.js';
import { InvalidInputException, NoSuchEntityException } from './errors.js';
import { newRole, removeRole, toRole } from './roles.js';

/** The services whose service-linked roles Custos knows: role name and permissions policy. */
const SERVICE_LINKED: Record<string, { roleName: string; policyArn: string; description: string }> = {
  'config.amazonaws.com': {
    roleName: 'AWSServiceRoleForConfig', policyArn: 'arn:aws:iam::aws:policy/aws-service-role/AWSConfigServiceRolePolicy', description: '',
  },
  'cloudtrail.amazonaws.com': {
    roleName: 'AWSServiceRoleForCloudTrail', policyArn: 'arn:aws:iam::aws:policy/aws-service-role/CloudTrailServiceRolePolicy', description: '',
  },
};

/** CreateServiceLinkedRole. */
export const createServiceLinkedRole: Handler<CreateServiceLinkedRoleCommandInput, Out<CreateServiceLinkedRoleCommandOutput>> = async (input, ctx) => {
  const service = input.AWSServiceName ?? '';
  const known = SERVICE_LINKED[service];
  if (!known) throw new InvalidInputException(`Service role name for service ${service} is not supported.`);
  if (input.CustomSuffix) throw new InvalidInputException(`Custom suffix is not allowed for ${service}`);
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] });
  const role = await newRole(ctx, {
    name: known.roleName, path: `/aws-service-role/${service}/`, trust, description: input.Description ?? known.description,
    maxSessionDuration: 3600, tags: [], serviceLinked: service,
  });
  role.attached.push(known.policyArn);
  await putEntity(ctx.tx, ctx.scope.accountId, KIND.role, role.RoleName, role);
  const { RoleLastUsed: _unused, ...shown } = toRole(role);
  return { Role: shown };
};

/** DeleteServiceLinkedRole: returns a deletion task that has already succeeded. */
export const deleteServiceLinkedRole: Handler<DeleteServiceLinkedRoleCommandInput, Out<DeleteServiceLinkedRoleCommandOutput>> = async (input, ctx) => {
  const role = await requireRole(ctx.tx, ctx.scope.accountId, input.RoleName ?? '');
  if (!role.serviceLinked) throw new InvalidInputException(`Role ${role.RoleName} is not a service-linked role.`);
  role.attached = [];
  await removeRole(ctx, role);
  const taskId = `task${role.Path}${role.RoleName}/${randomUUID()}`;
  await ctx.tx.documents.put(iamScope(ctx.scope.accountId), KIND.account, `deletion-task:${taskId}`, { Status: 'SUCCEEDED' });
  return { DeletionTaskId: taskId };
};

/** GetServiceLinkedRoleDeletionStatus. */
export const getServiceLinkedRoleDeletionStatus: Handler<GetServiceLinkedRoleDeletionStatusCommandInput, Out<GetServiceLinkedRoleDeletionStatusCommandOutput>> = async (input, ctx) => {
  const task = await ctx.tx.documents.get<{ Status: 'SUCCEEDED' }>(iamScope(ctx.scope.accountId), KIND.account, `deletion-task:${input.DeletionTaskId}`);
  if (!task) throw new NoSuchEntityException(`Deletion task ${input.DeletionTaskId} cannot be found.`);
  return { Status: task.Status };
};
