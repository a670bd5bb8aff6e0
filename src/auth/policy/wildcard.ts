/**
 * @module
 * IAM's wildcards: `*` matches any run of characters (none included), `?` exactly one. Actions
 * match without regard to case, resources and ARNs with it.
 */

/** A compiled pattern. */
export interface Matcher {
  readonly pattern: string;
  test(value: string): boolean;
}

const ANY: Matcher = { pattern: '*', test: () => true };

function escape(text: string): string {
  return text.replace(/[.+^${}()|[\]\\/]/g, '\\$&');
}

/** Compiles a wildcard pattern once, for repeated matching. */
export function compileWildcard(pattern: string, ignoreCase: boolean): Matcher {
  if (pattern === '*') return ANY;
  if (!pattern.includes('*') && !pattern.includes('?')) {
    if (!ignoreCase) return { pattern, test: (value) => value === pattern };
    const lower = pattern.toLowerCase();
    return { pattern, test: (value) => value.length === lower.length && value.toLowerCase() === lower };
  }
  const source = pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : escape(c))).join('');
  const regex = new RegExp(`^${source}$`, ignoreCase ? 'is' : 's');
  return { pattern, test: (value) => regex.test(value) };
}

/** A wildcard pattern as codes: a literal character's code, or STAR (`*`) or ONE (`?`). */
export type GlobCodes = number[];

/** The code of `*` in GlobCodes. */
export const STAR = -1;
/** The code of `?` in GlobCodes. */
export const ONE = -2;

/** Appends text to GlobCodes: `*` and `?` as wildcards unless `literal`, every other character as itself. */
export function appendGlob(codes: GlobCodes, text: string, literal: boolean): void {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    codes.push(literal ? c : c === 42 ? STAR : c === 63 ? ONE : c);
  }
}

/** Whether `value` matches GlobCodes (case-sensitive), by greedy matching with backtracking to the last `*`. */
export function matchesGlob(codes: readonly number[], value: string): boolean {
  let p = 0;
  let v = 0;
  let star = -1;
  let resume = 0;
  while (v < value.length) {
    const code = codes[p];
    if (p < codes.length && (code === ONE || code === value.charCodeAt(v))) {
      p++;
      v++;
    } else if (code === STAR) {
      star = p++;
      resume = v;
    } else if (star >= 0) {
      p = star + 1;
      v = ++resume;
    } else {
      return false;
    }
  }
  while (codes[p] === STAR) p++;
  return p === codes.length;
}

/** Whether `value` matches the wildcard `pattern` (compiled on each call; use compileWildcard when repeating). */
export function matchesWildcard(pattern: string, value: string, ignoreCase: boolean): boolean {
  return compileWildcard(pattern, ignoreCase).test(value);
}

/**
 * ARN matching as ArnLike does it: the six colon-separated parts match one by one, so a wildcard
 * in one part never spans a colon into the next; the resource part keeps its own colons.
 */
export function matchesArn(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  const p = splitArn(pattern);
  const v = splitArn(value);
  if (!p || !v) return false;
  for (let i = 0; i < 6; i++) {
    if (!matchesWildcard(p[i]!, v[i]!, false)) return false;
  }
  return true;
}

function splitArn(text: string): string[] | undefined {
  const parts = text.split(':');
  if (parts.length < 6) return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}
