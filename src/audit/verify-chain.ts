/**
 * @module
 * Verifying the audit log's hash chains: every record of every account and region, in order,
 * reporting the first broken link of each chain.
 */
import { CHAIN_START, ChainBreak, verifyHead, verifyLink, type ChainCursor } from '../integrity/hash-chain.js';
import type { Store } from '../store/types.js';

/** The verdict on one account and region's chain. */
export interface ChainReport {
  readonly accountId: string;
  readonly region: string;
  /** Links checked up to the end or the break. */
  readonly links: number;
  /** The first broken link and the eventID of the record there (if any), if the chain is broken. */
  readonly broken?: { readonly chainBreak: ChainBreak; readonly eventId?: string };
}

/** Walks the whole log; `onProgress` gets the records checked so far and the total. */
export async function verifyChains(store: Store, onProgress?: (done: number, total: number) => void): Promise<ChainReport[]> {
  const total = await store.read((tx) => tx.events.head());
  const chains = new Map<string, { cursor: ChainCursor; links: number; broken?: ChainReport['broken']; accountId: string; region: string }>();
  let position = 0;
  let done = 0;
  for (;;) {
    const batch = await store.read((tx) => tx.events.readAfter(position, 5000));
    if (batch.length === 0) break;
    for (const record of batch) {
      const key = `${record.accountId}/${record.region}`;
      let chain = chains.get(key);
      if (!chain) {
        chain = { cursor: CHAIN_START, links: 0, accountId: record.accountId, region: record.region };
        chains.set(key, chain);
      }
      if (chain.broken) continue;
      const next = verifyLink(chain.cursor, record);
      if (next instanceof ChainBreak) {
        chain.broken = { chainBreak: next, eventId: record.eventId };
      } else {
        chain.cursor = next;
        chain.links++;
      }
    }
    position = batch[batch.length - 1]!.seq;
    done += batch.length;
    onProgress?.(done, total);
  }
  for (const head of await store.read((tx) => tx.events.chainHeads())) {
    const key = `${head.accountId}/${head.region}`;
    let chain = chains.get(key);
    if (!chain) {
      chain = { cursor: CHAIN_START, links: 0, accountId: head.accountId, region: head.region };
      chains.set(key, chain);
    }
    const cutOff = chain.broken ? undefined : verifyHead(chain.cursor, head);
    if (cutOff) chain.broken = { chainBreak: cutOff };
  }
  return [...chains.values()].map(({ accountId, region, links, broken }) => ({ accountId, region, links, broken }));
}
