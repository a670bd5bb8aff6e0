/**
 * @module
 * IAM's state: users, groups, roles, customer managed policies, instance profiles and MFA devices
 * as documents in the account's global scope (us-east-1), keyed by lower-cased name, because IAM
 * names are unique without regard to case. Every write of these entities goes through putEntity or
 * deleteEntity, which move the account's IAM generation on (see iamGeneration).
 */
import { randomUUID } from 'node:crypto';
import { GLOBAL_REGION, type Scope } from '../../core/scope.js';
import type { Tx } from '../../store/types.js';
import type { CallContext } from '../service.js';
import { NoSuchEntityException } from './errors.js';
import type { Tag } from './names.js';

/** The scope IAM state lives in. */
export function iamScope(accountId: string): Scope {
  return { accountId, region: GLOBAL_REGION };
}

/** Document kinds. */
export const KIND = {
  user: 'iam.user',
  group: 'iam.group',
  role: 'iam.role',
  policy: 'iam.policy',
  awsPolicy: 'iam.aws-policy',
  instanceProfile: 'iam.instance-profile',
  mfa: 'iam.mfa-device',
  account: 'iam.account',
  generation: 'iam.generation',
} as const;

/** Policies attached to a principal: managed policy ARNs and inline documents by name. */
export interface PolicyHolder {
  attached: string[];
  inline: Record<string, string>;
}

/** A login profile (console password). */
export interface LoginProfile {
  readonly createdAt: number;
  readonly passwordResetRequired: boolean;
  readonly passwordHash: string;
}

/** An IAM user. */
export interface UserDoc extends PolicyHolder {
  UserName: string;
  UserId: string;
  Arn: string;
  Path: string;
  createdAt: number;
  PermissionsBoundary?: string;
  Tags: Tag[];
  groups: string[];
  loginProfile?: LoginProfile;
  mfaDevices: { serial: string; enabledAt: number }[];
  passwordLastUsed?: number;
}

/** An IAM group. */
export interface GroupDoc extends PolicyHolder {
  GroupName: string;
  GroupId: string;
  Arn: string;
  Path: string;
  createdAt: number;
  members: string[];
}

/** An IAM role. */
export interface RoleDoc extends PolicyHolder {
  RoleName: string;
  RoleId: string;
  Arn: string;
  Path: string;
  createdAt: number;
  AssumeRolePolicyDocument: string;
  Description?: string;
  MaxSessionDuration: number;
  PermissionsBoundary?: string;
  Tags: Tag[];
  instanceProfiles: string[];
  serviceLinked?: string;
  lastUsed?: { at: number; region: string };
}

/** One version of a customer managed policy. */
export interface PolicyVersionDoc {
  VersionId: string;
  Document: string;
  createdAt: number;
}

/** A customer managed policy. */
export interface PolicyDoc {
  PolicyName: string;
  PolicyId: string;
  Arn: string;
  Path: string;
  Description?: string;
  createdAt: number;
  updatedAt: number;
  DefaultVersionId: string;
  AttachmentCount: number;
  PermissionsBoundaryUsageCount: number;
  Tags: Tag[];
  versions: PolicyVersionDoc[];
  nextVersion: number;
}

/** Per-account use of an AWS managed policy. */
export interface AwsPolicyUsage {
  AttachmentCount: number;
  PermissionsBoundaryUsageCount: number;
}

/** An instance profile. */
export interface InstanceProfileDoc {
  InstanceProfileName: string;
  InstanceProfileId: string;
  Arn: string;
  Path: string;
  createdAt: number;
  roles: string[];
  Tags: Tag[];
}

/** A virtual MFA device. */
export interface MfaDeviceDoc {
  SerialNumber: string;
  Path: string;
  name: string;
  /** Base32 seed. */
  seed: string;
  createdAt: number;
  Tags: Tag[];
  user?: string;
  enabledAt?: number;
  /** The time step of the last code accepted, so that a code is never accepted twice. */
  lastStep?: number;
}

/** The ARN of an IAM entity: `arn:aws:iam::<account>:<type><path><name>`. */
export function iamArn(accountId: string, type: string, path: string, name: string): string {
  return `arn:aws:iam::${accountId}:${type}${path}${name}`;
}

const id = (name: string) => name.toLowerCase();

/** Reads an entity by name. */
export function getEntity<T>(tx: Tx, accountId: string, kind: string, name: string): Promise<T | undefined> {
  return tx.documents.get<T>(iamScope(accountId), kind, id(name));
}

/**
 * The account's IAM generation: a token that every write of an entity replaces, in the same
 * transaction, so that whatever was derived from IAM's state under one token (the authoriser's
 * resolved policies) is known to be current while the token is. Empty before the first write.
 */
export async function iamGeneration(tx: Tx, accountId: string): Promise<string> {
  return (await tx.documents.get<{ token: string }>(iamScope(accountId), KIND.generation, 'current'))?.token ?? '';
}

function nextGeneration(tx: Tx, accountId: string): Promise<void> {
  return tx.documents.put(iamScope(accountId), KIND.generation, 'current', { token: randomUUID() });
}

/** Writes an entity under its name (and moves the account's IAM generation on). */
export async function putEntity<T>(tx: Tx, accountId: string, kind: string, name: string, doc: T): Promise<void> {
  await tx.documents.put(iamScope(accountId), kind, id(name), doc);
  await nextGeneration(tx, accountId);
}

/** Deletes an entity by name (and moves the account's IAM generation on). */
export async function deleteEntity(tx: Tx, accountId: string, kind: string, name: string): Promise<boolean> {
  const deleted = await tx.documents.delete(iamScope(accountId), kind, id(name));
  if (deleted) await nextGeneration(tx, accountId);
  return deleted;
}

/** Every entity of a kind, in name order. */
export async function listEntities<T>(tx: Tx, accountId: string, kind: string): Promise<T[]> {
  return (await tx.documents.list<T>(iamScope(accountId), kind)).map((e) => e.doc);
}

/** A user, or NoSuchEntity. */
export async function requireUser(tx: Tx, accountId: string, name: string): Promise<UserDoc> {
  const user = await getEntity<UserDoc>(tx, accountId, KIND.user, name);
  if (!user) throw new NoSuchEntityException(`The user with name ${name} cannot be found.`);
  return user;
}

/** A group, or NoSuchEntity. */
export async function requireGroup(tx: Tx, accountId: string, name: string): Promise<GroupDoc> {
  const group = await getEntity<GroupDoc>(tx, accountId, KIND.group, name);
  if (!group) throw new NoSuchEntityException(`The group with name ${name} cannot be found.`);
  return group;
}

/** A role, or NoSuchEntity. */
export async function requireRole(tx: Tx, accountId: string, name: string): Promise<RoleDoc> {
  const role = await getEntity<RoleDoc>(tx, accountId, KIND.role, name);
  if (!role) throw new NoSuchEntityException(`The role with name ${name} cannot be found.`);
  return role;
}

/** The customer managed policy an ARN names in an account, if any. */
export async function findPolicy(tx: Tx, accountId: string, arn: string): Promise<PolicyDoc | undefined> {
  const prefix = `arn:aws:iam::${accountId}:policy/`;
  if (!arn.startsWith(prefix)) return undefined;
  const name = arn.slice(arn.lastIndexOf('/') + 1);
  const policy = await getEntity<PolicyDoc>(tx, accountId, KIND.policy, name);
  return policy?.Arn === arn ? policy : undefined;
}

/** The user (`User`), group or role entity kinds that hold policies. */
export type HolderType = 'User' | 'Group' | 'Role';

/** The document kind of a holder type. */
export const HOLDER_KIND: Record<HolderType, string> = { User: KIND.user, Group: KIND.group, Role: KIND.role };

/** Reads a policy holder by type and name, or NoSuchEntity. */
export function requireHolder(tx: Tx, accountId: string, type: HolderType, name: string): Promise<UserDoc | GroupDoc | RoleDoc> {
  return type === 'User' ? requireUser(tx, accountId, name) : type === 'Group' ? requireGroup(tx, accountId, name) : requireRole(tx, accountId, name);
}

/** The name of a holder. */
export function holderName(doc: UserDoc | GroupDoc | RoleDoc): string {
  return 'UserName' in doc ? doc.UserName : 'GroupName' in doc ? doc.GroupName : doc.RoleName;
}

/** The user a call names, or (when it names none) the calling IAM user. */
export function callerUserName(input: { UserName?: string }, ctx: Pick<CallContext, 'principal'>): string | undefined {
  return input.UserName ?? (ctx.principal.type === 'IAMUser' ? ctx.principal.userName : undefined);
}
