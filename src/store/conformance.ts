/**
 * @module
 * The store conformance suite: the behaviour every backend must show, run by each backend's
 * test file against a fresh store (`runStoreConformance('sqlite', ...)`).
 */
import { describe, expect, it } from 'vitest';
import type { Scope } from '../core/scope.js';
import { chainHash, GENESIS_HASH } from '../integrity/hash-chain.js';
import { s3ConformanceCases } from './conformance-s3.js';
import type { EventQuery, NewEvent, Store } from './types.js';

/** Opens a fresh, empty store; `reopen` opens the same data again after `close`. */
export interface StoreFactory {
  open(): Promise<{ store: Store; reopen: () => Promise<Store>; cleanup: () => Promise<void> }>;
}

const A: Scope = { accountId: '111111111111', region: 'us-east-1' };
const B: Scope = { accountId: '111111111111', region: 'eu-west-1' };
const C: Scope = { accountId: '222222222222', region: 'us-east-1' };

let counter = 0;

/** An audit record for tests. */
export function testEvent(overrides: Partial<NewEvent> = {}): NewEvent {
  const n = ++counter;
  const base = {
    eventId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    eventTime: 1_700_000_000_000 + n * 1000,
    eventName: 'DescribeTrails',
    eventSource: 'cloudtrail.amazonaws.com',
    username: 'alice',
    accessKeyId: 'AKIAEXAMPLE',
    readOnly: true,
    category: 'Management',
    resources: [] as NewEvent['resources'],
  };
  const merged = { ...base, ...overrides };
  return { ...merged, body: overrides.body ?? JSON.stringify({ eventID: merged.eventId, eventName: merged.eventName, n }) };
}

/** Runs the conformance suite against a backend. */
export function runStoreConformance(name: string, factory: StoreFactory): void {
  describe(`store conformance: ${name}`, () => {
    async function withStore(fn: (store: Store, reopen: () => Promise<Store>) => Promise<void>): Promise<void> {
      const { store, reopen, cleanup } = await factory.open();
      try {
        await fn(store, reopen);
      } finally {
        await cleanup();
      }
    }

    it('keeps documents per scope, kind and id', () =>
      withStore(async (store) => {
        await store.transaction(async (tx) => {
          await tx.documents.put(A, 'trail', 'one', { n: 1 });
          await tx.documents.put(B, 'trail', 'one', { n: 2 });
          await tx.documents.put(C, 'trail', 'one', { n: 3 });
          await tx.documents.put(A, 'topic', 'one', { n: 4 });
        });
        await store.read(async (tx) => {
          expect(await tx.documents.get(A, 'trail', 'one')).toEqual({ n: 1 });
          expect(await tx.documents.get(B, 'trail', 'one')).toEqual({ n: 2 });
          expect(await tx.documents.get(C, 'trail', 'one')).toEqual({ n: 3 });
          expect(await tx.documents.get(A, 'topic', 'one')).toEqual({ n: 4 });
          expect(await tx.documents.get(A, 'trail', 'two')).toBeUndefined();
          expect((await tx.documents.listInAccount(A.accountId, 'trail')).map((e) => e.region).sort()).toEqual(['eu-west-1', 'us-east-1']);
        });
      }));

    it('lists documents in id order with prefix, after and limit', () =>
      withStore(async (store) => {
        await store.transaction(async (tx) => {
          for (const id of ['b/2', 'a/1', 'b/1', 'c', 'b/3']) await tx.documents.put(A, 'k', id, { id });
        });
        await store.read(async (tx) => {
          expect((await tx.documents.list(A, 'k')).map((e) => e.id)).toEqual(['a/1', 'b/1', 'b/2', 'b/3', 'c']);
          expect((await tx.documents.list(A, 'k', { prefix: 'b/' })).map((e) => e.id)).toEqual(['b/1', 'b/2', 'b/3']);
          expect((await tx.documents.list(A, 'k', { prefix: 'b/', after: 'b/1', limit: 1 })).map((e) => e.id)).toEqual(['b/2']);
          expect(await tx.documents.count(A, 'k')).toBe(5);
          expect(await tx.documents.count(B, 'k')).toBe(0);
        });
        await store.transaction(async (tx) => {
          expect(await tx.documents.delete(A, 'k', 'c')).toBe(true);
          expect(await tx.documents.delete(A, 'k', 'c')).toBe(false);
        });
        expect(await store.read((tx) => tx.documents.count(A, 'k'))).toBe(4);
      }));

    it('finds indexed documents by attribute filters, ids and wildcards, in id order, page by page', () =>
      withStore(async (store) => {
        await store.transaction(async (tx) => {
          await tx.indexed.put(A, 'vm', 'i-3', { n: 3 }, { state: 'running', group: ['sg-1', 'sg-2'], 'tag:Name': 'web-1' });
          await tx.indexed.put(A, 'vm', 'i-1', { n: 1 }, { state: 'stopped', group: 'sg-1', 'tag:Name': 'db*1' });
          await tx.indexed.put(A, 'vm', 'i-2', { n: 2 }, { state: 'running', group: 'sg-2', 'tag:Name': 'web-2', empty: undefined });
          await tx.indexed.put(B, 'vm', 'i-9', { n: 9 }, { state: 'running' });
          await tx.indexed.put(A, 'disk', 'v-1', { n: 0 }, { state: 'running' });
        });
        await store.read(async (tx) => {
          const ids = async (query?: Parameters<typeof tx.indexed.query>[2]) => (await tx.indexed.query(A, 'vm', query)).map((e) => e.id);
          expect(await tx.indexed.get(A, 'vm', 'i-2')).toEqual({ n: 2 });
          expect(await tx.indexed.get(B, 'vm', 'i-2')).toBeUndefined();
          expect(await ids()).toEqual(['i-1', 'i-2', 'i-3']);
          expect(await ids({ filters: [{ name: 'state', values: ['running'] }] })).toEqual(['i-2', 'i-3']);
          expect(await ids({ filters: [{ name: 'state', values: ['running', 'stopped'] }, { name: 'group', values: ['sg-1'] }] })).toEqual(['i-1', 'i-3']);
          expect(await ids({ filters: [{ name: 'tag:Name', values: ['web-*'] }] })).toEqual(['i-2', 'i-3']);
          expect(await ids({ filters: [{ name: 'tag:Name', values: ['web-?'] }, { name: 'state', values: ['runn*'] }] })).toEqual(['i-2', 'i-3']);
          expect(await ids({ filters: [{ name: 'tag:Name', values: ['db\\*1'] }] })).toEqual(['i-1']);
          expect(await ids({ filters: [{ name: 'tag:Name', values: ['db\\*'] }] })).toEqual([]);
          expect(await ids({ filters: [{ name: 'tag:Name', values: ['WEB-*'] }] })).toEqual([]);
          expect(await ids({ filters: [{ name: 'state', values: [] }] })).toEqual([]);
          expect(await ids({ filters: [{ name: 'missing', values: ['*'] }] })).toEqual([]);
          expect(await ids({ ids: ['i-3', 'i-1', 'i-7'], filters: [{ name: 'group', values: ['sg-1'] }] })).toEqual(['i-1', 'i-3']);
          expect(await ids({ after: 'i-1', limit: 1 })).toEqual(['i-2']);
        });
        await store.transaction(async (tx) => {
          await tx.indexed.put(A, 'vm', 'i-3', { n: 33 }, { state: 'stopped' });
          expect(await tx.indexed.delete(A, 'vm', 'i-1')).toBe(true);
          expect(await tx.indexed.delete(A, 'vm', 'i-1')).toBe(false);
        });
        await store.read(async (tx) => {
          expect((await tx.indexed.query(A, 'vm', { filters: [{ name: 'state', values: ['stopped'] }] })).map((e) => e.doc)).toEqual([{ n: 33 }]);
          expect(await tx.indexed.query(A, 'vm', { filters: [{ name: 'group', values: ['sg-1'] }] })).toEqual([]);
        });
      }));

    it('undoes a failed transaction and keeps the others of its group', () =>
      withStore(async (store) => {
        const results = await Promise.allSettled([
          store.transaction(async (tx) => tx.documents.put(A, 'k', 'kept-1', {})),
          store.transaction(async (tx) => {
            await tx.documents.put(A, 'k', 'undone', {});
            throw new Error('boom');
          }),
          store.transaction(async (tx) => tx.documents.put(A, 'k', 'kept-2', {})),
        ]);
        expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
        expect((await store.read((tx) => tx.documents.list(A, 'k'))).map((e) => e.id)).toEqual(['kept-1', 'kept-2']);
      }));

    it('undoes only the atomic part that failed', () =>
      withStore(async (store) => {
        await store.transaction(async (tx) => {
          await tx.documents.put(A, 'k', 'outer', {});
          await expect(tx.atomic(async () => {
            await tx.documents.put(A, 'k', 'inner', {});
            throw new Error('inner failure');
          })).rejects.toThrow('inner failure');
          await tx.documents.put(A, 'k', 'after', {});
        });
        expect((await store.read((tx) => tx.documents.list(A, 'k'))).map((e) => e.id)).toEqual(['after', 'outer']);
      }));

    it('commits many concurrent transactions, each visible once it resolves', () =>
      withStore(async (store) => {
        await Promise.all(Array.from({ length: 300 }, (_, i) =>
          store.transaction(async (tx) => tx.documents.put(A, 'k', String(i).padStart(3, '0'), { i })).then(async () => {
            expect(await store.read((tx) => tx.documents.get(A, 'k', String(i).padStart(3, '0')))).toEqual({ i });
          }),
        ));
        expect(await store.read((tx) => tx.documents.count(A, 'k'))).toBe(300);
      }));

    it('wakes commit listeners for durable commits only, and shows lazy ones at once', () =>
      withStore(async (store) => {
        let woken = 0;
        store.onCommit(() => woken++);
        await store.transaction((tx) => tx.outbox.setPosition('trails', 7), { durable: false });
        expect(await store.read((tx) => tx.outbox.position('trails'))).toBe(7);
        expect(woken).toBe(0);
        await store.transaction((tx) => tx.outbox.append(A, 'ResourceChanged', { id: 1 }));
        expect(woken).toBe(1);
      }));

    it('chains audit records per scope by SHA-256 of the previous hash and the exact body', () =>
      withStore(async (store) => {
        const stored = await store.transaction(async (tx) => [
          await tx.events.append(A, testEvent()),
          await tx.events.append(B, testEvent()),
          await tx.events.append(A, testEvent()),
        ]);
        const [a1, b1, a2] = stored as [typeof stored[0], typeof stored[0], typeof stored[0]];
        expect([a1.chainSeq, b1.chainSeq, a2.chainSeq]).toEqual([1, 1, 2]);
        expect(a1.prevHash).toBe(GENESIS_HASH);
        expect(a1.hash).toBe(chainHash(GENESIS_HASH, a1.body));
        expect(a2.prevHash).toBe(a1.hash);
        expect(a2.hash).toBe(chainHash(a1.hash, a2.body));
        expect(b1.prevHash).toBe(GENESIS_HASH);
        const feed = await store.read((tx) => tx.events.readAfter(0, 10));
        expect(feed.map((e) => e.seq)).toEqual([a1.seq, b1.seq, a2.seq]);
        expect(feed.map((e) => e.body)).toEqual([a1.body, b1.body, a2.body]);
        const heads = await store.read((tx) => tx.events.chainHeads());
        expect(heads).toContainEqual({ accountId: A.accountId, region: A.region, chainSeq: 2, hash: a2.hash });
      }));

    it('rolls the chain back with a failed transaction', () =>
      withStore(async (store) => {
        await store.transaction((tx) => tx.events.append(A, testEvent()));
        await expect(store.transaction(async (tx) => {
          await tx.events.append(A, testEvent());
          throw new Error('abort');
        })).rejects.toThrow('abort');
        const next = await store.transaction((tx) => tx.events.append(A, testEvent()));
        expect(next.chainSeq).toBe(2);
      }));

    it('looks up management events newest first by each attribute, in a time window, page by page', () =>
      withStore(async (store) => {
        const t0 = 1_800_000_000_000;
        await store.transaction(async (tx) => {
          await tx.events.append(A, testEvent({ eventTime: t0, eventName: 'CreateTrail', readOnly: false, username: 'alice',
            resources: [{ type: 'AWS::CloudTrail::Trail', name: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/t' }] }));
          await tx.events.append(A, testEvent({ eventTime: t0 + 1000, eventName: 'GetObject', category: 'Data', username: 'alice' }));
          await tx.events.append(A, testEvent({ eventTime: t0 + 2000, eventName: 'DescribeTrails', username: 'bob', accessKeyId: 'AKIABOB' }));
          await tx.events.append(A, testEvent({ eventTime: t0 + 2000, eventName: 'ListTrails', eventSource: 'x.amazonaws.com', username: 'bob' }));
          await tx.events.append(B, testEvent({ eventTime: t0 + 3000, eventName: 'CreateTrail', username: 'alice' }));
        });
        const names = async (query: Partial<EventQuery>) =>
          (await store.read((tx) => tx.events.lookup(A, { startTime: 0, endTime: Number.MAX_SAFE_INTEGER, limit: 50, ...query })))
            .map((e) => e.eventName);
        expect(await names({})).toEqual(['ListTrails', 'DescribeTrails', 'CreateTrail']);
        expect(await names({ attribute: { key: 'EventName', value: 'CreateTrail' } })).toEqual(['CreateTrail']);
        expect(await names({ attribute: { key: 'Username', value: 'bob' } })).toEqual(['ListTrails', 'DescribeTrails']);
        expect(await names({ attribute: { key: 'AccessKeyId', value: 'AKIABOB' } })).toEqual(['DescribeTrails']);
        expect(await names({ attribute: { key: 'ReadOnly', value: 'false' } })).toEqual(['CreateTrail']);
        expect(await names({ attribute: { key: 'ReadOnly', value: 'true' } })).toEqual(['ListTrails', 'DescribeTrails']);
        expect(await names({ attribute: { key: 'EventSource', value: 'x.amazonaws.com' } })).toEqual(['ListTrails']);
        expect(await names({ attribute: { key: 'ResourceType', value: 'AWS::CloudTrail::Trail' } })).toEqual(['CreateTrail']);
        expect(await names({ attribute: { key: 'ResourceName', value: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/t' } })).toEqual(['CreateTrail']);
        expect(await names({ startTime: t0 + 1, endTime: t0 + 2000 })).toEqual(['ListTrails', 'DescribeTrails']);
        expect(await names({ startTime: t0, endTime: t0 })).toEqual(['CreateTrail']);
        const first = await store.read((tx) => tx.events.lookup(A, { startTime: 0, endTime: Number.MAX_SAFE_INTEGER, limit: 1 }));
        const second = await store.read((tx) => tx.events.lookup(A, {
          startTime: 0, endTime: Number.MAX_SAFE_INTEGER, limit: 1, before: { eventTime: first[0]!.eventTime, seq: first[0]!.seq },
        }));
        expect([first[0]!.eventName, second[0]!.eventName]).toEqual(['ListTrails', 'DescribeTrails']);
        const withResources = await store.read((tx) => tx.events.lookup(A, { startTime: 0, endTime: Number.MAX_SAFE_INTEGER, limit: 50, attribute: { key: 'EventName', value: 'CreateTrail' } }));
        expect(withResources[0]!.resources).toEqual([{ type: 'AWS::CloudTrail::Trail', name: 'arn:aws:cloudtrail:us-east-1:111111111111:trail/t' }]);
      }));

    it('keeps the outbox in order and subscriber positions', () =>
      withStore(async (store) => {
        const seqs = await store.transaction(async (tx) => [
          await tx.outbox.append(A, 'ResourceChanged', { id: 1 }),
          await tx.outbox.append(C, 'ResourceChanged', { id: 2 }),
        ]);
        const entries = await store.read((tx) => tx.outbox.readAfter(0, 10));
        expect(entries.map((e) => [e.seq, e.accountId, e.kind, e.payload])).toEqual([
          [seqs[0], A.accountId, 'ResourceChanged', { id: 1 }],
          [seqs[1], C.accountId, 'ResourceChanged', { id: 2 }],
        ]);
        expect(await store.read((tx) => tx.outbox.readAfter(seqs[0]!, 10))).toHaveLength(1);
        expect(await store.read((tx) => tx.outbox.position('config'))).toBe(0);
        await store.transaction((tx) => tx.outbox.setPosition('config', seqs[0]!));
        expect(await store.read((tx) => tx.outbox.position('config'))).toBe(seqs[0]);
      }));

    it('queues SNS deliveries once, claims due ones with a lease, and keeps their outcome', () =>
      withStore(async (store) => {
        const sub = (n: number) => `arn:aws:sns:us-east-1:111111111111:t:${n}`;
        const added = await store.transaction(async (tx) => [
          await tx.snsDeliveries.add(A, { id: 'd1', subscriptionArn: sub(1), dueAt: 100, createdAt: 100, payload: { m: 1 } }),
          await tx.snsDeliveries.add(C, { id: 'd2', subscriptionArn: sub(2), dueAt: 50, createdAt: 50, payload: { m: 2 } }),
          await tx.snsDeliveries.add(A, { id: 'd3', subscriptionArn: sub(1), dueAt: 500, createdAt: 101, payload: { m: 3 } }),
          await tx.snsDeliveries.add(A, { id: 'd1', subscriptionArn: sub(9), dueAt: 1, createdAt: 1, payload: { other: true } }),
        ]);
        expect(added).toEqual([true, true, true, false]);
        expect(await store.read((tx) => tx.snsDeliveries.nextDue())).toBe(50);
        expect(await store.read((tx) => tx.snsDeliveries.nextDue([sub(2)]))).toBe(100);
        expect(await store.read((tx) => tx.snsDeliveries.nextDue([sub(1), sub(2)]))).toBeUndefined();

        const claimed = await store.transaction((tx) => tx.snsDeliveries.claim(200, 10, 10_000));
        expect(claimed.map((d) => [d.id, d.accountId, d.subscriptionArn, d.state, d.attempts, d.dueAt, d.payload])).toEqual([
          ['d2', C.accountId, sub(2), 'pending', 0, 10_000, { m: 2 }],
          ['d1', A.accountId, sub(1), 'pending', 0, 10_000, { m: 1 }],
        ]);
        expect(await store.transaction((tx) => tx.snsDeliveries.claim(200, 10, 10_000))).toEqual([]);
        expect((await store.transaction((tx) => tx.snsDeliveries.claim(600, 10, 10_000, [sub(1)]))).map((d) => d.id)).toEqual([]);
        expect((await store.transaction((tx) => tx.snsDeliveries.claim(600, 10, 10_000))).map((d) => d.id)).toEqual(['d3']);

        await store.transaction(async (tx) => {
          await tx.snsDeliveries.settle('d1', { state: 'delivered', attempts: 1, dueAt: 10_000, updatedAt: 300 });
          await tx.snsDeliveries.settle('d2', { state: 'pending', attempts: 1, dueAt: 700, updatedAt: 300, lastError: 'HTTP 500' });
          await tx.snsDeliveries.settle('d3', { state: 'failed', attempts: 4, dueAt: 10_000, updatedAt: 300, lastError: 'timed out' });
        });
        expect(await store.read((tx) => tx.snsDeliveries.nextDue())).toBe(700);
        const history = await store.read((tx) => tx.snsDeliveries.list(A, sub(1)));
        expect(history.map((d) => [d.id, d.state, d.attempts, d.lastError, d.updatedAt])).toEqual([
          ['d1', 'delivered', 1, undefined, 300],
          ['d3', 'failed', 4, 'timed out', 300],
        ]);
        expect(await store.read((tx) => tx.snsDeliveries.list(C, sub(1)))).toEqual([]);
        expect((await store.transaction((tx) => tx.snsDeliveries.claim(700, 10, 20_000))).map((d) => [d.id, d.attempts, d.lastError]))
          .toEqual([['d2', 1, 'HTTP 500']]);
      }));

    it('finds access keys by id and by owner', () =>
      withStore(async (store) => {
        const owner = { type: 'IAMUser' as const, name: 'alice', id: 'AIDAALICE', arn: 'arn:aws:iam::111111111111:user/alice' };
        await store.transaction(async (tx) => {
          await tx.credentials.put({ accessKeyId: 'AKIA1', secretAccessKey: 's1', accountId: A.accountId, status: 'Active', owner, createdAt: 1 });
          await tx.credentials.put({ accessKeyId: 'ASIA2', secretAccessKey: 's2', accountId: A.accountId, status: 'Active', owner, createdAt: 2, sessionToken: 'tok', expiresAt: 99 });
          await tx.accounts.put({ accountId: A.accountId, alias: 'main', createdAt: 1 });
        });
        await store.read(async (tx) => {
          expect(await tx.credentials.get('AKIA1')).toMatchObject({ secretAccessKey: 's1', owner });
          expect(await tx.credentials.get('ASIA2')).toMatchObject({ sessionToken: 'tok', expiresAt: 99 });
          expect((await tx.credentials.listForOwner(A.accountId, owner.arn)).map((k) => k.accessKeyId)).toEqual(['AKIA1', 'ASIA2']);
          expect(await tx.credentials.listForOwner(C.accountId, owner.arn)).toEqual([]);
          expect(await tx.accounts.get(A.accountId)).toEqual({ accountId: A.accountId, alias: 'main', createdAt: 1 });
        });
        await store.transaction(async (tx) => expect(await tx.credentials.delete(A.accountId, 'AKIA1')).toBe(true));
        expect(await store.read((tx) => tx.credentials.get('AKIA1'))).toBeUndefined();
      }));

    it('buffers feed positions per trail and scope, reads their bodies in order, cuts by size and removes', () =>
      withStore(async (store) => {
        const trail = 'arn:aws:cloudtrail:us-east-1:111111111111:trail/t';
        const events = await store.transaction(async (tx) => [
          await tx.events.append(A, testEvent({ body: '{"n":1}' })),
          await tx.events.append(A, testEvent({ body: '{"n":2}' })),
          await tx.events.append(B, testEvent({ body: '{"n":3}' })),
          await tx.events.append(A, testEvent({ body: '{"n":4}' })),
        ]);
        const [e1, e2, e3, e4] = events as [typeof events[0], typeof events[0], typeof events[0], typeof events[0]];
        await store.transaction(async (tx) => {
          await tx.trailBuffers.add(A, trail, [{ seq: e1.seq, bytes: 10 }, { seq: e2.seq, bytes: 20 }], 5);
          await tx.trailBuffers.add(B, trail, [{ seq: e3.seq, bytes: 30 }], 6);
          await tx.trailBuffers.add(A, trail, [{ seq: e2.seq, bytes: 20 }, { seq: e4.seq, bytes: 40 }], 7);
          await tx.trailBuffers.add(A, 'other', [{ seq: e4.seq, bytes: 40 }], 8);
        });
        await store.read(async (tx) => {
          expect(await tx.trailBuffers.pending()).toEqual([
            { accountId: A.accountId, region: B.region, trailArn: trail, count: 1, bytes: 30, oldestAddedAt: 6 },
            { accountId: A.accountId, region: A.region, trailArn: trail, count: 3, bytes: 70, oldestAddedAt: 5 },
            { accountId: A.accountId, region: A.region, trailArn: 'other', count: 1, bytes: 40, oldestAddedAt: 8 },
          ]);
          expect(await tx.trailBuffers.cut(A, trail, 30)).toBe(e2.seq);
          expect(await tx.trailBuffers.cut(A, trail, 5)).toBe(e1.seq);
          expect(await tx.trailBuffers.cut(A, trail, 1000)).toBe(e4.seq);
          expect(await tx.trailBuffers.cut(C, trail, 1000)).toBeUndefined();
          expect(await tx.trailBuffers.read(A, trail, e2.seq)).toEqual([
            { seq: e1.seq, eventTime: e1.eventTime, body: '{"n":1}' },
            { seq: e2.seq, eventTime: e2.eventTime, body: '{"n":2}' },
          ]);
        });
        await store.transaction((tx) => tx.trailBuffers.remove(A, trail, e2.seq));
        expect((await store.read((tx) => tx.trailBuffers.read(A, trail, Number.MAX_SAFE_INTEGER))).map((r) => r.body)).toEqual(['{"n":4}']);
        expect((await store.read((tx) => tx.trailBuffers.read(B, trail, Number.MAX_SAFE_INTEGER))).map((r) => r.body)).toEqual(['{"n":3}']);
      }));

    it('keeps committed state across close and reopen, and forgets it on reset', () =>
      withStore(async (store, reopen) => {
        await store.transaction(async (tx) => {
          await tx.documents.put(A, 'k', 'durable', { ok: true });
          await tx.events.append(A, testEvent());
        });
        await store.close();
        const again = await reopen();
        expect(await again.read((tx) => tx.documents.get(A, 'k', 'durable'))).toEqual({ ok: true });
        expect(await again.read((tx) => tx.events.head())).toBe(1);
        await again.reset();
        expect(await again.read((tx) => tx.documents.get(A, 'k', 'durable'))).toBeUndefined();
        expect(await again.read((tx) => tx.events.head())).toBe(0);
        await again.close();
      }));

    it('keeps log events per scope, group and stream, read in time order both ways and resumable', () =>
      withStore(async (store) => {
        await store.transaction(async (tx) => {
          await tx.logEvents.append(A, 'g', 's1', [{ timestamp: 30, message: 'c' }, { timestamp: 10, message: 'a' }], 100);
          await tx.logEvents.append(A, 'g', 's2', [{ timestamp: 20, message: 'b' }, { timestamp: 30, message: 'd' }], 101);
          await tx.logEvents.append(A, 'g', 'other', [{ timestamp: 15, message: 'x' }], 102);
          await tx.logEvents.append(A, 'h', 's1', [{ timestamp: 5, message: 'other group' }], 103);
          await tx.logEvents.append(B, 'g', 's1', [{ timestamp: 5, message: 'other region' }], 104);
        });
        await store.read(async (tx) => {
          const all = await tx.logEvents.query(A, { logGroupName: 'g', limit: 100 });
          expect(all.map((e) => e.message)).toEqual(['a', 'x', 'b', 'c', 'd']);
          expect(all[0]).toMatchObject({ logStreamName: 's1', timestamp: 10, ingestionTime: 100 });
          const first = await tx.logEvents.query(A, { logGroupName: 'g', limit: 2 });
          const rest = await tx.logEvents.query(A, { logGroupName: 'g', limit: 10, after: { timestamp: first[1]!.timestamp, id: first[1]!.id } });
          expect(rest.map((e) => e.message)).toEqual(['b', 'c', 'd']);
          expect((await tx.logEvents.query(A, { logGroupName: 'g', descending: true, limit: 3 })).map((e) => e.message)).toEqual(['d', 'c', 'b']);
          expect((await tx.logEvents.query(A, { logGroupName: 'g', logStreamNames: ['s1'], limit: 10 })).map((e) => e.message)).toEqual(['a', 'c']);
          expect((await tx.logEvents.query(A, { logGroupName: 'g', logStreamNames: ['s1', 's2'], limit: 10 })).map((e) => e.message)).toEqual(['a', 'b', 'c', 'd']);
          expect((await tx.logEvents.query(A, { logGroupName: 'g', logStreamNamePrefix: 's', limit: 10 })).map((e) => e.message)).toEqual(['a', 'b', 'c', 'd']);
          expect((await tx.logEvents.query(A, { logGroupName: 'g', startTime: 15, endTime: 30, limit: 10 })).map((e) => e.message)).toEqual(['x', 'b']);
          expect((await tx.logEvents.query(B, { logGroupName: 'g', limit: 10 })).map((e) => e.message)).toEqual(['other region']);
        });
        await store.transaction(async (tx) => {
          expect(await tx.logEvents.expire(A, 'g', 20)).toBe(2);
          expect(await tx.logEvents.deleteStream(A, 'g', 's2')).toBe(2);
          expect(await tx.logEvents.deleteGroup(A, 'h')).toBe(1);
        });
        await store.read(async (tx) => {
          expect((await tx.logEvents.query(A, { logGroupName: 'g', limit: 10 })).map((e) => e.message)).toEqual(['c']);
          expect(await tx.logEvents.query(A, { logGroupName: 'h', limit: 10 })).toEqual([]);
        });
      }));

    it('aggregates metric points per period, keeps distributions and lists metrics by filter', () =>
      withStore(async (store) => {
        const metric = { namespace: 'App', metricName: 'Latency', dimensions: [{ name: 'Host', value: 'a' }, { name: 'Az', value: '1' }] };
        const point = (timestamp: number, value: number, unit = 'Milliseconds') => ({
          ...metric, timestamp, sampleCount: 1, sum: value, min: value, max: value, unit, distribution: [[value, 1]] as [number, number][],
        });
        await store.transaction(async (tx) => {
          await tx.metrics.put(A, [point(1000, 5), point(59_000, 7), point(61_000, 1), point(130_000, 4, 'Seconds')]);
          await tx.metrics.put(A, [{ ...metric, dimensions: [], timestamp: 1000, sampleCount: 10, sum: 50, min: 1, max: 9, unit: 'None' }]);
          await tx.metrics.put(B, [point(1000, 99)]);
          await tx.metrics.put(A, [{ namespace: 'Other', metricName: 'Count', dimensions: [{ name: 'Host', value: 'b' }], timestamp: 5, sampleCount: 1, sum: 1, min: 1, max: 1, unit: 'Count' }]);
        });
        await store.read(async (tx) => {
          const reordered = { ...metric, dimensions: [...metric.dimensions].reverse() };
          const buckets = await tx.metrics.aggregate(A, { metric: reordered, startTime: 0, endTime: 180_000, period: 60_000 });
          expect(buckets).toEqual([
            { start: 0, sampleCount: 2, sum: 12, min: 5, max: 7, units: ['Milliseconds'] },
            { start: 60_000, sampleCount: 1, sum: 1, min: 1, max: 1, units: ['Milliseconds'] },
            { start: 120_000, sampleCount: 1, sum: 4, min: 4, max: 4, units: ['Seconds'] },
          ]);
          expect(await tx.metrics.aggregate(A, { metric, startTime: 0, endTime: 180_000, period: 60_000, unit: 'Seconds' }))
            .toEqual([{ start: 120_000, sampleCount: 1, sum: 4, min: 4, max: 4, units: ['Seconds'] }]);
          expect(await tx.metrics.aggregate(A, { metric: { ...metric, dimensions: [] }, startTime: 0, endTime: 60_000, period: 60_000 }))
            .toEqual([{ start: 0, sampleCount: 10, sum: 50, min: 1, max: 9, units: ['None'] }]);
          expect(await tx.metrics.aggregate(A, { metric, startTime: 30_000, endTime: 60_000, period: 10_000 }))
            .toEqual([{ start: 50_000, sampleCount: 1, sum: 7, min: 7, max: 7, units: ['Milliseconds'] }]);
          expect(await tx.metrics.distributions(A, { metric, startTime: 0, endTime: 120_000, period: 120_000 }))
            .toEqual([{ start: 0, values: [[5, 1], [7, 1], [1, 1]] }]);
          expect(await tx.metrics.aggregate(C, { metric, startTime: 0, endTime: 180_000, period: 60_000 })).toEqual([]);
          const names = async (q: Parameters<typeof tx.metrics.list>[1]) => (await tx.metrics.list(A, q)).map((m) => `${m.namespace}/${m.metricName}/${m.dimensions.map((d) => d.value).join('+')}`);
          expect(await names({ limit: 10 })).toEqual(['App/Latency/1+a', 'App/Latency/', 'Other/Count/b']);
          expect(await names({ namespace: 'App', limit: 10 })).toEqual(['App/Latency/1+a', 'App/Latency/']);
          expect(await names({ dimensions: [{ name: 'Host' }], limit: 10 })).toEqual(['App/Latency/1+a', 'Other/Count/b']);
          expect(await names({ dimensions: [{ name: 'Host', value: 'b' }], limit: 10 })).toEqual(['Other/Count/b']);
          expect(await names({ activeSince: 100_000, limit: 10 })).toEqual(['App/Latency/1+a']);
          const page = await tx.metrics.list(A, { limit: 1 });
          expect(await names({ after: page[0]!.key, limit: 10 })).toEqual(['App/Latency/', 'Other/Count/b']);
        });
      }));
    s3ConformanceCases((fn) => withStore((store) => fn(store)));
  });
}
