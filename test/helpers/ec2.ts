/**
 * @module
 * What the EC2 end-to-end tests share: an EC2 client, the CloudTrail records of an operation (as
 * LookupEvents returns them) and the resource changes in the outbox.
 */
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { EC2Client } from '@aws-sdk/client-ec2';
import { RESOURCE_CHANGED, type ResourceChangedEntry } from '../../src/services/resource-changes.js';
import type { TestServer } from './server.js';

/** A CloudTrail record, parsed. */
export type Record = { [key: string]: any };

/** An EC2 client for a test server (no retries, so errors surface at once). */
export function ec2Client(server: TestServer, region = 'us-east-1', overrides: object = {}): EC2Client {
  return new EC2Client({ ...server.clientConfig(region), maxAttempts: 1, ...overrides });
}

/** The records of an EC2 operation in a region, newest first. */
export async function ec2Records(server: TestServer, eventName: string, region = 'us-east-1'): Promise<Record[]> {
  const cloudtrail = new CloudTrailClient(server.clientConfig(region));
  const { Events } = await cloudtrail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: eventName }] }));
  return (Events ?? []).map((e) => JSON.parse(e.CloudTrailEvent!) as Record).filter((r) => r.eventSource === 'ec2.amazonaws.com');
}

/** Every resource change in the outbox, oldest first, with the scope it was written in. */
export async function resourceChanges(server: TestServer): Promise<(ResourceChangedEntry & { accountId: string; region: string })[]> {
  const entries = await server.app.store.read((tx) => tx.outbox.readAfter(0, 1_000_000));
  return entries
    .filter((e) => e.kind === RESOURCE_CHANGED)
    .map((e) => ({ ...(e.payload as ResourceChangedEntry), accountId: e.accountId, region: e.region }));
}
