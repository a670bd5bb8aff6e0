import { AddTagsCommand, CloudTrailClient, CreateTrailCommand, DeleteTrailCommand, LookupEventsCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { OutboxSubscriber, EventSubscriber } from '../src/server/dispatcher.js';
import type { ResourceChangedEntry } from '../src/services/resource-changes.js';
import type { OutboxEntry, StoredEvent } from '../src/store/types.js';
import { resetServer } from './helpers/assertions.js';
import { startTestServer, type TestServer } from './helpers/server.js';
import { s3Client } from './helpers/s3.js';
import { createTrailBucket } from './helpers/trail-destinations.js';

/** The bucket trails deliver to (its own changes are not trail changes, which the collectors keep). */
const trailBucket = (server: TestServer) => createTrailBucket(s3Client(server, 'eu-west-1'), 'audit-bucket');

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'custos-outbox-'));
  dirs.push(dir);
  return dir;
}

/** A subscriber that collects the entries it is given (trail changes, or entries of `kind`) and can be told to fail. */
function collector(name: string, failures = 0, kind?: string): OutboxSubscriber & { entries: OutboxEntry[]; calls: number } {
  const self = {
    name,
    feed: 'outbox' as const,
    entries: [] as OutboxEntry[],
    calls: 0,
    async handle(entries: readonly OutboxEntry[]) {
      self.calls++;
      if (self.calls <= failures) throw new Error('subscriber is down');
      self.entries.push(...entries.filter((e) =>
        kind ? e.kind === kind : (e.payload as ResourceChangedEntry).resourceType === 'AWS::CloudTrail::Trail'));
    },
  };
  return self;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const changes = (entries: OutboxEntry[]) => entries.map((e) => e.payload as ResourceChangedEntry);

describe('the outbox', () => {
  it('hands each resource change to subscribers after commit, in order, with the causing eventID', async () => {
    const recorder = collector('test-recorder');
    const server = await startTestServer({ dataDir: dataDir() }, { subscribers: [recorder] });
    try {
      const client = new CloudTrailClient(server.clientConfig());
      await trailBucket(server);
      await client.send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'audit-bucket' }));
      await client.send(new StartLoggingCommand({ Name: 'main' }));
      await client.send(new AddTagsCommand({ ResourceId: 'arn:aws:cloudtrail:us-east-1:123456789012:trail/main', TagsList: [{ Key: 'a', Value: 'b' }] }));
      await client.send(new DeleteTrailCommand({ Name: 'main' }));
      await until(() => recorder.entries.length === 4, 'four entries');
      expect(changes(recorder.entries).map((c) => [c.resourceType, c.resourceId, c.deleted ?? false])).toEqual([
        ['AWS::CloudTrail::Trail', 'main', false],
        ['AWS::CloudTrail::Trail', 'main', false],
        ['AWS::CloudTrail::Trail', 'main', false],
        ['AWS::CloudTrail::Trail', 'main', true],
      ]);
      expect(recorder.entries.every((e) => e.accountId === '123456789012' && e.region === 'us-east-1')).toBe(true);
      const { Events } = await client.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ResourceType', AttributeValue: 'AWS::CloudTrail::Trail' }] }));
      expect(changes(recorder.entries).map((c) => c.eventId)).toEqual(Events!.map((e) => e.EventId).reverse());
    } finally {
      await server.stop();
    }
  });

  it('writes nothing to the outbox for a call that failed', async () => {
    const recorder = collector('test-recorder');
    const server = await startTestServer({ dataDir: dataDir() }, { subscribers: [recorder] });
    try {
      const client = new CloudTrailClient(server.clientConfig());
      await trailBucket(server);
      await expect(client.send(new CreateTrailCommand({ Name: 'main', S3BucketName: 'NOT VALID' }))).rejects.toThrow();
      await client.send(new CreateTrailCommand({ Name: 'good', S3BucketName: 'audit-bucket' }));
      await until(() => recorder.entries.length >= 1, 'an entry');
      expect(changes(recorder.entries).map((c) => c.resourceId)).toEqual(['good']);
    } finally {
      await server.stop();
    }
  });

  it('keeps each subscriber’s position across a restart and retries a failing one', async () => {
    const dir = dataDir();
    const first = collector('test-recorder');
    let server: TestServer = await startTestServer({ dataDir: dir }, { subscribers: [first] });
    await trailBucket(server);
    await new CloudTrailClient(server.clientConfig()).send(new CreateTrailCommand({ Name: 'one', S3BucketName: 'audit-bucket' }));
    await until(() => first.entries.length === 1, 'the first entry');
    await server.stop();

    const flaky = collector('test-recorder', 2);
    const late = collector('late-joiner');
    server = await startTestServer({ dataDir: dir }, { subscribers: [flaky, late] });
    try {
      await new CloudTrailClient(server.clientConfig()).send(new CreateTrailCommand({ Name: 'two', S3BucketName: 'audit-bucket' }));
      await until(() => flaky.entries.length === 1 && late.entries.length === 2, 'redelivery');
      expect(flaky.calls).toBe(3);
      expect(changes(flaky.entries).map((c) => c.resourceId)).toEqual(['two']);
      expect(changes(late.entries).map((c) => c.resourceId)).toEqual(['one', 'two']);
    } finally {
      await server.stop();
    }
  });

  it('feeds audit records to event subscribers', async () => {
    const records: StoredEvent[] = [];
    const tail: EventSubscriber = { name: 'test-tail', feed: 'events', handle: async (batch) => void records.push(...batch) };
    const server = await startTestServer({ dataDir: dataDir() }, { subscribers: [tail] });
    try {
      const identity = await new STSClient(server.clientConfig()).send(new GetCallerIdentityCommand({}));
      await until(() => records.length === 1, 'the record');
      expect(JSON.parse(records[0]!.body).requestID).toBe(identity.$metadata.requestId);
    } finally {
      await server.stop();
    }
  });

  it('starts subscribers over after a reset, and wakes them for commits made outside calls', async () => {
    const recorder = collector('test-recorder', 0, 'Test');
    const server = await startTestServer({ dataDir: dataDir() }, { subscribers: [recorder] });
    const scope = { accountId: '123456789012', region: 'us-east-1' };
    try {
      for (const n of [1, 2, 3]) await server.app.store.transaction((tx) => tx.outbox.append(scope, 'Test', { n }));
      await until(() => recorder.entries.length === 3, 'three background entries');
      await resetServer(server);
      await server.app.store.transaction((tx) => tx.outbox.append(scope, 'Test', { n: 'after reset' }));
      await until(() => recorder.entries.length === 4, 'the entry written after the reset');
      expect(recorder.entries.map((e) => e.payload)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }, { n: 'after reset' }]);
    } finally {
      await server.stop();
    }
  });
});
