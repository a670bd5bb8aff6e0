/**
 * @module
 * CloudTrail's rules for trail names and trail ARNs. Pure.
 */
import { parseArn } from '../../core/arn.js';
import { InvalidTrailNameException } from './errors.js';

/** A trail reference: a bare name, or an ARN naming account, region and name. */
export type TrailRef = { name: string; arn?: undefined } | { name: string; arn: string; accountId: string; region: string };

const ALLOWED = /^[A-Za-z0-9._-]+$/;
const IP_ADDRESS = /^\d{1,3}(\.\d{1,3}){3}$/;

/** Throws InvalidTrailNameException with AWS's message unless `name` is a valid trail name. */
export function checkTrailName(name: string): void {
  if (name.length < 3) {
    throw new InvalidTrailNameException(`Trail name too short. Minimum allowed length: 3 characters. Specified name length: ${name.length} characters.`);
  }
  if (name.length > 128) {
    throw new InvalidTrailNameException(`Trail name too long. Maximum allowed length: 128 characters. Specified name length: ${name.length} characters.`);
  }
  if (!/^[A-Za-z0-9]/.test(name)) throw new InvalidTrailNameException('Trail name must starts with a letter or number.');
  if (!/[A-Za-z0-9]$/.test(name)) throw new InvalidTrailNameException('Trail name must ends with a letter or number.');
  if (!ALLOWED.test(name)) {
    throw new InvalidTrailNameException('Trail name or ARN can only contain uppercase letters, lowercase letters, numbers, periods (.), hyphens (-), and underscores (_).');
  }
  if (/[._-]{2}/.test(name)) throw new InvalidTrailNameException('Trail name cannot have adjacent periods, underscores or dashes.');
  if (IP_ADDRESS.test(name)) throw new InvalidTrailNameException('Trail name cannot be formatted as an IP address.');
}

/** The ARN of a trail. */
export function trailArn(accountId: string, region: string, name: string): string {
  return `arn:aws:cloudtrail:${region}:${accountId}:trail/${name}`;
}

/** Reads a `Name` parameter that may be a trail name or a trail ARN. */
export function parseTrailRef(value: string): TrailRef {
  if (!value.startsWith('arn:')) {
    checkTrailName(value);
    return { name: value };
  }
  const arn = parseArn(value);
  const match = arn && arn.service === 'cloudtrail' ? /^trail\/(.+)$/.exec(arn.resource) : null;
  if (!arn || !match || !/^\d{12}$/.test(arn.accountId) || !arn.region) {
    throw new InvalidTrailNameException('Trail name or ARN can only contain uppercase letters, lowercase letters, numbers, periods (.), hyphens (-), and underscores (_).');
  }
  checkTrailName(match[1]!);
  return { name: match[1]!, arn: value, accountId: arn.accountId, region: arn.region };
}
