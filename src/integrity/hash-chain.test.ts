import { describe, expect, it } from 'vitest';
import { CHAIN_START, ChainBreak, chainHash, GENESIS_HASH, verifyChain, verifyHead, type ChainLink } from './hash-chain.js';

/** Golden vectors, computed independently with Python's hashlib: sha256(prev hash bytes + body). */
const BODIES = ['{"eventID":"1"}', '{"eventID":"2"}', '{"eventID":"3"}'];
const GOLDEN = [
  '667cab61380aaa2df80eb7dc2a66ea8b4cc7f09501b20996051ea467b36ea271',
  'e8e5bc1669798fe4241d10036a950fd050a0ddee8f83d3f14af457264c678e40',
  'd0a80b8a2017551c76c00df82eb2ac3a8bb4115d1fc1571bd1daed2ae2c830b1',
];

function chain(bodies: readonly string[]): ChainLink[] {
  const links: ChainLink[] = [];
  let prev = GENESIS_HASH;
  bodies.forEach((body, i) => {
    const hash = chainHash(prev, body);
    links.push({ chainSeq: i + 1, prevHash: prev, hash, body });
    prev = hash;
  });
  return links;
}

function broken(result: ReturnType<typeof verifyChain>): ChainBreak {
  expect(result).toBeInstanceOf(ChainBreak);
  return result as ChainBreak;
}

describe('hash chain', () => {
  it('matches the golden vectors', () => {
    expect(chain(BODIES).map((l) => l.hash)).toEqual(GOLDEN);
  });

  it('verifies an intact chain up to its head', () => {
    const links = chain(BODIES);
    const cursor = verifyChain(links);
    expect(cursor).toEqual({ chainSeq: 3, hash: GOLDEN[2] });
    expect(verifyHead(cursor as { chainSeq: number; hash: string }, { chainSeq: 3, hash: GOLDEN[2]! })).toBeUndefined();
  });

  it('names an edited body', () => {
    const links = chain(BODIES);
    links[1] = { ...links[1]!, body: '{"eventID":"2","errorCode":null}' };
    const result = broken(verifyChain(links));
    expect([result.chainSeq, result.reason]).toEqual([2, 'hash-mismatch']);
  });

  it('names a body and hash rewritten together by the next link', () => {
    const links = chain(BODIES);
    const forged = '{"eventID":"2x"}';
    links[1] = { ...links[1]!, body: forged, hash: chainHash(links[1]!.prevHash, forged) };
    const result = broken(verifyChain(links));
    expect([result.chainSeq, result.reason]).toEqual([3, 'previous-mismatch']);
  });

  it('names a deleted link', () => {
    const links = chain(BODIES);
    links.splice(1, 1);
    const result = broken(verifyChain(links));
    expect([result.chainSeq, result.reason]).toEqual([3, 'sequence-gap']);
  });

  it('names reordered links', () => {
    const links = chain(BODIES);
    [links[1], links[2]] = [links[2]!, links[1]!];
    expect(broken(verifyChain(links)).chainSeq).toBe(3);
  });

  it('names links cut off the end against the recorded head', () => {
    const links = chain(BODIES).slice(0, 2);
    const cursor = verifyChain(links) as { chainSeq: number; hash: string };
    const cut = verifyHead(cursor, { chainSeq: 3, hash: GOLDEN[2]! });
    expect(cut?.reason).toBe('truncated');
    expect(cut?.describe()).toContain('truncated');
  });

  it('names a corrupted first link against the genesis hash', () => {
    const links = chain(BODIES);
    links[0] = { ...links[0]!, prevHash: 'f'.repeat(64) };
    expect(broken(verifyChain(links, CHAIN_START)).reason).toBe('previous-mismatch');
  });
});
