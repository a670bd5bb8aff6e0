import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOS, run, spawnServer, type ServerProcess, awsCliEnv } from './helpers/cli.js';
import { cloudTrailBucketPolicy } from './helpers/trail-destinations.js';

const dataDir = mkdtempSync(join(tmpdir(), 'custos-cli-'));
let server: ServerProcess;
let aws: (args: string[]) => ReturnType<typeof run>;

beforeAll(async () => {
  server = await spawnServer(['--data-dir', dataDir]);
  const env = awsCliEnv(server.url, join(dataDir, 'credentials'));
  aws = (args) => run('aws', args, env);
});
afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the aws CLI against custos serve', () => {
  it('finds its own get-caller-identity call, by request id, in lookup-events', async () => {
    const credentialsFile = join(dataDir, 'credentials');
    expect(statSync(credentialsFile).mode & 0o777).toBe(0o600);
    expect(server.logs.some((l) => String(l.msg).includes(credentialsFile))).toBe(true);

    const identity = await aws(['sts', 'get-caller-identity', '--debug']);
    expect(identity.code, identity.stderr.slice(-2000)).toBe(0);
    expect(JSON.parse(identity.stdout)).toEqual({ UserId: '123456789012', Account: '123456789012', Arn: 'arn:aws:iam::123456789012:root' });
    const requestId = /'x-amzn-RequestId': '([0-9a-f-]{36})'/i.exec(identity.stderr)?.[1];
    expect(requestId).toBeDefined();

    const lookup = await aws(['cloudtrail', 'lookup-events', '--lookup-attributes', 'AttributeKey=EventName,AttributeValue=GetCallerIdentity']);
    expect(lookup.code, lookup.stderr).toBe(0);
    const records = (JSON.parse(lookup.stdout).Events as { CloudTrailEvent: string }[]).map((e) => JSON.parse(e.CloudTrailEvent));
    const record = records.find((r) => r.requestID === requestId);
    expect(record).toMatchObject({ eventName: 'GetCallerIdentity', eventSource: 'sts.amazonaws.com', userIdentity: { type: 'Root' } });
    expect(record.userAgent).toMatch(/^aws-cli\//);
  });

  it('drives trails with the CLI, errors included', async () => {
    expect((await aws(['s3api', 'create-bucket', '--bucket', 'audit-bucket'])).code).toBe(0);
    const policy = await aws(['s3api', 'put-bucket-policy', '--bucket', 'audit-bucket', '--policy', cloudTrailBucketPolicy('audit-bucket')]);
    expect(policy.code, policy.stderr).toBe(0);
    const noBucket = await aws(['cloudtrail', 'create-trail', '--name', 'cli-trail', '--s3-bucket-name', 'no-such-bucket']);
    expect(noBucket.code).not.toBe(0);
    expect(noBucket.stderr).toContain('S3BucketDoesNotExistException');
    const created = await aws(['cloudtrail', 'create-trail', '--name', 'cli-trail', '--s3-bucket-name', 'audit-bucket']);
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout).TrailARN).toBe('arn:aws:cloudtrail:us-east-1:123456789012:trail/cli-trail');
    const described = await aws(['cloudtrail', 'describe-trails']);
    expect(JSON.parse(described.stdout).trailList.map((t: { Name: string }) => t.Name)).toContain('cli-trail');
    const missing = await aws(['cloudtrail', 'get-trail', '--name', 'nope']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('TrailNotFoundException');
  });

  it('verify-chain passes on the live log and names the first link broken by an edit', async () => {
    const intact = await run(CUSTOS[0]!, [...CUSTOS.slice(1), 'verify-chain', '--data-dir', dataDir]);
    expect(intact.code, intact.stdout + intact.stderr).toBe(0);
    expect(intact.stdout).toMatch(/All \d+ chains are intact\./);

    const db = new Database(join(dataDir, 'custos.db'));
    const victim = db.prepare('SELECT seq, chain_seq, event_id, account_id, region FROM events ORDER BY seq LIMIT 1 OFFSET 1').get() as
      { seq: number; chain_seq: number; event_id: string; account_id: string; region: string };
    db.prepare(`UPDATE events SET body = replace(body, '"readOnly":true', '"readOnly":false') WHERE seq = ?`).run(victim.seq);
    db.close();

    const broken = await run(CUSTOS[0]!, [...CUSTOS.slice(1), 'verify-chain', '--data-dir', dataDir]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`BROKEN  ${victim.account_id} ${victim.region}: link ${victim.chain_seq}: hash-mismatch`);
    expect(broken.stdout).toContain(victim.event_id);
  });
});
