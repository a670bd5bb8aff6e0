/**
 * @module
 * IAM's input constraints, which the model files leave out: name and path patterns, lengths,
 * MaxItems, tags; with Coral's validation wording.
 */
import { validationMessage } from '../common-errors.js';
import { IamValidationError, InvalidInputException, LimitExceededException } from './errors.js';

/** IAM's pattern for user, group, role, policy and instance profile names. */
export const NAME_PATTERN = /^[\w+=,.@-]+$/;
const PATH_PATTERN = /^(\u002F)|(\u002F[\u0021-\u007E]+\u002F)$/;

function violation(member: string, value: string, constraint: string): string {
  return `Value '${value}' at '${member}' failed to satisfy constraint: ${constraint}`;
}

/** Checks an entity name: IAM's character set and a length of 1 to `max`. */
export function checkName(value: string, member: string, max: number): void {
  const messages: string[] = [];
  if (value.length > max) messages.push(violation(member, value, `Member must have length less than or equal to ${max}`));
  if (value.length < 1) messages.push(violation(member, value, 'Member must have length greater than or equal to 1'));
  if (value.length > 0 && !NAME_PATTERN.test(value)) messages.push(violation(member, value, 'Member must satisfy regular expression pattern: [\\w+=,.@-]+'));
  if (messages.length) throw new IamValidationError(validationMessage(messages));
}

/** Checks a path (`/` or `/a/b/`); returns it, `/` when absent. */
export function checkPath(value: string | undefined): string {
  if (value === undefined) return '/';
  if (value.length > 512) throw new IamValidationError(validationMessage([violation('path', value, 'Member must have length less than or equal to 512')]));
  if (!(value === '/' || (value.startsWith('/') && value.endsWith('/') && /^[\u0021-\u007E]+$/.test(value))) || !PATH_PATTERN.test(value)) {
    throw new IamValidationError('The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.');
  }
  return value;
}

/** Checks MaxItems (1 to 1000) and returns the page size, 100 by default. */
export function pageSize(maxItems: number | undefined): number {
  if (maxItems === undefined) return 100;
  if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 1000) {
    const constraint = maxItems < 1 ? 'Member must have value greater than or equal to 1' : 'Member must have value less than or equal to 1000';
    throw new IamValidationError(validationMessage([violation('maxItems', String(maxItems), constraint)]));
  }
  return maxItems;
}

/** The name members IAM's model constrains: parameter name in messages, and maximum length. */
const NAME_MEMBERS: Record<string, [string, number]> = {
  UserName: ['userName', 128],
  NewUserName: ['newUserName', 64],
  GroupName: ['groupName', 128],
  NewGroupName: ['newGroupName', 128],
  RoleName: ['roleName', 64],
  PolicyName: ['policyName', 128],
  InstanceProfileName: ['instanceProfileName', 128],
  VirtualMFADeviceName: ['virtualMFADeviceName', 226],
};

/**
 * Checks the model constraints of an IAM input (names, paths, MaxItems) before authorisation, as
 * IAM does: an operation's `prepare` step.
 */
export async function checkConstraints<I>(input: I): Promise<I> {
  const record = input as Record<string, unknown>;
  for (const [key, [member, max]] of Object.entries(NAME_MEMBERS)) {
    const value = record[key];
    if (typeof value === 'string') checkName(value, member, max);
  }
  for (const key of ['Path', 'NewPath']) {
    if (typeof record[key] === 'string') checkPath(record[key] as string);
  }
  if (typeof record.MaxItems === 'number') pageSize(record.MaxItems);
  return input;
}

/** An IAM tag. */
export interface Tag {
  readonly Key: string;
  readonly Value: string;
}

/** Adds or replaces tags, enforcing IAM's tag rules (50 per resource, key 1..128, value 0..256). */
export function mergeTags(existing: readonly Tag[], added: readonly { Key?: string; Value?: string }[] | undefined): Tag[] {
  const result = new Map(existing.map((t) => [t.Key.toLowerCase(), t]));
  const seen = new Set<string>();
  for (const tag of added ?? []) {
    const key = tag.Key ?? '';
    const value = tag.Value ?? '';
    if (key.length < 1 || key.length > 128 || !/^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u.test(key)) {
      throw new IamValidationError(validationMessage([violation('tags.1.member.key', key, 'Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+')]));
    }
    if (value.length > 256) throw new IamValidationError(validationMessage([violation('tags.1.member.value', value, 'Member must have length less than or equal to 256')]));
    if (seen.has(key.toLowerCase())) throw new InvalidInputException('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    seen.add(key.toLowerCase());
    result.set(key.toLowerCase(), { Key: key, Value: value });
  }
  if (result.size > 50) throw new LimitExceededException('The number of tags has reached the maximum limit.');
  return [...result.values()];
}

/** Removes tags by key (case-insensitively). */
export function removeTags(existing: readonly Tag[], keys: readonly string[] | undefined): Tag[] {
  const drop = new Set((keys ?? []).map((k) => k.toLowerCase()));
  return existing.filter((t) => !drop.has(t.Key.toLowerCase()));
}
