import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, spawnServer, type ServerProcess, awsCliEnv } from './helpers/cli.js';

const ACCOUNT = '123456789012';
const dataDir = mkdtempSync(join(tmpdir(), 'custos-iam-cli-'));
let server: ServerProcess;
let base: NodeJS.ProcessEnv;

beforeAll(async () => {
  server = await spawnServer(['--data-dir', dataDir]);
  base = awsCliEnv(server.url);
});
afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

type Keys = { AccessKeyId: string; SecretAccessKey: string; SessionToken?: string };

/** Runs the aws CLI as root (the credentials file) or with the given keys; parses JSON output. */
async function aws(args: string[], keys?: Keys): Promise<{ code: number; json: any; stderr: string }> {
  const env = keys
    ? { ...base, AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_ACCESS_KEY_ID: keys.AccessKeyId, AWS_SECRET_ACCESS_KEY: keys.SecretAccessKey, AWS_SESSION_TOKEN: keys.SessionToken ?? '' }
    : { ...base, AWS_SHARED_CREDENTIALS_FILE: join(dataDir, 'credentials') };
  const result = await run('aws', [...args, '--output', 'json'], env);
  return { code: result.code, json: result.stdout.trim() ? JSON.parse(result.stdout) : undefined, stderr: result.stderr };
}

describe('IAM and STS through the aws CLI', () => {
  it('alice is allowed what her policy allows, denied the rest, audited, and assumes a role', async () => {
    expect((await aws(['iam', 'create-user', '--user-name', 'alice'])).json.User.Arn).toBe(`arn:aws:iam::${ACCOUNT}:user/alice`);
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['cloudtrail:LookupEvents', 'sts:GetCallerIdentity'], Resource: '*' }] });
    expect((await aws(['iam', 'put-user-policy', '--user-name', 'alice', '--policy-name', 'audit-only', '--policy-document', policy])).code).toBe(0);
    const key = (await aws(['iam', 'create-access-key', '--user-name', 'alice'])).json.AccessKey as Keys;
    expect(key.AccessKeyId).toMatch(/^AKIA/);

    const me = await aws(['sts', 'get-caller-identity'], key);
    expect(me.json).toEqual({ UserId: expect.stringMatching(/^AIDA/), Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/alice` });
    const denied = await aws(['iam', 'create-user', '--user-name', 'mallory'], key);
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain('(AccessDenied) when calling the CreateUser operation: User: arn:aws:iam::123456789012:user/alice is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::123456789012:user/mallory because no identity-based policy allows the iam:CreateUser action');

    const lookup = await aws(['cloudtrail', 'lookup-events', '--lookup-attributes', 'AttributeKey=EventName,AttributeValue=CreateUser'], key);
    expect(lookup.code, lookup.stderr).toBe(0);
    const records = (lookup.json.Events as { CloudTrailEvent: string }[]).map((e) => JSON.parse(e.CloudTrailEvent));
    const denial = records.find((r) => r.errorCode === 'AccessDenied');
    expect(denial).toMatchObject({ eventSource: 'iam.amazonaws.com', userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, accessKeyId: key.AccessKeyId } });
    expect(denial.errorMessage).toContain('is not authorized to perform: iam:CreateUser');

    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/alice` }, Action: 'sts:AssumeRole' }] });
    const role = await aws(['iam', 'create-role', '--role-name', 'auditor', '--assume-role-policy-document', trust]);
    expect(role.json.Role.AssumeRolePolicyDocument).toEqual(JSON.parse(trust));
    const rolePolicy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'cloudtrail:*', Resource: '*' }] });
    expect((await aws(['iam', 'put-role-policy', '--role-name', 'auditor', '--policy-name', 'trails', '--policy-document', rolePolicy])).code).toBe(0);
    const assumed = await aws(['sts', 'assume-role', '--role-arn', role.json.Role.Arn, '--role-session-name', 'alice-audit'], key);
    expect(assumed.code, assumed.stderr).toBe(0);
    const session = assumed.json.Credentials as Keys;
    expect((await aws(['sts', 'get-caller-identity'], session)).json.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/auditor/alice-audit`);
    expect((await aws(['cloudtrail', 'describe-trails'], session)).code).toBe(0);

    const asRole = await aws(['cloudtrail', 'lookup-events', '--lookup-attributes', 'AttributeKey=Username,AttributeValue=alice-audit'], session);
    const roleRecords = (asRole.json.Events as { CloudTrailEvent: string }[]).map((e) => JSON.parse(e.CloudTrailEvent));
    expect(roleRecords.map((r) => r.eventName)).toEqual(expect.arrayContaining(['DescribeTrails', 'GetCallerIdentity']));
    for (const record of roleRecords) {
      expect(record.userIdentity).toMatchObject({
        type: 'AssumedRole',
        arn: `arn:aws:sts::${ACCOUNT}:assumed-role/auditor/alice-audit`,
        sessionContext: { sessionIssuer: { type: 'Role', arn: role.json.Role.Arn, userName: 'auditor' }, attributes: { mfaAuthenticated: 'false' } },
      });
    }
  });

  it('answers bad policy input with IAM errors', async () => {
    const malformed = await aws(['iam', 'create-policy', '--policy-name', 'bad', '--policy-document', '{"Version": "2012-10-17", "Statement": ['] );
    expect(malformed.stderr).toContain('(MalformedPolicyDocument) when calling the CreatePolicy operation: Syntax errors in policy.');
    const unknownOperator = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { StringEqualz: { 'aws:username': 'a' } } }] });
    expect((await aws(['iam', 'create-policy', '--policy-name', 'bad', '--policy-document', unknownOperator])).stderr).toContain('(MalformedPolicyDocument)');
    const big = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: Array.from({ length: 500 }, (_, i) => `s3:Action${i}`), Resource: '*' }] });
    expect((await aws(['iam', 'create-policy', '--policy-name', 'big', '--policy-document', big])).stderr).toContain('(LimitExceeded) when calling the CreatePolicy operation: Cannot exceed quota for PolicySize: 6144');
  });
});
