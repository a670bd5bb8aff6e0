/**
 * @module
 * Instance attributes: ModifyInstanceAttribute (one attribute per call, in either of its two input
 * forms) and DescribeInstanceAttribute.
 */
import type {
  DescribeInstanceAttributeCommandInput, DescribeInstanceAttributeCommandOutput, InstanceAttributeName, InstanceBlockDeviceMapping, ModifyInstanceAttributeCommandInput,
  ModifyInstanceAttributeCommandOutput,
} from '@aws-sdk/client-ec2';
import type { CallContext, Handler, Out } from '../service.js';
import { IncorrectState, InvalidGroupNotFound, InvalidParameterCombination, InvalidParameterValue } from './errors.js';
import { INSTANCES, checkInstanceIds, type InstanceDoc } from './instance-kind.js';
import { refreshInstanceNetwork } from './instance-network.js';
import { NETWORK_INTERFACES } from './interface-kinds.js';
import { asOutput, getResource, resourcesWith, saveResource } from './resources.js';
import { SECURITY_GROUPS } from './security-group-kind.js';
import { VOLUMES } from './storage-kinds.js';

type Change = { attribute: string; value: string | boolean | string[] | { DeviceName?: string; DeleteOnTermination?: boolean }[] };

/** The one attribute a ModifyInstanceAttribute call changes. */
function requestedChange(input: ModifyInstanceAttributeCommandInput): Change {
  const changes: Change[] = [];
  const add = (attribute: string, value: Change['value'] | undefined) => value !== undefined && changes.push({ attribute, value });
  add('sourceDestCheck', input.SourceDestCheck?.Value);
  add('disableApiStop', input.DisableApiStop?.Value);
  add('disableApiTermination', input.DisableApiTermination?.Value);
  add('instanceType', input.InstanceType?.Value);
  add('kernel', input.Kernel?.Value);
  add('ramdisk', input.Ramdisk?.Value);
  add('userData', input.UserData?.Value === undefined ? undefined : Buffer.from(input.UserData.Value).toString('utf8'));
  add('instanceInitiatedShutdownBehavior', input.InstanceInitiatedShutdownBehavior?.Value);
  add('groupSet', input.Groups?.length ? input.Groups : undefined);
  add('ebsOptimized', input.EbsOptimized?.Value);
  add('sriovNetSupport', input.SriovNetSupport?.Value);
  add('enaSupport', input.EnaSupport?.Value);
  add('blockDeviceMapping', input.BlockDeviceMappings?.length ? input.BlockDeviceMappings.map((m) => ({ DeviceName: m.DeviceName, DeleteOnTermination: m.Ebs?.DeleteOnTermination })) : undefined);
  if (input.Attribute !== undefined) {
    const value = input.Value ?? '';
    add(input.Attribute, ['disableApiTermination', 'disableApiStop', 'sourceDestCheck', 'ebsOptimized', 'enaSupport'].includes(input.Attribute) ? value === 'true' : value);
  }
  if (changes.length > 1) throw new InvalidParameterCombination(`Fields for multiple attribute types specified: ${changes.map((c) => c.attribute).join(', ')}`);
  if (!changes.length) throw new InvalidParameterCombination('No attributes specified.');
  return changes[0]!;
}

function requireStopped(instance: InstanceDoc): void {
  if (instance.State.Name !== 'stopped') throw new IncorrectState('IncorrectInstanceState', `The instance '${instance.InstanceId}' is not in the 'stopped' state.`);
}

async function setPrimaryInterface(ctx: CallContext, instance: InstanceDoc, change: { Groups?: { GroupId: string; GroupName: string }[]; SourceDestCheck?: boolean }): Promise<void> {
  const [primary] = (await resourcesWith(ctx, NETWORK_INTERFACES, 'attachment.instance-id', [instance.InstanceId])).filter((n) => n.Attachment?.DeviceIndex === 0);
  if (primary) await saveResource(ctx, NETWORK_INTERFACES, { ...primary, ...change });
  await refreshInstanceNetwork(ctx, instance.InstanceId);
}

/** ModifyInstanceAttribute: changes one attribute; type, user data and a few others only while stopped. */
export const modifyInstanceAttribute: Handler<ModifyInstanceAttributeCommandInput, Out<ModifyInstanceAttributeCommandOutput>> = async (input, ctx) => {
  checkInstanceIds([input.InstanceId ?? '']);
  const instance = await getResource(ctx, INSTANCES, input.InstanceId ?? '');
  if (instance.State.Name === 'terminated') throw new IncorrectState('IncorrectInstanceState', `The instance '${instance.InstanceId}' is not in a valid state for this operation.`);
  const { attribute, value } = requestedChange(input);
  const save = (changes: Partial<InstanceDoc>) => saveResource(ctx, INSTANCES, { ...instance, ...changes });
  switch (attribute) {
    case 'disableApiTermination': return save({ $disableApiTermination: value as boolean }).then(() => ({}));
    case 'disableApiStop': return save({ $disableApiStop: value as boolean }).then(() => ({}));
    case 'instanceInitiatedShutdownBehavior':
      if (value !== 'stop' && value !== 'terminate') throw InvalidParameterValue.of('instanceInitiatedShutdownBehavior', value);
      return save({ $shutdownBehavior: value }).then(() => ({}));
    case 'instanceType': requireStopped(instance); return save({ InstanceType: value as InstanceDoc['InstanceType'] }).then(() => ({}));
    case 'userData': requireStopped(instance); return save({ $userData: Buffer.from(value as string).toString('base64') }).then(() => ({}));
    case 'ebsOptimized': requireStopped(instance); return save({ EbsOptimized: value as boolean }).then(() => ({}));
    case 'enaSupport': requireStopped(instance); return save({ EnaSupport: value as boolean }).then(() => ({}));
    case 'kernel': requireStopped(instance); return save({ KernelId: value as string }).then(() => ({}));
    case 'ramdisk': requireStopped(instance); return save({ RamdiskId: value as string }).then(() => ({}));
    case 'sriovNetSupport': return save({ SriovNetSupport: value as string }).then(() => ({}));
    case 'sourceDestCheck': await setPrimaryInterface(ctx, instance, { SourceDestCheck: value as boolean }); return {};
    case 'groupSet': {
      const groups = [];
      for (const id of typeof value === 'string' ? [value] : (value as string[])) {
        const group = await ctx.tx.indexed.get<{ GroupId: string; GroupName: string; VpcId: string }>(ctx.scope, SECURITY_GROUPS.kind, id);
        if (!group || group.VpcId !== instance.VpcId) throw new InvalidGroupNotFound(id, { id: instance.VpcId ?? '' });
        groups.push({ GroupId: group.GroupId, GroupName: group.GroupName });
      }
      await setPrimaryInterface(ctx, instance, { Groups: groups });
      return {};
    }
    case 'blockDeviceMapping': {
      const mappings = value as { DeviceName?: string; DeleteOnTermination?: boolean }[];
      const updated = instance.BlockDeviceMappings?.map((m) => {
        const asked = mappings.find((x) => x.DeviceName === m.DeviceName);
        return asked?.DeleteOnTermination === undefined ? m : { ...m, Ebs: { ...m.Ebs, DeleteOnTermination: asked.DeleteOnTermination } };
      }) ?? [];
      for (const asked of mappings) {
        const mapping = updated.find((m) => m.DeviceName === asked.DeviceName);
        if (!mapping) throw InvalidParameterValue.of('blockDeviceMapping.deviceName', asked.DeviceName, `No device is attached at ${asked.DeviceName}.`);
        const volume = await getResource(ctx, VOLUMES, mapping.Ebs!.VolumeId!);
        await saveResource(ctx, VOLUMES, { ...volume, Attachments: volume.Attachments?.map((a) => ({ ...a, DeleteOnTermination: mapping.Ebs!.DeleteOnTermination })) });
      }
      return save({ BlockDeviceMappings: updated }).then(() => ({}));
    }
    default:
      throw InvalidParameterValue.of('attribute', attribute, 'Unknown attribute.');
  }
};

/** DescribeInstanceAttribute: one attribute of an instance. */
export const describeInstanceAttribute: Handler<DescribeInstanceAttributeCommandInput, Out<DescribeInstanceAttributeCommandOutput>> = async (input, ctx) => {
  checkInstanceIds([input.InstanceId ?? '']);
  const i = await getResource(ctx, INSTANCES, input.InstanceId ?? '');
  const id = { InstanceId: i.InstanceId };
  const attribute: InstanceAttributeName | undefined = input.Attribute;
  switch (attribute) {
    case 'instanceType': return { ...id, InstanceType: { Value: i.InstanceType } };
    case 'kernel': return { ...id, KernelId: i.KernelId ? { Value: i.KernelId } : {} };
    case 'ramdisk': return { ...id, RamdiskId: i.RamdiskId ? { Value: i.RamdiskId } : {} };
    case 'userData': return { ...id, UserData: i.$userData ? { Value: i.$userData } : {} };
    case 'disableApiTermination': return { ...id, DisableApiTermination: { Value: i.$disableApiTermination } };
    case 'disableApiStop': return { ...id, DisableApiStop: { Value: i.$disableApiStop } };
    case 'instanceInitiatedShutdownBehavior': return { ...id, InstanceInitiatedShutdownBehavior: { Value: i.$shutdownBehavior } };
    case 'rootDeviceName': return { ...id, RootDeviceName: { Value: i.RootDeviceName } };
    case 'blockDeviceMapping': return { ...id, BlockDeviceMappings: asOutput<InstanceBlockDeviceMapping[]>(i.BlockDeviceMappings ?? []) };
    case 'productCodes': return { ...id, ProductCodes: [] };
    case 'sourceDestCheck': return { ...id, SourceDestCheck: { Value: i.SourceDestCheck } };
    case 'groupSet': return { ...id, Groups: i.SecurityGroups };
    case 'ebsOptimized': return { ...id, EbsOptimized: { Value: i.EbsOptimized } };
    case 'sriovNetSupport': return { ...id, SriovNetSupport: i.SriovNetSupport ? { Value: i.SriovNetSupport } : {} };
    case 'enaSupport': return { ...id, EnaSupport: { Value: i.EnaSupport } };
    case 'enclaveOptions': return { ...id, EnclaveOptions: i.EnclaveOptions };
    default:
      throw InvalidParameterValue.of('attribute', input.Attribute, 'Unknown attribute.');
  }
};
