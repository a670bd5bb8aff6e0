/**
 * @module
 * The hash chain that links audit records at append. Each record's hash is
 * SHA-256(previous hash ‖ the record's exact stored bytes); the first record of a scope follows
 * the genesis hash of 32 zero bytes. Pure: no I/O.
 */
import { createHash } from 'node:crypto';

/** The hash that precedes the first record of every chain (hex). */
export const GENESIS_HASH = '0'.repeat(64);

/** The hash of a record given its predecessor's hash (hex) and its stored bytes. */
export function chainHash(prevHash: string, body: string): string {
  return createHash('sha256').update(Buffer.from(prevHash, 'hex')).update(body, 'utf8').digest('hex');
}

/** One stored link of a chain. */
export interface ChainLink {
  readonly chainSeq: number;
  readonly prevHash: string;
  readonly hash: string;
  readonly body: string;
}

/** Why a chain does not verify, at the first link that fails. */
export type ChainBreakReason =
  /** The stored hash is not SHA-256(prevHash ‖ body): the body or the hash was changed. */
  | 'hash-mismatch'
  /** The stored prevHash is not the previous link's hash: a link was removed, inserted or reordered. */
  | 'previous-mismatch'
  /** The sequence numbers are not consecutive: a link is missing. */
  | 'sequence-gap'
  /** The chain ends before the head recorded at append: links were cut off the end. */
  | 'truncated';

/** The first broken link of a chain. */
export class ChainBreak {
  constructor(
    readonly chainSeq: number,
    readonly reason: ChainBreakReason,
    readonly expected: string,
    readonly actual: string,
  ) {}

  /** A one-line description naming the link. */
  describe(): string {
    return `link ${this.chainSeq}: ${this.reason} (expected ${this.expected}, found ${this.actual})`;
  }
}

/** Where a verification resumes: the last verified link, or the genesis state. */
export interface ChainCursor {
  readonly chainSeq: number;
  readonly hash: string;
}

/** The state before a chain's first link. */
export const CHAIN_START: ChainCursor = { chainSeq: 0, hash: GENESIS_HASH };

/**
 * Checks one link against the cursor of the link before it. Returns the new cursor, or the
 * ChainBreak describing the first thing wrong with the link.
 */
export function verifyLink(cursor: ChainCursor, link: ChainLink): ChainCursor | ChainBreak {
  if (link.chainSeq !== cursor.chainSeq + 1) {
    return new ChainBreak(link.chainSeq, 'sequence-gap', String(cursor.chainSeq + 1), String(link.chainSeq));
  }
  if (link.prevHash !== cursor.hash) return new ChainBreak(link.chainSeq, 'previous-mismatch', cursor.hash, link.prevHash);
  const hash = chainHash(link.prevHash, link.body);
  if (hash !== link.hash) return new ChainBreak(link.chainSeq, 'hash-mismatch', hash, link.hash);
  return { chainSeq: link.chainSeq, hash };
}

/** Checks that a verified chain reached the head recorded at append; returns the break if not. */
export function verifyHead(cursor: ChainCursor, head: ChainCursor): ChainBreak | undefined {
  if (cursor.chainSeq !== head.chainSeq) return new ChainBreak(cursor.chainSeq + 1, 'truncated', String(head.chainSeq), String(cursor.chainSeq));
  if (cursor.hash !== head.hash) return new ChainBreak(head.chainSeq, 'truncated', head.hash, cursor.hash);
  return undefined;
}

/** Verifies links in order from `start`; returns the first break, or the final cursor. */
export function verifyChain(links: Iterable<ChainLink>, start: ChainCursor = CHAIN_START): ChainCursor | ChainBreak {
  let cursor = start;
  for (const link of links) {
    const next = verifyLink(cursor, link);
    if (next instanceof ChainBreak) return next;
    cursor = next;
  }
  return cursor;
}
