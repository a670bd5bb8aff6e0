/**
 * @module
 * Golden evaluation cases: policies, a request, and the decision AWS's documented evaluation
 * logic gives. Each case names the rule it pins down.
 */
import type { Evaluation, RequestPrincipal } from '../evaluate.js';

type Doc = Record<string, unknown>;
type Stmt = Record<string, unknown>;

/** One golden case. */
export interface EvaluationCase {
  readonly name: string;
  readonly identity?: readonly Doc[];
  readonly boundary?: Doc;
  readonly session?: readonly Doc[];
  readonly resource?: { readonly policy?: Doc; readonly owner: string };
  readonly required?: boolean;
  readonly principal?: RequestPrincipal;
  readonly action: string;
  readonly resourceArn?: string;
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
  readonly expect: Evaluation['decision'];
  /** For denials: the policy type AWS's message names. */
  readonly type?: string;
}

const A = '111122223333';
const B = '444455556666';
const alice: RequestPrincipal = { arn: `arn:aws:iam::${A}:user/alice`, accountId: A };
const bob: RequestPrincipal = { arn: `arn:aws:iam::${B}:user/bob`, accountId: B };
const root: RequestPrincipal = { arn: `arn:aws:iam::${A}:root`, accountId: A, isRoot: true };
const rootB: RequestPrincipal = { arn: `arn:aws:iam::${B}:root`, accountId: B, isRoot: true };
const session: RequestPrincipal = { arn: `arn:aws:sts::${A}:assumed-role/dev/s1`, accountId: A, roleArn: `arn:aws:iam::${A}:role/dev` };
const sessionB: RequestPrincipal = { arn: `arn:aws:sts::${B}:assumed-role/ops/s2`, accountId: B, roleArn: `arn:aws:iam::${B}:role/ops` };
const configService: RequestPrincipal = { arn: 'config.amazonaws.com', accountId: A, service: 'config.amazonaws.com' };
const anonymous: RequestPrincipal = { arn: '*', accountId: '', isAnonymous: true };

const BUCKET = 'arn:aws:s3:::reports';
const OBJECT = 'arn:aws:s3:::reports/2024/q1.csv';
const USER_BOB = `arn:aws:iam::${A}:user/bob`;

function doc(...statements: Stmt[]): Doc {
  return { Version: '2012-10-17', Statement: statements };
}
function allow(action: unknown, resource: unknown = '*', extra: Stmt = {}): Stmt {
  return { Effect: 'Allow', Action: action, Resource: resource, ...extra };
}
function deny(action: unknown, resource: unknown = '*', extra: Stmt = {}): Stmt {
  return { Effect: 'Deny', Action: action, Resource: resource, ...extra };
}
function cond(operator: string, key: string, values: unknown): Stmt {
  return { Condition: { [operator]: { [key]: values } } };
}
function grant(principal: unknown, action: unknown, resource: unknown, extra: Stmt = {}): Stmt {
  return { Effect: 'Allow', Principal: principal, Action: action, Resource: resource, ...extra };
}
function refuse(principal: unknown, action: unknown, resource: unknown, extra: Stmt = {}): Stmt {
  return { Effect: 'Deny', Principal: principal, Action: action, Resource: resource, ...extra };
}

const ID = 'identity-based policy';
const RB = 'resource-based policy';
const PB = 'permissions boundary';
const SP = 'session policy';

function conditionCase(name: string, operator: string, key: string, values: unknown, context: Record<string, string | string[]>, result: boolean): EvaluationCase {
  return {
    name: `condition ${operator}: ${name}`,
    identity: [doc(allow('s3:GetObject', '*', cond(operator, key, values)))],
    action: 's3:GetObject', resourceArn: OBJECT, context,
    expect: result ? 'Allow' : 'ImplicitDeny', type: result ? undefined : ID,
  };
}

/** The golden cases. */
export const EVALUATION_CASES: readonly EvaluationCase[] = [
  // Basics: allow, implicit deny, explicit deny.
  { name: 'no policy: implicit deny', action: 'iam:CreateUser', expect: 'ImplicitDeny', type: ID },
  { name: 'exact action allows', identity: [doc(allow('iam:CreateUser'))], action: 'iam:CreateUser', expect: 'Allow' },
  { name: 'other action: implicit deny', identity: [doc(allow('iam:GetUser'))], action: 'iam:CreateUser', expect: 'ImplicitDeny', type: ID },
  { name: 'Action * allows anything', identity: [doc(allow('*'))], action: 'ec2:RunInstances', expect: 'Allow' },
  { name: 'service wildcard', identity: [doc(allow('iam:*'))], action: 'iam:DeleteRole', expect: 'Allow' },
  { name: 'service wildcard does not cross services', identity: [doc(allow('iam:*'))], action: 'sts:AssumeRole', expect: 'ImplicitDeny', type: ID },
  { name: 'prefix wildcard', identity: [doc(allow('iam:Get*'))], action: 'iam:GetUser', expect: 'Allow' },
  { name: 'prefix wildcard misses', identity: [doc(allow('iam:Get*'))], action: 'iam:ListUsers', expect: 'ImplicitDeny', type: ID },
  { name: 'question mark matches one character', identity: [doc(allow('s3:?etObject'))], action: 's3:GetObject', expect: 'Allow' },
  { name: 'question mark needs a character', identity: [doc(allow('s3:G?tObject'))], action: 's3:GtObject', expect: 'ImplicitDeny', type: ID },
  { name: 'actions are case-insensitive', identity: [doc(allow('IAM:createuser'))], action: 'iam:CreateUser', expect: 'Allow' },
  { name: 'action list: any entry', identity: [doc(allow(['iam:GetUser', 'iam:CreateUser']))], action: 'iam:CreateUser', expect: 'Allow' },
  { name: 'explicit deny beats allow', identity: [doc(allow('*'), deny('iam:DeleteUser'))], action: 'iam:DeleteUser', expect: 'ExplicitDeny', type: ID },
  { name: 'deny in another policy beats allow', identity: [doc(allow('*')), doc(deny('iam:*'))], action: 'iam:CreateUser', expect: 'ExplicitDeny', type: ID },
  { name: 'deny of another action leaves allow', identity: [doc(allow('*'), deny('iam:DeleteUser'))], action: 'iam:CreateUser', expect: 'Allow' },
  { name: 'allow spread over policies', identity: [doc(allow('iam:GetUser')), doc(allow('iam:CreateUser'))], action: 'iam:CreateUser', expect: 'Allow' },
  { name: 'single statement object, not array', identity: [{ Version: '2012-10-17', Statement: allow('sts:GetCallerIdentity') }], action: 'sts:GetCallerIdentity', expect: 'Allow' },

  // NotAction and NotResource.
  { name: 'NotAction allows what it does not list', identity: [doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })], action: 's3:GetObject', expect: 'Allow' },
  { name: 'NotAction excludes what it lists', identity: [doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })], action: 'iam:CreateUser', expect: 'ImplicitDeny', type: ID },
  { name: 'NotAction list', identity: [doc({ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' })], action: 'organizations:ListAccounts', expect: 'ImplicitDeny', type: ID },
  { name: 'Deny with NotAction denies the rest', identity: [doc(allow('*'), { Effect: 'Deny', NotAction: ['s3:*'], Resource: '*' })], action: 'ec2:RunInstances', expect: 'ExplicitDeny', type: ID },
  { name: 'Deny with NotAction spares what it lists', identity: [doc(allow('*'), { Effect: 'Deny', NotAction: ['s3:*'], Resource: '*' })], action: 's3:PutObject', expect: 'Allow' },
  { name: 'PowerUserAccess shape: iam excluded', identity: [doc({ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' }, allow(['iam:CreateServiceLinkedRole', 'iam:ListRoles']))], action: 'iam:CreateUser', expect: 'ImplicitDeny', type: ID },
  { name: 'PowerUserAccess shape: ListRoles allowed', identity: [doc({ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' }, allow(['iam:CreateServiceLinkedRole', 'iam:ListRoles']))], action: 'iam:ListRoles', expect: 'Allow' },
  { name: 'NotResource allows other resources', identity: [doc({ Effect: 'Allow', Action: 's3:*', NotResource: BUCKET })], action: 's3:GetObject', resourceArn: OBJECT, expect: 'Allow' },
  { name: 'NotResource excludes the listed resource', identity: [doc({ Effect: 'Allow', Action: 's3:*', NotResource: BUCKET })], action: 's3:ListBucket', resourceArn: BUCKET, expect: 'ImplicitDeny', type: ID },
  { name: 'Deny with NotResource protects all but one', identity: [doc(allow('s3:*'), { Effect: 'Deny', Action: 's3:*', NotResource: [BUCKET, `${BUCKET}/*`] })], action: 's3:GetObject', resourceArn: 'arn:aws:s3:::other/x', expect: 'ExplicitDeny', type: ID },

  // Resources.
  { name: 'exact resource ARN', identity: [doc(allow('iam:GetUser', USER_BOB))], action: 'iam:GetUser', resourceArn: USER_BOB, expect: 'Allow' },
  { name: 'other resource ARN', identity: [doc(allow('iam:GetUser', USER_BOB))], action: 'iam:GetUser', resourceArn: `arn:aws:iam::${A}:user/carol`, expect: 'ImplicitDeny', type: ID },
  { name: 'resource wildcard in the path', identity: [doc(allow('s3:GetObject', `${BUCKET}/*`))], action: 's3:GetObject', resourceArn: OBJECT, expect: 'Allow' },
  { name: 'bucket/* does not match the bucket', identity: [doc(allow('s3:ListBucket', `${BUCKET}/*`))], action: 's3:ListBucket', resourceArn: BUCKET, expect: 'ImplicitDeny', type: ID },
  { name: 'resource ARNs are case-sensitive', identity: [doc(allow('iam:GetUser', `arn:aws:iam::${A}:user/Bob`))], action: 'iam:GetUser', resourceArn: USER_BOB, expect: 'ImplicitDeny', type: ID },
  { name: 'resource list: any entry', identity: [doc(allow('s3:*', [BUCKET, `${BUCKET}/*`]))], action: 's3:ListBucket', resourceArn: BUCKET, expect: 'Allow' },
  { name: 'account wildcard in ARN', identity: [doc(allow('sns:Publish', 'arn:aws:sns:*:*:alerts'))], action: 'sns:Publish', resourceArn: `arn:aws:sns:us-east-1:${A}:alerts`, expect: 'Allow' },
  { name: 'question mark in resource', identity: [doc(allow('s3:GetObject', `${BUCKET}/2024/q?.csv`))], action: 's3:GetObject', resourceArn: OBJECT, expect: 'Allow' },

  // Policy variables.
  { name: '${aws:username} in resource', identity: [doc(allow('iam:*AccessKey*', `arn:aws:iam::${A}:user/\${aws:username}`))], action: 'iam:CreateAccessKey', resourceArn: `arn:aws:iam::${A}:user/alice`, context: { 'aws:username': 'alice' }, expect: 'Allow' },
  { name: '${aws:username} does not reach other users', identity: [doc(allow('iam:*AccessKey*', `arn:aws:iam::${A}:user/\${aws:username}`))], action: 'iam:CreateAccessKey', resourceArn: USER_BOB, context: { 'aws:username': 'alice' }, expect: 'ImplicitDeny', type: ID },
  { name: 'variable without a value matches nothing', identity: [doc(allow('iam:GetUser', `arn:aws:iam::${A}:user/\${aws:username}`))], action: 'iam:GetUser', resourceArn: `arn:aws:iam::${A}:user/`, expect: 'ImplicitDeny', type: ID },
  { name: 'variable default value', identity: [doc(allow('s3:GetObject', `${BUCKET}/\${aws:PrincipalTag/team, 'shared'}/*`))], action: 's3:GetObject', resourceArn: `${BUCKET}/shared/a`, expect: 'Allow' },
  { name: 'variable names are case-insensitive', identity: [doc(allow('s3:GetObject', `${BUCKET}/home/\${AWS:UserName}/*`))], action: 's3:GetObject', resourceArn: `${BUCKET}/home/alice/x`, context: { 'aws:username': 'alice' }, expect: 'Allow' },
  { name: '${*} is a literal star', identity: [doc(allow('s3:GetObject', `${BUCKET}/\${*}`))], action: 's3:GetObject', resourceArn: `${BUCKET}/*`, expect: 'Allow' },
  { name: '${*} does not act as a wildcard', identity: [doc(allow('s3:GetObject', `${BUCKET}/\${*}`))], action: 's3:GetObject', resourceArn: `${BUCKET}/x`, expect: 'ImplicitDeny', type: ID },
  { name: 'variables are literal in 2008-10-17 policies', identity: [{ Version: '2008-10-17', Statement: [allow('s3:GetObject', `${BUCKET}/\${aws:username}`)] }], action: 's3:GetObject', resourceArn: `${BUCKET}/alice`, context: { 'aws:username': 'alice' }, expect: 'ImplicitDeny', type: ID },
  { name: 'variable in condition value', identity: [doc(allow('s3:ListBucket', BUCKET, cond('StringLike', 's3:prefix', ['home/${aws:username}/*'])))], action: 's3:ListBucket', resourceArn: BUCKET, context: { 'aws:username': 'alice', 's3:prefix': 'home/alice/docs' }, expect: 'Allow' },
  { name: 'variable in condition value, other user', identity: [doc(allow('s3:ListBucket', BUCKET, cond('StringLike', 's3:prefix', ['home/${aws:username}/*'])))], action: 's3:ListBucket', resourceArn: BUCKET, context: { 'aws:username': 'alice', 's3:prefix': 'home/bob/' }, expect: 'ImplicitDeny', type: ID },

  // String conditions.
  conditionCase('equal', 'StringEquals', 'aws:PrincipalTag/team', 'red', { 'aws:principaltag/team': 'red' }, true),
  conditionCase('not equal', 'StringEquals', 'aws:PrincipalTag/team', 'red', { 'aws:principaltag/team': 'blue' }, false),
  conditionCase('case-sensitive', 'StringEquals', 'aws:PrincipalTag/team', 'red', { 'aws:principaltag/team': 'Red' }, false),
  conditionCase('any of the values', 'StringEquals', 'aws:PrincipalTag/team', ['red', 'blue'], { 'aws:principaltag/team': 'blue' }, true),
  conditionCase('missing key fails', 'StringEquals', 'aws:PrincipalTag/team', 'red', {}, false),
  conditionCase('condition keys are case-insensitive', 'StringEquals', 'AWS:PRINCIPALTAG/team', 'red', { 'aws:principaltag/team': 'red' }, true),
  conditionCase('negation', 'StringNotEquals', 'aws:PrincipalTag/team', 'red', { 'aws:principaltag/team': 'blue' }, true),
  conditionCase('negation of a listed value', 'StringNotEquals', 'aws:PrincipalTag/team', ['red', 'blue'], { 'aws:principaltag/team': 'blue' }, false),
  conditionCase('negation with the key missing holds', 'StringNotEquals', 'aws:PrincipalTag/team', 'red', {}, true),
  conditionCase('ignore case', 'StringEqualsIgnoreCase', 'aws:PrincipalTag/team', 'RED', { 'aws:principaltag/team': 'red' }, true),
  conditionCase('not equals ignore case', 'StringNotEqualsIgnoreCase', 'aws:PrincipalTag/team', 'RED', { 'aws:principaltag/team': 'red' }, false),
  conditionCase('like with star', 'StringLike', 's3:prefix', 'logs/*', { 's3:prefix': 'logs/2024/01' }, true),
  conditionCase('like misses', 'StringLike', 's3:prefix', 'logs/*', { 's3:prefix': 'data/x' }, false),
  conditionCase('like with question mark', 'StringLike', 's3:prefix', 'log?', { 's3:prefix': 'logs' }, true),
  conditionCase('not like', 'StringNotLike', 's3:prefix', 'secret/*', { 's3:prefix': 'public/a' }, true),
  conditionCase('not like on a match', 'StringNotLike', 's3:prefix', 'secret/*', { 's3:prefix': 'secret/a' }, false),
  conditionCase('IfExists with the key missing holds', 'StringEqualsIfExists', 'aws:PrincipalTag/team', 'red', {}, true),
  conditionCase('IfExists with the key present is tested', 'StringEqualsIfExists', 'aws:PrincipalTag/team', 'red', { 'aws:principaltag/team': 'blue' }, false),

  // Numeric, date, bool, null.
  conditionCase('numeric less than', 'NumericLessThan', 's3:max-keys', '10', { 's3:max-keys': '5' }, true),
  conditionCase('numeric less than at the bound', 'NumericLessThan', 's3:max-keys', '10', { 's3:max-keys': '10' }, false),
  conditionCase('numeric less than equals at the bound', 'NumericLessThanEquals', 's3:max-keys', '10', { 's3:max-keys': '10' }, true),
  conditionCase('numeric greater than', 'NumericGreaterThan', 'aws:MultiFactorAuthAge', '3600', { 'aws:multifactorauthage': '7200' }, true),
  conditionCase('numeric greater than equals', 'NumericGreaterThanEquals', 'aws:MultiFactorAuthAge', '3600', { 'aws:multifactorauthage': '60' }, false),
  conditionCase('numeric equals', 'NumericEquals', 's3:max-keys', '10', { 's3:max-keys': '10.0' }, true),
  conditionCase('numeric not equals', 'NumericNotEquals', 's3:max-keys', '10', { 's3:max-keys': '11' }, true),
  conditionCase('numeric on a non-number fails', 'NumericEquals', 's3:max-keys', '10', { 's3:max-keys': 'ten' }, false),
  conditionCase('date before', 'DateLessThan', 'aws:CurrentTime', '2030-01-01T00:00:00Z', { 'aws:currenttime': '2026-06-01T12:00:00Z' }, true),
  conditionCase('date after the bound', 'DateLessThan', 'aws:CurrentTime', '2020-01-01T00:00:00Z', { 'aws:currenttime': '2026-06-01T12:00:00Z' }, false),
  conditionCase('date greater than', 'DateGreaterThan', 'aws:CurrentTime', '2020-01-01', { 'aws:currenttime': '2026-06-01T12:00:00Z' }, true),
  conditionCase('date as epoch seconds', 'DateGreaterThanEquals', 'aws:EpochTime', '1700000000', { 'aws:epochtime': '1800000000' }, true),
  conditionCase('date equals', 'DateEquals', 'aws:TokenIssueTime', '2026-06-01T12:00:00Z', { 'aws:tokenissuetime': '2026-06-01T12:00:00.000Z' }, true),
  conditionCase('date not equals', 'DateNotEquals', 'aws:TokenIssueTime', '2026-06-01T12:00:00Z', { 'aws:tokenissuetime': '2026-06-01T12:00:01Z' }, true),
  conditionCase('bool true', 'Bool', 'aws:SecureTransport', 'true', { 'aws:securetransport': 'true' }, true),
  conditionCase('bool false', 'Bool', 'aws:SecureTransport', 'true', { 'aws:securetransport': 'false' }, false),
  conditionCase('bool as a JSON boolean', 'Bool', 'aws:MultiFactorAuthPresent', true, { 'aws:multifactorauthpresent': 'true' }, true),
  conditionCase('bool missing key fails', 'Bool', 'aws:MultiFactorAuthPresent', 'true', {}, false),
  conditionCase('BoolIfExists missing key holds', 'BoolIfExists', 'aws:MultiFactorAuthPresent', 'false', {}, true),
  conditionCase('Null true on a missing key', 'Null', 'aws:MultiFactorAuthPresent', 'true', {}, true),
  conditionCase('Null true on a present key', 'Null', 'aws:MultiFactorAuthPresent', 'true', { 'aws:multifactorauthpresent': 'false' }, false),
  conditionCase('Null false on a present key', 'Null', 'aws:TokenIssueTime', 'false', { 'aws:tokenissuetime': '2026-01-01T00:00:00Z' }, true),
  conditionCase('Null false on a missing key', 'Null', 'aws:TokenIssueTime', 'false', {}, false),
  conditionCase('binary equals', 'BinaryEquals', 'aws:PrincipalTag/blob', 'QmluYXJ5', { 'aws:principaltag/blob': 'QmluYXJ5' }, true),

  // IP addresses and ARNs.
  conditionCase('IP in CIDR', 'IpAddress', 'aws:SourceIp', '203.0.113.0/24', { 'aws:sourceip': '203.0.113.7' }, true),
  conditionCase('IP outside CIDR', 'IpAddress', 'aws:SourceIp', '203.0.113.0/24', { 'aws:sourceip': '198.51.100.7' }, false),
  conditionCase('single IP without prefix', 'IpAddress', 'aws:SourceIp', '127.0.0.1', { 'aws:sourceip': '127.0.0.1' }, true),
  conditionCase('IPv6 CIDR', 'IpAddress', 'aws:SourceIp', '2001:db8::/32', { 'aws:sourceip': '2001:db8:1::5' }, true),
  conditionCase('IPv4 against IPv6 CIDR', 'IpAddress', 'aws:SourceIp', '2001:db8::/32', { 'aws:sourceip': '10.0.0.1' }, false),
  conditionCase('NotIpAddress outside', 'NotIpAddress', 'aws:SourceIp', ['10.0.0.0/8', '192.168.0.0/16'], { 'aws:sourceip': '203.0.113.7' }, true),
  conditionCase('NotIpAddress inside', 'NotIpAddress', 'aws:SourceIp', ['10.0.0.0/8'], { 'aws:sourceip': '10.1.2.3' }, false),
  conditionCase('ArnLike per segment', 'ArnLike', 'aws:PrincipalArn', `arn:aws:iam::${A}:role/*`, { 'aws:principalarn': `arn:aws:iam::${A}:role/dev` }, true),
  conditionCase('ArnLike wildcard does not span a colon', 'ArnLike', 'aws:SourceArn', 'arn:aws:sns:*', { 'aws:sourcearn': `arn:aws:sns:us-east-1:${A}:t` }, false),
  conditionCase('ArnEquals exact', 'ArnEquals', 'aws:SourceArn', `arn:aws:cloudtrail:us-east-1:${A}:trail/main`, { 'aws:sourcearn': `arn:aws:cloudtrail:us-east-1:${A}:trail/main` }, true),
  conditionCase('ArnNotLike', 'ArnNotLike', 'aws:PrincipalArn', `arn:aws:iam::${A}:role/admin-*`, { 'aws:principalarn': `arn:aws:iam::${A}:role/dev` }, true),
  conditionCase('ArnNotEquals on a match', 'ArnNotEquals', 'aws:PrincipalArn', `arn:aws:iam::${A}:role/dev`, { 'aws:principalarn': `arn:aws:iam::${A}:role/dev` }, false),

  // Multivalued keys and set operators.
  conditionCase('ForAllValues: every key allowed', 'ForAllValues:StringEquals', 'aws:TagKeys', ['env', 'team'], { 'aws:tagkeys': ['env'] }, true),
  conditionCase('ForAllValues: one key not allowed', 'ForAllValues:StringEquals', 'aws:TagKeys', ['env', 'team'], { 'aws:tagkeys': ['env', 'owner'] }, false),
  conditionCase('ForAllValues: missing key holds', 'ForAllValues:StringEquals', 'aws:TagKeys', ['env'], {}, true),
  conditionCase('ForAnyValue: one key matches', 'ForAnyValue:StringEquals', 'aws:TagKeys', ['env'], { 'aws:tagkeys': ['owner', 'env'] }, true),
  conditionCase('ForAnyValue: none matches', 'ForAnyValue:StringEquals', 'aws:TagKeys', ['env'], { 'aws:tagkeys': ['owner'] }, false),
  conditionCase('ForAnyValue: missing key fails', 'ForAnyValue:StringEquals', 'aws:TagKeys', ['env'], {}, false),
  conditionCase('ForAnyValue:StringLike', 'ForAnyValue:StringLike', 'aws:TagKeys', ['cost-*'], { 'aws:tagkeys': ['cost-center'] }, true),
  conditionCase('ForAllValues:StringNotEquals forbids keys', 'ForAllValues:StringNotEquals', 'aws:TagKeys', ['owner'], { 'aws:tagkeys': ['env', 'owner'] }, false),
  conditionCase('request tag value', 'StringEquals', 'aws:RequestTag/env', 'prod', { 'aws:requesttag/env': 'prod' }, true),
  conditionCase('resource tag value', 'StringEquals', 'aws:ResourceTag/env', 'prod', { 'aws:resourcetag/env': 'dev' }, false),
  { name: 'two keys in one operator: both must hold', identity: [doc(allow('s3:GetObject', '*', { Condition: { StringEquals: { 'aws:PrincipalTag/team': 'red', 'aws:RequestedRegion': 'us-east-1' } } }))], action: 's3:GetObject', context: { 'aws:principaltag/team': 'red', 'aws:requestedregion': 'eu-west-1' }, expect: 'ImplicitDeny', type: ID },
  { name: 'two operators: both must hold', identity: [doc(allow('s3:GetObject', '*', { Condition: { Bool: { 'aws:SecureTransport': 'true' }, IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }))], action: 's3:GetObject', context: { 'aws:securetransport': 'true', 'aws:sourceip': '10.9.9.9' }, expect: 'Allow' },
  { name: 'deny without MFA (BoolIfExists false)', identity: [doc(allow('*'), deny('iam:*', '*', cond('BoolIfExists', 'aws:MultiFactorAuthPresent', 'false')))], action: 'iam:CreateUser', context: {}, expect: 'ExplicitDeny', type: ID },
  { name: 'deny without MFA spares MFA sessions', identity: [doc(allow('*'), deny('iam:*', '*', cond('BoolIfExists', 'aws:MultiFactorAuthPresent', 'false')))], action: 'iam:CreateUser', context: { 'aws:multifactorauthpresent': 'true' }, expect: 'Allow' },
  { name: 'deny outside a network', identity: [doc(allow('*'), deny('*', '*', cond('NotIpAddress', 'aws:SourceIp', '10.0.0.0/8')))], action: 's3:GetObject', context: { 'aws:sourceip': '8.8.8.8' }, expect: 'ExplicitDeny', type: ID },
  { name: 'deny of insecure transport', identity: [doc(allow('s3:*'), deny('s3:*', '*', cond('Bool', 'aws:SecureTransport', 'false')))], action: 's3:GetObject', context: { 'aws:securetransport': 'false' }, expect: 'ExplicitDeny', type: ID },
  { name: 'unknown operator with no keys is ignored', identity: [doc(allow('s3:GetObject', '*', { Condition: { StringEqualz: {} } }))], action: 's3:GetObject', expect: 'Allow' },

  // Permissions boundaries.
  { name: 'boundary and identity both allow', identity: [doc(allow('*'))], boundary: doc(allow(['s3:*', 'cloudtrail:*'])), action: 's3:GetObject', expect: 'Allow' },
  { name: 'boundary does not allow', identity: [doc(allow('*'))], boundary: doc(allow(['s3:*'])), action: 'iam:CreateUser', expect: 'ImplicitDeny', type: PB },
  { name: 'boundary alone grants nothing', boundary: doc(allow('*')), action: 's3:GetObject', expect: 'ImplicitDeny', type: ID },
  { name: 'explicit deny in boundary', identity: [doc(allow('*'))], boundary: doc(allow('*'), deny('iam:*')), action: 'iam:CreateUser', expect: 'ExplicitDeny', type: PB },
  { name: 'boundary does not limit a resource policy naming the user', boundary: doc(allow('ec2:*')), resource: { policy: doc(grant({ AWS: alice.arn }, 's3:GetObject', `${BUCKET}/*`)), owner: A }, action: 's3:GetObject', resourceArn: OBJECT, expect: 'Allow' },
  { name: 'boundary limits a resource policy naming the role', principal: session, boundary: doc(allow('ec2:*')), resource: { policy: doc(grant({ AWS: session.roleArn }, 's3:GetObject', `${BUCKET}/*`)), owner: A }, action: 's3:GetObject', resourceArn: OBJECT, expect: 'ImplicitDeny', type: PB },

  // Session policies.
  { name: 'session policy intersects the role', principal: session, identity: [doc(allow('s3:*'))], session: [doc(allow('s3:GetObject'))], action: 's3:GetObject', expect: 'Allow' },
  { name: 'session policy narrows the role', principal: session, identity: [doc(allow('s3:*'))], session: [doc(allow('s3:GetObject'))], action: 's3:PutObject', expect: 'ImplicitDeny', type: SP },
  { name: 'session policy cannot widen the role', principal: session, identity: [doc(allow('s3:GetObject'))], session: [doc(allow('*'))], action: 'iam:CreateUser', expect: 'ImplicitDeny', type: ID },
  { name: 'explicit deny in a session policy', principal: session, identity: [doc(allow('*'))], session: [doc(allow('*'), deny('s3:DeleteObject'))], action: 's3:DeleteObject', expect: 'ExplicitDeny', type: SP },
  { name: 'managed session policies add up', principal: session, identity: [doc(allow('*'))], session: [doc(allow('s3:GetObject')), doc(allow('s3:PutObject'))], action: 's3:PutObject', expect: 'Allow' },
  { name: 'resource policy naming the session is not limited by the session policy', principal: session, session: [doc(allow('ec2:*'))], resource: { policy: doc(grant({ AWS: session.arn }, 's3:GetObject', `${BUCKET}/*`)), owner: A }, action: 's3:GetObject', resourceArn: OBJECT, expect: 'Allow' },
  { name: 'resource policy naming the role is limited by the session policy', principal: session, session: [doc(allow('ec2:*'))], resource: { policy: doc(grant({ AWS: session.roleArn }, 's3:GetObject', `${BUCKET}/*`)), owner: A }, action: 's3:GetObject', resourceArn: OBJECT, expect: 'ImplicitDeny', type: SP },
  { name: 'resource policy naming the role allows the session', principal: session, resource: { policy: doc(grant({ AWS: session.roleArn }, 's3:GetObject', `${BUCKET}/*`)), owner: A }, action: 's3:GetObject', resourceArn: OBJECT, expect: 'Allow' },

  // Resource-based policies, same account.
  { name: 'resource policy naming the user allows without identity policy', resource: { policy: doc(grant({ AWS: alice.arn }, 's3:GetObject', `${BUCKET}/*`)), owner: A }, action: 's3:GetObject', resourceArn: OBJECT, expect: 'Allow' },
  { name: 'resource policy naming the account needs an identity policy', resource: { policy: doc(grant({ AWS: A }, 's3:GetObject', `${BUCKET}/*`)), owner: A }, action: 's3:GetObject', resourceArn: OBJECT, expect: 'ImplicitDeny', type: ID },
  { name: 'resource policy naming the account plus identity policy', identity: [doc(allow('s3:GetObject'))], resource: { policy: doc(grant({ AWS: `arn:aws:iam::${A}:root` }, 's3:GetObject', `${BUCKET}/*`)), owner: A }, action: 's3:GetObject', resourceArn: OBJECT, expect: 'Allow' },
  { name: 'resource policy for someone else: identity policy suffices', identity: [doc(allow('s3:GetObject'))], resource: { policy: doc(grant({ AWS: USER_BOB }, 's3:GetObject', `${BUCKET}/*`)), owner: A }, action: 's3:GetObject', resourceArn: OBJECT, expect: 'Allow' },
  { name: 'resource policy deny beats identity allow', identity: [doc(allow('s3:*'))], resource: { policy: doc(refuse('*', 's3:DeleteObject', `${BUCKET}/*`)), owner: A }, action: 's3:DeleteObject', resourceArn: OBJECT, expect: 'ExplicitDeny', type: RB },
  { name: 'resource policy deny binds the root user', principal: root, resource: { policy: doc(refuse('*', 's3:*', [BUCKET, `${BUCKET}/*`])), owner: A }, action: 's3:GetObject', resourceArn: OBJECT, expect: 'ExplicitDeny', type: RB },
  { name: 'public resource policy (Principal "*")', resource: { policy: doc(grant('*', 's3:GetObject', `${BUCKET}/*`)), owner: A }, action: 's3:GetObject', resourceArn: OBJECT, expect: 'Allow' },
  { name: 'public resource policy with {"AWS": "*"}', resource: { policy: doc(grant({ AWS: '*' }, 's3:GetObject', `${BUCKET}/*`)), owner: A }, action: 's3:GetObject', resourceArn: OBJECT, expect: 'Allow' },
  { name: 'resource policy condition on aws:SourceIp', resource: { policy: doc(grant('*', 's3:GetObject', `${BUCKET}/*`, cond('IpAddress', 'aws:SourceIp', '10.0.0.0/8'))), owner: A }, action: 's3:GetObject', resourceArn: OBJECT, context: { 'aws:sourceip': '192.0.2.1' }, expect: 'ImplicitDeny', type: ID },
  { name: 'NotPrincipal deny spares the named principal', identity: [doc(allow('s3:*'))], resource: { policy: doc({ Effect: 'Deny', NotPrincipal: { AWS: alice.arn }, Action: 's3:*', Resource: `${BUCKET}/*` }), owner: A }, action: 's3:GetObject', resourceArn: OBJECT, expect: 'Allow' },
  { name: 'NotPrincipal deny hits everyone else', principal: { arn: USER_BOB, accountId: A }, identity: [doc(allow('s3:*'))], resource: { policy: doc({ Effect: 'Deny', NotPrincipal: { AWS: alice.arn }, Action: 's3:*', Resource: `${BUCKET}/*` }), owner: A }, action: 's3:GetObject', resourceArn: OBJECT, expect: 'ExplicitDeny', type: RB },
  { name: 'service principal in a resource policy', principal: configService, resource: { policy: doc(grant({ Service: 'config.amazonaws.com' }, 's3:PutObject', `${BUCKET}/*`)), owner: A }, action: 's3:PutObject', resourceArn: OBJECT, expect: 'Allow' },
  { name: 'anonymous caller needs a public grant', principal: anonymous, resource: { policy: doc(grant({ AWS: A }, 's3:GetObject', `${BUCKET}/*`)), owner: A }, action: 's3:GetObject', resourceArn: OBJECT, expect: 'ImplicitDeny', type: RB },
  { name: 'anonymous caller with a public grant', principal: anonymous, resource: { policy: doc(grant('*', 's3:GetObject', `${BUCKET}/*`)), owner: A }, action: 's3:GetObject', resourceArn: OBJECT, expect: 'Allow' },

  // Root and AWS services.
  { name: 'root may do anything in its account', principal: root, action: 'iam:CreateUser', resourceArn: USER_BOB, expect: 'Allow' },
  { name: 'root is not limited by identity policies', principal: root, identity: [doc(deny('*'))], action: 'iam:CreateUser', expect: 'Allow' },
  { name: 'root of another account needs the resource policy', principal: rootB, resource: { owner: A }, action: 's3:GetObject', resourceArn: OBJECT, expect: 'ImplicitDeny', type: RB },
  { name: 'root of another account with a grant to its account', principal: rootB, resource: { policy: doc(grant({ AWS: B }, 's3:GetObject', `${BUCKET}/*`)), owner: A }, action: 's3:GetObject', resourceArn: OBJECT, expect: 'Allow' },

  // Cross-account.
  { name: 'cross-account: no resource policy', principal: bob, identity: [doc(allow('s3:*'))], resource: { owner: A }, action: 's3:GetObject', resourceArn: OBJECT, expect: 'ImplicitDeny', type: RB },
  { name: 'cross-account: resource policy alone is not enough', principal: bob, resource: { policy: doc(grant({ AWS: bob.arn }, 's3:GetObject', `${BUCKET}/*`)), owner: A }, action: 's3:GetObject', resourceArn: OBJECT, expect: 'ImplicitDeny', type: ID },
  { name: 'cross-account: both sides allow', principal: bob, identity: [doc(allow('s3:GetObject'))], resource: { policy: doc(grant({ AWS: bob.arn }, 's3:GetObject', `${BUCKET}/*`)), owner: A }, action: 's3:GetObject', resourceArn: OBJECT, expect: 'Allow' },
  { name: 'cross-account: grant to the account plus identity policy', principal: bob, identity: [doc(allow('s3:GetObject'))], resource: { policy: doc(grant({ AWS: `arn:aws:iam::${B}:root` }, 's3:GetObject', `${BUCKET}/*`)), owner: A }, action: 's3:GetObject', resourceArn: OBJECT, expect: 'Allow' },
  { name: 'cross-account: grant to another account', principal: bob, identity: [doc(allow('s3:GetObject'))], resource: { policy: doc(grant({ AWS: A }, 's3:GetObject', `${BUCKET}/*`)), owner: A }, action: 's3:GetObject', resourceArn: OBJECT, expect: 'ImplicitDeny', type: RB },
  { name: 'cross-account: identity deny wins', principal: bob, identity: [doc(allow('s3:*'), deny('s3:GetObject'))], resource: { policy: doc(grant({ AWS: bob.arn }, 's3:GetObject', `${BUCKET}/*`)), owner: A }, action: 's3:GetObject', resourceArn: OBJECT, expect: 'ExplicitDeny', type: ID },
  { name: 'cross-account: boundary limits', principal: bob, identity: [doc(allow('s3:*'))], boundary: doc(allow('ec2:*')), resource: { policy: doc(grant({ AWS: bob.arn }, 's3:GetObject', `${BUCKET}/*`)), owner: A }, action: 's3:GetObject', resourceArn: OBJECT, expect: 'ImplicitDeny', type: PB },
  { name: 'cross-account: role session with both sides', principal: sessionB, identity: [doc(allow('sns:Publish'))], resource: { policy: doc(grant({ AWS: sessionB.roleArn }, 'sns:Publish', `arn:aws:sns:us-east-1:${A}:alerts`)), owner: A }, action: 'sns:Publish', resourceArn: `arn:aws:sns:us-east-1:${A}:alerts`, expect: 'Allow' },
  { name: 'cross-account: service principal', principal: { ...configService, accountId: B }, resource: { policy: doc(grant({ Service: 'config.amazonaws.com' }, 's3:PutObject', `${BUCKET}/*`)), owner: A }, action: 's3:PutObject', resourceArn: OBJECT, expect: 'Allow' },

  // Role trust policies (sts:AssumeRole needs the trust policy, always).
  { name: 'trust policy naming the user allows', resource: { policy: doc({ Effect: 'Allow', Principal: { AWS: alice.arn }, Action: 'sts:AssumeRole' }), owner: A }, required: true, action: 'sts:AssumeRole', resourceArn: `arn:aws:iam::${A}:role/dev`, expect: 'Allow' },
  { name: 'trust policy naming the account needs identity permission', resource: { policy: doc({ Effect: 'Allow', Principal: { AWS: A }, Action: 'sts:AssumeRole' }), owner: A }, required: true, action: 'sts:AssumeRole', resourceArn: `arn:aws:iam::${A}:role/dev`, expect: 'ImplicitDeny', type: ID },
  { name: 'trust policy naming the account plus identity permission', identity: [doc(allow('sts:AssumeRole'))], resource: { policy: doc({ Effect: 'Allow', Principal: { AWS: A }, Action: 'sts:AssumeRole' }), owner: A }, required: true, action: 'sts:AssumeRole', resourceArn: `arn:aws:iam::${A}:role/dev`, expect: 'Allow' },
  { name: 'identity permission without trust is not enough', identity: [doc(allow('sts:AssumeRole'))], resource: { policy: doc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }), owner: A }, required: true, action: 'sts:AssumeRole', resourceArn: `arn:aws:iam::${A}:role/dev`, expect: 'ImplicitDeny', type: RB },
  { name: 'root cannot bypass the trust policy', principal: root, resource: { policy: doc({ Effect: 'Allow', Principal: { AWS: alice.arn }, Action: 'sts:AssumeRole' }), owner: A }, required: true, action: 'sts:AssumeRole', resourceArn: `arn:aws:iam::${A}:role/dev`, expect: 'ImplicitDeny', type: RB },
  { name: 'trust policy with sts:ExternalId', resource: { policy: doc({ Effect: 'Allow', Principal: { AWS: alice.arn }, Action: 'sts:AssumeRole', ...cond('StringEquals', 'sts:ExternalId', 'xyz') }), owner: A }, required: true, action: 'sts:AssumeRole', resourceArn: `arn:aws:iam::${A}:role/dev`, context: { 'sts:externalid': 'xyz' }, expect: 'Allow' },
  { name: 'trust policy with the wrong ExternalId', resource: { policy: doc({ Effect: 'Allow', Principal: { AWS: alice.arn }, Action: 'sts:AssumeRole', ...cond('StringEquals', 'sts:ExternalId', 'xyz') }), owner: A }, required: true, action: 'sts:AssumeRole', resourceArn: `arn:aws:iam::${A}:role/dev`, context: { 'sts:externalid': 'abc' }, expect: 'ImplicitDeny', type: RB },
  { name: 'cross-account trust plus identity permission', principal: bob, identity: [doc(allow('sts:AssumeRole', `arn:aws:iam::${A}:role/dev`))], resource: { policy: doc({ Effect: 'Allow', Principal: { AWS: B }, Action: 'sts:AssumeRole' }), owner: A }, required: true, action: 'sts:AssumeRole', resourceArn: `arn:aws:iam::${A}:role/dev`, expect: 'Allow' },
  { name: 'trust policy requiring MFA, without MFA', resource: { policy: doc({ Effect: 'Allow', Principal: { AWS: alice.arn }, Action: 'sts:AssumeRole', ...cond('Bool', 'aws:MultiFactorAuthPresent', 'true') }), owner: A }, required: true, action: 'sts:AssumeRole', resourceArn: `arn:aws:iam::${A}:role/dev`, expect: 'ImplicitDeny', type: RB },
];
