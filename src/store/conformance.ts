/**
 * @module
 * The store conformance suite: the behaviour every backend must show, run by each backend's
 * test file against a fresh store (`runStoreConformance('sqlite', ...)`).
 */
import { describe, expect, it } from 'vitest';
import type { Scope } from '../core/scope.js';
import { chainHash, GENESIS_HASH } from '../integrity/hash-chain.js';
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
  });
}
