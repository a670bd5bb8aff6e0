import { describe, expect, it } from 'vitest';
import { appendGlob, compileWildcard, matchesGlob, type GlobCodes } from './wildcard.js';

function codes(text: string, literal = false): GlobCodes {
  const out: GlobCodes = [];
  appendGlob(out, text, literal);
  return out;
}

/** Every string over an alphabet up to a length. */
function strings(alphabet: string, max: number): string[] {
  let level = [''];
  const all = [''];
  for (let n = 0; n < max; n++) {
    level = level.flatMap((s) => [...alphabet].map((c) => s + c));
    all.push(...level);
  }
  return all;
}

describe('matchesGlob', () => {
  it('agrees with the RegExp matcher on every pattern and value up to a size', () => {
    const values = strings('ab:', 4);
    for (const pattern of strings('a*?:', 4)) {
      const regex = compileWildcard(pattern, false);
      const glob = codes(pattern);
      for (const value of values) expect(matchesGlob(glob, value), `${pattern} ~ ${value}`).toBe(regex.test(value));
    }
  });

  it('matches literal parts literally, wildcard characters included', () => {
    const pattern = [...codes('arn:aws:s3:::home/'), ...codes('a*b?', true), ...codes('/*')];
    expect(matchesGlob(pattern, 'arn:aws:s3:::home/a*b?/x/y')).toBe(true);
    expect(matchesGlob(pattern, 'arn:aws:s3:::home/axxbc/x')).toBe(false);
  });
});
