/**
 * @module
 * EC2 filter values matched in memory (where the database does not do it): `*` is any run of
 * characters, `?` any one character, `\` makes the next character literal; case-sensitive. A match
 * takes at most about pattern × text steps, whatever the pattern (no exponential backtracking). Pure.
 */

type Token = { any: 'one' | 'run' } | { char: string };

function tokens(pattern: string): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) out.push({ char: pattern[++i]! });
    else if (c === '*') out.push({ any: 'run' });
    else if (c === '?') out.push({ any: 'one' });
    else out.push({ char: c });
  }
  return out;
}

/** Whether `text` matches an EC2 filter value. */
export function matchesWildcard(pattern: string, text: string): boolean {
  const p = tokens(pattern);
  let t = 0;
  let i = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    const token = p[i];
    if (token && ('char' in token ? token.char === text[t] : token.any === 'one')) {
      i++;
      t++;
    } else if (token && 'any' in token && token.any === 'run') {
      star = i++;
      resume = t;
    } else if (star >= 0) {
      i = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (i < p.length && 'any' in p[i]! && (p[i] as { any: string }).any === 'run') i++;
  return i === p.length;
}
