import { describe, expect, it } from 'vitest';
import { parsePolicy, policySize, PolicyError, type PolicyKind } from './document.js';

const ok = (statement: object, extra: object = {}) => JSON.stringify({ Version: '2012-10-17', Statement: [statement], ...extra });
const S = { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' };

/** Corrupted documents and the MalformedPolicyDocument message IAM gives each. */
const MALFORMED: [string, string, PolicyKind, string][] = [
  ['not JSON', '{"Version": "2012-10-17", "Statement": [', 'identity', 'Syntax errors in policy.'],
  ['a JSON array', '[]', 'identity', 'Syntax errors in policy.'],
  ['no Statement', '{"Version": "2012-10-17"}', 'identity', 'Syntax errors in policy.'],
  ['empty Statement list', '{"Version": "2012-10-17", "Statement": []}', 'identity', 'Syntax errors in policy.'],
  ['unknown top-level field', ok(S, { Extra: 1 }), 'identity', 'Syntax errors in policy.'],
  ['unknown statement field', ok({ ...S, Actions: 'x' }), 'identity', 'Syntax errors in policy.'],
  ['Effect not Allow or Deny', ok({ ...S, Effect: 'Permit' }), 'identity', 'Syntax errors in policy.'],
  ['Effect in lower case', ok({ ...S, Effect: 'allow' }), 'identity', 'Syntax errors in policy.'],
  ['Action and NotAction together', ok({ ...S, NotAction: 'iam:*' }), 'identity', 'Syntax errors in policy.'],
  ['Action a number', ok({ ...S, Action: 5 }), 'identity', 'Syntax errors in policy.'],
  ['unknown condition operator', ok({ ...S, Condition: { StringEqualz: { 'aws:username': 'a' } } }), 'identity', 'Syntax errors in policy.'],
  ['Null...IfExists does not exist', ok({ ...S, Condition: { NullIfExists: { 'aws:username': 'true' } } }), 'identity', 'Syntax errors in policy.'],
  ['condition block not an object', ok({ ...S, Condition: ['x'] }), 'identity', 'Syntax errors in policy.'],
  ['unknown version', ok(S, { Version: '2020-01-01' }), 'identity', 'Syntax errors in policy.'],
  ['managed policy without version', JSON.stringify({ Statement: [S] }), 'managed', 'Policy document must be version 2012-10-17 or greater.'],
  ['managed policy of 2008', JSON.stringify({ Version: '2008-10-17', Statement: [S] }), 'managed', 'Policy document must be version 2012-10-17 or greater.'],
  ['duplicate Sid', JSON.stringify({ Version: '2012-10-17', Statement: [{ ...S, Sid: 'a' }, { ...S, Sid: 'a' }] }), 'identity', 'Statement IDs (SID) in a single policy must be unique.'],
  ['no Action', ok({ Effect: 'Allow', Resource: '*' }), 'identity', 'Policy statement must contain actions.'],
  ['no Resource', ok({ Effect: 'Allow', Action: 's3:*' }), 'identity', 'Policy statement must contain resources.'],
  ['Principal in an identity policy', ok({ ...S, Principal: '*' }), 'identity', 'Policy document should not specify a principal.'],
  ['no Principal in a resource policy', ok(S), 'resource', 'Missing required field Principal'],
  ['Resource in a trust policy', ok({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole', Resource: '*' }), 'trust', 'Has prohibited field Resource.'],
  ['a trust policy with other actions', ok({ Effect: 'Allow', Principal: { AWS: '*' }, Action: ['sts:AssumeRole', 's3:GetObject'] }), 'trust', 'AssumeRole policy may only specify STS AssumeRole actions.'],
  ['action without vendor', ok({ ...S, Action: 'GetObject' }), 'identity', 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.'],
  ['action with two colons', ok({ ...S, Action: 's3:Get:Object' }), 'identity', 'Actions/Condition can contain only one colon.'],
  ['bad vendor', ok({ ...S, Action: 's 3:GetObject' }), 'identity', 'Vendor s 3 is not valid'],
  ['resource not an ARN', ok({ ...S, Resource: 'bucket' }), 'identity', 'Resource bucket must be in ARN format or "*".'],
  ['resource ARN too short', ok({ ...S, Resource: 'arn:aws:s3' }), 'identity', 'The policy failed legacy parsing'],
];

describe('policy documents', () => {
  it.each(MALFORMED)('rejects %s', (_name, text, kind, message) => {
    expect(() => parsePolicy(text, kind)).toThrow(PolicyError);
    expect(() => parsePolicy(text, kind)).toThrow(message);
  });

  it('accepts the shapes real policies use', () => {
    const trust = parsePolicy(ok({ Effect: 'Allow', Principal: { AWS: ['123456789012', 'arn:aws:iam::111122223333:user/a'], Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }), 'trust');
    expect(trust.statements[0]!.principal).toEqual({
      everyone: false, aws: ['arn:aws:iam::123456789012:root', 'arn:aws:iam::111122223333:user/a'], service: ['ec2.amazonaws.com'], federated: [],
    });
    const conditions = parsePolicy(ok({ ...S, Condition: { 'ForAnyValue:StringLikeIfExists': { 'aws:TagKeys': ['a*', 'b'] }, Bool: { 'aws:SecureTransport': true } } }), 'identity');
    expect(conditions.statements[0]!.conditions).toEqual([
      { operator: 'StringLike', ifExists: true, set: 'ForAnyValue', key: 'aws:tagkeys', values: ['a*', 'b'] },
      { operator: 'Bool', ifExists: false, set: undefined, key: 'aws:securetransport', values: ['true'] },
    ]);
    expect(parsePolicy(JSON.stringify({ Statement: S }), 'identity').variables).toBe(false);
  });

  it('counts size without whitespace', () => {
    expect(policySize('{ "a" :\n\t"b c" }')).toBe(10);
  });
});
