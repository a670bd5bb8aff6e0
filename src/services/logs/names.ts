/**
 * @module
 * CloudWatch Logs names and ARNs: the constraints on log group, log stream and filter names, the
 * ARNs of groups and streams, and `logGroupIdentifier` (a name or an ARN).
 */
import { parseArn } from '../../core/arn.js';
import type { Scope } from '../../core/scope.js';
import { constraintFailure, InvalidParameterException } from './errors.js';

const GROUP_NAME = /^[.\-_/#A-Za-z0-9]+$/;
const STREAM_NAME = /^[^:*]*$/;

/** A constraint message for a string member, or undefined when it satisfies the constraints. */
export function stringConstraint(member: string, value: string, min: number, max: number, pattern?: { re: RegExp; text: string }): string | undefined {
  const shown = `Value '${value}' at '${member}' failed to satisfy constraint:`;
  if (value.length < min) return `${shown} Member must have length greater than or equal to ${min}`;
  if (value.length > max) return `${shown} Member must have length less than or equal to ${max}`;
  if (pattern && !pattern.re.test(value)) return `${shown} Member must satisfy regular expression pattern: ${pattern.text}`;
  return undefined;
}

/** Throws unless every message is undefined. */
export function checkConstraints(...messages: (string | undefined)[]): void {
  const failed = messages.filter((m): m is string => m !== undefined);
  if (failed.length > 0) throw constraintFailure(...failed);
}

/** The constraint message for a log group name. */
export function groupNameConstraint(value: string, member = 'logGroupName'): string | undefined {
  return stringConstraint(member, value, 1, 512, { re: GROUP_NAME, text: '[\\.\\-_/#A-Za-z0-9]+' });
}

/** The constraint message for a log stream name. */
export function streamNameConstraint(value: string, member = 'logStreamName'): string | undefined {
  return stringConstraint(member, value, 1, 512, { re: STREAM_NAME, text: '[^:*]*' });
}

/** The constraint message for a metric filter name. */
export function filterNameConstraint(value: string, member = 'filterName'): string | undefined {
  return stringConstraint(member, value, 1, 512, { re: STREAM_NAME, text: '[^:*]*' });
}

/** The ARN of a log group as DescribeLogGroups' `logGroupArn` and IAM show it. */
export function logGroupArn(scope: Scope, name: string): string {
  return `arn:aws:logs:${scope.region}:${scope.accountId}:log-group:${name}`;
}

/** The ARN of a log stream. */
export function logStreamArn(scope: Scope, group: string, stream: string): string {
  return `${logGroupArn(scope, group)}:log-stream:${stream}`;
}

/** The log group name in a `logGroupIdentifier` (a name, or an ARN with or without `:*`) of this account and region. */
export function groupNameFromIdentifier(scope: Scope, identifier: string): string {
  if (!identifier.startsWith('arn:')) return identifier;
  const arn = parseArn(identifier);
  const resource = arn?.resource.replace(/:\*$/, '');
  if (!arn || arn.service !== 'logs' || !resource?.startsWith('log-group:')) {
    throw new InvalidParameterException(`Invalid log group identifier: ${identifier}`);
  }
  if (arn.accountId !== scope.accountId || arn.region !== scope.region) {
    throw new InvalidParameterException(`The log group ARN ${identifier} is not in this account and region.`);
  }
  return resource.slice('log-group:'.length);
}

/** The log group a call names by `logGroupName` or `logGroupIdentifier` (exactly one of them). */
export function groupNameOf(scope: Scope, input: { logGroupName?: string; logGroupIdentifier?: string }): string {
  if (input.logGroupName !== undefined && input.logGroupIdentifier !== undefined) {
    throw new InvalidParameterException('LogGroup name and LogGroup ARN are mutually exclusive parameters.');
  }
  if (input.logGroupIdentifier !== undefined) return groupNameFromIdentifier(scope, input.logGroupIdentifier);
  if (input.logGroupName === undefined) throw new InvalidParameterException('Either the log group name or the log group ARN must be specified.');
  checkConstraints(groupNameConstraint(input.logGroupName));
  return input.logGroupName;
}
