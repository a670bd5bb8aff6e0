/**
 * @module
 * What the authoriser remembers between calls, on an object createApp makes (never module state):
 * parsed policy documents by their text, and each principal's resolved policies under the IAM
 * generation they were read at. A principal's entry is used only while the generation read in the
 * call's own transaction is the same, so an IAM change applies to the very next call.
 */
import { parsePolicy, type Policy, type PolicyKind } from './policy/document.js';
import type { PrincipalPolicies } from './policy-authorizer.js';

/** A principal's policies, parsed; null when its IAM entity is gone. */
export type ResolvedPolicies = {
  readonly own: PrincipalPolicies;
  readonly identity: readonly Policy[];
  readonly boundary?: Policy;
  readonly session?: readonly Policy[];
} | null;

/** Entries kept per map before it is emptied and refilled. */
const LIMIT = 5_000;

/** The authoriser's caches, bounded. */
export class AuthorizationCache {
  readonly #documents = new Map<PolicyKind, Map<string, Policy | null>>();
  readonly #principals = new Map<string, { readonly generation: string; readonly resolved: ResolvedPolicies }>();

  /** A document parsed as a kind; undefined (grants nothing) when it does not parse, which no stored document should. */
  policy(text: string, kind: PolicyKind): Policy | undefined {
    let parsed = this.#documents.get(kind);
    if (!parsed) this.#documents.set(kind, (parsed = new Map()));
    let policy = parsed.get(text);
    if (policy === undefined) {
      try {
        policy = parsePolicy(text, kind);
      } catch {
        policy = null;
      }
      if (parsed.size >= LIMIT) parsed.clear();
      parsed.set(text, policy);
    }
    return policy ?? undefined;
  }

  /** A principal's resolved policies as read at this generation, if they were. */
  principal(key: string, generation: string): ResolvedPolicies | undefined {
    const entry = this.#principals.get(key);
    return entry && entry.generation === generation ? entry.resolved : undefined;
  }

  /** Remembers a principal's resolved policies as read at a generation. */
  remember(key: string, generation: string, resolved: ResolvedPolicies): void {
    if (this.#principals.size >= LIMIT && !this.#principals.has(key)) this.#principals.clear();
    this.#principals.set(key, { generation, resolved });
  }
}
