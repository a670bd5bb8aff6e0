import { describe, expect, it } from 'vitest';
import { matchesWildcard } from './wildcards.js';

describe('EC2 filter wildcards', () => {
  it('matches literals, runs, single characters and escapes, case-sensitively', () => {
    const cases: [string, string, boolean][] = [
      ['web', 'web', true], ['web', 'Web', false], ['web', 'webs', false],
      ['web-*', 'web-1', true], ['web-*', 'web-', true], ['*', '', true], ['', '', true], ['', 'x', false],
      ['w?b', 'wab', true], ['w?b', 'wb', false], ['*-prod-*', 'eu-prod-db', true], ['*-prod-*', 'eu-dev-db', false],
      ['\\*amazon\\?\\\\', '*amazon?\\', true], ['\\*amazon', 'xamazon', false], ['a*b*c', 'aXbYc', true], ['a*b*c', 'aXbY', false],
      ['**a', 'ba', true], ['a*', 'b', false],
    ];
    for (const [pattern, text, expected] of cases) expect(matchesWildcard(pattern, text), `${pattern} ~ ${text}`).toBe(expected);
  });

  it('stays quick on patterns that make backtracking regular expressions explode', () => {
    expect(matchesWildcard(`${'*a'.repeat(40)}*b`, 'a'.repeat(256))).toBe(false);
    expect(matchesWildcard(`${'*a'.repeat(40)}*`, 'a'.repeat(256))).toBe(true);
  });
});
