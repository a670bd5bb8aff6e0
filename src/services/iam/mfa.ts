/**
 * @module
 * Virtual MFA devices: CreateVirtualMFADevice, EnableMFADevice (two consecutive codes),
 * DeactivateMFADevice, ListMFADevices, ListVirtualMFADevices, DeleteVirtualMFADevice; and the
 * code check STS uses, which never accepts a code twice.
 */
import type {
  CreateVirtualMFADeviceCommandInput, CreateVirtualMFADeviceCommandOutput, DeactivateMFADeviceCommandInput, DeactivateMFADeviceCommandOutput,
  DeleteVirtualMFADeviceCommandInput, DeleteVirtualMFADeviceCommandOutput, EnableMFADeviceCommandInput, EnableMFADeviceCommandOutput,
  ListMFADevicesCommandInput, ListMFADevicesCommandOutput, ListVirtualMFADevicesCommandInput, ListVirtualMFADevicesCommandOutput,
} from '@aws-sdk/client-iam';
import type { Tx } from '../../store/types.js';
import type { CallContext, Handler, Out } from '../service.js';
import { changed, touched, RESOURCE_TYPE } from './changes.js';
import { callerUserName, deleteEntity, getEntity, iamArn, KIND, listEntities, putEntity, requireUser, type MfaDeviceDoc, type UserDoc } from './entities.js';
import { DeleteConflictException, EntityAlreadyExistsException, InvalidAuthenticationCodeException, LimitExceededException, NoSuchEntityException } from './errors.js';
import { mergeTags } from './names.js';
import { paginate } from './paging.js';
import { acceptedStep, hotp, newSeed, timeStep } from './totp.js';

const DEVICES_PER_USER = 8;

async function requireDevice(ctx: CallContext, serial: string): Promise<MfaDeviceDoc> {
  const device = await getEntity<MfaDeviceDoc>(ctx.tx, ctx.scope.accountId, KIND.mfa, serial);
  if (!device) throw new NoSuchEntityException(`VirtualMFADevice with serial number ${serial} doesn't exist.`);
  return device;
}

/** CreateVirtualMFADevice: the seed is shown once (base64 of its base32 text, as AWS returns it). */
export const createVirtualMFADevice: Handler<CreateVirtualMFADeviceCommandInput, Out<CreateVirtualMFADeviceCommandOutput>> = async (input, ctx) => {
  const name = input.VirtualMFADeviceName ?? '';
  const path = input.Path ?? '/';
  const serial = iamArn(ctx.scope.accountId, 'mfa', path, name);
  if (await getEntity(ctx.tx, ctx.scope.accountId, KIND.mfa, serial)) throw new EntityAlreadyExistsException('MFADevice entity at the same path and name already exists.');
  const device: MfaDeviceDoc = { SerialNumber: serial, Path: path, name, seed: newSeed(), createdAt: ctx.now, Tags: mergeTags([], input.Tags) };
  await putEntity(ctx.tx, ctx.scope.accountId, KIND.mfa, serial, device);
  touched(ctx, RESOURCE_TYPE.mfa, serial, serial);
  return { VirtualMFADevice: { SerialNumber: serial, Base32StringSeed: Buffer.from(device.seed), Tags: device.Tags.length ? device.Tags : undefined } };
};

function consecutiveStep(seed: string, code1: string, code2: string, now: number): number | undefined {
  const current = timeStep(now);
  for (let step = current - 10; step <= current; step++) {
    if (hotp(seed, step) === code1 && hotp(seed, step + 1) === code2) return step + 1;
  }
  return undefined;
}

/** EnableMFADevice: assigns a virtual device to a user after two consecutive codes. */
export const enableMFADevice: Handler<EnableMFADeviceCommandInput, Out<EnableMFADeviceCommandOutput>> = async (input, ctx) => {
  const user = await requireUser(ctx.tx, ctx.scope.accountId, input.UserName ?? '');
  const device = await requireDevice(ctx, input.SerialNumber ?? '');
  if (device.user) throw new EntityAlreadyExistsException('MFA Device is already in use.');
  if (user.mfaDevices.length >= DEVICES_PER_USER) throw new LimitExceededException(`Cannot exceed quota for MFADevicesPerUser: ${DEVICES_PER_USER}`);
  const step = consecutiveStep(device.seed, input.AuthenticationCode1 ?? '', input.AuthenticationCode2 ?? '', ctx.now);
  if (step === undefined || (device.lastStep !== undefined && step <= device.lastStep)) {
    throw new InvalidAuthenticationCodeException('Authentication code for device is not valid.');
  }
  device.user = user.UserName;
  device.enabledAt = ctx.now;
  device.lastStep = step;
  user.mfaDevices.push({ serial: device.SerialNumber, enabledAt: ctx.now });
  await putEntity(ctx.tx, ctx.scope.accountId, KIND.mfa, device.SerialNumber, device);
  await putEntity(ctx.tx, ctx.scope.accountId, KIND.user, user.UserName, user);
  await changed(ctx, user);
  return {};
};

/** DeactivateMFADevice: the device stays, unassigned. */
export const deactivateMFADevice: Handler<DeactivateMFADeviceCommandInput, Out<DeactivateMFADeviceCommandOutput>> = async (input, ctx) => {
  const serial = input.SerialNumber ?? '';
  const user = await requireUser(ctx.tx, ctx.scope.accountId, input.UserName ?? '');
  if (!user.mfaDevices.some((d) => d.serial === serial)) throw new NoSuchEntityException(`MFA Device with serial number ${serial} does not exist.`);
  user.mfaDevices = user.mfaDevices.filter((d) => d.serial !== serial);
  const device = await getEntity<MfaDeviceDoc>(ctx.tx, ctx.scope.accountId, KIND.mfa, serial);
  if (device) {
    delete device.user;
    delete device.enabledAt;
    await putEntity(ctx.tx, ctx.scope.accountId, KIND.mfa, serial, device);
  }
  await putEntity(ctx.tx, ctx.scope.accountId, KIND.user, user.UserName, user);
  await changed(ctx, user);
  return {};
};

/** ListMFADevices: a user's devices (the caller's when no user is named). */
export const listMFADevices: Handler<ListMFADevicesCommandInput, Out<ListMFADevicesCommandOutput>> = async (input, ctx) => {
  const name = callerUserName(input, ctx);
  if (name === undefined) return { MFADevices: [], IsTruncated: false };
  const user = await requireUser(ctx.tx, ctx.scope.accountId, name);
  const page = paginate(user.mfaDevices, input, ['ListMFADevices', user.UserId]);
  return {
    MFADevices: page.items.map((d) => ({ UserName: user.UserName, SerialNumber: d.serial, EnableDate: new Date(d.enabledAt) })),
    IsTruncated: page.IsTruncated,
    Marker: page.Marker,
  };
};

/** ListVirtualMFADevices: by assignment status. */
export const listVirtualMFADevices: Handler<ListVirtualMFADevicesCommandInput, Out<ListVirtualMFADevicesCommandOutput>> = async (input, ctx) => {
  const status = input.AssignmentStatus ?? 'Any';
  const devices = (await listEntities<MfaDeviceDoc>(ctx.tx, ctx.scope.accountId, KIND.mfa))
    .filter((d) => status === 'Any' || (status === 'Assigned') === (d.user !== undefined));
  const page = paginate(devices, input, ['ListVirtualMFADevices', status]);
  const shown = [];
  for (const d of page.items) {
    const user = d.user ? await getEntity<UserDoc>(ctx.tx, ctx.scope.accountId, KIND.user, d.user) : undefined;
    shown.push({
      SerialNumber: d.SerialNumber,
      User: user ? { Path: user.Path, UserName: user.UserName, UserId: user.UserId, Arn: user.Arn, CreateDate: new Date(user.createdAt) } : undefined,
      EnableDate: d.enabledAt !== undefined ? new Date(d.enabledAt) : undefined,
    });
  }
  return { VirtualMFADevices: shown, IsTruncated: page.IsTruncated, Marker: page.Marker };
};

/** DeleteVirtualMFADevice: only when not assigned. */
export const deleteVirtualMFADevice: Handler<DeleteVirtualMFADeviceCommandInput, Out<DeleteVirtualMFADeviceCommandOutput>> = async (input, ctx) => {
  const device = await requireDevice(ctx, input.SerialNumber ?? '');
  if (device.user) throw new DeleteConflictException('MFA Device is still in use.');
  await deleteEntity(ctx.tx, ctx.scope.accountId, KIND.mfa, device.SerialNumber);
  touched(ctx, RESOURCE_TYPE.mfa, device.SerialNumber, device.SerialNumber);
  return {};
};

/**
 * Checks a code from a user's MFA device for STS (GetSessionToken, AssumeRole): the device must be
 * enabled for that user and the code valid and not used before. Records the step it used.
 */
export async function verifyMfaCode(tx: Tx, accountId: string, userName: string | undefined, serial: string, code: string, now: number): Promise<boolean> {
  const device = await getEntity<MfaDeviceDoc>(tx, accountId, KIND.mfa, serial);
  if (!device || !device.user || (userName !== undefined && device.user.toLowerCase() !== userName.toLowerCase())) return false;
  const step = acceptedStep(device.seed, code, now, device.lastStep);
  if (step === undefined) return false;
  device.lastStep = step;
  await putEntity(tx, accountId, KIND.mfa, serial, device);
  return true;
}
