import { describe, expect, it } from 'vitest';
import { aclStatements, cannedAcl, GROUPS, isPublicAcl, requestedAcl } from './acl.js';
import { isValidBucketName, regionOfConstraint } from './bucket-names.js';
import { checkBucketPolicy, isPublicPolicy } from './bucket-policy.js';
import { InvalidArgument, InvalidRequest, MalformedPolicy } from './errors.js';

describe('bucket names', () => {
  it.each(['abc', 'my-bucket.logs', 'a'.repeat(63), '1bucket', 'a-b.c-d'])('accepts %s', (name) => expect(isValidBucketName(name)).toBe(true));
  it.each(['ab', 'a'.repeat(64), 'My-Bucket', 'a_b', '-ab', 'ab-', 'a..b', 'a.-b', '10.0.0.1', 'xn--ab', 'sthree-ab', 'ab--x-s3', 'ab.mrap'])(
    'refuses %s', (name) => expect(isValidBucketName(name)).toBe(false),
  );
  it('maps location constraints to regions', () => {
    expect(regionOfConstraint('eu-west-1')).toBe('eu-west-1');
    expect(regionOfConstraint('EU')).toBe('eu-west-1');
    expect(regionOfConstraint('us-east-1')).toBeUndefined();
    expect(regionOfConstraint('moon-1')).toBeUndefined();
  });
});

describe('bucket policies', () => {
  const statement = (extra: Record<string, unknown>) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*', ...extra }] });

  it('accepts a policy on the bucket and its objects', () => {
    expect(checkBucketPolicy(statement({}), 'b')).toMatchObject({ Version: '2012-10-17' });
    expect(checkBucketPolicy(statement({ Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/x'], Action: ['s3:*', '*'] }), 'b')).toBeDefined();
  });

  it.each([
    ['{', "Policies must be valid JSON and the first byte must be '{'"],
    ['[]', "Policies must be valid JSON and the first byte must be '{'"],
    ['{}', 'Missing required field Statement'],
    [statement({ Effect: 'Maybe' }), 'Invalid effect: Maybe'],
    [statement({ Principal: undefined }), 'Missing required field Principal'],
    [statement({ Principal: 'someone' }), 'Invalid principal in policy'],
    [statement({ Action: 'iam:PassRole' }), 'Policy has invalid action'],
    [statement({ Resource: 'arn:aws:s3:::other/*' }), 'Policy has invalid resource'],
    [statement({ Resource: 'arn:aws:s3:::bb/*' }), 'Policy has invalid resource'],
    [statement({ Sid: 'x'.repeat(21 * 1024) }), 'Policy exceeds the maximum allowed document size.'],
  ])('refuses %s', (text, message) => {
    expect(() => checkBucketPolicy(text, 'b')).toThrow(new MalformedPolicy(message));
  });

  it('judges public statements as S3 does', () => {
    expect(isPublicPolicy(JSON.parse(statement({})))).toBe(true);
    expect(isPublicPolicy(JSON.parse(statement({ Principal: { AWS: '*' } })))).toBe(true);
    expect(isPublicPolicy(JSON.parse(statement({ Principal: { AWS: 'arn:aws:iam::111122223333:root' } })))).toBe(false);
    expect(isPublicPolicy(JSON.parse(statement({ Effect: 'Deny' })))).toBe(false);
    expect(isPublicPolicy(JSON.parse(statement({ Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } } })))).toBe(false);
    expect(isPublicPolicy(JSON.parse(statement({ Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } } })))).toBe(true);
    expect(isPublicPolicy(JSON.parse(statement({ Condition: { StringLike: { 'aws:SourceArn': 'arn:aws:*' } } })))).toBe(true);
    expect(isPublicPolicy(JSON.parse(statement({ Condition: { StringEquals: { 's3:prefix': 'x' } } })))).toBe(true);
  });
});

describe('ACLs', () => {
  const owner = 'a'.repeat(64);
  const other = 'b'.repeat(64);

  it('expands canned ACLs', () => {
    expect(cannedAcl('private', owner).grants).toHaveLength(1);
    expect(isPublicAcl(cannedAcl('public-read', owner))).toBe(true);
    expect(isPublicAcl(cannedAcl('authenticated-read', owner))).toBe(true);
    expect(cannedAcl('bucket-owner-full-control', owner, other).grants).toContainEqual({ Grantee: { Type: 'CanonicalUser', ID: other }, Permission: 'FULL_CONTROL' });
    expect(() => cannedAcl('everyone', owner)).toThrow(InvalidArgument);
  });

  it('reads grant headers, and refuses two ways of giving an ACL', () => {
    const acl = requestedAcl({ GrantRead: `id="${other}", uri="${GROUPS.allUsers}"`, GrantWriteACP: 'emailAddress="x@example.com"' }, owner)!;
    expect(acl.grants).toEqual([
      { Grantee: { Type: 'CanonicalUser', ID: other }, Permission: 'READ' },
      { Grantee: { Type: 'Group', URI: GROUPS.allUsers }, Permission: 'READ' },
      { Grantee: { Type: 'AmazonCustomerByEmail', EmailAddress: 'x@example.com' }, Permission: 'WRITE_ACP' },
    ]);
    expect(() => requestedAcl({ GrantRead: 'name=bob' }, owner)).toThrow(InvalidArgument);
    expect(() => requestedAcl({ ACL: 'private', GrantRead: `id="${other}"` }, owner)).toThrow(InvalidRequest);
    expect(requestedAcl({}, owner)).toBeUndefined();
  });

  it('turns grants into the policy statements they amount to', () => {
    const acl = { owner, grants: [...cannedAcl('public-read-write', owner).grants, { Grantee: { Type: 'CanonicalUser' as const, ID: other }, Permission: 'READ_ACP' as const }] };
    const statements = aclStatements(acl, 'arn:aws:s3:::b', 'bucket', (id) => (id === other ? '222233334444' : undefined));
    expect(statements).toEqual([
      { Sid: 'bucket-acl-0', Effect: 'Allow', Principal: '*', Action: ['s3:ListBucket', 's3:ListBucketVersions', 's3:ListBucketMultipartUploads'], Resource: 'arn:aws:s3:::b' },
      { Sid: 'bucket-acl-1', Effect: 'Allow', Principal: '*', Action: ['s3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion'], Resource: 'arn:aws:s3:::b/*' },
      { Sid: 'bucket-acl-2', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222233334444:root' }, Action: ['s3:GetBucketAcl'], Resource: 'arn:aws:s3:::b' },
    ]);
    const object = aclStatements(cannedAcl('public-read', owner), 'arn:aws:s3:::b/k', 'object', () => undefined);
    expect(object).toEqual([{ Sid: 'object-acl-0', Effect: 'Allow', Principal: '*', Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectTorrent'], Resource: 'arn:aws:s3:::b/k' }]);
  });
});
