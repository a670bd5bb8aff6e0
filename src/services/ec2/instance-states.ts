/**
 * @module
 * Instance lifecycle: DescribeInstances, DescribeInstanceStatus, StartInstances, StopInstances,
 * TerminateInstances, RebootInstances. Transitions settle at once: the call answers with AWS's transitional state
 * (pending, stopping, shutting-down) and the next Describe shows the settled one. Terminated
 * instances stay visible for an hour, then disappear; their volumes and interfaces marked
 * DeleteOnTermination go with them at termination, the others are detached.
 */
import type {
  DescribeInstanceStatusCommandInput, DescribeInstanceStatusCommandOutput, DescribeInstancesCommandInput, DescribeInstancesCommandOutput, InstanceStateChange, InstanceStatus, InstanceStateName, RebootInstancesCommandInput,
  RebootInstancesCommandOutput, StartInstancesCommandInput, StartInstancesCommandOutput, StopInstancesCommandInput, StopInstancesCommandOutput,
  TerminateInstancesCommandInput, TerminateInstancesCommandOutput,
} from '@aws-sdk/client-ec2';
import type { CallContext, Handler, Out } from '../service.js';
import { IncorrectState, MissingParameter, OperationNotPermitted } from './errors.js';
import { newPublicIp } from './ids.js';
import { INSTANCES, TERMINATED_VISIBLE_MS, checkInstanceIds, state, type InstanceDoc } from './instance-kind.js';
import { publicAssociation, refreshInstanceNetwork } from './instance-network.js';
import { reservationsOf } from './instance-views.js';
import { ADDRESSES, NETWORK_INTERFACES, type NetworkInterfaceDoc } from './interface-kinds.js';
import { VPCS } from './network-kinds.js';
import { describeResources, getResource, getResources, removeResource, resourcesWith, saveResource } from './resources.js';
import { VOLUMES } from './storage-kinds.js';
import { releaseAddresses } from './subnets.js';

/** Forgets terminated instances once they have been visible for an hour (Config heard of their end at termination). */
async function purgeTerminated(ctx: CallContext): Promise<void> {
  for (const instance of await resourcesWith(ctx, INSTANCES, 'instance-state-name', ['terminated'])) {
    if ((instance.$terminatedAt ?? 0) + TERMINATED_VISIBLE_MS <= ctx.now) await ctx.tx.indexed.delete(ctx.scope, INSTANCES.kind, instance.InstanceId);
  }
}

/** DescribeInstances: by id or filter, grouped into reservations; paged by instance. */
export const describeInstances: Handler<DescribeInstancesCommandInput, Out<DescribeInstancesCommandOutput>> = async (input, ctx) => {
  checkInstanceIds(input.InstanceIds ?? []);
  await purgeTerminated(ctx);
  const page = await describeResources(ctx, INSTANCES, {
    ids: input.InstanceIds, filters: input.Filters, maxResults: input.MaxResults, nextToken: input.NextToken,
  }, { operation: 'DescribeInstances', idsParameter: 'instancesSet' });
  return { Reservations: reservationsOf(ctx, page.items), NextToken: page.nextToken };
};

const STATUS_FILTERS = new Set(['instance-status.status', 'system-status.status', 'instance-status.reachability', 'system-status.reachability']);

/** An instance's status checks: passed while it runs, not applicable otherwise. */
function statusOf(instance: InstanceDoc): InstanceStatus {
  const running = instance.State.Name === 'running';
  const summary = (name: string) => ({ Status: running ? 'ok' as const : 'not-applicable' as const, Details: running ? [{ Name: name as 'reachability', Status: 'passed' as const }] : [] });
  return {
    AvailabilityZone: instance.Placement?.AvailabilityZone, InstanceId: instance.InstanceId, InstanceState: instance.State, Events: [],
    InstanceStatus: summary('reachability'), SystemStatus: summary('reachability'),
  };
}

/** DescribeInstanceStatus: status checks of running instances (of all with IncludeAllInstances); every check passes. */
export const describeInstanceStatus: Handler<DescribeInstanceStatusCommandInput, Out<DescribeInstanceStatusCommandOutput>> = async (input, ctx) => {
  checkInstanceIds(input.InstanceIds ?? []);
  await purgeTerminated(ctx);
  const checks = (input.Filters ?? []).filter((f) => STATUS_FILTERS.has(f.Name ?? ''));
  const where = input.IncludeAllInstances ? [] : [{ name: 'instance-state-name', values: ['running'] }];
  const page = await describeResources(ctx, INSTANCES, {
    ids: input.InstanceIds, filters: (input.Filters ?? []).filter((f) => !STATUS_FILTERS.has(f.Name ?? '')), where,
    maxResults: input.MaxResults, nextToken: input.NextToken,
  }, { operation: 'DescribeInstanceStatus', idsParameter: 'instancesSet' });
  const statuses = page.items.map(statusOf).filter((status) => checks.every((f) => {
    const value = f.Name!.endsWith('.status') ? status.InstanceStatus!.Status! : (status.InstanceStatus!.Details![0]?.Status ?? '');
    return f.Values?.includes(value);
  }));
  return { InstanceStatuses: statuses, NextToken: page.nextToken };
};

async function instancesNamed(ctx: CallContext, ids: string[] | undefined): Promise<InstanceDoc[]> {
  if (!ids?.length) throw new MissingParameter('InstanceId');
  checkInstanceIds(ids);
  return getResources(ctx, INSTANCES, ids);
}

function change(instance: InstanceDoc, current: InstanceStateName): InstanceStateChange {
  return { InstanceId: instance.InstanceId, CurrentState: state(current), PreviousState: instance.State };
}

function userInitiated(ctx: CallContext): Pick<InstanceDoc, 'StateTransitionReason' | 'StateReason'> {
  const at = new Date(ctx.now).toISOString().replace('T', ' ').slice(0, 19);
  return {
    StateTransitionReason: `User initiated (${at} GMT)`,
    StateReason: { Code: 'Client.UserInitiatedShutdown', Message: 'Client.UserInitiatedShutdown: User initiated shutdown' },
  };
}

async function interfacesOf(ctx: CallContext, instanceId: string): Promise<NetworkInterfaceDoc[]> {
  return resourcesWith(ctx, NETWORK_INTERFACES, 'attachment.instance-id', [instanceId]);
}

/** Drops (stop) or gives back (start) the public addresses an instance got at launch. */
async function setLaunchAddresses(ctx: CallContext, instance: InstanceDoc, present: boolean): Promise<void> {
  for (const eni of await interfacesOf(ctx, instance.InstanceId)) {
    if (!eni.$autoPublicIp || eni.Association?.AllocationId || Boolean(eni.Association) === present) continue;
    if (present) {
      const association = publicAssociation(ctx, await getResource(ctx, VPCS, eni.VpcId), newPublicIp());
      await saveResource(ctx, NETWORK_INTERFACES, { ...eni, Association: association, PrivateIpAddresses: eni.PrivateIpAddresses?.map((p) => (p.Primary ? { ...p, Association: association } : p)) });
    } else {
      const { Association: _gone, ...rest } = eni;
      await saveResource(ctx, NETWORK_INTERFACES, { ...rest, PrivateIpAddresses: eni.PrivateIpAddresses?.map(({ Association: _a, ...p }) => p) });
    }
  }
}

/** StopInstances: running instances stop (answered as stopping); stopped ones stay stopped. */
export const stopInstances: Handler<StopInstancesCommandInput, Out<StopInstancesCommandOutput>> = async (input, ctx) => {
  const instances = await instancesNamed(ctx, input.InstanceIds);
  for (const instance of instances) {
    if (instance.State.Name === 'terminated') throw new IncorrectState('IncorrectInstanceState', `This instance '${instance.InstanceId}' is not in a state from which it can be stopped.`);
    if (instance.$disableApiStop) throw new OperationNotPermitted(`The instance '${instance.InstanceId}' may not be stopped. Modify its 'disableApiStop' instance attribute and try again.`);
  }
  const changes: InstanceStateChange[] = [];
  for (const instance of instances) {
    if (instance.State.Name === 'stopped') {
      changes.push(change(instance, 'stopped'));
      continue;
    }
    changes.push(change(instance, 'stopping'));
    await setLaunchAddresses(ctx, instance, false);
    const refreshed = (await refreshInstanceNetwork(ctx, instance.InstanceId))!;
    await saveResource(ctx, INSTANCES, { ...refreshed, State: state('stopped'), ...userInitiated(ctx) });
  }
  return { StoppingInstances: changes };
};

/** StartInstances: stopped instances start (answered as pending) with a new public address if they had one. */
export const startInstances: Handler<StartInstancesCommandInput, Out<StartInstancesCommandOutput>> = async (input, ctx) => {
  const instances = await instancesNamed(ctx, input.InstanceIds);
  const bad = instances.find((i) => i.State.Name === 'terminated');
  if (bad) throw new IncorrectState('IncorrectInstanceState', `The instance '${bad.InstanceId}' is not in a state from which it can be started.`);
  const changes: InstanceStateChange[] = [];
  for (const instance of instances) {
    if (instance.State.Name === 'running') {
      changes.push(change(instance, 'running'));
      continue;
    }
    changes.push(change(instance, 'pending'));
    await setLaunchAddresses(ctx, instance, true);
    const refreshed = (await refreshInstanceNetwork(ctx, instance.InstanceId))!;
    const { StateReason: _reason, ...rest } = refreshed;
    await saveResource(ctx, INSTANCES, { ...rest, State: state('running'), StateTransitionReason: '' });
  }
  return { StartingInstances: changes };
};

/** Lets go of what a terminated instance held: its volumes and interfaces (deleted or detached) and their addresses. */
async function releaseResources(ctx: CallContext, instance: InstanceDoc): Promise<void> {
  for (const volume of await resourcesWith(ctx, VOLUMES, 'attachment.instance-id', [instance.InstanceId])) {
    if (volume.Attachments?.[0]?.DeleteOnTermination) await removeResource(ctx, VOLUMES, volume);
    else await saveResource(ctx, VOLUMES, { ...volume, State: 'available', Attachments: [] });
  }
  for (const eni of await interfacesOf(ctx, instance.InstanceId)) {
    for (const address of await resourcesWith(ctx, ADDRESSES, 'network-interface-id', [eni.NetworkInterfaceId])) {
      const { AssociationId: _a, InstanceId: _i, NetworkInterfaceId: _n, NetworkInterfaceOwnerId: _o, PrivateIpAddress: _p, ...released } = address;
      await saveResource(ctx, ADDRESSES, released);
    }
    if (eni.Attachment?.DeleteOnTermination) {
      await removeResource(ctx, NETWORK_INTERFACES, eni);
      await releaseAddresses(ctx, eni.SubnetId, eni.PrivateIpAddresses?.length ?? 1);
    } else {
      const { Attachment: _attachment, Association: _association, ...detached } = eni;
      await saveResource(ctx, NETWORK_INTERFACES, { ...detached, Status: 'available' });
    }
  }
}

/** TerminateInstances: instances end (answered as shutting-down); terminated ones stay terminated. */
export const terminateInstances: Handler<TerminateInstancesCommandInput, Out<TerminateInstancesCommandOutput>> = async (input, ctx) => {
  const instances = await instancesNamed(ctx, input.InstanceIds);
  const protectedOne = instances.find((i) => i.$disableApiTermination && i.State.Name !== 'terminated');
  if (protectedOne) {
    throw new OperationNotPermitted(`The instance '${protectedOne.InstanceId}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.`);
  }
  const changes: InstanceStateChange[] = [];
  for (const instance of instances) {
    if (instance.State.Name === 'terminated') {
      changes.push(change(instance, 'terminated'));
      continue;
    }
    changes.push(change(instance, 'shutting-down'));
    await releaseResources(ctx, instance);
    const { PrivateIpAddress: _ip, PublicIpAddress: _public, ...rest } = instance;
    const terminated: InstanceDoc = {
      ...rest, State: state('terminated'), ...userInitiated(ctx), NetworkInterfaces: [], SecurityGroups: [], BlockDeviceMappings: [],
      PrivateDnsName: '', PublicDnsName: '', $terminatedAt: ctx.now,
    };
    await saveResource(ctx, INSTANCES, terminated, { ended: true });
  }
  return { TerminatingInstances: changes };
};

/** RebootInstances: running instances reboot (no state change to see). */
export const rebootInstances: Handler<RebootInstancesCommandInput, Out<RebootInstancesCommandOutput>> = async (input, ctx) => {
  const instances = await instancesNamed(ctx, input.InstanceIds);
  const bad = instances.find((i) => i.State.Name === 'terminated');
  if (bad) throw new IncorrectState('IncorrectInstanceState', `The instance '${bad.InstanceId}' is not in a state from which it can be rebooted.`);
  return {};
};
